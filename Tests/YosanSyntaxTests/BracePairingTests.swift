import Testing
import YosanGenerator

@testable import YosanSyntax

/// Brace pairing keeps, for each indentation, where its innermost open block is; it must find
/// the block a search down the stack finds.
struct BracePairingTests {
  @Test(arguments: 0..<10)
  func theOpenBlocksAnswerAsASearchDownTheStack(_ seed: Int) {
    var random = SplitMix64(seed: UInt64(seed) + 11)
    var blocks = OpenBlocks()
    var reference: [(header: Int, indent: Int)] = []
    for step in 0..<2_000 {
      let indent = 2 * random.below(5)
      switch reference.isEmpty ? 0 : random.below(3) {
      case 0:
        blocks.push(header: step, indent: indent)
        reference.append((step, indent))
      case 1:
        #expect(blocks.pop() == reference.removeLast().header)
      default:
        let expected = reference.lastIndex { $0.indent == indent }
        #expect(blocks.innermost(indentedBy: indent) == expected)
        if let expected, random.below(2) == 0 {
          blocks.pop(above: expected)
          reference.removeSubrange((expected + 1)...)
        }
      }
      #expect(blocks.count == reference.count)
      if let top = reference.last { #expect(blocks.topIndent == top.indent) }
    }
  }

  @Test func closersIndentedLikeNoOpenBlockCloseTheInnermostOne() {
    // 事業 m, then 事業 m-1 … m-5 indented by four, each unclosed, then five `}` indented by two
    // and one at the margin: each `}` closes the innermost block, so m-1 … m-5 nest.
    let text = String(BudgetGenerator.faulty(.misindentedClosers, items: 6)[0].text)
    let bytes = Array(text.utf8)
    let tree = Parser.parse(bytes)
    #expect(tree.reconstructText(from: bytes) == bytes)
    var depth = 0
    var node = SyntaxNode(green: tree, offset: 0).childNodes.last { $0.kind == .block }
    while let block = node {
      depth += 1
      #expect(block.childNodes.allSatisfy { $0.kind != .error }, "no error in a block at depth \(depth)")
      node = block.childNodes.first { $0.kind == .block }
    }
    #expect(depth == 6)
  }
}
