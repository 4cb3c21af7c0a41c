/// Block headers whose keyword is missing or unknown.
enum UnknownBlockRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "unknown-block",
    category: .structure,
    defaultSeverity: .error,
    summary: "A block must start with one of the keywords 予算, 分野, 事業, 内訳 or うち (or their aliases).",
    rationale: """
      The keyword says what a block is. A block with an unknown keyword is skipped entirely, so
      nothing inside it is checked; Yosan says which keyword was probably meant.
      """,
    fix: .unsafe,
    examples: [
      .passing("事業 a \"タイトル\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n"),
      .failing("«事集» a \"タイトル\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n", messages: ["unknown block keyword `事集`; did you mean `事業`?"]),
      .failing("«»\"タイトル\" {\n  担当 = 医政局\n}\n", messages: ["block without a keyword; start it with 予算, 分野, 事業, 内訳 or うち"]),
    ])

  static func check(_ context: inout RuleContext) {
    for issue in context.document.issues {
      switch issue {
      case .unknownKeyword(let word, let range, let suggestion):
        if let suggestion {
          context.report(
            "unknown block keyword `\(word)`; did you mean `\(suggestion)`?", at: range,
            fixes: [Fix(title: "replace `\(word)` with `\(suggestion)`", edits: [TextEdit(range: range, replacement: suggestion)], isSafe: false)])
        } else {
          context.report("unknown block keyword `\(word)`; use 予算, 分野, 事業, 内訳 or うち", at: range)
        }
      case .missingKeyword(let range):
        context.report("block without a keyword; start it with 予算, 分野, 事業, 内訳 or うち", at: range)
      default:
        break
      }
    }
  }
}
