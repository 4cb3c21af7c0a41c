/// A 補正 is money of an earlier year.
enum SupplementaryYearRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "supplementary-year",
    category: .years,
    defaultSeverity: .error,
    summary: "The year of a 補正 (supplementary budget) comes before the document's 年度.",
    rationale: """
      An item sheet lists supplementary money already granted in earlier years (令和5年度補正予算額
      in a 令和7年度 request). A 補正 of the document's own year or a later one has not happened:
      the year, or the document's 年度, is wrong.
      """,
    examples: [
      .passing(
        "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 2.4億円\n  補正 = 令和4年度第2次 3.0億円\n  補正 = 令和5年度 4.5億円\n}\n"),
      .failing(
        "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 2.4億円\n  補正 = «令和7年度» 4.5億円\n}\n",
        messages: ["補正 `令和7年度` is not before the document's year (令和7年度); a 補正 is supplementary money of an earlier year"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard !item.supplementary.isEmpty, let document = context.document.fiscalYear, document.exists else { return }
    for field in item.supplementary where field.value.year.exists && field.value.year.western >= document.western {
      context.report(
        "\(context.text(field.location.keyRange)) `\(context.text(field.value.year.range))` is not before the document's year (\(document)); a 補正 is supplementary money of an earlier year",
        at: field.value.year.range)
    }
  }
}
