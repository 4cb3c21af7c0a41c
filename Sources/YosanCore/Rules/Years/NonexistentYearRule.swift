import YosanSyntax

/// Era years that do not exist: 令和0年度, 平成35年度.
enum NonexistentYearRule: FileRule, ItemRule {
  static let descriptor = RuleDescriptor(
    id: "nonexistent-year",
    category: .years,
    defaultSeverity: .error,
    summary: "Every era year written exists: 令和 starts at 元年 (2019), 平成 runs from 元年 (1989) to 31年 (2019); a western year after an era (令和2025年度) is none.",
    rationale: """
      `令和0年度` and `平成35年度` read like years but name none: the first is a typo, the second a
      平成 year carried past the change of era (平成35年度 would be 令和5年度). An era followed by a
      western year (`令和2025年度`) and a 令和 year beyond 99 are mistakes too. Years are checked
      wherever they are written: the header's 年度, 補正, 国庫債務負担, rate transitions, and the
      titles and row labels of blocks.
      """,
    examples: [
      .passing(
        "予算 \"令和元年度 概算要求\" {\n  年度 = 令和元年度\n  区分 = 概算要求\n}\n事業 a \"平成31年度からの継続\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補正 = 平成30年度 1億円\n}\n"),
      .failing("予算 \"x\" {\n  年度 = «令和0年度»\n  区分 = 概算要求\n}\n", messages: ["`令和0年度` does not exist: 令和 starts with 令和元年度 (2019)"]),
      .failing(
        "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補正 = «平成35年度» 2億円\n}\n",
        messages: ["`平成35年度` does not exist: 平成 ended with 平成31年度 (2019); 2023 is 令和5年度"]),
      .failing(
        "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n分野 \"«令和0年度»からの取組\" {\n}\n",
        messages: ["`令和0年度` does not exist: 令和 starts with 令和元年度 (2019)"]),
      .failing(
        "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補正 = «令和2024年度» 2億円\n}\n",
        messages: ["`令和2024年度` does not exist: 2024 is a western year, not a 令和 year; write 2024年度 or 令和6年度"]),
    ])

  /// The header and the sections' titles.
  static func check(_ context: inout RuleContext) {
    let document = context.document
    // A run of units sees the header only for its settings.
    if context.part.isShell, let year = document.header?.fiscalYear?.value { report(year, &context) }
    if context.part.isShell, let title = document.header?.title { reportMentions(title.range, &context) }
    document.forEachSection { section in
      if let title = section.title { reportMentions(title.range, &context) }
    }
  }

  /// An item's title, 補正, 国庫債務負担, rate and breakdowns.
  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    if let title = item.title { reportMentions(title.range, &context) }
    for supplementary in item.supplementary { report(supplementary.value.year, &context) }
    for multiYear in item.multiYear {
      report(multiYear.value.from, &context)
      report(multiYear.value.to, &context)
    }
    if case .transition(let steps)? = item.rate?.value {
      for step in steps { if let year = step.year { report(year, &context) } }
    }
    guard !item.breakdowns.isEmpty else { return }
    let values = context.scratch.values(of: item, in: context.file)
    for title in values.titlesWithYear { reportMentions(title.range, &context) }
    for label in values.labelsWithYear { reportMentions(label, &context) }
  }

  static func reportMentions(_ range: TextRange, _ context: inout RuleContext) {
    guard let mentions = YearMentions(range, in: context.file) else { return }
    for (year, _) in mentions.mentions { report(year, &context) }
  }

  static func report(_ year: FiscalYear, _ context: inout RuleContext) {
    guard !year.exists else { return }
    let written = context.text(year.range)
    if year.era != .western, year.eraYear >= 1000 {
      // An era followed by a western year (令和2025年度).
      context.report(
        "`\(written)` does not exist: \(year.eraYear) is a western year, not a \(year.era.rawValue) year; write \(year.eraYear)年度 or \(FiscalYear.canonicalName(western: year.eraYear))",
        at: year.range)
      return
    }
    switch year.era {
    case .reiwa where year.eraYear > FiscalYear.lastPlausibleReiwaYear:
      context.report(
        "`\(written)` does not exist: 令和 years are counted from 令和元年度 (2019), and \(year.eraYear) is far beyond today; write the year as 令和7年度 or 2025年度",
        at: year.range)
    case .reiwa:
      context.report("`\(written)` does not exist: 令和 starts with 令和元年度 (2019)", at: year.range)
    case .heisei where year.eraYear > 31:
      context.report(
        "`\(written)` does not exist: 平成 ended with 平成31年度 (2019); \(year.western) is \(FiscalYear.canonicalName(western: year.western))",
        at: year.range)
    default:
      context.report("`\(written)` does not exist: era years start at 元年 (1)", at: year.range)
    }
  }
}
