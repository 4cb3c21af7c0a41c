/// The rules that report values their grammar cannot read, one rule per kind of value. They share
/// one check: lowering records each unreadable value with its kind.
protocol MalformedValueRule: FileRule {
  static var kind: ValueError.Kind { get }
}

extension MalformedValueRule {
  static func check(_ context: inout RuleContext) {
    for case .malformedValue(let error, let key) in context.document.issues where error.kind == kind {
      context.report("\(key): \(error.message)", at: error.range)
    }
  }
}

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
