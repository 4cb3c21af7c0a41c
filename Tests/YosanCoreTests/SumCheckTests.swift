import Testing
import YosanSyntax

@testable import YosanCore

/// The worked examples of XBRL Calculations 1.1 (as run by Arelle, see the mission anchors §2.1)
/// and of format.md, checked through `SumChecks`, the evaluation the rules and the editor share.
struct SumCheckTests {
  static let header = "予算 \"令和7年度 概算要求\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"

  /// The sums of the first item of `text` (a header is added in front).
  func checks(_ text: String, configuration: Configuration = .default) -> (FileFacts, [SumCheck]) {
    let facts = Analyzer.parse(SourceFile(path: "t.yosan", text: Self.header + text), configuration: configuration)
    return (facts, SumChecks.evaluate(facts.document.allItems[0], in: facts))
  }

  /// An item whose 内訳 has `rows` and `合計 = total`, under `mode` (the item's request equals the
  /// total, so only the breakdown's own sum is at stake).
  func table(_ rows: [String], total: String, mode: RoundingMode? = nil) -> SumCheck {
    let rounding = mode.map { "    端数 = \($0.japanese)\n" } ?? ""
    let body = rows.enumerated().map { "    行\($0.offset + 1) = \($0.element)\n" }.joined()
    let (_, all) = checks("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = \(total)\n  内訳 {\n\(rounding)\(body)    合計 = \(total)\n  }\n}\n")
    return all.first { $0.kind == .breakdownTotal }!
  }

