/// Every other value its key's grammar cannot read: tags, 区分, 端数, extension numbers, a missing
/// value (`malformed-value`).
enum MalformedValueRuleGeneral: MalformedValueRule {
  static let kind = ValueError.Kind.value
  static let descriptor = RuleDescriptor(
    id: "malformed-value",
    category: .values,
    defaultSeverity: .error,
    summary: "Every other value follows its key's grammar: known tags, 区分 and 端数 values, extension numbers, a value after `=`.",
    rationale: """
      An unknown tag is not a tag: 新規 spelled wrong would silently disable every check that
      depends on it. The same goes for 区分 and 端数 values, which decide how amounts are read.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 新規, 推進枠\n  担当 = 医政局\n  内線 = 4165, 4035\n  要求額 = 1億円\n  前年度 = なし\n}\n"),
      .failing("事業 a \"t\" {\n  種別 = «新期»\n  担当 = 医政局\n  要求額 = 1億円\n  前年度 = なし\n}\n", messages: ["種別: unknown tag `新期`; did you mean `新規`?"]),
      .failing("事業 a \"t\" {\n  担当 = 医政局\n  «要求額» =\n}\n", messages: ["要求額: 要求額 has no value; for example 要求額 = 7.9億円"]),
    ])
}
