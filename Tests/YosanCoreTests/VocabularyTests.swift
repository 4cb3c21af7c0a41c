import Testing
import YosanSyntax
import YosanTestSupport
@testable import YosanCore

/// One vocabulary: every word the format accepts in one place is accepted everywhere, from one
/// table (`Vocabulary`, `BlockKeywords`, `Catalog`).
struct VocabularyTests {
  func document(_ text: String) -> Document {
    Analyzer.parse(SourceFile(path: "v.yosan", text: text)).document
  }

  func header(_ entries: String) -> String {
    "予算 \"x\" {\n  年度 = 令和7年度\n\(entries)}\n"
  }

  /// A budget's 端数 and a configuration's `端数`/`rounding` read the same spellings (a budget
  /// accepted `切捨て`; a configuration file rejected it).
  @Test(arguments: Vocabulary.roundingModes.words.flatMap { word in word.spellings.map { (word.value, $0) } })
  func everyRoundingSpellingIsReadByBudgetsAndConfigurations(_ mode: RoundingMode, _ spelling: String) {
    let budget = document(header("  区分 = 概算要求\n  端数 = \(spelling)\n"))
    #expect(budget.header?.rounding?.value == mode, "budget: \(spelling)")
    #expect(budget.issues.isEmpty, "budget: \(spelling)")
    var configuration = Configuration()
    #expect(configuration.apply("rounding", spelling) == nil, "configuration: \(spelling)")
    #expect(configuration.rounding == mode)
    let file = ConfigurationFile(path: "yosan.config.yosan", bytes: Array("端数 = \(spelling)\n".utf8), folder: "/")
    #expect(file.problems.isEmpty, "configuration file: \(spelling): \(file.problems.map(\.message))")
  }

  @Test(arguments: Vocabulary.documentKinds.words.flatMap { word in word.spellings.map { (word.value, $0) } })
  func everyDocumentKindSpellingIsRead(_ kind: DocumentKind, _ spelling: String) {
    let read = document(header("  区分 = \(spelling)\n"))
    #expect(read.header?.kind?.value == kind, "\(spelling)")
    #expect(DocumentKind(spelling: spelling) == kind)
  }

  @Test func everyTagAndUnitSpellingIsRead() {
    for word in Vocabulary.tags.words {
      for spelling in word.spellings {
        let item = document("事業 a \"t\" {\n  種別 = \(spelling)\n  担当 = 医政局\n  要求額 = 1億円\n}\n").allItems.first
        #expect(item?.tags?.value.map(\.tag) == [word.value], "\(spelling)")
      }
    }
    for word in Vocabulary.units.words {
      let read = document(header("  区分 = 概算要求\n  単位 = \(word.canonical)\n"))
      #expect(read.header?.unit?.value == word.value, "\(word.canonical)")
      #expect(YenUnit(symbol: word.canonical) == word.value)
    }
  }

  /// A near miss gets the nearest word; anything else the canonical choices, from the table.
  @Test func unknownWordsNameTheTable() {
    let budget = document(header("  区分 = 概算要望\n  端数 = 切りすて\n"))
    let messages = budget.issues.compactMap { issue -> String? in
      if case .malformedValue(let error, _) = issue { return error.message }
      return nil
    }
    #expect(messages == ["unknown 区分 `概算要望`; did you mean `概算要求`?", "unknown 端数 `切りすて`; did you mean `切り捨て`?"])
    var configuration = Configuration()
    #expect(configuration.apply("rounding", "半分") == "unknown rounding `半分`; use 四捨五入, 切り捨て or 切り上げ")
  }

  /// The parser's block keywords are the core's: `BlockKeywords` is the one table.
  @Test func blockKeywordsAreOneTable() {
    #expect(Parser.blockKeywords == BlockKind.allCases.flatMap { [$0.japanese, $0.alias] })
    for kind in BlockKind.allCases {
      #expect(BlockKind(spelling: kind.japanese) == kind)
      #expect(BlockKind(spelling: kind.alias) == kind)
    }
  }

  /// The dashes read as なし are the vocabulary's.
  @Test func dashesAreTheVocabularys() {
    for dash in Vocabulary.dashes {
      let text = "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  前年度 = \(dash.scalar)\n}\n"
      let previous = document(text).allItems.first?.previous?.value
      #expect(previous?.isNone == true, "\(dash.name)")
    }
    #expect(!Vocabulary.isDash("一"))
  }
}
