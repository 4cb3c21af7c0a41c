/// Cost shares their grammar cannot read (`malformed-shares`).
enum MalformedSharesRule: MalformedValueRule {
  static let kind = ValueError.Kind.share
  static let descriptor = RuleDescriptor(
    id: "malformed-shares",
    category: .values,
    defaultSeverity: .error,
    summary: "負担割合 is a list of `PARTY FRACTION` pairs: 国 1/2, 都道府県 1/4, 市町村 1/4.",
    rationale: """
      Cost shares must name who pays and how much, so that the shares can be added exactly.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = 国1/2、都道府県1/2\n}\n"),
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = 国 2分の1, 都道府県 4分の1, 市町村 4分の1\n}\n"),
      .failing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = 国 1/2, «都道府県»\n}\n", messages: ["負担割合: `都道府県` has no fraction; write it like `国 1/2`"]),
    ])
}

extension ValueError {
  /// Why a list of cost shares could not be read (`malformed-shares`).
  public enum ShareProblem: Hashable, Sendable {
    /// An empty element of the list (`国 1/2, , 都道府県 1/2`).
    case empty
    case noFraction(written: String)
    case noParty(written: String)
    /// A share whose fraction does not read, said as the fraction's grammar says it.
    case fraction(RateProblem)

    var message: String {
      switch self {
      case .empty: return "empty share; write the shares like `国 1/2, 都道府県 1/2`"
      case .noFraction(let written): return "`\(written)` has no fraction; write it like `国 1/2`"
      case .noParty(let written): return "share `\(written)` names no party; write it like `国 1/2`"
      case .fraction(let problem): return problem.message
      }
    }
  }
}
