import Foundation
import Testing
import YosanGenerator
import YosanTestSupport

@testable import YosanSyntax

/// The parallel parse makes exactly the tree of the sequential parse, whatever the text and
/// wherever it is cut: generated documents (with defects, one big 分野, broken by random edits),
/// every sample and fixture, and cut points chosen at random, wrong ones included.
@Suite(.tags(.slow))
struct ParallelParserTests {
  typealias Random = RoundTripTests.Random

  /// Nil when the trees are equal (same kinds, error codes, token kinds and lengths, in the same
  /// shape); otherwise where they first differ.
  static func difference(_ a: GreenNode, _ b: GreenNode) -> String? {
    var stack: [(GreenNode, GreenNode, Int)] = [(a, b, 0)]
    while let (x, y, offset) = stack.popLast() {
      guard x.kind == y.kind, x.errorCode == y.errorCode, x.textLength == y.textLength, x.children.count == y.children.count else {
        return "\(x.kind)@\(offset) (\(x.children.count) children, \(x.textLength) bytes) vs \(y.kind) (\(y.children.count), \(y.textLength))"
      }
      var position = offset
      for (left, right) in zip(x.children, y.children) {
        switch (left, right) {
        case (.node(let l), .node(let r)): stack.append((l, r, position))
        case (.token(let l), .token(let r)):
          if l != r { return "token \(l.kind) vs \(r.kind) at \(position)" }
        default: return "node vs token at \(position)"
        }
        position += left.textLength
      }
    }
    return nil
  }

  /// Parses `bytes` in parallel with cuts and range sizes drawn from `random`.
  static func parseWithRandomCuts(_ bytes: [UInt8], _ random: inout Random) -> (GreenNode, ParallelParser.Outcome) {
    let tokenGuess = Swift.max(2, bytes.count / 4)
    let lexCuts = (0..<random.below(12)).map { _ in random.below(bytes.count + 1) }
    let rangeTokens = 1 + random.below(Swift.max(1, tokenGuess / (1 + random.below(40))))
    let splitTokens = 1 + random.below(Swift.max(1, tokenGuess / (1 + random.below(20))))
    let extraCuts = random.below(3) == 0 ? (0..<(1 + random.below(3))).map { _ in random.below(tokenGuess) } : []
    let workers = 1 + random.below(4)
    return bytes.withUnsafeBufferPointer { buffer in
      var parser = ParallelParser(bytes: buffer, workers: workers)
      parser.lexCuts = lexCuts
      parser.rangeTokens = rangeTokens
      parser.splitTokens = splitTokens
      parser.extraCuts = extraCuts
      return parser.parseWithOutcome()
    }
  }

  /// Checks `rounds` random parallel parses of `bytes` against the sequential one.
  static func check(_ bytes: [UInt8], rounds: Int, _ random: inout Random, name: String) {
    let expected = bytes.withUnsafeBufferPointer { Parser.parseSequentially($0) }
    for _ in 0..<rounds {
      let (tree, _) = parseWithRandomCuts(bytes, &random)
      if let difference = difference(tree, expected) {
        Issue.record("\(name): the parallel tree differs: \(difference)")
        return
      }
      #expect(tree.reconstructText(from: bytes) == bytes, "\(name): round trip")
    }
  }

  static func generated(items: Int, seed: UInt64, defects: Int = 0, itemsPerSection: Int = 50) -> [UInt8] {
    Array(BudgetGenerator.generate(.init(items: items, seed: seed, defects: defects, itemsPerSection: itemsPerSection))[0].text.utf8)
  }

  @Test("generated documents, with defects and in one big 分野", arguments: [1 as UInt64, 2, 3, 4])
  func generatedDocuments(_ seed: UInt64) {
    var random = Random(state: seed)
    for (defects, perSection) in [(0, 50), (6, 7), (0, 10_000), (3, 1)] {
      let bytes = Self.generated(items: 60, seed: seed, defects: defects, itemsPerSection: perSection)
      Self.check(bytes, rounds: 25, &random, name: "seed \(seed), \(defects) defects, \(perSection) per 分野")
    }
  }

  /// Edits that break the structure: braces removed or added, quotes that open multi-line
  /// values, line breaks of every kind, control characters.
  static let edits: [[UInt8]] = RoundTripTests.fragments + [
    "x = \"a\nb\"\n", "x = \"\n", "\"\n}\n", "= \"{\n", "\n  }\n", "事業 z {\n", "分野 \"s\"\n", "}}\n", "\r\n",
  ].map { Array($0.utf8) }

