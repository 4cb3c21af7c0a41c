import Foundation
import Testing
import YosanSheets
import YosanTestSupport

struct ZipTests {
  static func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: RepoPaths.url("Tests/YosanSheetsTests/Fixtures/zip/\(name)")))
  }

  /// The text that make-fixtures.py puts in its archives' `a.txt`.
  static let lorem = Array(String(repeating: "予算 = 1億円, 事業 x \"t\" { 要求額 = 7.9億円 }\n", count: 200).utf8)

  static func failure(_ bytes: [UInt8], limits: ZipArchive.Limits = ZipArchive.Limits()) -> String? {
    do {
      let archive = try ZipArchive(bytes, limits: limits)
      for entry in archive.entries { _ = try archive.data(of: entry) }
      return nil
    } catch let failure as ZipArchive.Failure {
      return failure.message
    } catch {
      return "\(error)"
    }
  }

  @Test func readsWhatPythonsZipfileWrites() throws {
    let archive = try ZipArchive(Self.fixture("python-deflate.zip"))
    #expect(archive.entries.map(\.name) == ["a.txt", "folder/b.txt", "empty.txt"])
    #expect(try archive.data(of: archive.entry(named: "a.txt")!) == Self.lorem)
    #expect(try archive.data(of: archive.entry(named: "FOLDER/B.TXT")!) == Array("短いテキスト\n".utf8))
    #expect(try archive.data(of: archive.entry(named: "empty.txt")!) == [])
    let stored = try ZipArchive(Self.fixture("python-stored.zip"))
    #expect(stored.entries[0].method == 0)
    #expect(try stored.data(of: stored.entries[0]) == Self.lorem)
  }

  @Test func readsDataDescriptorsAndZip64LocalFields() throws {
    // Written to a stream that cannot seek: sizes and CRC follow the data (flag bit 3).
    let streamed = try ZipArchive(Self.fixture("python-data-descriptor.zip"))
    #expect(streamed.entries.allSatisfy { $0.flags & 8 != 0 })
    #expect(try streamed.data(of: streamed.entry(named: "a.txt")!) == Self.lorem)
    #expect(try streamed.data(of: streamed.entry(named: "streamed.txt")!) == Array(String(repeating: "written through a stream\n", count: 50).utf8))
    // A zip64 extra field in the local header moves where the data starts.
    let zip64 = try ZipArchive(Self.fixture("python-zip64.zip"))
    #expect(try zip64.data(of: zip64.entries[0]) == Self.lorem)
  }

  @Test func refusesOtherCompressionMethods() throws {
    #expect(Self.failure(try Self.fixture("python-bzip2.zip")) == "`a.txt` uses compression method 12 (bzip2); only stored and deflate can be read")
  }

  @Test func writesClassicArchivesItReadsBack() throws {
    var writer = ZipWriter()
    try writer.add("[Content_Types].xml", Array("<Types/>".utf8))
    try writer.add("xl/worksheets/sheet1.xml", Array(String(repeating: "<row/>", count: 1000).utf8))
    try writer.add("資料/メモ.txt", Array("メモ".utf8))
    let bytes = try writer.finish()
    let archive = try ZipArchive(bytes)
    #expect(archive.entries.map(\.name) == ["[Content_Types].xml", "xl/worksheets/sheet1.xml", "資料/メモ.txt"])
    #expect(archive.entries.map(\.method) == [0, 8, 0], "deflated only where that is smaller")
    #expect(archive.entries.allSatisfy { $0.flags & 8 == 0 }, "no data descriptors")
    #expect(archive.entries[2].flags & 0x800 != 0, "a UTF-8 name is flagged")
    #expect(try archive.data(of: archive.entries[1]) == Array(String(repeating: "<row/>", count: 1000).utf8))
    // The same input gives the same bytes (one fixed timestamp), added one by one or together
    // (compressed at the same time).
    var again = ZipWriter()
    try again.add("[Content_Types].xml", Array("<Types/>".utf8))
    try again.add("xl/worksheets/sheet1.xml", Array(String(repeating: "<row/>", count: 1000).utf8))
    try again.add("資料/メモ.txt", Array("メモ".utf8))
    #expect(try again.finish() == bytes)
    var together = ZipWriter()
    try together.add([
      ("[Content_Types].xml", Array("<Types/>".utf8)), ("xl/worksheets/sheet1.xml", Array(String(repeating: "<row/>", count: 1000).utf8)),
      ("資料/メモ.txt", Array("メモ".utf8)),
    ])
    #expect(try together.finish() == bytes)
    var twice = ZipWriter()
    #expect(throws: ZipWriter.Failure.invalidName("a")) { try twice.add([("a", [1]), ("a", [2])]) }
    var duplicate = ZipWriter()
    try duplicate.add("a", [1])
    #expect(throws: ZipWriter.Failure.invalidName("a")) { try duplicate.add("a", [2]) }
    #expect(throws: ZipWriter.Failure.invalidName("../a")) { try duplicate.add("../a", [2]) }
  }

  /// An archive of `entries` written by `ZipWriter`, for the hostile variants below.
  static func archive(_ entries: [(String, [UInt8])]) throws -> [UInt8] {
    var writer = ZipWriter()
    for (name, data) in entries { try writer.add(name, data) }
    return try writer.finish()
  }

  static func put32(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
    for k in 0..<4 { bytes[offset + k] = UInt8((value >> UInt32(8 * k)) & 0xFF) }
  }

  /// The offset of the central directory entry of the `n`th entry (0-based).
  static func centralEntry(_ n: Int, in bytes: [UInt8]) -> Int {
    var found = -1
    var offset = 0
    while offset + 4 <= bytes.count {
      if bytes[offset] == 0x50, bytes[offset + 1] == 0x4B, bytes[offset + 2] == 1, bytes[offset + 3] == 2 {
        found += 1
        if found == n { return offset }
      }
      offset += 1
    }
    return -1
  }

  @Test func refusesHostileArchives() throws {
    // 8 MiB of zeros that zlib deflated to 8 KiB: a ratio of about a thousand.
    #expect(
      Self.failure(try Self.fixture("bomb-ratio.zip"))
        == "`xl/worksheets/sheet1.xml` would expand 1028 times (8157 to 8388608 bytes), more than the 250 allowed: refused as a likely zip bomb")
    var small = ZipArchive.Limits()
    small.entries = 2
    #expect(
      Self.failure(try Self.archive([("a", [1]), ("b", [2]), ("c", [3])]), limits: small)
        == "the archive holds 3 entries, more than the 2 allowed: refused as hostile")
    var sized = ZipArchive.Limits()
    sized.entrySize = 100
    #expect(
      Self.failure(try Self.archive([("big", [UInt8](repeating: 7, count: 101))]), limits: sized)
        == "`big` would decompress to 101 bytes, more than the 100 allowed: refused as hostile")
    var total = ZipArchive.Limits()
    total.totalSize = 150
    #expect(
      Self.failure(try Self.archive([("a", [UInt8](repeating: 7, count: 100)), ("b", [UInt8](repeating: 8, count: 100))]), limits: total)
        == "the archive would decompress to more than 150 bytes in all: refused as hostile")

    // Two central directory entries pointing at the same local header: overlapping entries.
    var overlapping = try Self.archive([("a.txt", Array("first".utf8)), ("b.txt", Array("other".utf8))])
    Self.put32(0, into: &overlapping, at: Self.centralEntry(1, in: overlapping) + 42)
    #expect(Self.failure(overlapping) == "the entries `a.txt` and `b.txt` overlap: refused as hostile (a zip bomb)")

    // An entry that claims a smaller size than its data decompresses to.
    var lying = try Self.archive([("x.xml", Array(String(repeating: "<row/>", count: 100).utf8))])
    Self.put32(10, into: &lying, at: Self.centralEntry(0, in: lying) + 24)
    #expect(Self.failure(lying) == "`x.xml` decompresses to more than its recorded 10 bytes (a damaged or hostile archive)")

    // A damaged byte of compressed data fails the CRC (or the decompression).
    var damaged = try Self.archive([("x.xml", Array(String(repeating: "<row r=\"1\"/>", count: 100).utf8))])
    damaged[45] ^= 0x10
    #expect(Self.failure(damaged) != nil)

    // Encrypted entries (flag bit 0).
    var encrypted = try Self.archive([("a.txt", Array("secret".utf8))])
    encrypted[Self.centralEntry(0, in: encrypted) + 8] |= 1
    #expect(Self.failure(encrypted) == "`a.txt` is encrypted (a password-protected file), which cannot be read")

    // Truncated archives and other files.
    let good = try Self.archive([("a.txt", Self.lorem)])
    #expect(Self.failure(Array(good.prefix(good.count - 30))) == "not a ZIP archive (no end of central directory record)")
    #expect(Self.failure(Array("予算 = 1億円".utf8)) == "not a ZIP archive (only 16 bytes)")
    var cut = good
    cut.removeSubrange(100..<200)
    #expect(Self.failure(cut) != nil)
  }

  @Test func arbitraryBytesNeverTrap() throws {
    let good = try Self.archive([("a.txt", Self.lorem), ("b.xml", Array("<a/>".utf8))])
    var seed: UInt64 = 42
    for _ in 0..<3000 {
      var bytes = good
      for _ in 0..<4 {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1
        let position = Int(seed >> 33) % bytes.count
        bytes[position] = UInt8(truncatingIfNeeded: seed >> 13)
      }
      _ = Self.failure(bytes)
    }
  }
}
