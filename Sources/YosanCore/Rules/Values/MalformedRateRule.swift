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

extension ValueError {
  /// Why a rate or a fraction could not be read (`malformed-rate`).
  public enum RateProblem: Hashable, Sendable {
    case missingFraction
    case notAPercentage(written: String)
    case notAFraction(written: String)
    case missing
    /// A transition with nothing on one side of its `→`.
    case emptyTransitionStep
    /// A rate left empty inside a larger value (a transition step that is only its year).
    case emptyRate
    /// `定額` followed by something not in parentheses.
    case fixedWithoutParentheses

    static let hint = "write a fraction like 1/2 or a percentage like 50%"

    var message: String {
      switch self {
      case .missingFraction: return "missing fraction; \(Self.hint)"
      case .notAPercentage(let written): return "`\(written)` is not a percentage; \(Self.hint)"
      case .notAFraction(let written): return "`\(written)` is not a fraction; \(Self.hint)"
      case .missing: return "missing rate; write 1/2, 50%, 定額 or 3/4以上"
      case .emptyTransitionStep: return "a rate transition needs a rate on both sides of →"
      case .emptyRate: return "missing rate"
      case .fixedWithoutParentheses: return "write what the fixed amount amounts to in parentheses, like `定額(10/10相当)`"
      }
    }
  }
}