  @Test("generated documents broken by random edits (150 documents)")
  func editedDocuments() {
    var random = Random(state: 7_001)
    let base = Self.generated(items: 30, seed: 11, defects: 2, itemsPerSection: 12)
    for round in 0..<150 {
      var bytes = base
      for _ in 0..<(1 + random.below(6)) {
        let at = random.below(bytes.count + 1)
        switch random.below(3) {
        case 0:
          bytes.insert(contentsOf: Self.edits[random.below(Self.edits.count)], at: at)
        case 1:
          bytes.removeSubrange(at..<Swift.min(bytes.count, at + random.below(40)))
        default:
          // Remove one brace (a forgotten `}` or `{`).
          if let brace = bytes[at...].firstIndex(where: { $0 == 0x7D || $0 == 0x7B }) { bytes.remove(at: brace) }
        }
      }
      Self.check(bytes, rounds: 3, &random, name: "edited document \(round)")
    }
  }

  @Test("samples, fixtures and fuzz regressions")
  func repositoryFiles() throws {
    var random = Random(state: 99)
    let urls = RepoPaths.files(under: "Samples", withExtension: "yosan") + RepoPaths.files(under: "Tests/YosanSyntaxTests/Fixtures", withExtension: "yosan")
    #expect(urls.count > 10)
    for url in urls {
      Self.check(Array(try Data(contentsOf: url)), rounds: 10, &random, name: RepoPaths.relative(url))
    }
  }

  @Test("random token soup (1,000 inputs)")
  func tokenSoup() {
    var random = Random(state: 31_337)
    for _ in 0..<1_000 {
      var bytes: [UInt8] = []
      for _ in 0..<random.below(80) { bytes += RoundTripTests.fragments[random.below(RoundTripTests.fragments.count)] }
      Self.check(bytes, rounds: 2, &random, name: "soup \(bytes)")
    }
  }

  // MARK: - The work is really split

  @Test func cleanDocumentsAreSplitWithoutFallingBack() {
    for perSection in [50, 10_000] {
      let bytes = Self.generated(items: 200, seed: 5, itemsPerSection: perSection)
      let (tree, outcome) = bytes.withUnsafeBufferPointer { ParallelParser(bytes: $0, workers: 2).parseWithOutcome() }
      #expect(outcome.lexedInChunks)
      #expect(outcome.ranges >= 8, "\(perSection) per 分野: \(outcome.ranges) ranges")
      #expect(Self.difference(tree, Parser.parse(bytes)) == nil)
      if perSection == 10_000 {
        // One 分野 holds every item: its body is what gets split.
        #expect(outcome.splitBlocks >= 1)
      }
    }
  }

  @Test func aMultiLineValueAcrossALexingCutIsLexedAgainInOnePiece() {
    let text = "予算 \"t\" {\n  年度 = 令和7年度\n}\n事業 a \"x\" {\n  目的 = \"一行目\n二行目\n三行目\"\n}\n"
    let bytes = Array(text.utf8)
    let cut = Array("予算 \"t\" {\n  年度 = 令和7年度\n}\n事業 a \"x\" {\n  目的 = \"一行目\n".utf8).count
    let (tree, outcome) = bytes.withUnsafeBufferPointer { buffer in
      var parser = ParallelParser(bytes: buffer, workers: 2)
      parser.lexCuts = [cut]
      parser.rangeTokens = 1
      parser.splitTokens = 1
      return parser.parseWithOutcome()
    }
    #expect(!outcome.lexedInChunks)
    #expect(Self.difference(tree, Parser.parseSequentially(bytes)) == nil)
  }

  @Test func aWrongRangeCutFallsBackToTheSequentialTree() {
    let bytes = Self.generated(items: 5, seed: 3)
    let expected = Parser.parseSequentially(bytes)
    // Token 3 is inside the header line: no step of the parse starts there.
    let (tree, outcome) = bytes.withUnsafeBufferPointer { buffer in
      var parser = ParallelParser(bytes: buffer, workers: 2)
      parser.rangeTokens = 1_000_000
      parser.splitTokens = 1_000_000
      parser.extraCuts = [3]
      return parser.parseWithOutcome()
    }
    #expect(outcome.ranges == 0)
    #expect(Self.difference(tree, expected) == nil)
  }
}

extension Parser {
  static func parseSequentially(_ bytes: [UInt8]) -> GreenNode {
    bytes.withUnsafeBufferPointer { parseSequentially($0) }
  }
}
