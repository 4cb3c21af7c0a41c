/// Rates their grammar cannot read (`malformed-rate`).
enum MalformedRateRule: MalformedValueRule {
  static let kind = ValueError.Kind.rate
  static let descriptor = RuleDescriptor(
    id: "malformed-rate",
    category: .values,
    defaultSeverity: .error,
    summary: "A rate is a fraction (1/2, 38.5/100, 2分の1), a percentage (50%), 定額, 定額(10/10相当) or 10/10相当定額, a floor (3/4以上) or a transition (1/3 → 1/2).",
    rationale: """
      Rates are exact rationals so that shares can be proved to sum to exactly 1; a rate that cannot
      be read cannot be checked against 0 < rate ≤ 1.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 1/3(令和6年度) → 1/2\n}\n"),
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 1/2相当定額\n}\n事業 b \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 2分の1\n}\n"),
      .failing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = «半分»\n}\n", messages: ["補助率: `半分` is not a fraction; write a fraction like 1/2 or a percentage like 50%"]),
    ])
}
