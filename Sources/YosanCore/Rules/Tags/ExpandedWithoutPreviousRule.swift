/// A 拡充 item has a previous year.
enum ExpandedWithoutPreviousRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "expanded-without-previous",
    category: .tags,
    defaultSeverity: .error,
    summary: "An item tagged 拡充 (expanded) has a previous-year budget, not 前年度 = なし.",
    rationale: """
      拡充 expands an existing item; with no previous-year budget there is nothing to expand, and
      the item is new (新規). Seed 003:2800 prints a 拡充 item whose previous year is `（一）`.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 拡充, 推進枠\n  担当 = 老健局\n  要求額 = 内数(33億円)\n  前年度 = 内数(20億円)\n}\n"),
      .failing(
        "事業 a \"t\" {\n  種別 = 拡充, 推進枠\n  担当 = 老健局\n  要求額 = 内数(33億円)\n  前年度 = «なし»\n}\n",
        messages: ["a 拡充 (expanded) item has 前年度 = なし: there is nothing to expand; write the previous year's budget, or tag the item 新規"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard item.has(.expanded), let previous = item.previous, previous.value.isNone else { return }
    context.report(
      "a \(TagFacts.spelling(.expanded, in: item, context)) (expanded) item has \(context.text(previous.location.keyRange)) = なし: there is nothing to expand; write the previous year's budget, or tag the item 新規",
      at: previous.value.range)
  }
}
