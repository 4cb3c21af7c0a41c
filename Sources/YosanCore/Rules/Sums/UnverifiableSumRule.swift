import YosanSyntax

/// A sum with an approximate (`約`) figure, or a row that cannot be read, cannot be checked: said
/// once, as information.
enum UnverifiableSumRule: FileRule, ItemRule {
  static let descriptor = RuleDescriptor(
    id: "unverifiable-sum",
    category: .sums,
    defaultSeverity: .info,
    summary: "A sum that involves an approximate amount (約), or a row whose amount cannot be read, cannot be verified; it is reported once, as information.",
    rationale: """
      `約106億円` says the figure is approximate without saying how far off it may be, so it has no
      rounding interval and no sum that involves it can be proved or disproved. Rather than stay
      silent (a reader would think the sum was checked) or guess a tolerance, Yosan says once per
      sum that it could not be checked, and points at the approximate figures.

      The same goes for a row whose amount cannot be read (empty, `一` alone, malformed): the row
      has its own diagnostic, and the sum it belongs to is reported here rather than skipped.
      """,
    examples: [
      .passing(
        """
        事業 genome "がん・難病の全ゲノム解析等の推進" {
          担当 = 医政局研究開発政策課
          要求額 = 内数(約106億円)
          前年度 = 内数(約89億円)
        }
        """),
      .failing(
        """
        事業 kokuho "国保改革による財政支援の拡充" {
          担当 = 保険局国民健康保険課
          要求額 = «3,071億円»
          内訳 {
            保険者努力支援制度 = 約1,000億円
            財政調整機能の強化 = 2,071億円
          }
        }
        """,
        messages: ["this 内訳 cannot be checked against 要求額 `3,071億円`: `約1,000億円` is approximate, so it has no rounding interval"]),
      .failing(
        """
        事業 kokuho "国保改革による財政支援の拡充" {
          担当 = 保険局国民健康保険課
          要求額 = «3,071億円»
          内訳 {
            保険者努力支援制度 = 1,000億円
            財政調整機能の強化 =
          }
        }
        """,
        messages: ["this 内訳 cannot be checked against 要求額 `3,071億円`: the row `財政調整機能の強化` has no amount that can be read"]),
    ])

  /// A section's members are named in the report (their amounts and places).
  static let reportsItemPlacesFromShell = true

  /// The sections' totals.

  static func check(_ context: inout RuleContext) {
    let file = context.file
    file.document.forEachSection { section in
      guard section.total != nil, let quick = SumChecks.evaluate(section, in: file, collecting: false), quick.status == .unverifiable,
        !quick.overflow,
        let check = SumChecks.evaluate(section, in: file)
      else { return }
      report(check, &context)
    }
  }

  /// An item's sums.
  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard !item.breakdowns.isEmpty || !item.subItems.isEmpty || item.bookedBy != nil else { return }
    let file = context.file
    guard context.scratch.sums(of: item, in: file).contains(where: { $0.status == .unverifiable && !$0.overflow }) else { return }
    for check in SumChecks.evaluate(item, in: file) { report(check, &context) }
  }

  static func report(_ check: SumCheck, _ context: inout RuleContext) {
    guard check.status == .unverifiable, !check.overflow, !check.approximate.isEmpty || !check.unreadable.isEmpty else { return }
    let file = context.file
    let (noun, _) = SumReporting.subject(check, file)
    let label = check.totalLabel(in: file)
    let against = check.kind == .detailRow ? "the row `\(label)` it details" : "\(label) `\(file.text(check.totalRange))`"
    func list(_ ranges: [TextRange]) -> String { ranges.map { "`\(file.text($0))`" }.joined(separator: ", ") }
    var reasons: [String] = []
    if !check.unreadable.isEmpty {
      let rows = check.unreadable.count == 1 ? "the row \(list(check.unreadable)) has" : "the rows \(list(check.unreadable)) have"
      reasons.append("\(rows) no amount that can be read")
    }
    if let first = check.approximate.first {
      let approximate =
        check.approximate.count == 1 ? "`\(file.text(first))` is approximate" : "\(list(check.approximate)) are approximate"
      reasons.append("\(approximate), so \(check.approximate.count == 1 ? "it has" : "they have") no rounding interval")
    }
    let related =
      check.unreadable.map { RelatedLocation(range: $0, message: "no amount that can be read") }
      + check.approximate.map { RelatedLocation(range: $0, message: "approximate (約)") }
    context.report("\(noun) cannot be checked against \(against): \(reasons.joined(separator: "; "))", at: check.totalRange, related: related)
  }
}
