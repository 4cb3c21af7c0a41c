/// Every fraction of a subsidy rate lies in (0, 1] with a non-zero denominator.
enum RateRangeRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "rate-range",
    category: .rates,
    defaultSeverity: .error,
    summary:
      "Every fraction of a 補助率 (plain, the 定額 equivalent, a floor, each side of a transition) lies in (0, 1] with a non-zero denominator.",
    rationale: """
      A subsidy rate is the national share of a cost: more than 10/10 or 100% would pay more than
      the cost, zero pays nothing (write 定額 for a fixed amount instead), and a zero denominator
      (`1/0`, seen in the documents for a garbled 10/10) is no number at all. Rates are exact
      rationals, so 38.5/100 and 77/200 are the same rate and nothing is lost to rounding.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 定額(10/10相当)\n}\n"),
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 1/3(令和6年度) → 1/2\n}\n"),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = «1/0»\n}\n",
        messages: ["補助率 `1/0` has a zero denominator; write the rate meant, like 10/10"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 1/3 → «3/2»\n}\n",
        messages: ["補助率 `3/2` is 150%, more than 1; a rate lies in (0, 1]"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = «0%»以上\n}\n",
        messages: ["補助率 `0%` is zero; a rate lies in (0, 1] (write 定額 for a fixed amount)"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard let rate = item.rate else { return }
    context.countRate()
    let key = context.text(rate.location.keyRange)
    for fraction in rate.value.fractions {
      if let problem = FractionCheck.problem(fraction, asRate: true) {
        context.report("\(key) `\(context.text(fraction.range))` \(problem)", at: fraction.range)
      }
    }
  }
}

/// What is wrong with a fraction, shared by the rate and share rules.
enum FractionCheck {
  /// Nil when the fraction is a valid rate (0 < value ≤ 1) or share (value > 0; zero and negative
  /// shares are `nonpositive-share`'s, sums are `share-sum`'s).
  static func problem(_ fraction: Fraction, asRate: Bool) -> String? {
    guard let value = fraction.value else {
      if fraction.denominator.isZero { return "has a zero denominator; write the \(asRate ? "rate" : "share") meant, like 10/10" }
      return "is beyond the exact range Yosan computes (38 digits)"
    }
    guard asRate else { return nil }
    if !value.isPositive {
      return value.numerator == 0 ? "is zero; a rate lies in (0, 1] (write 定額 for a fixed amount)" : "is negative; a rate lies in (0, 1]"
    }
    if Rational.one < value { return "is \(value.percentString()), more than 1; a rate lies in (0, 1]" }
    return nil
  }
}
