/// Reads a ZIP archive held in memory (APPNOTE 6.3.x): the central directory (zip64 records
/// too), stored and DEFLATE-compressed entries, with or without data descriptors (the central
/// directory's sizes and CRC-32 are the ones used; each entry's CRC-32 is checked).
///
/// A hostile archive is refused with a message rather than decompressed: more entries than
/// `Limits.entries`, an entry or a total beyond the size limits, an entry that would expand more
/// than `Limits.ratio` times, entries whose data overlap (the trick of the smallest "zip bombs"),
/// offsets outside the file, split archives, encrypted entries and compression methods other
/// than stored and deflate. Decompression never produces more than an entry's recorded size.
public struct ZipArchive: Sendable {
  public struct Limits: Sendable {
    /// The most entries an archive may hold.
    public var entries = 10_000
    /// The most one entry may decompress to.
    public var entrySize = 256 << 20
    /// The most all entries together may decompress to.
    public var totalSize = 1 << 30
    /// The most an entry larger than `ratioThreshold` may expand (uncompressed / compressed).
    public var ratio = 250
    public var ratioThreshold = 4 << 20

    public init() {}
  }

  public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
  }

  public struct Entry: Sendable, Equatable {
    public var name: String
    public var method: Int
    public var flags: Int
    public var crc: UInt32
    public var compressedSize: Int
    public var size: Int
    public var headerOffset: Int
    /// Where the entry's data starts (after its local header).
    public var dataOffset: Int
  }

  public let bytes: [UInt8]
  public let entries: [Entry]
  let index: [String: Int]

  public init(_ bytes: [UInt8], limits: Limits = Limits()) throws {
    self.bytes = bytes
    let reader = Reader(bytes: bytes)
    guard bytes.count >= 22 else { throw Failure("not a ZIP archive (only \(bytes.count) bytes)") }
    // The end of central directory record: 22 bytes and a comment of up to 65,535 bytes.
    var end = -1
    var position = bytes.count - 22
    let lowest = max(0, bytes.count - 22 - 0xFFFF)
    while position >= lowest {
      if reader.u32(position) == 0x0605_4B50, position + 22 + reader.u16(position + 20) <= bytes.count {
        end = position
        break
      }
      position -= 1
    }
    guard end >= 0 else { throw Failure("not a ZIP archive (no end of central directory record)") }
    let disk = reader.u16(end + 4)
    let directoryDisk = reader.u16(end + 6)
    var count = reader.u16(end + 10)
    var directorySize = Int(reader.u32(end + 12))
    var directoryOffset = Int(reader.u32(end + 16))
    guard disk == 0, directoryDisk == 0, reader.u16(end + 8) == count else {
      throw Failure("a split (multi-part) ZIP archive, which cannot be read")
    }
    var directoryLimit = end
    // zip64: a locator just before the end record points at the zip64 end record.
    if end >= 20, reader.u32(end - 20) == 0x0706_4B50 {
      guard let recordOffset = reader.u64(end - 12), recordOffset + 56 <= end - 20, reader.u32(recordOffset) == 0x0606_4B50,
        let count64 = reader.u64(recordOffset + 32), let size64 = reader.u64(recordOffset + 40), let offset64 = reader.u64(recordOffset + 48)
      else { throw Failure("the archive's zip64 end record is damaged") }
      count = count64
      directorySize = size64
      directoryOffset = offset64
      directoryLimit = recordOffset
    }
    guard count <= limits.entries else {
      throw Failure("the archive holds \(count) entries, more than the \(limits.entries) allowed: refused as hostile")
    }
    guard directoryOffset >= 0, directorySize >= 0, directoryOffset + directorySize <= directoryLimit else {
      throw Failure("the archive's central directory lies outside the file (damaged or truncated)")
    }
    var entries: [Entry] = []
    entries.reserveCapacity(count)
    var index: [String: Int] = [:]
    var cursor = directoryOffset
    var total = 0
    for _ in 0..<count {
      guard cursor + 46 <= directoryOffset + directorySize, reader.u32(cursor) == 0x0201_4B50 else {
        throw Failure("the archive's central directory is damaged (entry \(entries.count + 1) of \(count))")
      }
      let flags = reader.u16(cursor + 8)
      let method = reader.u16(cursor + 10)
      let crc = reader.u32(cursor + 16)
      var compressed = Int(reader.u32(cursor + 20))
      var size = Int(reader.u32(cursor + 24))
      let nameLength = reader.u16(cursor + 28)
      let extraLength = reader.u16(cursor + 30)
      let commentLength = reader.u16(cursor + 32)
      var headerOffset = Int(reader.u32(cursor + 42))
      let nameStart = cursor + 46
      guard nameStart + nameLength + extraLength + commentLength <= directoryOffset + directorySize else {
        throw Failure("the archive's central directory is damaged (entry \(entries.count + 1) of \(count))")
      }
      let name = String(decoding: bytes[nameStart..<nameStart + nameLength], as: UTF8.self)
      // The zip64 extended information field holds the values whose 32-bit fields are all ones.
      var extra = nameStart + nameLength
      let extraEnd = extra + extraLength
      while extra + 4 <= extraEnd {
        let id = reader.u16(extra)
        let length = reader.u16(extra + 2)
        var field = extra + 4
        let fieldEnd = field + length
        guard fieldEnd <= extraEnd else { break }
        if id == 0x0001 {
          func next() throws -> Int {
            guard field + 8 <= fieldEnd, let value = reader.u64(field) else { throw Failure("`\(name)`: its zip64 field is damaged") }
            field += 8
            return value
          }
          if size == 0xFFFF_FFFF { size = try next() }
          if compressed == 0xFFFF_FFFF { compressed = try next() }
          if headerOffset == 0xFFFF_FFFF { headerOffset = try next() }
        }
        extra = fieldEnd
      }
      cursor = extraEnd + commentLength
      let key = name.lowercased()
      guard index[key] == nil else { throw Failure("the archive holds `\(name)` twice: refused as hostile") }
      guard size <= limits.entrySize else {
        throw Failure("`\(name)` would decompress to \(size) bytes, more than the \(limits.entrySize) allowed: refused as hostile")
      }
      total += size
      guard total <= limits.totalSize else {
        throw Failure("the archive would decompress to more than \(limits.totalSize) bytes in all: refused as hostile")
      }
      if size > limits.ratioThreshold, size / max(compressed, 1) > limits.ratio {
        throw Failure(
          "`\(name)` would expand \(size / max(compressed, 1)) times (\(compressed) to \(size) bytes), more than the \(limits.ratio) allowed: refused as a likely zip bomb"
        )
      }
      // The local header: its own name and extra field lengths decide where the data starts.
      guard headerOffset >= 0, headerOffset + 30 <= directoryOffset, reader.u32(headerOffset) == 0x0403_4B50 else {
        throw Failure("`\(name)`: its local header is missing or outside the file (a damaged archive)")
      }
      let dataOffset = headerOffset + 30 + reader.u16(headerOffset + 26) + reader.u16(headerOffset + 28)
      guard compressed >= 0, dataOffset + compressed <= directoryOffset else {
        throw Failure("`\(name)`: its data runs past the end of the entries (a damaged or truncated archive)")
      }
      index[key] = entries.count
      entries.append(
        Entry(
          name: name, method: method, flags: flags, crc: crc, compressedSize: compressed, size: size, headerOffset: headerOffset,
          dataOffset: dataOffset))
    }
    // No two entries may share bytes: overlapping entries are how a small archive claims to hold
    // far more than it does.
    let ordered = entries.sorted { $0.headerOffset < $1.headerOffset }
    for (a, b) in zip(ordered, ordered.dropFirst()) where a.dataOffset + a.compressedSize > b.headerOffset {
      throw Failure("the entries `\(a.name)` and `\(b.name)` overlap: refused as hostile (a zip bomb)")
    }
    self.entries = entries
    self.index = index
  }

  /// The entry of that name, compared without case (as the Open Packaging Conventions do).
  public func entry(named name: String) -> Entry? {
    index[name.lowercased()].map { entries[$0] }
  }

  /// The decompressed data of `entry`, checked against its CRC-32.
  public func data(of entry: Entry) throws -> [UInt8] {
    if entry.flags & 1 != 0 { throw Failure("`\(entry.name)` is encrypted (a password-protected file), which cannot be read") }
    let body = bytes[entry.dataOffset..<entry.dataOffset + entry.compressedSize]
    var data: [UInt8]
    switch entry.method {
    case 0:
      guard entry.compressedSize == entry.size else { throw Failure("`\(entry.name)`: a stored entry whose two sizes differ (a damaged archive)") }
      data = Array(body)
    case 8:
      do {
        data = try body.withUnsafeBufferPointer { try Inflate.inflate($0, expectedSize: entry.size, limit: entry.size).output }
      } catch let error as InflateError {
        if error.message.hasPrefix("the data decompresses to more than") {
          throw Failure("`\(entry.name)` decompresses to more than its recorded \(entry.size) bytes (a damaged or hostile archive)")
        }
        throw Failure("`\(entry.name)` cannot be decompressed: \(error)")
      }
      guard data.count == entry.size else {
        throw Failure("`\(entry.name)` decompresses to \(data.count) bytes, not its recorded \(entry.size) (a damaged archive)")
      }
    default:
      throw Failure("`\(entry.name)` uses compression method \(entry.method) (\(ZipArchive.methodName(entry.method))); only stored and deflate can be read")
    }
    guard CRC32.checksum(data) == entry.crc else { throw Failure("`\(entry.name)` fails its CRC-32 check (a damaged archive)") }
    return data
  }

  static func methodName(_ method: Int) -> String {
    switch method {
    case 1: return "shrink"
    case 6: return "implode"
    case 9: return "Deflate64"
    case 12: return "bzip2"
    case 14: return "LZMA"
    case 93: return "Zstandard"
    case 95: return "xz"
    case 98: return "PPMd"
    case 99: return "AES encryption"
    default: return "unknown"
    }
  }

  /// Little-endian reads that answer 0 (or nil) outside the bytes, so that a truncated record is
  /// caught by the checks that follow, never by a trap.
  struct Reader {
    let bytes: [UInt8]
    func u16(_ at: Int) -> Int {
      guard at >= 0, at + 2 <= bytes.count else { return 0 }
      return Int(bytes[at]) | Int(bytes[at + 1]) << 8
    }
    func u32(_ at: Int) -> UInt32 {
      guard at >= 0, at + 4 <= bytes.count else { return 0 }
      return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
    /// A 64-bit value, or nil when it does not fit an `Int` usefully (beyond 2^62).
    func u64(_ at: Int) -> Int? {
      guard at >= 0, at + 8 <= bytes.count else { return nil }
      var value: UInt64 = 0
      for i in (0..<8).reversed() { value = value << 8 | UInt64(bytes[at + i]) }
      return value < 1 << 62 ? Int(value) : nil
    }
  }
}
