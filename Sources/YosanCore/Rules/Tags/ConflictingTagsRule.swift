/// 種別 with both 新規 and 拡充.
enum ConflictingTagsRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "conflicting-tags",
    category: .tags,
    defaultSeverity: .error,
    summary: "An item is tagged 新規 (new) or 拡充 (expanded), not both.",
    rationale: """
      新規 says the item had no budget the previous year; 拡充 says it grows from the budget it
      had. Both cannot hold, so one of the tags is a slip, and the checks that follow from each
      (a 新規 item has 前年度 = なし, a 拡充 item does not decrease) contradict each other.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 新規, 推進枠\n  担当 = 老健局\n  要求額 = 3億円\n  前年度 = なし\n}\n"),
      .failing(
        "事業 a \"t\" {\n  種別 = 新規, «拡充»\n  担当 = 老健局\n  要求額 = 3億円\n  前年度 = 2億円\n}\n",
        messages: ["種別 has both 新規 (new) and 拡充 (expanded): an item had no budget last year or grows from the one it had, not both; keep the one that holds"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard let tags = item.tags, let new = tags.value.first(where: { $0.tag == .new }),
      let expanded = tags.value.first(where: { $0.tag == .expanded })
    else { return }
    // At the second of the two, as written.
    let later = new.range.start < expanded.range.start ? expanded : new
    context.report(
      "\(context.text(tags.location.keyRange)) has both \(context.text(new.range)) (new) and \(context.text(expanded.range)) (expanded): an item had no budget last year or grows from the one it had, not both; keep the one that holds",
      at: later.range)
  }
}
