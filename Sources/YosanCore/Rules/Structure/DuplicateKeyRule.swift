/// A key written twice in one block.
enum DuplicateKeyRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "duplicate-key",
    category: .structure,
    defaultSeverity: .error,
    summary: "A key may appear only once in a block (except 補正, 国庫債務負担 and 備考), and a breakdown's row labels must differ.",
    rationale: """
      Two 要求額 in one item, or two rows with the same label in one 内訳, leave the reader to guess
      which is meant; the second one is ignored. 要求額 and 予算額 are the same slot and count as one
      key.
      """,
    examples: [
      .passing("事業 a \"タイトル\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補正 = 令和5年度 1億円\n  補正 = 令和4年度 2億円\n}\n"),
      .failing("事業 a \"タイトル\" {\n  担当 = 医政局\n  要求額 = 1億円\n  «要求額» = 2億円\n}\n", messages: ["`要求額` is written twice in this block; the first is on line 3"]),
      .failing("事業 a \"タイトル\" {\n  担当 = 医政局\n  要求額 = 3億円\n  内訳 {\n    研究費 = 1億円\n    «研究費» = 2億円\n  }\n}\n", messages: ["`研究費` is written twice in this block; the first is on line 5"]),
    ])

  static func check(_ context: inout RuleContext) {
    for case .duplicateKey(let name, let range, let first) in context.document.issues {
      context.report(
        "`\(name)` is written twice in this block; the first is on line \(context.file.lineNumber(first.start))", at: range,
        related: [RelatedLocation(range: first, message: "first written here")])
    }
  }
}