  func yen(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

  /// `text` 億円 in yen.
  func oku(_ text: String) -> ExactDecimal {
    let value = ExactDecimal(text)!
    return ExactDecimal(significand: value.significand, exponent: value.exponent + 8)
  }

  // MARK: - XBRL Calculations 1.1, worked example A (millions)

  /// Debtors €12,141,123 and Cash €45,441,321 reported in millions as 12 and 45, Current Assets
  /// €57,582,444 as 58. A naive check says 12 + 45 = 57 ≠ 58; Calc 1.1 says [56, 58] meets
  /// [57.5, 58.5].
  @Test func exampleAMillions() {
    let check = table(["12百万円", "45百万円"], total: "58百万円")
    #expect(check.status == .consistent)
    #expect(check.rowsInterval == Interval(lower: yen("56000000"), upper: yen("58000000")))
    #expect(check.totalInterval == Interval(lower: yen("57500000"), upper: yen("58500000")))
    #expect(check.rowsSum == yen("57000000"))
    #expect(table(["12百万円", "45百万円"], total: "59百万円").status == .inconsistent)
    #expect(table(["12百万円", "45百万円"], total: "55百万円").status == .inconsistent)
  }

  // MARK: - Worked example B (千円, 四捨五入)

  /// Three rows of 1,000千円 stand for [2,998,500, 3,001,500] yen.
  @Test func exampleBThousandsRounded() {
    let rows = ["1,000千円", "1,000千円", "1,000千円"]
    let at3001 = table(rows, total: "3,001千円")
    #expect(at3001.rowsInterval == Interval(lower: yen("2998500"), upper: yen("3001500")))
    #expect(at3001.status == .consistent)
    // Touching at a closed end (3,001,500) is consistent.
    #expect(table(rows, total: "3,002千円").status == .consistent)
    #expect(table(rows, total: "2,998千円").status == .consistent)
    #expect(table(rows, total: "3,003千円").status == .inconsistent)
    #expect(table(rows, total: "2,997千円").status == .inconsistent)
  }

  // MARK: - Worked example C (千円未満切り捨て)

  /// Under truncation each row stands for [1,000,000, 1,001,000), the sum for [3,000,000, 3,003,000).
  @Test func exampleCThousandsTruncated() {
    let rows = ["1,000千円", "1,000千円", "1,000千円"]
    let at3002 = table(rows, total: "3,002千円", mode: .truncate)
    #expect(at3002.rowsInterval == Interval(lower: yen("3000000"), upper: yen("3003000"), lowerClosed: true, upperClosed: false))
    #expect(at3002.totalInterval == Interval(lower: yen("3002000"), upper: yen("3003000"), lowerClosed: true, upperClosed: false))
    #expect(at3002.status == .consistent)
    #expect(table(rows, total: "3,000千円", mode: .truncate).status == .consistent)
    // 3,003千円 starts where the sum's open end is; 2,999千円 ends at the sum's closed start, but
    // its own end there is open.
    #expect(table(rows, total: "3,003千円", mode: .truncate).status == .inconsistent)
    #expect(table(rows, total: "2,999千円", mode: .truncate).status == .inconsistent)
  }

  /// 切り上げ mirrors truncation: each row (v − u, v], the sum (2,997,000, 3,000,000].
  @Test func ceilingMirrorsTruncation() {
    let rows = ["1,000千円", "1,000千円", "1,000千円"]
    #expect(table(rows, total: "3,000千円", mode: .ceiling).status == .consistent)
    #expect(table(rows, total: "2,998千円", mode: .ceiling).status == .consistent)
    #expect(table(rows, total: "2,997千円", mode: .ceiling).status == .inconsistent)
    #expect(table(rows, total: "3,001千円", mode: .ceiling).status == .inconsistent)
  }

  /// Zero under each mode: [−u/2, u/2], (−u, u) and [0, 0].
  @Test func zeroIntervals() {
    let zero = Amount(yen: .zero, unit: .thousand, fractionDigits: 0, range: TextRange(start: 0, length: 0))
    #expect(zero.interval(.round) == Interval(lower: yen("-500"), upper: yen("500")))
    #expect(zero.interval(.truncate) == Interval(lower: yen("-1000"), upper: yen("1000"), lowerClosed: false, upperClosed: false))
    #expect(zero.interval(.ceiling) == Interval.exactly(.zero))
  }

  // MARK: - The AMED table (format.md, seed 003:829-835)

  @Test func amedTable() {
    let (_, all) = checks(
      """
      事業 amed "日本医療研究開発機構（AMED）における研究の推進" {
        担当 = 大臣官房厚生科学課
        要求額 = 527億円
        内訳 "令和7年度概算要求の内容" {
          内訳 "プロジェクト別" {
            医薬品プロジェクト = 187.5億円
            医療機器・ヘルスケアプロジェクト = 17.9億円
            再生・細胞医療・遺伝子治療プロジェクト = 64.1億円
            感染症プロジェクト = 73.3億円
            データ利活用・ライフコースプロジェクト = 173.9億円
            シーズ開発・基礎研究プロジェクト = 2.2億円
            橋渡し・臨床加速化プロジェクト = 7.0億円
            小計 = 525.9億円
          }
          革新的な研究開発推進基金補助金 = 1.2億円
          合計 = 527億円
        }
        うち "補助金別" {
          医療研究開発推進事業費補助金 = 395.7億円
          保健衛生医療調査等推進事業費補助金 = 130.2億円
        }
      }

      """)
    #expect(all.map(\.kind) == [.breakdownTotal, .breakdownRequest, .breakdownTotal, .ofWhich])
    #expect(all.allSatisfy { $0.status == .consistent })
    // The order is: the outer 合計, the outer 内訳 against 要求額, the projects' 小計, the うち.
    let projects = all[2]
    #expect(projects.rowsSum == oku("525.9"))
    #expect(projects.rowsInterval == Interval(lower: oku("525.55"), upper: oku("526.25")))
    #expect(projects.totalInterval == Interval(lower: oku("525.85"), upper: oku("525.95")))
    #expect(projects.contributions.count == 7)
    let outer = all[0]
    // 小計 plus the fund: [527.00, 527.20] against 合計 [526.5, 527.5], though 525.9 + 1.2 ≠ 527.
    #expect(outer.rowsInterval == Interval(lower: oku("527.0"), upper: oku("527.2")))
    #expect(outer.rowsSum == oku("527.1"))
    #expect(outer.totalInterval == Interval(lower: oku("526.5"), upper: oku("527.5")))
    #expect(outer.contributions.count == 2)
    #expect(all[3].isPartial)
  }

  // MARK: - Semantics beyond the worked examples

  /// A breakdown's 端数 holds for the breakdowns inside it; the request keeps the document's mode.
  @Test func roundingModeIsInherited() {
    let (facts, all) = checks(
      """
      事業 a "t" {
        担当 = 医政局
        要求額 = 3,002千円
        内訳 "外" {
          端数 = 切り捨て
          内訳 "内" {
            一 = 1,000千円
            二 = 1,000千円
            三 = 1,000千円
            合計 = 3,002千円
          }
        }
      }

      """)
    #expect(facts.roundingMode == .round)
    let inner = all.first { $0.kind == .breakdownTotal }!
    #expect(inner.mode == .truncate)
    #expect(inner.contributions.allSatisfy { $0.mode == .truncate })
    #expect(inner.status == .consistent)
    let request = all.first { $0.kind == .breakdownRequest }!
    #expect(request.mode == .round)
    #expect(request.status == .consistent)
  }

  /// The configuration's rounding applies when the header has no 端数; the header's wins.
  @Test func configurationRounding() {
    var configuration = Configuration()
    configuration.rounding = .truncate
    let text = "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 2,999千円\n  内訳 {\n    一 = 1,000千円\n    二 = 1,000千円\n    三 = 1,000千円\n  }\n}\n"
    #expect(checks(text).1[0].status == .consistent)
    #expect(checks(text, configuration: configuration).1[0].status == .inconsistent)
  }

  /// 約 makes a sum unverifiable; 内数 and なし rows never count; a row that cannot be read makes
  /// it unverifiable too (it is reported, not skipped).
  @Test func whatCounts() {
    let approximate = checks("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 10億円\n  内訳 {\n    一 = 約3億円\n    二 = 7億円\n  }\n}\n").1
    #expect(approximate.map(\.status) == [.unverifiable])
    #expect(approximate[0].approximate.count == 1)
    let partOf = checks("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 7億円\n  内訳 {\n    一 = 内数(97億円)\n    二 = なし\n    三 = 7億円\n  }\n}\n").1
    #expect(partOf.map(\.status) == [.consistent])
    #expect(partOf[0].contributions.count == 1)
    let broken = checks("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 7億円\n  内訳 {\n    一 = 3億ドル\n    二 = 7億円\n  }\n}\n").1
    #expect(broken.map(\.status) == [.unverifiable])
    #expect(broken.first?.unreadable.count == 1)
    #expect(broken.first?.approximate.isEmpty == true)
  }

  /// The nearest consistent total and the rows' sum rounded like the total.
  @Test func suggestedTotals() {
    let check = table(["8.0億円", "4.6億円"], total: "13.6億円")
    #expect(check.status == .inconsistent)
    #expect(check.nearestConsistentTotal == yen("1270000000"))
    #expect(check.roundedRowsSum == yen("1260000000"))
    // Far off: the nearest consistent total is at the edge of the rows' interval, not their sum.
    let wide = table(Array(repeating: "1億円", count: 10), total: "20億円")
    #expect(wide.nearestConsistentTotal == yen("1500000000"))
    #expect(wide.roundedRowsSum == yen("1000000000"))
    #expect(SumChecks.round(yen("-1250"), toExponent: 2, mode: .round) == yen("-1300"))
    #expect(SumChecks.round(yen("-1250"), toExponent: 2, mode: .truncate) == yen("-1200"))
    #expect(SumChecks.round(yen("1201"), toExponent: 2, mode: .ceiling) == yen("1300"))
  }
}
