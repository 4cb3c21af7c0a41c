/// An item with no previous year is tagged 新規.
enum MissingNewTagRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "missing-new-tag",
    category: .tags,
    defaultSeverity: .warning,
    summary: "An item whose 前年度 is なし is tagged 新規 (new).",
    rationale: """
      An item with no previous-year budget is new, and the documents tag new items 新規: the tag
      is what readers filter on. Seven items of seed 003 print `(-)` without the tag (catalog
      A10). A sub-item of a 新規 item is new with it. An item tagged 拡充 instead is
      `expanded-without-previous`'s error, not reported twice.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 新規\n  担当 = 医政局\n  要求額 = 3.9億円\n  前年度 = なし\n}\n"),
      .passing(
        "事業 a \"t\" {\n  種別 = 新規\n  担当 = 医政局\n  要求額 = 3.9億円\n  前年度 = なし\n  事業 b \"子\" {\n    要求額 = 3.9億円\n    前年度 = なし\n  }\n}\n"),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 3.9億円\n  前年度 = «なし»\n}\n",
        messages: ["前年度 = なし, but the item is not tagged 新規 (new); add 種別 = 新規, or write the previous year's budget"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard let previous = item.previous, previous.value.isNone, !item.has(.new), !item.has(.expanded),
      !ancestors.contains(where: { $0.has(.new) })
    else { return }
    let tags = item.tags.map { context.text($0.location.keyRange) } ?? "種別"
    context.report(
      "\(context.text(previous.location.keyRange)) = なし, but the item is not tagged 新規 (new); add \(tags) = 新規, or write the previous year's budget",
      at: previous.value.range)
  }
}
