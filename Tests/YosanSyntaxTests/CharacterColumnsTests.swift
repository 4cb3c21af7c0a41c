import Testing
import YosanGenerator

@testable import YosanSyntax

/// The columns found from the counts kept on long lines are the columns counted from the start of
/// the line, at every kind of byte: multi-byte characters across the kept boundaries, bad bytes,
/// every line break.
struct CharacterColumnsTests {
  /// Random text: short and long lines (up to four strides past the threshold) of ASCII, 2-, 3-
  /// and 4-byte characters, lone continuation and invalid bytes, broken by LF, CR or CRLF.
  func text(seed: UInt64) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    let pieces: [[UInt8]] = [
      Array("a".utf8), Array("=".utf8), Array("é".utf8), Array("予".utf8), Array("𠮷".utf8), [0x80], [0xFF], [0xE4, 0xBA],
    ]
    var bytes: [UInt8] = []
    for _ in 0..<12 {
      let length = random.below(2) == 0 ? random.below(200) : CharacterColumns.longLine + random.below(4 * CharacterColumns.stride)
      let start = bytes.count
      while bytes.count - start < length { bytes += pieces[random.below(pieces.count)] }
      bytes += [[0x0A], [0x0D], [0x0D, 0x0A]][random.below(3)]
    }
    return bytes
  }

  @Test(arguments: 0..<6)
  func everyOffsetHasTheColumnCountedFromItsLineStart(_ seed: Int) {
    let bytes = text(seed: UInt64(seed) + 3)
    let lines = LineIndex(bytes)
    bytes.withUnsafeBufferPointer { buffer in
      let columns = CharacterColumns(buffer, lines: lines)
      // Every offset (and past the end, clamped).
      for offset in 0...(bytes.count + 2) {
        let expected = lines.lineAndCharacterColumn(of: offset, in: buffer)
        let found = columns.lineAndCharacterColumn(of: offset, in: buffer, lines: lines)
        guard found == expected else {
          Issue.record("offset \(offset): \(found), expected \(expected)")
          return
        }
      }
    }
  }

  @Test func onlyLongLinesKeepCounts() {
    let short = Array(String(repeating: "予算", count: 100).utf8) + [0x0A]
    let long = Array(String(repeating: "予算", count: 1000).utf8) + [0x0A]
    let bytes = short + long + short
    let lines = LineIndex(bytes)
    let columns = bytes.withUnsafeBufferPointer { CharacterColumns($0, lines: lines) }
    #expect(columns.keptLines == [1])
    let offset = short.count + 3 * 1500
    let found = bytes.withUnsafeBufferPointer { columns.lineAndCharacterColumn(of: offset, in: $0, lines: lines) }
    #expect(found.line == 1 && found.column == 1500)
  }
}
