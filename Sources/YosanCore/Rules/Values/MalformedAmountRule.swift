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

extension ValueError {
  /// Why an amount could not be read (`malformed-amount`). `written` is the text as written.
  public enum AmountProblem: Hashable, Sendable {
    case missing
    /// A number longer than 38 digits; `leading` is its first 20 characters.
    case tooManyDigits(leading: String)
    case misplacedSeparator(written: String)
    case notAnAmount(written: String)
    case noDigitsAfterPoint(written: String)
    case unexpectedAfterAmount(written: String)
    /// `内数` without its parentheses.
    case partOfWithoutParentheses
    case emptyPartOf
    /// `内数(ｂ)`: an id written in full-width letters, `halfWidth` in ASCII.
    case fullWidthIdentifier(written: String, halfWidth: String)
    case neitherIdentifierNorAmount(written: String)
    case unexpectedAfterPending(written: String)
    /// `事項要求` after an amount without the `+` between them.
    case pendingWithoutPlus
    /// Parentheses after an amount with no `は` in them (`written` includes them).
    case conditionWithoutTopic(written: String)
    /// `(は1,000万円)`: another amount with no condition before it.
    case alternativeWithoutCondition(amount: String)
    case unreadableCondition(written: String)
    /// `× 133千円` with nothing before the `×`.
    case missingMultiplicand

    var message: String {
      switch self {
      case .missing: return "missing amount"
      case .tooManyDigits(let leading): return "number `\(leading)`… has more digits than Yosan computes exactly (38)"
      case .misplacedSeparator(let written): return "misplaced thousands separator in `\(written)`"
      case .notAnAmount(let written): return "`\(written)` is not an amount; write a number and a unit, like 7.9億円"
      case .noDigitsAfterPoint(let written): return "`\(written)` has a decimal point with no digits after it"
      case .unexpectedAfterAmount(let written): return "unexpected `\(written)` after the amount"
      case .partOfWithoutParentheses: return "write `内数(ID)` or `内数(97億円)`: what the amount is part of goes in the parentheses"
      case .emptyPartOf: return "内数() is empty; write the item id or the total it is part of"
      case .fullWidthIdentifier(let written, let halfWidth):
        return "`\(written)` is not an item id: it is written in full-width letters; write `\(halfWidth)`"
      case .neitherIdentifierNorAmount(let written): return "`\(written)` is neither an item id nor an amount"
      case .unexpectedAfterPending(let written):
        return "unexpected `\(written)` after 事項要求; write a reason in parentheses, like `事項要求(国土強靭化分)`"
      case .pendingWithoutPlus: return "write an amount and a pending request like `12億円 + 事項要求`"
      case .conditionWithoutTopic(let written):
        return "unexpected `\(written)` after the amount; a condition reads like `(20床未満は20床)` or `(一定の要件を満たした団体は1,000万円)`"
      case .alternativeWithoutCondition(let amount):
        return "the other amount `\(amount)` needs the condition it holds under, like `(一定の要件を満たした団体は1,000万円)`"
      case .unreadableCondition(let written):
        return "`\(written)` is neither a least count like `20床未満は20床` nor another amount like `一定の要件を満たした団体は1,000万円`"
      case .missingMultiplicand: return "write what the amount is multiplied by before `×`, like `最大使用病床数 × 133千円`"
      }
    }
  }
}
