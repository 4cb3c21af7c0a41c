/// Items and sections without a title.
enum MissingTitleRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "missing-title",
    category: .structure,
    defaultSeverity: .warning,
    summary: "A 事業 or 分野 should have a quoted title.",
    rationale: """
      Reviewers read titles, not ids. The source documents print amounts with no title above them
      (catalog B1–B4), and nobody can tell which program such a figure funds.
      """,
    examples: [
      .passing("分野 \"研究\" {\n  事業 a \"タイトル\" {\n    担当 = 医政局\n    要求額 = 1億円\n  }\n}\n"),
      .failing("«事業» a {\n  担当 = 医政局\n  要求額 = 1億円\n}\n", messages: ["事業 without a title; write it in quotes after the keyword"]),
    ])

  static func check(_ context: inout RuleContext) {
    for case .missingTitle(let block, let range) in context.document.issues {
      context.report("\(block.japanese) without a title; write it in quotes after the keyword", at: range)
    }
  }
}
