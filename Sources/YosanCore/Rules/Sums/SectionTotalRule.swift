/// A `分野`'s `合計` adds up its items and nested sections.
enum SectionTotalRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "section-total",
    category: .sums,
    defaultSeverity: .error,
    summary: "A 分野's 合計 equals the requests of its items and nested sections, within rounding.",
    rationale: """
      A section that declares a 合計 promises that its items add up to it. Items tagged 再掲
      (restated from another section) and requests that are 内数 of something else are not
      added; a nested 分野 counts as its own 合計, or as its items when it has none.
      """,
    fix: .unsafe,
    examples: [
      .passing(
        """
        分野 "研究開発によるイノベーションの推進" {
          合計 = 546億円
          事業 genome "がん・難病の全ゲノム解析等の推進事業" {
            担当 = 医政局研究開発政策課
            要求額 = 19億円
          }
          事業 amed "日本医療研究開発機構（AMED）における研究の推進" {
            担当 = 大臣官房厚生科学課
            要求額 = 527億円
          }
          事業 amed-saikei "AMED（再掲）" {
            種別 = 再掲
            担当 = 大臣官房厚生科学課
            要求額 = 527億円
          }
        }
        """),
      .failing(
        """
        分野 "研究開発によるイノベーションの推進" {
          合計 = «550億円»
          事業 genome "がん・難病の全ゲノム解析等の推進事業" {
            担当 = 医政局研究開発政策課
            要求額 = 19億円
          }
          事業 amed "日本医療研究開発機構（AMED）における研究の推進" {
            担当 = 大臣官房厚生科学課
            要求額 = 527億円
          }
        }
        """,
        messages: [
          "the items of 分野 `研究開発によるイノベーションの推進` add up to 546億円 ([545, 547]億円 with rounding), but 合計 `550億円` stands for [549.5, 550.5]億円; write `合計 = 547億円` (3億円 less), or correct an item"
        ]),
    ])

  static let kinds: [SumCheck.Kind] = [.sectionTotal]

  /// A section's members are named in the report (their amounts and places).
  static let reportsItemPlacesFromShell = true

  static func check(_ context: inout RuleContext) {
    let file = context.file
    file.document.forEachSection { section in
      guard section.total != nil, let quick = SumChecks.evaluate(section, in: file, collecting: false) else { return }
      SumReporting.report([quick], { SumChecks.evaluate(section, in: file).map { [$0] } ?? [] }, kinds: kinds, &context)
    }
  }
}
