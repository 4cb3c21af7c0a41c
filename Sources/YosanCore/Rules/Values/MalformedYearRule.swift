/// Fiscal years their grammar cannot read (`malformed-year`).
enum MalformedYearRule: MalformedValueRule {
  static let kind = ValueError.Kind.year
  static let descriptor = RuleDescriptor(
    id: "malformed-year",
    category: .values,
    defaultSeverity: .error,
    summary: "A fiscal year is written 令和7年度, 令和元年度, 平成30年度, R7 or 2025年度.",
    rationale: """
      Years decide which figures are comparable: a 補正 must come before the document's year, a
      国庫債務負担 range must contain it. A year that cannot be read cannot be checked.
      """,
    examples: [
      .passing("予算 \"x\" {\n  年度 = 令和元年度\n  区分 = 概算要求\n}\n"),
      .failing("予算 \"x\" {\n  年度 = «令和七年度»\n  区分 = 概算要求\n}\n", messages: ["年度: `令和七年度` has no year number; write 令和7年度, R7 or 2025年度"]),
      .failing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補正 = «5年度» 1億円\n}\n", messages: ["補正: `5年度` is not a fiscal year; write 令和7年度, R7 or 2025年度"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  国庫債務負担 = «令和6年度»\n}\n",
        messages: ["国庫債務負担: write the years as a range, like `令和6年度〜令和8年度`"]),
    ])
}

extension ValueError {
  /// Why a fiscal year or a range of them could not be read (`malformed-year`).
  public enum YearProblem: Hashable, Sendable {
    case missing
    case notAYear(written: String)
    /// `令和七年度`: an era with no digits.
    case noYearNumber(written: String)
    case missingSuffix(written: String)
    case unexpectedAfterYear(written: String)
    /// A 補正 whose value does not start with its year.
    case supplementaryYearFirst
    /// A 国庫債務負担 with no `〜` between two years.
    case notARange
    case missingLastYear

    static let hint = "write 令和7年度, R7 or 2025年度"

    var message: String {
      switch self {
      case .missing: return "missing fiscal year; \(Self.hint)"
      case .notAYear(let written): return "`\(written)` is not a fiscal year; \(Self.hint)"
      case .noYearNumber(let written): return "`\(written)` has no year number; \(Self.hint)"
      case .missingSuffix(let written): return "`\(written)` lacks 年度; \(Self.hint)"
      case .unexpectedAfterYear(let written): return "unexpected `\(written)` after the fiscal year"
      case .supplementaryYearFirst: return "write the supplementary budget's year first, like `令和5年度 25.0百万円`"
      case .notARange: return "write the years as a range, like `令和6年度〜令和8年度`"
      case .missingLastYear: return "write the last year of the range, like `令和6年度〜令和8年度`"
      }
    }
  }
}
