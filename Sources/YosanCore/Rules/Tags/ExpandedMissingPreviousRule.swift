/// A 拡充 item that says nothing of its previous year.
enum ExpandedMissingPreviousRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "expanded-missing-previous",
    category: .tags,
    defaultSeverity: .warning,
    summary: "An item tagged 拡充 (expanded) states its previous-year budget (前年度).",
    rationale: """
      拡充 expands last year's budget, so the item has one (the format's spec says so), and the
      reviewer compares the two: without 前年度 the expansion cannot be seen, and the tag rules
      that compare the years (a 拡充 that decreases) check nothing. Seed 003:2832 prints a 拡充
      sheet with no amount line at all (catalog B7).

      A warning, not an error: the figure may only be missing from the transcription. Write it;
      or `前年度 = 内数(ID)` when it is a share of another item's, or `前年度 = 記載なし` when the
      source states none (then nothing is compared). `前年度 = なし` says there was none, which
      `expanded-without-previous` reports.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 拡充\n  担当 = 老健局\n  要求額 = 3億円\n  前年度 = 2億円\n}\n"),
      .passing("事業 a \"t\" {\n  種別 = 拡充\n  担当 = 老健局\n  要求額 = 3億円\n  前年度 = 記載なし\n}\n"),
      .failing(
        "«事業 a \"t\"» {\n  種別 = 拡充, 推進枠\n  担当 = 老健局\n  要求額 = 3億円\n}\n",
        messages: ["事業 `a` is tagged 拡充 (expanded) but states no 前年度 (previous year); add its previous-year budget, like 前年度 = 2.5億円"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard item.has(.expanded), item.previous == nil, !item.entries.contains(where: { $0.key == .previous }) else { return }
    let name = item.id.map { "事業 `\($0.id)`" } ?? "this 事業"
    context.report(
      "\(name) is tagged \(TagFacts.spelling(.expanded, in: item, context)) (expanded) but states no 前年度 (previous year); add its previous-year budget, like 前年度 = 2.5億円",
      at: item.headerRange)
  }
}
