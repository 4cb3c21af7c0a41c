import Testing
import YosanSyntax
import YosanTestSupport

@testable import YosanCore

/// How unusual input is read and reported: year ranges ending in a western year, rows and totals
/// left empty or written as the kanji 一, signs before a share's fraction, block keywords written as
/// keys, a colon for `=`, unterminated values and control characters in messages. (Each was a defect
/// once; the test states the behaviour it should have.)
struct UnusualInputTests {
  static let header = "予算 \"令和7年度 テスト\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"

  /// An item `a` with a division, a request of 1.0億円 and a previous amount, plus `body`.
  static func item(_ body: String, request: String = "1.0億円") -> String {
    header + "事業 a \"A\" {\n  担当 = 医政局\n  要求額 = \(request)\n  前年度 = 1.0億円\n" + body + "}\n"
  }

  func parser(_ text: String) -> (ValueParser, Int) {
    let bytes = Array(text.utf8)
    let scalarText = ScalarText(source: bytes, range: TextRange(start: 0, end: bytes.count))
    return (ValueParser(text: scalarText), scalarText.count)
  }

  // MARK: - Years

  @Test("a 4-digit end year after a range separator is a western year")
  func westernEndYearOfARange() throws {
    let (p, n) = parser("令和6年度〜2026年度")
    let range = try p.multiYear(0, n).get()
    #expect(range.to.era == .western)
    #expect(range.to.western == 2026)
    let (q, m) = parser("R1〜2021年度")
    #expect(try q.multiYear(0, m).get().to.western == 2021)
    // A short end year still takes the start's era.
    let (r, k) = parser("令和6年度〜8年度")
    #expect(try r.multiYear(0, k).get().to.western == 2026)
  }

  @Test("a range ending in a western year is checked as that year")
  func westernEndYearIsChecked() {
    let lines = Check.rendered(Self.item("  国庫債務負担 = 令和4年度〜2024年度\n"))
    #expect(lines.contains { $0.contains("multi-year-range") && $0.contains("does not include the document's year") }, "\(lines)")
    #expect(Check.rendered(Self.item("  国庫債務負担 = 令和6年度〜2026年度\n")).isEmpty)
  }

