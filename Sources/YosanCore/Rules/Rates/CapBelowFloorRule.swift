/// 上限額 is at least 下限額.
enum CapBelowFloorRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "cap-below-floor",
    category: .rates,
    defaultSeverity: .error,
    summary: "上限額 (the cap) is at least 下限額 (the floor), compared in yen.",
    rationale: """
      A subsidy between 80万円 and 1,540万円 per facility makes sense; one capped below its floor
      cannot be paid. The two are compared as exact yen, so 1,540万円 and 15.4百万円 are equal.
      When both say what they are per (1施設当たり) and the two differ, they are not compared.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 老健局高齢者支援課\n  要求額 = 12億円\n  上限額 = 1施設当たり 1,540万円\n  下限額 = 1施設当たり 80万円\n}\n"),
      .failing(
        "事業 a \"t\" {\n  担当 = 老健局高齢者支援課\n  要求額 = 12億円\n  上限額 = 1施設当たり «80万円»\n  下限額 = 1施設当たり 1,540万円\n}\n",
        messages: ["上限額 `80万円` is below 下限額 `1,540万円`; the cap must be at least the floor"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard let cap = item.cap, let floor = item.floor else { return }
    if let a = cap.value.per, let b = floor.value.per, a != b { return }
    guard cap.value.amount.yen < floor.value.amount.yen else { return }
    context.report(
      "\(context.text(cap.location.keyRange)) `\(context.text(cap.value.amount.range))` is below \(context.text(floor.location.keyRange)) `\(context.text(floor.value.amount.range))`; the cap must be at least the floor",
      at: cap.value.amount.range, related: [RelatedLocation(range: floor.value.amount.range, message: "the floor")])
  }
}
