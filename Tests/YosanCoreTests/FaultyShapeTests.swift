import Testing
import YosanGenerator
import YosanSyntax
@testable import YosanCore

/// The faulty shapes of the scaling benchmark (`yosan-bench faulty`), small: what each finding
/// says does not depend on how the rules find it (one walk, one index), only on the file. How the
/// work grows with the file is the benchmark's to show, not a test's.
struct FaultyShapeTests {
  func diagnostics(_ files: [BudgetGenerator.File]) -> [(path: String, diagnostic: Diagnostic, facts: FileFacts)] {
    diagnostics(files.map { SourceFile(path: $0.name, text: $0.text) })
  }

  func diagnostics(_ sources: [SourceFile]) -> [(path: String, diagnostic: Diagnostic, facts: FileFacts)] {
    Analyzer.analyze(sources).files.flatMap { file in
      file.diagnostics.map { (file.facts.path, $0, file.facts) }
    }
  }

  /// The id of every item header in `text` (`事業 ID "…" {`), with its 1-based line.
  func itemIDs(_ text: String) -> [(id: String, line: Int)] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap { index, line -> [(String, Int)] in
      // One line may hold many headers (`nested-one-line`, `single-line`).
      let words = line.split(separator: " ")
      return words.indices.dropLast().filter { words[$0].hasSuffix("事業") }.map { (String(words[$0 + 1]), index + 1) }
    }
  }

  @Test func everyItemWithoutADivisionIsNamedByItsID() {
    let file = BudgetGenerator.faulty(.missingKey, items: 300)[0]
    let found = diagnostics([file]).filter { $0.diagnostic.ruleID == "missing-required-key" }
    let expected = itemIDs(file.text).map { "\($0.line): 事業 `\($0.id)` has no 担当 (division); for example 担当 = 医政局研究開発政策課" }
    #expect(found.map { "\($0.facts.lineNumber($0.diagnostic.range.start)): \($0.diagnostic.message)" } == expected)
  }

  @Test(arguments: [BudgetGenerator.Shape.nestedUnclosed, .nestedOneLine, .singleLine, .deepNesting])
  func itemsOfOtherShapesAreNamedByTheirIDs(_ shape: BudgetGenerator.Shape) {
    let file = BudgetGenerator.faulty(shape, items: 150)[0]
    let ids = Set(itemIDs(file.text).map(\.id))
    let found = diagnostics([file]).filter { $0.diagnostic.ruleID == "missing-required-key" }
    #expect(!found.isEmpty)
    for (_, diagnostic, facts) in found {
      // The name is the id written in the header the diagnostic points at.
      let header = facts.text(diagnostic.range)
      guard let id = header.split(separator: " ").dropFirst().first.map(String.init) else {
        Issue.record("no id in `\(header)`")
        continue
      }
      #expect(ids.contains(id))
      #expect(diagnostic.message.hasPrefix("事業 `\(id)` has no "), "\(diagnostic.message)")
    }
  }

  @Test func itemsWithoutAnIDAreNamedByTheirTitle() {
    let header = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"
    var text = header
    for index in 0..<40 { text += index % 2 == 0 ? "事業 \"題\(index)\" {\n  要求額 = 1億円\n}\n" : "事業 {\n  要求額 = 1億円\n}\n" }
    let found = diagnostics([SourceFile(path: "t.yosan", text: text)]).filter { $0.diagnostic.ruleID == "missing-required-key" }
    let expected = (0..<40).map { $0 % 2 == 0 ? "事業 `\"題\($0)\"` has no 担当 (division); for example 担当 = 医政局研究開発政策課" : "事業 `事業` has no 担当 (division); for example 担当 = 医政局研究開発政策課" }
    #expect(found.map(\.diagnostic.message) == expected)
  }

  @Test func everyUnknownReferenceGetsTheSuggestionOfTheScan() {
    let files = BudgetGenerator.faulty(.unknownReferences, items: 400)
    let ids = Array(Set(files.flatMap { itemIDs($0.text).map(\.id) })).sorted()
    let found = diagnostics(files).filter { $0.diagnostic.ruleID == "unknown-reference" }
    #expect(found.count > 20)
    var suggested = 0
    for (_, diagnostic, facts) in found {
      let id = facts.text(diagnostic.range)
      let expected =
        SuggestionIndexTests.scan(id, ids).map { "no item has the id `\(id)` in the files checked; did you mean `\($0)`?" }
        ?? "no item has the id `\(id)` in the files checked; define it, or write the total as an amount, like 内数(97億円)"
      #expect(diagnostic.message == expected)
      if diagnostic.message.contains("did you mean") { suggested += 1 }
    }
    // Two thirds of them are one or two edits from an id.
    #expect(abs(suggested - found.count * 2 / 3) <= 4)
  }

  @Test func everyLaterDefinitionOfAnIDIsReported() {
    let file = BudgetGenerator.faulty(.duplicateIds, items: 300)[0]
    let found = diagnostics([file]).filter { $0.diagnostic.ruleID == "duplicate-id" }
    // Every id but the funds' is written twice in a row: the second is reported, pointing at the first.
    let ids = itemIDs(file.text)
    var expected: [String] = []
    for (index, item) in ids.enumerated() where index > 0 && ids[index - 1].id == item.id {
      expected.append("\(item.line): item id `\(item.id)` is already defined on line \(ids[index - 1].line); ids are unique across the files checked together")
    }
    #expect(expected.count > 100)
    #expect(found.map { "\($0.facts.lineNumber($0.diagnostic.range.start)): \($0.diagnostic.message)" } == expected)
  }

  @Test func aSuppressionInEveryItemSuppressesWhatItNames() {
    // Each item: full-width digits (suppressed by one of the items' many disable-file comments),
    // then a disable-next-line for unit-spacing and dash-none, of which one is not reported on
    // the next line (a dash in a new item, a spaced amount in the others).
    let file = BudgetGenerator.faulty(.suppressions, items: 120)[0]
    let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
    var expected: [String] = []
    for (index, line) in lines.enumerated() where line.contains("disable-next-line") {
      let unused = lines[index + 1].contains("－") ? "unit-spacing" : "dash-none"
      expected.append("\(index + 1): `\(unused)` is not reported on line \(index + 2); remove it from this suppression")
    }
    #expect(expected.count > 100)  // the items that are 内数 of a fund have no amounts
    let found = diagnostics([file]).map { "\($0.facts.lineNumber($0.diagnostic.range.start)): \($0.diagnostic.message)" }
    #expect(found == expected)
  }

  @Test(arguments: [BudgetGenerator.Shape.oneLargeItem, .outsideBlocks])
  func everyFullWidthEqualsAndVariantGlyphIsReportedWhereItIs(_ shape: BudgetGenerator.Shape) {
    // Each row (or line) has a `國` and a full-width `＝`, found by scanning bytes, then looked up
    // in the tree all at once.
    let file = BudgetGenerator.faulty(shape, items: 300)[0]
    let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
    let found = diagnostics([file])
    for rule in ["variant-glyph", "fullwidth-character"] {
      let expected = lines.indices.filter { lines[$0].contains("＝") }.map { $0 + 1 }
      let reported = found.filter { $0.diagnostic.ruleID == rule && !$0.diagnostic.message.contains("１") }
      #expect(reported.map { $0.facts.lineNumber($0.diagnostic.range.start) } == expected, "\(rule)")
    }
    #expect(found.contains { $0.diagnostic.message == "`國` is a variant of `国`; write `国`" })
    #expect(found.contains { $0.diagnostic.message == "full-width `＝`; write `=`" })
  }
}
