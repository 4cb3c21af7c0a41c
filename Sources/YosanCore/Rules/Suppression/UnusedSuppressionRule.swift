import YosanSyntax

/// A suppression comment that suppresses nothing.
enum UnusedSuppressionRule: SuppressionRule {
  static let descriptor = RuleDescriptor(
    id: "unused-suppression",
    category: .suppression,
    defaultSeverity: .warning,
    summary: "A suppression comment must suppress a diagnostic that would otherwise be reported.",
    rationale: """
      A `# yosan: disable-…` comment outlives the problem it was written for: the figure gets
      corrected, the line moves, the rule changes. Left in place it hides the next real problem of
      that kind on the line. The fix removes the comment (its whole line when it stands alone), or
      only the rule ids that suppress nothing; it is safe, so `yosan check --fix` applies it.
      """,
    fix: .safe,
    examples: [
      .passing(
        """
        事業 a "タイトル" {
          担当 = 医政局
          # yosan: disable-next-line unknown-key -- 旧様式の項目名を残す
          要球額 = 1億円
        }
        """),
      .failing(
        """
        事業 a "タイトル" {
          担当 = 医政局
          «# yosan: disable-next-line unknown-key -- 旧様式の項目名を残す»
          要求額 = 1億円
        }
        """, messages: ["this suppression of `unknown-key` is unused: no `unknown-key` diagnostic on line 4; remove it"]),
      .failing(
        """
        事業 a "タイトル" {
          担当 = 医政局
          要球額 = 1億円  # yosan: disable-line unknown-key, «duplicate-key» -- 旧様式
        }
        """, messages: ["`duplicate-key` is not reported on line 3; remove it from this suppression"]),
      .failing(
        """
        «# yosan: disable-file missing-title -- 見出しのない様式»
        事業 a "タイトル" {
          担当 = 医政局
          要求額 = 1億円
        }
        """, messages: ["this suppression of `missing-title` is unused: no `missing-title` diagnostic in this file; remove it"]),
    ])

  static func check(_ outcome: SuppressionOutcome, _ context: inout RuleContext) {
    for entry in outcome.entries {
      let directive = entry.directive
      let unused = directive.rules.indices.filter { entry.statuses[$0] == .unused }
      guard !unused.isEmpty else { continue }
      let place = directive.targetLine.map { "on line \($0 + 1)" } ?? (directive.kind == .file ? "in this file" : "on the line after it")
      if unused.count == directive.rules.count {
        let names = directive.rules.map { "`\($0.id)`" }.joined(separator: ", ")
        let fix = Fix(
          title: "remove the unused suppression", edits: [TextEdit(range: directive.removalRange, replacement: "")], isSafe: true)
        context.report(
          "this suppression of \(names) is unused: no \(names) diagnostic \(place); remove it", at: directive.commentRange, fixes: [fix],
          tags: [.unnecessary])
        continue
      }
      for index in unused {
        let rule = directive.rules[index]
        // Delete the id with the separator after it (before it, for the last one).
        let range =
          index + 1 < directive.rules.count
          ? TextRange(start: rule.range.start, end: directive.rules[index + 1].range.start)
          : TextRange(start: directive.rules[index - 1].range.end, end: rule.range.end)
        let fix = Fix(title: "remove `\(rule.id)` from the suppression", edits: [TextEdit(range: range, replacement: "")], isSafe: true)
        context.report(
          "`\(rule.id)` is not reported \(place); remove it from this suppression", at: rule.range, fixes: [fix], tags: [.unnecessary])
      }
    }
  }
}
