/// A request or previous-year budget below zero.
enum NegativeRequestRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "negative-request",
    category: .values,
    defaultSeverity: .error,
    summary: "要求額, 予算額 and 前年度 are not negative, except in a 補正予算 (which may reduce).",
    rationale: """
      A request, a budget and last year's budget are sums of money: `△1億円` (the accounting
      minus) or `-1億円` there is a slip, most often a difference column copied into the amount's
      place. A supplementary budget (区分 = 補正予算) may reduce an item (減額補正), so there a
      negative amount is what it means and is not reported. Breakdown rows may be negative (an
      adjustment row) and are not looked at.
      """,
    examples: [
      .passing("予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 補正予算\n}\n事業 a \"t\" {\n  担当 = 老健局\n  要求額 = △1億円\n}\n"),
      .failing(
        "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 a \"t\" {\n  担当 = 老健局\n  要求額 = «△1億円»\n  前年度 = 2億円\n}\n",
        messages: ["要求額 `△1億円` is negative; a request is an amount of money: write it without the sign, or check the column it was copied from"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard context.document.kind != .supplementary else { return }
    if let request = item.request { check(request, "a request", &context) }
    if let previous = item.previous { check(previous, "a previous-year budget", &context) }
  }

  static func check(_ field: Field<AmountExpression>, _ what: String, _ context: inout RuleContext) {
    guard let amount = field.value.countedAmount, amount.yen.isNegative else { return }
    let key = context.text(field.location.keyRange)
    context.report(
      "\(key) `\(context.text(amount.range))` is negative; \(what) is an amount of money: write it without the sign, or check the column it was copied from",
      at: amount.range)
  }
}
