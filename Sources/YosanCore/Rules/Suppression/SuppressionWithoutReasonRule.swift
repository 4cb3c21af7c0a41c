import YosanSyntax

/// A suppression comment that does not say why.
enum SuppressionWithoutReasonRule: SuppressionRule {
  static let descriptor = RuleDescriptor(
    id: "suppression-without-reason",
    category: .suppression,
    defaultSeverity: .warning,
    summary: "A suppression comment must give its reason after `--`.",
    rationale: """
      Budget figures are audited. A finding that is silenced must say why, so that the next reader
      (or the auditor) can tell a deliberate exception — a figure copied as printed in the source
      document — from a problem swept under the rug. Write the reason after `--`:
      `# yosan: disable-line unit-spacing -- 原本の表記どおり`. The suppression works without one,
      but this rule reports it.
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
          要球額 = 1億円  «# yosan: disable-line unknown-key»
        }
        """, messages: ["this suppression gives no reason; add one after `--`, like `# yosan: disable-line unknown-key -- 原本の表記どおり`"]),
      .failing(
        """
        事業 a "タイトル" {
          担当 = 医政局
          «# yosan: disable-next-line unknown-key --»
          要球額 = 1億円
        }
        """, messages: ["this suppression gives no reason; add one after `--`, like `# yosan: disable-next-line unknown-key -- 原本の表記どおり`"]),
    ])

  static func check(_ outcome: SuppressionOutcome, _ context: inout RuleContext) {
    for entry in outcome.entries where entry.directive.reason == nil {
      // A suppression that is entirely unused is reported (and removed) by `unused-suppression`.
      if entry.statuses.allSatisfy({ $0 == .unused }) { continue }
      let directive = entry.directive
      let ids = directive.rules.map(\.id).joined(separator: ", ")
      context.report(
        "this suppression gives no reason; add one after `--`, like `# yosan: \(directive.kind.rawValue) \(ids) -- 原本の表記どおり`",
        at: directive.commentRange)
    }
  }
}
