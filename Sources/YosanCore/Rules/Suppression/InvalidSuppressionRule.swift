import YosanSyntax

/// A `# yosan:` comment that is not a valid suppression.
enum InvalidSuppressionRule: SuppressionRule {
  static let descriptor = RuleDescriptor(
    id: "invalid-suppression",
    category: .suppression,
    defaultSeverity: .warning,
    summary: "A `# yosan:` comment must be a valid directive naming existing rules.",
    rationale: """
      A misspelt directive or rule id suppresses nothing, and the author believes the finding is
      handled. The three directives are `disable-next-line`, `disable-line` and `disable-file`,
      each followed by one or more rule ids (`yosan rules` lists them) and `-- reason`. The rules
      about suppressions themselves cannot be suppressed by a comment; set them in the configuration.
      """,
    examples: [
      .passing(
        """
        事業 a "タイトル" {
          担当 = 医政局
          要球額 = 1億円  # yosan: disable-line unknown-key -- 旧様式の項目名を残す
        }
        """),
      .failing(
        """
        事業 a "タイトル" {
          担当 = 医政局
          要求額 = 1億円  # yosan: disable-line «unknown-kee» -- 旧様式
        }
        """, messages: ["unknown rule `unknown-kee` in this suppression; did you mean `unknown-key`?"]),
      .failing(
        """
        # yosan: «disable-nextline» unknown-key -- 旧様式
        事業 a "タイトル" {
          担当 = 医政局
          要求額 = 1億円
        }
        """, messages: ["unknown suppression directive `disable-nextline`; did you mean `disable-next-line`?"]),
      .failing(
        """
        # yosan: «disable-file» -- 旧様式
        事業 a "タイトル" {
          担当 = 医政局
          要求額 = 1億円
        }
        """, messages: ["`disable-file` needs the ids of the rules to suppress, like `# yosan: disable-file unit-spacing -- reason`"]),
      .failing(
        """
        事業 a "タイトル" {
          担当 = 医政局
          要求額 = 1億円  # yosan: disable-line «unused-suppression» -- 念のため
        }
        """, messages: ["`unused-suppression` cannot be suppressed by a comment; set its severity in the configuration instead"]),
    ])

  static func check(_ outcome: SuppressionOutcome, _ context: inout RuleContext) {
    for problem in outcome.problems { context.report(problem.message, at: problem.range) }
    for entry in outcome.entries {
      for (rule, status) in zip(entry.directive.rules, entry.statuses) {
        switch status {
        case .unknown:
          let suggestion = RuleRegistry.idSuggestions.suggestion(for: rule.id).map { "; did you mean `\($0)`?" }
          context.report(
            "unknown rule `\(rule.id)` in this suppression\(suggestion ?? "; `yosan rules` lists the rule ids")", at: rule.range)
        case .notSuppressible:
          context.report("`\(rule.id)` cannot be suppressed by a comment; set its severity in the configuration instead", at: rule.range)
        case .used, .unused:
          break
        }
      }
    }
  }
}
