/// CRC-32 as ZIP uses it (ISO 3309 / ITU-T V.42: polynomial 0xEDB88320 reflected, initial value
/// and final XOR 0xFFFFFFFF), computed eight bytes at a time from eight 256-entry tables
/// ("slicing by 8"): table k gives the CRC of a byte followed by k zero bytes.
public struct CRC32: Sendable {
  public private(set) var value: UInt32 = 0

  public init() {}

  /// The eight tables, one after the other.
  static let tables: [UInt32] = {
    var tables = (0..<256).map { n -> UInt32 in
      var c = UInt32(n)
      for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
      return c
    }
    for k in 1..<8 {
      for n in 0..<256 {
        let previous = tables[(k - 1) * 256 + n]
        tables.append(tables[Int(previous & 0xFF)] ^ (previous >> 8))
      }
    }
    return tables
  }()

  /// Adds `bytes` to the checksum.
  public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    var c = ~value
    CRC32.tables.withUnsafeBufferPointer { t in
      var i = 0
      let n = bytes.count
      while i + 8 <= n {
        let low = c ^ (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        c = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)] ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
          ^ t[3 * 256 + Int(bytes[i + 4])] ^ t[2 * 256 + Int(bytes[i + 5])] ^ t[256 + Int(bytes[i + 6])] ^ t[Int(bytes[i + 7])]
        i += 8
      }
      while i < n {
        c = t[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
        i += 1
      }
    }
    value = ~c
  }

  /// The CRC-32 of `bytes`.
  public static func checksum(_ bytes: [UInt8]) -> UInt32 {
    var crc = CRC32()
    bytes.withUnsafeBufferPointer { crc.update($0) }
    return crc.value
  }
}
