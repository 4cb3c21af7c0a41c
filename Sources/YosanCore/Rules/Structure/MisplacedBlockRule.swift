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

      A common slip is a 予算 header whose `}` is written at the end of the file, so that it holds
      every 分野 and 事業. That is reported once, at the first of them, and they are checked as if
      the header had been closed before them: every finding inside is still reported, and
      `export` sees the items. The safe fix moves the `}` up, after the header's entries.
      """,
    fix: .safe,
    examples: [
      .passing("予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n分野 \"研究\" {\n  事業 a \"t\" {\n    担当 = 医政局\n    要求額 = 1億円\n    内訳 {\n      費用 = 1億円\n    }\n  }\n}\n"),
      .failing("予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n«内訳» {\n  費用 = 1億円\n}\n", messages: ["a 内訳 belongs inside a 事業"]),
      .failing("予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n«予算» \"y\" {\n  年度 = 令和6年度\n  区分 = 概算要求\n}\n", messages: ["a second 予算 header; a file has one, first (the first is on line 1)"]),
      .failing(
        "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n\n«事業» a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n\n事業 b \"u\" {\n  担当 = 医政局\n  要求額 = 2億円\n}\n}\n",
        messages: [
          "the 予算 header's `}` is on line 14, after the 2 blocks that follow its entries; they are checked as if it were closed before line 5: move the `}` there"
        ]),
    ])

  static func check(_ context: inout RuleContext) {
    for issue in context.document.issues {
      switch issue {
      case .misplacedBlock(let kind, let parent, let range):
        context.report(message(kind: kind, parent: parent), at: range)
      case .blocksInsideHeader(let first, let count, let closer, let fix):
        let blocks = count == 1 ? "the block" : "the \(count) blocks"
        let closed = closer.map { "is on line \(context.file.lineNumber($0.start))" } ?? "comes"
        context.report(
          "the 予算 header's `}` \(closed), after \(blocks) that follow\(count == 1 ? "s" : "") its entries; \(count == 1 ? "it is" : "they are") checked as if it were closed before line \(context.file.lineNumber(first.start)): move the `}` there",
          at: first, related: closer.map { [RelatedLocation(range: $0, message: "the 予算 header's `}`")] } ?? [],
          fixes: fix.map { [Fix(title: "move the 予算 header's `}` before its first block", edits: $0, isSafe: true)] } ?? [])
      case .duplicateHeader(let range, let first):
        context.report(
          "a second 予算 header; a file has one, first (the first is on line \(context.file.lineNumber(first.start)))", at: range,
          related: [RelatedLocation(range: first, message: "the file's header")])
      default:
        break
      }
    }
  }

  /// What to say of a block of kind `kind` inside one of kind `parent` (nil: at the top).
  static func message(kind: BlockKind, parent: BlockKind?) -> String {
    switch parent {
    case nil:
      return kind == .budget ? "the 予算 header must come before every 分野 and 事業" : "a \(kind.japanese) belongs inside a 事業"
    case .budget:
      return "the 予算 header holds only its entries"
    case .breakdown, .ofWhich:
      return "a \(parent!.japanese) holds only rows and nested 内訳/うち blocks"
    case .section, .item:
      if kind == .budget { return "the 予算 header belongs at the top of the file" }
      if kind == .section { return "a 分野 cannot be inside a 事業; use a sub-item (事業) instead" }
      return "a \(kind.japanese) belongs inside a 事業"
    }
  }
}
