/// A 新規 item has no previous-year amount.
enum NewWithPreviousRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "new-with-previous",
    category: .tags,
    defaultSeverity: .error,
    summary: "An item tagged 新規 (new) has 前年度 = なし, not a previous-year amount.",
    rationale: """
      新規 means the item had no initial budget last year, so a previous-year amount contradicts
      it. The documents produce this by writing the kanji 一 for a dash before a unit: `(一億円)`
      reads as 1億円 (seed 003:5036, 5082) and `(一千万円)` as 1千万円 (003:4044). Money from an
      earlier 補正 is not a previous-year budget: 新規 with 補正 is fine.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 新規, 推進枠\n  担当 = 医政局研究開発政策課\n  要求額 = 25百万円\n  前年度 = なし\n  補正 = 令和5年度 25.0百万円\n}\n"),
      .failing(
        "事業 a \"t\" {\n  種別 = 新規, 推進枠\n  担当 = 健康・生活衛生局食品監視安全課\n  要求額 = 3.8億円\n  前年度 = «一億円»\n}\n",
        messages: ["a 新規 (new) item has a previous-year amount, `一億円` (1億円); write 前年度 = なし, or remove 新規 from 種別"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard item.has(.new), let facts = TagFacts(item), let previous = facts.previousAmount, !previous.yen.isZero else { return }
    let written = context.text(previous.range)
    let literal = previous.kanjiOneRange != nil ? " (\(previous.written))" : ""
    let key = context.text(item.previous!.location.keyRange)
    context.report(
      "a \(TagFacts.spelling(.new, in: item, context)) (new) item has a previous-year amount, `\(written)`\(literal); write \(key) = なし, or remove \(TagFacts.spelling(.new, in: item, context)) from \(context.text(item.tags!.location.keyRange))",
      at: previous.range)
  }
}
