/// A 補助率 that disagrees with the national share of 負担割合 in the same item.
enum RateShareMismatchRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "rate-share-mismatch",
    category: .rates,
    defaultSeverity: .warning,
    summary: "A plain 補助率 equals the national (国) share of the item's 負担割合; a floor (3/4以上) is at most it.",
    rationale: """
      Both say what part of the cost the national government pays: `補助率 = 1/2` with
      `負担割合 = 国 1/3, 都道府県 2/3` cannot both be right. A warning rather than an error: a
      rate is sometimes the national share of one recipient's cost only. Only a plain fraction or
      a floor is compared, and only with a share of `国`; a transition (1/3 → 1/2) and 定額 are
      not.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 1/2\n  負担割合 = 国 2分の1, 都道府県 1/2\n}\n"),
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 1/3(令和6年度) → 1/2\n  負担割合 = 国 38.5/100, 都道府県 61.5/100\n}\n"),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = «1/2»\n  負担割合 = 国 1/3, 都道府県 2/3\n}\n",
        messages: ["補助率 `1/2` is not the national share of 負担割合, `国 1/3`: one of them is wrong; make them agree"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = «3/4»以上\n  負担割合 = 国 1/2, 都道府県 1/2\n}\n",
        messages: ["補助率 `3/4以上` is more than the national share of 負担割合, `国 1/2`: one of them is wrong; make them agree"]),
    ])

  /// The party whose share the subsidy rate is.
  static let nationalParty = "国"

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard let rate = item.rate, let shares = item.shares, let national = shares.value.first(where: { $0.party == nationalParty }) else { return }
    // Written the same: they agree (most do), without computing either.
    if case .fraction(let fraction) = rate.value, fraction.numerator == national.fraction.numerator,
      fraction.denominator == national.fraction.denominator, fraction.isPercent == national.fraction.isPercent
    {
      return
    }
    guard let share = national.fraction.value else { return }
    let key = context.text(rate.location.keyRange)
    let sharesKey = context.text(shares.location.keyRange)
    switch rate.value {
    case .fraction(let fraction):
      guard let value = fraction.value, value != share else { return }
      context.report(
        "\(key) `\(context.text(fraction.range))` is not the national share of \(sharesKey), `\(context.text(national.range))`: one of them is wrong; make them agree",
        at: fraction.range)
    case .floor(let fraction):
      guard let value = fraction.value, share < value else { return }
      context.report(
        "\(key) `\(context.text(rate.location.valueRange))` is more than the national share of \(sharesKey), `\(context.text(national.range))`: one of them is wrong; make them agree",
        at: fraction.range)
    case .fixed, .transition:
      return
    }
  }
}
