import YosanSyntax

/// No space between a number and its unit.
enum UnitSpacingRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "unit-spacing",
    category: .notation,
    defaultSeverity: .style,
    summary: "An amount is written without a space between the number and the unit: 1.4億円, not 1.4 億円.",
    rationale: """
      The documents write `1.4 億円` and `1.4億円` for the same figure (seed 003:337, 608, 1214 …).
      One spelling makes amounts easy to search and compare; the fix removes the space.
      """,
    fix: .safe,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1.4億円\n}\n"),
      .failing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 90« »百万円\n}\n", messages: ["space between `90` and `百万円`; write `90百万円`"]),
    ])

  static func check(_ context: inout RuleContext) {
    let file = context.file
    var found: [(TextRange, String)] = []
    NotationWalk.forEachAmount(in: context.document) { amount, _ in
      guard let gap = amount.gapRange else { return }
      let number = file.text(amount.numberRange)
      let unit = file.text(amount.unitRange)
      found.append((gap, "space between `\(number)` and `\(unit)`; write `\(number)\(unit)`"))
    }
    for (gap, message) in found {
      context.report(message, at: gap, fixes: [Fix(title: "remove the space", edits: [TextEdit(range: gap, replacement: "")], isSafe: true)])
    }
  }
}
