/// Amounts with an unknown unit or none (`unknown-unit`).
enum UnknownUnitRule: MalformedValueRule {
  static let kind = ValueError.Kind.unit
  static let descriptor = RuleDescriptor(
    id: "unknown-unit",
    category: .values,
    defaultSeverity: .error,
    summary: "An amount's unit is one of 円, 千円, 万円, 百万円, 千万円, 億円, 兆円 (or comes from the header's 単位).",
    rationale: """
      The unit decides the value: 7.9 means 790,000,000 yen in 億円 and 7,900 yen in 千円. An amount
      with an unknown unit or none cannot be normalised to yen, so it cannot be added to others.
      """,
    examples: [
      .passing("予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n  単位 = 億円\n}\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 7.9\n}\n"),
      .failing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 2.2«億ドル»\n}\n", messages: ["要求額: unknown unit `億ドル`; use one of 円, 千円, 万円, 百万円, 千万円, 億円, 兆円"]),
      .failing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = «7.9»\n}\n", messages: ["要求額: amount `7.9` has no unit; write one of 円, 千円, 万円, 百万円, 千万円, 億円, 兆円, or set 単位 in the 予算 header"]),
    ])
}

extension ValueError {
  /// Why an amount's unit could not be read (`unknown-unit`).
  public enum UnitProblem: Hashable, Sendable {
    /// A unit that is not one of `Vocabulary.units`, as written.
    case unknown(written: String)
    /// An amount with no unit, in a file whose header sets no 単位.
    case missing(amount: String)

    var message: String {
      switch self {
      case .unknown(let written): return "unknown unit `\(written)`; use one of \(ValueParser.unitList)"
      case .missing(let amount): return "amount `\(amount)` has no unit; write one of \(ValueParser.unitList), or set 単位 in the 予算 header"
      }
    }
  }
}
