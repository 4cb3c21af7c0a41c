/// Blocks nested where they mean nothing, and a second 予算 header.
enum MisplacedBlockRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "misplaced-block",
    category: .structure,
    defaultSeverity: .error,
    summary: "Blocks nest only as the format allows: 分野 and 事業 at the top or in a 分野, 内訳 and うち in a 事業 or a breakdown, one 予算 header first.",
    rationale: """
      A 内訳 outside an item has no total to add up to; a second 予算 header would give a file two
      fiscal years. Such blocks are not checked, so their figures would go unverified.
      """,
    examples: [
      .passing("予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n分野 \"研究\" {\n  事業 a \"t\" {\n    担当 = 医政局\n    要求額 = 1億円\n    内訳 {\n      費用 = 1億円\n    }\n  }\n}\n"),
      .failing("予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n«内訳» {\n  費用 = 1億円\n}\n", messages: ["a 内訳 belongs inside a 事業"]),
      .failing("予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n«予算» \"y\" {\n  年度 = 令和6年度\n  区分 = 概算要求\n}\n", messages: ["a second 予算 header; a file has one, first (the first is on line 1)"]),
    ])

  static func check(_ context: inout RuleContext) {
    for issue in context.document.issues {
      switch issue {
      case .misplacedBlock(_, let range, let hint):
        context.report(hint, at: range)
      case .duplicateHeader(let range, let first):
        context.report(
          "a second 予算 header; a file has one, first (the first is on line \(context.file.lineNumber(first.start)))", at: range,
          related: [RelatedLocation(range: first, message: "the file's header")])
      default:
        break
      }
    }
  }
}