  @Test("an era year that is a western year, or beyond the era's range, does not exist")
  func implausibleEraYears() {
    let western = Check.rendered(Self.item("  補正 = 令和2025年度 1億円\n"))
    #expect(
      western.contains(
        "9:8 nonexistent-year: `令和2025年度` does not exist: 2025 is a western year, not a 令和 year; write 2025年度 or 令和7年度"),
      "\(western)")
    #expect(!western.contains { $0.contains("supplementary-year") }, "\(western)")
    let far = Check.rendered(Self.item("  補正 = 令和150年度 1億円\n"))
    #expect(far.contains { $0.hasPrefix("9:8 nonexistent-year: `令和150年度` does not exist: 令和 years are counted from 令和元年度 (2019)") }, "\(far)")
    let heisei = Check.rendered(Self.item("  補正 = 平成2018年度 1億円\n"))
    #expect(heisei.contains { $0.contains("`平成2018年度` does not exist: 2018 is a western year, not a 平成 year; write 2018年度 or 平成30年度") }, "\(heisei)")
  }

  // MARK: - Rows that cannot be read

  @Test("an empty row in a 内訳 is reported, and so is the sum it leaves unchecked")
  func emptyRowInABreakdown() {
    let lines = Check.rendered(Self.item("  内訳 \"r\" {\n    行1 = 0.5億円\n    行2 =\n  }\n"))
    #expect(lines.contains("11:5 malformed-value: 行2: 行2 has no value; write an amount, like 行2 = 1.0億円, or なし"), "\(lines)")
    #expect(
      lines.contains("7:9 unverifiable-sum: 内訳 `r` cannot be checked against 要求額 `1.0億円`: the row `行2` has no amount that can be read"),
      "\(lines)")
  }

  @Test("an empty row in a うち is reported, and so is the sum it leaves unchecked")
  func emptyRowInAnOfWhich() {
    let lines = Check.rendered(Self.item("  うち \"u\" {\n    x = 0.5億円\n    y =\n  }\n"))
    #expect(lines.contains { $0.hasPrefix("11:5 malformed-value: y: y has no value") }, "\(lines)")
    #expect(lines.contains { $0.hasPrefix("7:9 unverifiable-sum: the rows of うち `u` cannot be checked against 要求額 `1.0億円`") }, "\(lines)")
  }

  @Test("an empty 合計 of a 内訳 leaves its sum unchecked, and says so")
  func emptyTotalOfABreakdown() {
    let lines = Check.rendered(Self.item("  内訳 \"r\" {\n    行1 = 0.5億円\n    合計 =\n  }\n"))
    #expect(lines.contains { $0.hasPrefix("11:5 malformed-value: 合計: 合計 has no value") }, "\(lines)")
    #expect(lines.contains { $0.contains("unverifiable-sum") && $0.contains("`合計` has no amount that can be read") }, "\(lines)")
  }

  @Test("a row written as the kanji 一 is not an amount: its sum is reported unverifiable")
  func kanjiOneRow() {
    let lines = Check.rendered(Self.item("  内訳 \"r\" {\n    row1 = 0.5億円\n    row2 = 一\n  }\n"))
    #expect(lines.contains { $0.hasPrefix("11:12 kanji-one:") }, "\(lines)")
    #expect(
      lines.contains("7:9 unverifiable-sum: 内訳 `r` cannot be checked against 要求額 `1.0億円`: the row `row2` has no amount that can be read"),
      "\(lines)")
    // Before a unit, 一 is read as one: the sum is checked with that value.
    let read = Check.rendered(Self.item("  内訳 \"r\" {\n    row1 = 0.5億円\n    row2 = 一億円\n  }\n", request: "0.5億円"))
    #expect(read.contains { $0.contains("breakdown-sum") }, "\(read)")
  }

  // MARK: - Shares

  @Test("a sign before a share's fraction belongs to the fraction, not to the party", arguments: ["-", "−", "△", "▲"])
  func negativeShareIsParsed(_ sign: String) throws {
    let (p, n) = parser("国 2/3, 都道府県 \(sign)1/3, 市町村 2/3")
    let shares = try p.shares(0, n).get()
    #expect(shares.map(\.party) == ["国", "都道府県", "市町村"])
    #expect(shares[1].fraction.value == Rational(-1, 3))
    let (q, m) = parser("国 1/2, 都道府県\(sign)50%")
    let percent = try q.shares(0, m).get()
    #expect(percent.map(\.party) == ["国", "都道府県"])
    #expect(percent[1].fraction.value == Rational(-1, 2))
  }

  @Test("a negative share is reported as negative, at the fraction with its sign")
  func negativeShareIsReported() {
    let lines = Check.rendered(Self.item("  負担割合 = 国 2/3, 都道府県 ▲1/3, 市町村 2/3\n"))
    #expect(lines == ["9:22 nonpositive-share: 負担割合: the share of `都道府県` is negative; write the fraction meant"], "\(lines)")
  }

  // MARK: - Keys and syntax

  @Test("a block keyword written as a key is explained, never suggested as itself")
  func blockKeywordAsKey() {
    let lines = Check.rendered(Self.item("  事業 = x\n  item = y\n  内訳 = 1億円\n  budget = 1\n") + "分野 \"s\" {\n  section = 1\n}\n")
    #expect(lines.contains("9:3 unknown-key: `事業` is a block keyword, not a key: write a 事業 block as `事業 ID \"title\" { … }`"), "\(lines)")
    #expect(lines.contains("10:3 unknown-key: `item` is a block keyword, not a key: write a 事業 block as `item ID \"title\" { … }`"), "\(lines)")
    #expect(lines.contains("11:3 unknown-key: `内訳` is a block keyword, not a key: write a 内訳 block as `内訳 \"title\" { label = amount … }`"), "\(lines)")
    #expect(lines.contains { $0.hasPrefix("12:3 unknown-key: `budget` is a block keyword, not a key: write a 予算 block as `budget \"title\" { … }` at the top") }, "\(lines)")
    #expect(lines.contains("15:3 unknown-key: `section` is a block keyword, not a key: write a 分野 block as `section \"title\" { … }`"), "\(lines)")
    #expect(!lines.contains { $0.contains("did you mean") }, "\(lines)")
  }

  @Test("the missing-`=` hint keeps the line's own value")
  func missingEqualsHintUsesTheLinesValue() {
    let lines = Check.rendered(Self.header + "事業 a \"A\" {\n  担当 老健局\n  要求額 12億円\n  前年度 = 1億円\n}\n")
    #expect(lines == ["6:3 syntax-error: missing `=` after `担当`; write `担当 = 老健局`", "7:3 syntax-error: missing `=` after `要求額`; write `要求額 = 12億円`"], "\(lines)")
  }

  @Test("a colon for `=` gets a specific hint, and the key is not reported missing as well")
  func colonForEquals() {
    let lines = Check.rendered("予算 \"t\" {\n  年度：令和7年度\n  区分: 概算要求\n}\n事業 a \"A\" {\n  担当：医政局\n  要求額 = 1億円\n}\n")
    #expect(
      lines == [
        "2:3 syntax-error: `：` does not separate a key from its value; write `年度 = 令和7年度`",
        "3:3 syntax-error: `:` does not separate a key from its value; write `区分 = 概算要求`",
        "6:3 syntax-error: `：` does not separate a key from its value; write `担当 = 医政局`",
      ], "\(lines)")
  }

  @Test("an unterminated quoted value gets only the unterminated-string error")
  func unterminatedValue() {
    let lines = Check.rendered(Self.header + "事業 a \"A\" {\n  担当 = 医政局\n  要求額 = \"1億円\n}\n")
    #expect(lines.filter { $0.hasPrefix("7:") } == ["7:9 syntax-error: unterminated string; add the closing `\"`"], "\(lines)")
    #expect(!lines.contains { $0.contains("has no value") }, "\(lines)")
  }

  @Test("messages never echo raw control characters from the input")
  func controlCharactersAreEscaped() {
    let lines = Check.rendered(Self.header + "事業 a \"A\" {\n  担当 = 医政局\n  要求額 = 1億円\n  これ\u{1B}[31mは\u{0}ゴミ\n  x\u{85}y = 1\n}\n")
    #expect(lines.contains { $0.contains("これ\\u{1B}[31mは\\u{0}ゴミ") }, "\(lines)")
    #expect(lines.contains { $0.contains("x\\u{85}y") }, "\(lines)")
    #expect(!lines.contains { $0.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } }, "\(lines)")
  }
}
