import Testing
import YosanSyntax

/// Parser behaviour on specific inputs, asserted on the tree rather than on a golden dump.
struct ParserTests {
  func parse(_ text: String) -> (GreenNode, [UInt8]) {
    let bytes = Array(text.utf8)
    return (Parser.parse(bytes), bytes)
  }

  /// (code, start offset) of every error node, in order.
  func errors(_ text: String) -> [(SyntaxErrorCode, Int)] {
    let (tree, _) = parse(text)
    var result: [(SyntaxErrorCode, Int)] = []
    var stack = [SyntaxNode(green: tree, offset: 0)]
    while let node = stack.popLast() {
      if let code = node.green.errorCode { result.append((code, node.offset)) }
      stack += node.childNodes.reversed()
    }
    return result
  }

  @Test func threeUnrelatedErrorsGiveThreeErrorNodes() {
    let text = """
      事業 a "一" {
        担当 医政局
        要求額 = 1億円
      }
      事業 b "二 {
        担当 = 医政局
      }
      }
      事業 c "三" {
        要求額 = 3億円
      }
      """
    #expect(errors(text).map(\.0) == [.expectedEntry, .unterminatedString, .unmatchedRightBrace])
  }

  /// `事業 a 「タイトル」 {` and `“…”` are headers with a title, not errors.
  @Test func titlesInJapaneseQuotesAreTitles() {
    #expect(errors("事業 a 「救急医療体制整備事業」 {\n  x = 1\n}\n").isEmpty)
    #expect(errors("内訳 “内訳” {\n  x = 1\n}\n").isEmpty)
    #expect(errors("事業 「タイトル」 {\n}\n").isEmpty)
  }

  @Test func missingBraceIsReportedOnTheBlockThatLacksIt() {
    let text = "分野 s {\n  事業 a {\n    x = 1\n  事業 b {\n    y = 2\n  }\n}\n"
    let found = errors(text)
    #expect(found.map(\.0) == [.missingRightBrace])
    // Right after `x = 1`, before the blank line and the next item.
    #expect(found.first?.1 == text.utf8.count - "\n  事業 b {\n    y = 2\n  }\n}\n".utf8.count)
  }

  @Test func blockAfterAMissingBraceIsASiblingNotAChild() {
    let (tree, _) = parse("事業 a {\n  x = 1\n事業 b {\n  y = 2\n}\n")
    let blocks = SyntaxNode(green: tree, offset: 0).childNodes.filter { $0.kind == .block }
    #expect(blocks.count == 2)
  }

  @Test func deepNestingStopsAtTheLimitWithOneDiagnostic() {
    let depth = 100_000
    let text = String(repeating: "事業 {\n", count: depth) + String(repeating: "}\n", count: depth)
    let (tree, bytes) = parse(text)
    #expect(tree.reconstructText(from: bytes) == bytes)
    #expect(errors(text).map(\.0) == [.nestingTooDeep])
  }

  @Test func onlyOpenBraces() {
    let text = String(repeating: "{", count: 10_000)
    let (tree, bytes) = parse(text)
    #expect(tree.reconstructText(from: bytes) == bytes)
    let codes = errors(text).map(\.0)
    #expect(codes.contains(.nestingTooDeep))
    #expect(codes.filter { $0 == .missingRightBrace }.count == Parser.maximumDepth)
  }

  @Test func onlyCloseBracesAreOneError() {
    let text = String(repeating: "}", count: 10_000)
    #expect(errors(text).map(\.0) == [.unmatchedRightBrace])
  }

  @Test func fullWidthPunctuationIsStructure() {
    let (tree, _) = parse("事業 a ｛\n  要求額 ＝ 1億円\n｝\n")
    #expect(!tree.containsError)
    let block = SyntaxNode(green: tree, offset: 0).childNodes.first { $0.kind == .block }
    #expect(block?.childNodes.contains { $0.kind == .entry } == true)
  }

  @Test func keywordNamedKeyIsAnEntry() {
    // A line with `=` is an entry even when its key is a block keyword.
    let (tree, _) = parse("事業 a {\n  内訳 = 1億円\n}\n")
    #expect(!tree.containsError)
  }

  @Test func isolatedBodyReparse() throws {
    let text = "分野 s {\n  事業 a {\n    x = 1\n  }\n}\n"
    let bytes = Array(text.utf8)
    // The body of 事業 a: between its `{` and `}`.
    let open = text.utf8.firstIndex(of: UInt8(ascii: "{"))!
    let start = text.utf8.distance(from: text.utf8.startIndex, to: text.utf8.index(after: text.utf8[text.utf8.index(after: open)...].firstIndex(of: UInt8(ascii: "{"))!))
    let end = start + "\n    x = 1\n  ".utf8.count
    let body = bytes.withUnsafeBufferPointer { Parser.parseBlockBody($0, range: start..<end, depth: 2) }
    #expect(body != nil)
    #expect(body?.reduce(0) { $0 + $1.textLength } == end - start)
    // An unbalanced region is refused.
    let broken = Array("分野 s {\n  事業 a {\n    x = {\n  }\n}\n".utf8)
    let refused = broken.withUnsafeBufferPointer { Parser.parseBlockBody($0, range: 16..<(broken.count - 4), depth: 2) }
    _ = refused
  }
}
