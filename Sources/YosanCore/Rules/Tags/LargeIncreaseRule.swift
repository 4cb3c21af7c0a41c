/// A request far above last year is tagged 拡充.
enum LargeIncreaseRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "large-increase",
    category: .tags,
    defaultSeverity: .info,
    summary: "A request more than `growth-threshold` times (2 by default) its previous year carries the 拡充 (expanded) tag.",
    rationale: """
      An item that more than doubles is usually expanded, and readers look for the tag; without
      it, either the tag or a figure may be missing or wrong (seed 003:3614 requests 1.5億円
      against 1百万円). The threshold is the configuration's `growth-threshold`. New items (新規)
      have no previous year to compare with, and 内数 amounts are not compared.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 拡充\n  担当 = 医政局\n  要求額 = 19億円\n  前年度 = 2.1億円\n}\n"),
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 11億円\n  前年度 = 2.5億円\n}\n", configuration: ["growth-threshold": "5"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 大臣官房国際課\n  要求額 = «1.5億円»\n  前年度 = 1百万円\n}\n",
        messages: [
          "the request 1.5億円 is 150 times the previous year's 1百万円, but the item is not tagged 拡充 (expanded); add 種別 = 拡充, or check the figures"
        ]),
      .failing(
        "事業 a \"t\" {\n  担当 = 健康・生活衛生局\n  要求額 = «11億円»\n  前年度 = 2.5億円\n}\n",
        messages: [
          "the request 11億円 is 4.4 times the previous year's 2.5億円, but the item is not tagged 拡充 (expanded); add 種別 = 拡充, or check the figures"
        ]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard !item.has(.expanded), !item.has(.new), let (request, previous) = TagFacts(item)?.amounts, !previous.yen.isNegative,
      !previous.yen.isZero,
      let r = Rational(request.yen), let p = Rational(previous.yen),
      let limit = context.file.configuration.growthThreshold.multiplied(by: p), limit < r,
      let ratio = r.multiplied(by: Rational(p.denominator, p.numerator)!)
    else { return }
    let tags = item.tags.map { context.text($0.location.keyRange) } ?? "種別"
    context.report(
      "the request \(context.text(request.range)) is \(times(ratio)) times the previous year's \(context.text(previous.range)), but the item is not tagged 拡充 (expanded); add \(tags) = 拡充, or check the figures",
      at: request.range, related: [RelatedLocation(range: previous.range, message: "the previous year")])
  }

  /// A ratio with one decimal (rounded half up), without a trailing `.0`: `4.4`, `150`.
  static func times(_ ratio: Rational) -> String {
    let (tenths, overflow) = ratio.numerator.multipliedReportingOverflow(by: 10)
    guard !overflow else { return ratio.description }
    let q = (tenths + ratio.denominator / 2) / ratio.denominator
    return ExactDecimal(significand: q, exponent: -1).normalized().formatted(grouping: true)
  }
}
