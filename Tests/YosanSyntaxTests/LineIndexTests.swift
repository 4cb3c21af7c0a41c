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
}
