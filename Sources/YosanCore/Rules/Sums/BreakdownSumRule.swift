/// A `内訳` adds up: its rows to its `小計`/`合計`, a top-level one to the item's `要求額`, a nested
/// one to the row of its parent it details, all within the rounding of the figures shown.
enum BreakdownSumRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "breakdown-sum",
    category: .sums,
    defaultSeverity: .error,
    summary: "A 内訳's rows add up to its 小計/合計, and a top-level 内訳 to the item's 要求額, within the rounding of the figures shown.",
    rationale: """
      Published figures are rounded to the digits they show, so 187.5億円 stands for anything from
      187.45 to 187.55億円. Each figure is read as that interval (under the 端数 in force: the
      header's, or the breakdown's own), the rows' intervals are added, and the sum is consistent
      when it overlaps the total's interval: the rule of XBRL Calculations 1.1. This is why
      525.9億円 + 1.2億円 = 527億円 passes while 12 + 1 = 14 does not, and why no rounding ever
      raises a false alarm. Rows in different units are added in yen.

      A nested 内訳 with its own total is checked against it and counts as that total in its
      parent; without one it counts as its rows. A nested 内訳 titled like a row of its parent
      details that row: it is checked against the row and counts nothing more. A top-level
      内訳's total (or, without one, its rows) is checked against 要求額. 内数 and なし rows never
      count; a row with 約 makes the sum unverifiable (`unverifiable-sum`).

      The message gives the rows' exact sum and interval, the total's interval and the smallest
      change to the total that reconciles them; related locations point at every row counted.
      The fix (offered, never applied automatically) sets the total to the rows' sum.
      """,
    fix: .unsafe,
    examples: [
      .passing(
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
        }
        """),
      .passing(
        """
        事業 koreisha "高齢者の保健事業" {
          担当 = 保険局高齢者医療課
          要求額 = 43億円
          内訳 {
            健康診査及び歯科健診事業 = 41.1億円
            一体的実施の全国的な横展開事業 = 1.0億円
            データヘルスの標準化の一体的な事業検証 = 0.8億円
            内訳 "健康診査及び歯科健診事業" {
              健康診査 = 32.5億円
              歯科健診 = 8.7億円
            }
          }
        }
        """),
      .passing(
        """
        事業 a "千円未満切り捨て" {
          担当 = 医政局
          要求額 = 3,002千円
          内訳 {
            端数 = 切り捨て
            一 = 1,000千円
            二 = 1,000千円
            三 = 1,000千円
          }
        }
        """),
      .failing(
        """
        事業 kosei-kagaku "厚生労働科学研究の促進" {
          担当 = 大臣官房厚生科学課
          要求額 = 13.6億円
          内訳 "行政政策研究分野" {
            行政政策研究経費 = 8.0億円
            厚生労働科学特別研究経費 = 4.6億円
            小計 = «13.6億円»
          }
        }
        """,
        messages: [
          "the rows of 内訳 `行政政策研究分野` add up to 12.6億円 ([12.5, 12.7]億円 with rounding), but 小計 `13.6億円` stands for [13.55, 13.65]億円; write `小計 = 12.7億円` (0.9億円 less), or correct a row"
        ]),
      .failing(
        """
        事業 kaigo-shogu "介護職員処遇改善加算等の取得促進事業" {
          担当 = 老健局老人保健課
          要求額 = «2.6億円»
          内訳 "所要額" {
            介護保険事業費補助金 = 195,114千円
            要介護認定調査委託費 = 49,767千円
          }
        }
        """,
        messages: [
          "内訳 `所要額` adds up to 2.44881億円 ([2.4488, 2.44882]億円 with rounding), but 要求額 `2.6億円` stands for [2.55, 2.65]億円; write `要求額 = 2.4億円` (0.2億円 less), or correct the 内訳"
        ]),
      .failing(
        """
        事業 koreisha "高齢者の保健事業" {
          担当 = 保険局高齢者医療課
          要求額 = 42億円
          内訳 {
            健康診査及び歯科健診事業 = «40.0億円»
            一体的実施の全国的な横展開事業 = 1.0億円
            データヘルスの標準化の一体的な事業検証 = 0.8億円
            内訳 "健康診査及び歯科健診事業" {
              健康診査 = 32.5億円
              歯科健診 = 8.7億円
            }
          }
        }
        """,
        messages: [
          "内訳 `健康診査及び歯科健診事業` adds up to 41.2億円 ([41.1, 41.3]億円 with rounding), but the row `健康診査及び歯科健診事業` it details, `40.0億円`, stands for [39.95, 40.05]億円; write `健康診査及び歯科健診事業 = 41.1億円` (1.1億円 more), or correct the 内訳"
        ]),
    ])

  static let kinds: [SumCheck.Kind] = [.breakdownTotal, .breakdownRequest, .detailRow]

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard !item.breakdowns.isEmpty else { return }
    context.reportSums(of: item, kinds: kinds)
  }
}
