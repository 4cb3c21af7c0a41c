/// A 推進枠 item requests more than last year.
enum PriorityWithoutIncreaseRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "priority-without-increase",
    category: .tags,
    defaultSeverity: .warning,
    summary: "An item tagged 推進枠 (priority frame) requests more than its previous year.",
    rationale: """
      The 重要政策推進枠 is money requested above an item's base, so a 推進枠 item that requests
      no more than last year is suspicious: the tag, or a figure, is probably wrong (seed 003:481,
      1099 and 5115 print equal amounts). The written figures are compared; 内数 amounts and
      requests with 事項要求 are not. A new item (前年度 = なし) is an increase.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 拡充, 推進枠\n  担当 = 医政局\n  要求額 = 9.3億円\n  前年度 = 4.4億円\n}\n"),
      .failing(
        "事業 a \"t\" {\n  種別 = 推進枠\n  担当 = 医薬局\n  要求額 = «33百万円»\n  前年度 = 33百万円\n}\n",
        messages: [
          "a 推進枠 (priority frame) item requests 33百万円, no more than its previous year's 33百万円; 推進枠 money is an increase: check the figures, or remove 推進枠"
        ]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard item.has(.priority), let (request, previous) = TagFacts(item)?.amounts, !(previous.yen < request.yen) else { return }
    let tag = TagFacts.spelling(.priority, in: item, context)
    context.report(
      "a \(tag) (priority frame) item requests \(context.text(request.range)), no more than its previous year's \(context.text(previous.range)); \(tag) money is an increase: check the figures, or remove \(tag)",
      at: request.range, related: [RelatedLocation(range: previous.range, message: "the previous year")])
  }
}
