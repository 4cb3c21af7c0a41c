/// Amounts their grammar cannot read (`malformed-amount`).
enum MalformedAmountRule: MalformedValueRule {
  static let kind = ValueError.Kind.amount
  static let descriptor = RuleDescriptor(
    id: "malformed-amount",
    category: .values,
    defaultSeverity: .error,
    summary: "An amount is `[約] number unit`, なし, 内数(…) or `… + 事項要求`.",
    rationale: """
      An amount that cannot be read is left out of every sum, so a breakdown could look consistent
      while a figure is missing. Thousands separators must group three digits; a decimal point
      needs digits after it; numbers are exact up to 38 digits.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1,804億円\n  前年度 = 内数(b)\n}\n"),
      .passing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 記載なし\n  補助単価 = 最大使用病床数 × 133千円 (20床未満は20床)\n  上限額 = 500万円 (一定の要件を満たした団体は1,000万円)\n}\n"),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助単価 = 133千円 «(20床)»\n}\n",
        messages: ["補助単価: unexpected `(20床)` after the amount; a condition reads like `(20床未満は20床)` or `(一定の要件を満たした団体は1,000万円)`"]),
      .failing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = «abc»\n}\n", messages: ["要求額: `abc` is not an amount; write a number and a unit, like 7.9億円"]),
      .failing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 18«,»04億円\n}\n", messages: ["要求額: misplaced thousands separator in `18,04億円`"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = «内数 97億円»\n}\n",
        messages: ["要求額: write `内数(ID)` or `内数(97億円)`: what the amount is part of goes in the parentheses"]),
    ])
}
