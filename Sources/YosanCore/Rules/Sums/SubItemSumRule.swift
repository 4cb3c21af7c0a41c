/// Sub-items' requests add up to the parent's request when the parent has no 内訳.
enum SubItemSumRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "sub-item-sum",
    category: .sums,
    defaultSeverity: .error,
    summary: "The requests of an item's sub-items add up to its 要求額 (when it has no 内訳 of its own), within rounding.",
    rationale: """
      An item made of sub-items (リウマチ・アレルギー対策 of 4 programmes, プログラム医療機器 of a
      委託 and a 補助) requests their total. Sub-items tagged 再掲 (restated elsewhere) and
      requests that are 内数 of something else are not added. When the parent has a 内訳, the
      内訳 is its composition and `breakdown-sum` checks it instead. The fix (offered, never applied
      automatically) sets the request to the sub-items' sum.
      """,
    fix: .unsafe,
    examples: [
      .passing(
        """
        事業 samd "プログラム医療機器の実用化促進事業" {
          担当 = 医薬局医療機器審査管理課
          要求額 = 39百万円
          事業 samd-chosa "SaMDの海外調査及び国内制度整備" {
            要求額 = 2,989万円
          }
          事業 samd-kokusai "SaMDの国際評価支援" {
            要求額 = 929万円
          }
          事業 samd-saikei "国際評価支援（再掲）" {
            種別 = 再掲
            要求額 = 929万円
          }
          事業 samd-kikin "基金事業" {
            要求額 = 内数(97億円)
          }
        }
        """),
      .failing(
        """
        事業 samd "プログラム医療機器の実用化促進事業" {
          担当 = 医薬局医療機器審査管理課
          要求額 = «45百万円»
          事業 samd-chosa "SaMDの海外調査及び国内制度整備" {
            要求額 = 2,989万円
          }
          事業 samd-kokusai "SaMDの国際評価支援" {
            要求額 = 929万円
          }
        }
        """,
        messages: [
          "the sub-items' requests add up to 39.18百万円 ([39.17, 39.19]百万円 with rounding), but 要求額 `45百万円` stands for [44.5, 45.5]百万円; write `要求額 = 39百万円` (6百万円 less), or correct a sub-item's request"
        ]),
    ])

  static let kinds: [SumCheck.Kind] = [.subItems]

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard !item.subItems.isEmpty else { return }
    context.reportSums(of: item, kinds: kinds)
  }
}
