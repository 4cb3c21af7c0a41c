import Testing
import YosanSyntax

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
}
