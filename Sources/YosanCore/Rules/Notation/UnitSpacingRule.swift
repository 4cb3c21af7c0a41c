import YosanSyntax

/// No space between a number and its unit.
enum UnitSpacingRule: FileRule, ItemRule {
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

  /// Sections' totals (items are item checks).
  static func check(_ context: inout RuleContext) {
    context.document.forEachSection { section in
      if let total = section.total { report(total.value, &context) }
    }
  }

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    for amount in context.scratch.values(of: item, in: context.file).spaced { report(amount, &context) }
  }

  static func report(_ amount: Amount, _ context: inout RuleContext) {
    guard let gap = amount.gapRange else { return }
    let number = context.text(amount.numberRange)
    let unit = context.text(amount.unitRange)
    context.report(
      "space between `\(number)` and `\(unit)`; write `\(number)\(unit)`", at: gap,
      fixes: [Fix(title: "remove the space", edits: [TextEdit(range: gap, replacement: "")], isSafe: true)])
  }
}
