import Dispatch

/// Writes a classic ZIP archive (APPNOTE 6.3.x, the subset every reader knows): each entry's
/// local header carries its CRC-32 and sizes (no data descriptors), no zip64 records, no
/// encryption, one fixed timestamp (1980-01-01 00:00, so the same input gives the same bytes).
/// Each entry is DEFLATE-compressed, or stored when that is not smaller.
public struct ZipWriter {
  public enum Failure: Error, Equatable, CustomStringConvertible {
    /// Classic ZIP holds at most 65,535 entries and 4 GiB per entry and in all.
    case tooLarge(String)
    case invalidName(String)

    public var description: String {
      switch self {
      case .tooLarge(let what): return "the archive would be too large for a ZIP file without zip64 (\(what))"
      case .invalidName(let name): return "`\(name)` is not a valid name for a ZIP entry"
      }
    }
  }

  struct Entry {
    var name: [UInt8]
    var method: UInt16
    var crc: UInt32
    var compressedSize: Int
    var size: Int
    var offset: Int
  }

  var output: [UInt8] = []
  var entries: [Entry] = []
  var names = Set<String>()

  public init() {}

  /// Adds an entry: `name` is a relative path with `/` between folders.
  public mutating func add(_ name: String, _ data: [UInt8]) throws {
    try claim(name)
    try append(name, data, compressed: Deflate.deflate(data), crc: CRC32.checksum(data))
  }

  /// Adds entries in order, compressing them at the same time on the machine's cores (the
  /// archive is the same as from adding them one by one).
  public mutating func add(_ parts: [(name: String, data: [UInt8])]) throws {
    for part in parts { try claim(part.name) }
    var packed = [(compressed: [UInt8], crc: UInt32)](repeating: ([], 0), count: parts.count)
    packed.withUnsafeMutableBufferPointer { buffer in
      let slots = Slots(buffer: buffer)
      DispatchQueue.concurrentPerform(iterations: parts.count) { k in
        slots.buffer[k] = (Deflate.deflate(parts[k].data), CRC32.checksum(parts[k].data))
      }
    }
    for (part, result) in zip(parts, packed) { try append(part.name, part.data, compressed: result.compressed, crc: result.crc) }
  }

  /// Lets `concurrentPerform` write each part's compressed bytes into its own slot.
  struct Slots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<(compressed: [UInt8], crc: UInt32)>
  }

  /// Checks a new entry's name and reserves it.
  mutating func claim(_ name: String) throws {
    guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.split(separator: "/").contains(".."), names.insert(name).inserted
    else { throw Failure.invalidName(name) }
  }

  /// Writes an entry whose name was claimed: deflated, or stored when that is no larger.
  mutating func append(_ name: String, _ data: [UInt8], compressed: [UInt8], crc: UInt32) throws {
    let stored = compressed.count >= data.count
    let body = stored ? data : compressed
    let nameBytes = Array(name.utf8)
    guard entries.count < 0xFFFF else { throw Failure.tooLarge("more than 65,535 entries") }
    guard data.count < 0xFFFF_FFFF, output.count + body.count + 30 + nameBytes.count < 0xFFFF_FFFF else {
      throw Failure.tooLarge("more than 4 GiB")
    }
    let entry = Entry(name: nameBytes, method: stored ? 0 : 8, crc: crc, compressedSize: body.count, size: data.count, offset: output.count)
    writeLocalHeader(entry)
    output += body
    entries.append(entry)
  }

  /// The archive: the entries, then the central directory and its end record.
  public mutating func finish() throws -> [UInt8] {
    let directoryStart = output.count
    for entry in entries { writeCentralHeader(entry) }
    let directorySize = output.count - directoryStart
    guard output.count < 0xFFFF_FFFF else { throw Failure.tooLarge("more than 4 GiB") }
    put32(0x0605_4B50)  // end of central directory
    put16(0)  // this disk
    put16(0)  // the disk where the directory starts
    put16(UInt16(entries.count))
    put16(UInt16(entries.count))
    put32(UInt32(directorySize))
    put32(UInt32(directoryStart))
    put16(0)  // no comment
    return output
  }

  /// Names in UTF-8 get general-purpose flag bit 11 (ASCII names need none).
  func flags(_ entry: Entry) -> UInt16 { entry.name.contains { $0 >= 0x80 } ? 0x0800 : 0 }

  static let dosTime: UInt16 = 0  // 00:00:00
  static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1  // 1980-01-01

  mutating func writeLocalHeader(_ entry: Entry) {
    put32(0x0403_4B50)
    writeCommonFields(entry)
    put16(0)  // no extra field
    output += entry.name
  }

  mutating func writeCentralHeader(_ entry: Entry) {
    put32(0x0201_4B50)
    put16(20)  // version made by: 2.0, MS-DOS attributes
    writeCommonFields(entry)
    put16(0)  // extra field
    put16(0)  // comment
    put16(0)  // disk number
    put16(0)  // internal attributes
    put32(0)  // external attributes
    put32(UInt32(entry.offset))
    output += entry.name
  }

  /// What both headers hold, in the same order: version needed, flags, method, time, date,
  /// CRC-32, sizes, name length.
  mutating func writeCommonFields(_ entry: Entry) {
    put16(20)  // version needed: 2.0 (deflate)
    put16(flags(entry))
    put16(entry.method)
    put16(ZipWriter.dosTime)
    put16(ZipWriter.dosDate)
    put32(entry.crc)
    put32(UInt32(entry.compressedSize))
    put32(UInt32(entry.size))
    put16(UInt16(entry.name.count))
  }

  mutating func put16(_ value: UInt16) {
    output.append(UInt8(value & 0xFF))
    output.append(UInt8(value >> 8))
  }

  mutating func put32(_ value: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
  }
}
