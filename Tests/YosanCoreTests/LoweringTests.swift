import Testing
import YosanTestSupport

@testable import YosanCore

struct LoweringTests {
  @Test("a key written twice, the first time on a broken line, names that line")
  func duplicateAfterBrokenLine() {
    let text = "事業 a \"t\" {\n  担当 = 医政局\n  前年度 1億円\n  要求額 = 1億円\n  前年度 = 2億円\n}\n"
    let lines = Check.rendered(text)
    #expect(lines.contains("5:3 duplicate-key: `前年度` is written twice in this block; the first is on line 3"), "\(lines)")
    #expect(lines.contains { $0.hasPrefix("3:3 syntax-error: missing `=` after `前年度`") }, "\(lines)")
  }

  /// `事業 a 「…」 {` and `“…”` are titles (a style note offers `"…"`), not syntax errors with
  /// a message that asks to quote what is quoted.
  @Test func titlesInJapaneseQuotationMarks() {
    let header = "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"
    let text = header + "事業 a 「救急医療体制整備事業」 {\n  担当 = 医政局\n  要求額 = 1億円\n  内訳 “内訳” {\n    費用 = 1億円\n  }\n}\n"
    let facts = Analyzer.parse(SourceFile(path: "t.yosan", text: text))
    let item = facts.document.allItems.first
    #expect(item?.title?.text == "救急医療体制整備事業")
    #expect(item?.breakdowns.first?.title?.text == "内訳")
    #expect(Check.rendered(text) == [
      "5:6 title-quotes: the title is in `「」`; write `\"救急医療体制整備事業\"`",
      "8:6 title-quotes: the title is in `“”`; write `\"内訳\"`",
    ])
  }
}
