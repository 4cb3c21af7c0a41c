import Testing
import YosanSyntax
@testable import YosanLSP

/// Positions on kanji, full-width forms, CRLF and characters outside the BMP, in every encoding.
struct PositionEncodingTests {
  let text = Array("予算 = 𠮷😀x\r\n１２\n".utf8)

  func position(_ offset: Int, _ encoding: PositionEncoding) -> (Int, Int) {
    text.withUnsafeBufferPointer { encoding.position(of: offset, in: $0, lineIndex: LineIndex(text)) }
  }

  func offset(_ line: Int, _ character: Int, _ encoding: PositionEncoding) -> Int {
    text.withUnsafeBufferPointer { encoding.offset(line: line, character: character, in: $0, lineIndex: LineIndex(text)) }
  }

  @Test func xAfterASurrogatePairAndAnEmoji() {
    let x = "予算 = 𠮷😀".utf8.count
    // 予 算 space = space: 5 units; 𠮷 and 😀: a surrogate pair each.
    #expect(position(x, .utf16) == (0, 5 + 2 + 2))
    #expect(position(x, .utf8) == (0, x))
    #expect(position(x, .utf32) == (0, 7))
    for encoding in PositionEncoding.allCases {
      let (line, character) = position(x, encoding)
      #expect(offset(line, character, encoding) == x)
    }
  }

  @Test func secondLineAfterCRLF() {
    let second = "予算 = 𠮷😀x\r\n".utf8.count
    #expect(position(second, .utf16) == (1, 0))
    #expect(position(second + 3, .utf16) == (1, 1))
    #expect(offset(1, 2, .utf16) == second + 6)
  }

  @Test func outOfRangeIsClamped() {
    #expect(offset(0, 1_000, .utf16) == "予算 = 𠮷😀x".utf8.count)
    #expect(offset(99, 0, .utf16) == text.count)
    #expect(offset(-1, -1, .utf16) == 0)
    #expect(position(10_000, .utf16) == (2, 0))
  }

  @Test func insideASurrogatePairRoundsToTheCharacterEnd() {
    let start = "予算 = ".utf8.count
    #expect(offset(0, 5, .utf16) == start)
    #expect(offset(0, 6, .utf16) == start + 4)
  }

  @Test func negotiation() {
    #expect(PositionEncoding.negotiate([]) == .utf16)
    #expect(PositionEncoding.negotiate(["utf-16", "utf-8"]) == .utf8)
    #expect(PositionEncoding.negotiate(["utf-32", "utf-8"]) == .utf32)
    #expect(PositionEncoding.negotiate(["utf-16"]) == .utf16)
  }

  /// With a column cache, a position on a long line is counted from the nearest checkpoint (issue
  /// 16 §9): once the checkpoints are made, a buffer whose bytes far before the offset are not
  /// the text's gives the text's answer, both ways.
  @Test func longLinesAreConvertedFromCheckpoints() {
    let text = Array((String(repeating: "予𠮷x", count: 10_000) + "\n").utf8)
    let lines = LineIndex(text)
    let offset = text.count - 2
    for encoding in PositionEncoding.allCases {
      var cache = PositionEncoding.ColumnCache()
      let expected = text.withUnsafeBufferPointer { encoding.position(of: offset, in: $0, lineIndex: lines) }
      let built = text.withUnsafeBufferPointer { encoding.position(of: offset, in: $0, lineIndex: lines, cache: &cache) }
      #expect(built == expected)
      var poisoned = text
      for i in 0..<(offset - 4 * LineColumns.stride) { poisoned[i] = 0x80 }
      let checkpointed = poisoned.withUnsafeBufferPointer { encoding.position(of: offset, in: $0, lineIndex: lines, cache: &cache) }
      #expect(checkpointed == expected, "\(encoding)")
      let back = poisoned.withUnsafeBufferPointer {
        encoding.offset(line: expected.line, character: expected.character, in: $0, lineIndex: lines, cache: &cache)
      }
      #expect(back == offset, "\(encoding)")
    }
  }
}
