/// A `計上` split adds up to the request.
enum BookingSplitSumRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "booking-split-sum",
    category: .sums,
    defaultSeverity: .error,
    summary: "When 計上 splits the money between ministries, the amounts add up to the 要求額, within rounding.",
    rationale: """
      Some items are booked partly by another ministry (デジタル庁計上). When 計上 gives amounts,
      they split the request: they must add up to it. When only some entries have an amount, the
      amounts given must be at most the request.
      """,
    fix: .unsafe,
    examples: [
      .passing(
        """
        事業 d24h "災害時保健医療福祉活動支援システム（D24H）による災害対応の強化" {
          担当 = 医政局地域医療計画課
          要求額 = 54.3百万円
          計上 = デジタル庁 50.7百万円, 厚生労働省 3.6百万円
        }
        """),
      .failing(
        """
        事業 d24h "災害時保健医療福祉活動支援システム（D24H）による災害対応の強化" {
          担当 = 医政局地域医療計画課
          要求額 = «54.3百万円»
          計上 = デジタル庁 50.7百万円, 厚生労働省 4.6百万円
        }
        """,
        messages: [
          "the 計上 split adds up to 55.3百万円 ([55.2, 55.4]百万円 with rounding), but 要求額 `54.3百万円` stands for [54.25, 54.35]百万円; write `要求額 = 55.2百万円` (0.9百万円 more), or correct the split"
        ]),
    ])

  static let kinds: [SumCheck.Kind] = [.bookingSplit]

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard item.bookedBy != nil else { return }
    context.reportSums(of: item, kinds: kinds)
  }
}
