import Testing
import YosanSyntax
import YosanTestSupport

struct LineIndexTests {
  @Test func lineStartsForEveryTerminator() {
    let index = LineIndex(Array("a\nb\r\nc\rd".utf8))
    #expect(index.lineStarts == [0, 2, 5, 7])
    #expect(index.line(containing: 0) == 0)
    #expect(index.line(containing: 3) == 1)
    #expect(index.line(containing: 8) == 3)
    #expect(index.line(containing: 100) == 3)
  }

  @Test func characterColumnsCountCodePoints() {
    let bytes = Array("予算 = 𠮷x\n二行目".utf8)
    let index = LineIndex(bytes)
    let x = "予算 = 𠮷".utf8.count
    bytes.withUnsafeBufferPointer { buffer in
      #expect(index.lineAndCharacterColumn(of: x, in: buffer) == (0, 6))
      #expect(index.lineAndCharacterColumn(of: bytes.count, in: buffer) == (1, 3))
    }
  }

  @Test func emptyText() {
    let index = LineIndex([UInt8]())
    #expect(index.lineStarts == [0])
    #expect(index.lineAndByteColumn(of: 0) == (0, 0))
  }

  /// Random edits made of line-break pieces (CR, LF, CRLF halves), kanji and letters: the
  /// incrementally updated index always equals one built from scratch.
  @Test func editsMatchARebuiltIndex() {
    var random = RoundTripTests.Random(state: 7)
    let pieces: [[UInt8]] = [[0x0A], [0x0D], [0x0D, 0x0A], Array("予".utf8), Array("ab".utf8), []]
    var cases = 0
    for _ in 0..<300 {
      var text: [UInt8] = []
      for _ in 0..<random.below(12) { text += pieces[random.below(pieces.count)] }
      var index = LineIndex(text)
      for _ in 0..<8 {
        let a = random.below(text.count + 1)
        let b = a + random.below(text.count - a + 1)
        var insertion: [UInt8] = []
        for _ in 0..<random.below(3) { insertion += pieces[random.below(pieces.count)] }
        text.replaceSubrange(a..<b, with: insertion)
        text.withUnsafeBufferPointer { index.applyEdit(replacing: TextRange(start: a, end: b), insertedCount: insertion.count, in: $0) }
        #expect(index.lineStarts == LineIndex(text).lineStarts, "after replacing \(a)..<\(b) with \(insertion) in \(text)")
        #expect(index.length == text.count)
        cases += 1
      }
    }
    #expect(cases == 2_400)
  }

  /// A column on a long line is counted from the nearest count, not from the line's start (issue
  /// 16 §9): given a buffer whose bytes more than a chunk before the offset are not the text's,
  /// the answer is still the text's, so at most a chunk was read.
  @Test func aColumnOnALongLineReadsAtMostAChunk() {
    let text = Array((String(repeating: "予算x", count: 20_000) + "\n二行目").utf8)
    let index = LineIndex(text)
    #expect(index.longLines.map(\.line) == [0])
    let offset = text.count - "x\n二行目".utf8.count
    var poisoned = text
    for i in 0..<(offset - 2 * LineIndex.chunk) { poisoned[i] = 0x80 }
    let expected = 3 * 20_000 - 1
    text.withUnsafeBufferPointer { #expect(index.lineAndCharacterColumn(of: offset, in: $0) == (0, expected)) }
    poisoned.withUnsafeBufferPointer { #expect(index.lineAndCharacterColumn(of: offset, in: $0) == (0, expected)) }
  }

  /// The counts of long lines agree with counting, before and after random edits that make and
  /// break long lines, with kanji, emoji, line breaks and invalid bytes (FuzzChecks.columns, the
  /// property of the `columns` fuzz target).
  @Test func longLineCountsAgreeWithCounting() {
    var random = RoundTripTests.Random(state: 16)
    let pieces: [[UInt8]] = [
      [0x0A], [0x0D], [0x0D, 0x0A], Array("予".utf8), Array("😀".utf8), Array("ab".utf8), [0xFF], [0x80], [0xE4, 0xBA],
      Array(repeating: 0x61, count: 200), Array(String(repeating: "算", count: 90).utf8),
    ]
    for _ in 0..<30 {
      var text: [UInt8] = []
      for _ in 0..<random.below(24) { text += pieces[random.below(pieces.count)] }
      for _ in 0..<4 { text.append(UInt8(random.below(256))) }
      if let failure = FuzzChecks.columns(text) {
        Issue.record("\(failure)")
        return
      }
    }
  }
}
