/// CRC-32 as ZIP uses it (ISO 3309 / ITU-T V.42: polynomial 0xEDB88320 reflected, initial value
/// and final XOR 0xFFFFFFFF), computed a byte at a time from a 256-entry table.
public struct CRC32: Sendable {
  public private(set) var value: UInt32 = 0

  public init() {}

  static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// Adds `bytes` to the checksum.
  public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    var c = ~value
    CRC32.table.withUnsafeBufferPointer { table in
      for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
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
