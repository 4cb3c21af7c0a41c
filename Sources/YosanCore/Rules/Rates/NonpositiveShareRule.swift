/// Every share is positive.
enum NonpositiveShareRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "nonpositive-share",
    category: .rates,
    defaultSeverity: .error,
    summary: "Every share of 負担割合 is more than zero.",
    rationale: """
      A party that bears nothing has no place in 負担割合, and a negative share means nothing.
      A zero share is usually a typo for another fraction (0/2 for 1/2).
      """,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = 国 10/10\n}\n"),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = 国 1/1, 都道府県 «0/2»\n}\n",
        messages: ["負担割合: the share of `都道府県` is zero; remove the party, or write the fraction meant"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard let shares = item.shares else { return }
    for share in shares.value {
      guard let value = share.fraction.value, !value.isPositive else { continue }
      let what = value.numerator == 0 ? "is zero; remove the party, or write the fraction meant" : "is negative; write the fraction meant"
      context.report("\(context.text(shares.location.keyRange)): the share of `\(share.party)` \(what)", at: share.fraction.range)
    }
  }
}
