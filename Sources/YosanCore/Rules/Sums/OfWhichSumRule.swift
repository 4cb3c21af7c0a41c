/// A `うち` (of which) adds up to at most its total.
enum OfWhichSumRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "of-which-sum",
    category: .sums,
    defaultSeverity: .error,
    summary: "The rows of a うち add up to at most its total, within the rounding of the figures shown.",
    rationale: """
      A うち lists some parts of a total ("of which: …"), so its rows need not add up to the
      total, but they cannot exceed it: the rows' smallest possible sum (each row at the low end
      of its rounding interval) must be at most the total's largest possible value. The total is
      the うち's own 小計/合計, else the row of its parent it details (when titled like one), else
      the nearest written total above it: the enclosing 内訳's total, or the item's 要求額.
      """,
    examples: [
      .passing(
        """
        事業 kosei-kagaku "厚生労働科学研究の促進" {
          担当 = 大臣官房厚生科学課
          要求額 = 109億円
          うち "補助金別" {
            厚生労働科学研究費補助金 = 68億円
            厚生労働行政推進調査事業費補助金 = 41億円
          }
        }
        """),
      .failing(
        """
        事業 amed "日本医療研究開発機構（AMED）における研究の推進" {
          担当 = 大臣官房厚生科学課
          要求額 = «527億円»
          うち "補助金別" {
            医療研究開発推進事業費補助金 = 395.7億円
            保健衛生医療調査等推進事業費補助金 = 140.2億円
          }
        }
        """,
        messages: [
          "the rows of うち `補助金別` add up to at least 535.8億円 ([535.8, 536]億円 with rounding), more than 要求額 `527億円` allows ([526.5, 527.5]億円); write `要求額 = 536億円` (9億円 more), or correct a row"
        ]),
    ])

  static let kinds: [SumCheck.Kind] = [.ofWhich]

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard item.breakdowns.contains(where: containsOfWhich) else { return }
    context.reportSums(of: item, kinds: kinds)
  }

  static func containsOfWhich(_ breakdown: Breakdown) -> Bool {
    if breakdown.kind == .ofWhich { return true }
    let children = breakdown.children
    for index in children.indices {
      if case .breakdown(let nested) = children[index], containsOfWhich(nested) { return true }
    }
    return false
  }
}
