/// A 国庫債務負担 range runs forward and contains the document's year.
enum MultiYearRangeRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "multi-year-range",
    category: .years,
    defaultSeverity: .error,
    summary: "A 国庫債務負担 range runs forward in time and contains the document's 年度.",
    rationale: """
      A multi-year contract authority (国庫債務負担行為) requested or carried in a document spans
      that document's year: 令和6年度〜8年度 in a 令和7年度 request. A range that ends before it
      starts, or that misses the document's year, has a wrong year in it.
      """,
    examples: [
      .passing(
        "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 a \"t\" {\n  担当 = 老健局\n  要求額 = 5.5億円\n  国庫債務負担 = 令和6年度〜8年度\n  国庫債務負担 = 令和7年度〜令和9年度\n}\n"
      ),
      .failing(
        "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 a \"t\" {\n  担当 = 老健局\n  要求額 = 5.5億円\n  国庫債務負担 = «令和8年度〜令和6年度»\n}\n",
        messages: ["国庫債務負担 `令和8年度〜令和6年度` ends before it starts; write 令和6年度〜令和8年度"]),
      .failing(
        "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 a \"t\" {\n  担当 = 老健局\n  要求額 = 5.5億円\n  国庫債務負担 = «令和8年度〜10年度»\n}\n",
        messages: ["国庫債務負担 `令和8年度〜10年度` does not include the document's year (令和7年度)"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    for field in item.multiYear {
      let range = field.value
      guard range.from.exists, range.to.exists else { continue }
      let key = context.text(field.location.keyRange)
      let written = context.text(range.from.range.union(range.to.range))
      if range.to.western < range.from.western {
        context.report(
          "\(key) `\(written)` ends before it starts; write \(range.to)〜\(range.from)", at: range.from.range.union(range.to.range))
      } else if let document = context.document.fiscalYear, document.exists,
        !(range.from.western...range.to.western).contains(document.western)
      {
        context.report("\(key) `\(written)` does not include the document's year (\(document))", at: range.from.range.union(range.to.range))
      }
    }
  }
}
