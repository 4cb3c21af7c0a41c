/// A 拡充 item does not request less than last year.
enum ExpandedDecreaseRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "expanded-decrease",
    category: .tags,
    defaultSeverity: .warning,
    summary: "An item tagged 拡充 (expanded) does not request less than its previous year.",
    rationale: """
      An expansion that costs less than last year is possible (a cheaper scheme with a wider
      scope) but unusual enough to check: most often the tag or a figure is wrong. The written
      figures are compared; 内数 amounts are shares of something else and are not compared, nor is
      a request with 事項要求, whose amount is not final.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 拡充\n  担当 = 老健局\n  要求額 = 252億円\n  前年度 = 252億円\n}\n"),
      .failing(
        "事業 a \"t\" {\n  種別 = 拡充\n  担当 = 医薬局\n  要求額 = «39百万円»\n  前年度 = 46百万円\n}\n",
        messages: ["a 拡充 (expanded) item requests 39百万円, less than its previous year's 46百万円; check the figures, or remove 拡充"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard item.has(.expanded), let (request, previous) = TagFacts(item)?.amounts, request.yen < previous.yen else { return }
    let tag = TagFacts.spelling(.expanded, in: item, context)
    context.report(
      "a \(tag) (expanded) item requests \(context.text(request.range)), less than its previous year's \(context.text(previous.range)); check the figures, or remove \(tag)",
      at: request.range, related: [RelatedLocation(range: previous.range, message: "the previous year")])
  }
}
