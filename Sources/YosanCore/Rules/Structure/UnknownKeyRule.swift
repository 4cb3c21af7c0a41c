/// Keys that the format does not know, with a did-you-mean.
enum UnknownKeyRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "unknown-key",
    category: .structure,
    defaultSeverity: .error,
    summary: "Every key must be one of the format's keys, in its Japanese spelling or its alias.",
    rationale: """
      A mistyped key (要球額 for 要求額) silently drops a figure: the item then seems to have no
      request at all, or a previous-year amount goes unchecked. Yosan knows every key in both
      spellings and suggests the closest one (never the word itself: a block keyword written as a
      key, `事業 = x`, is told how a block is written). Rows of a 内訳 or うち are free labels and
      never unknown.
      """,
    fix: .unsafe,
    examples: [
      .passing(
        """
        事業 a "タイトル" {
          担当 = 医政局
          要求額 = 7.9億円
          request = 7.9億円
        }
        """, configuration: ["duplicate-key": "off"]),
      .failing(
        """
        事業 a "タイトル" {
          担当 = 医政局
          «要球額» = 7.9億円
        }
        """, messages: ["unknown key `要球額` in a 事業; did you mean `要求額`?"]),
      .failing(
        """
        予算 "令和7年度" {
          «年後» = 令和7年度
          区分 = 概算要求
        }
        """, messages: ["unknown key `年後` in a 予算; did you mean `年度`?"]),
      .failing(
        """
        事業 a "タイトル" {
          担当 = 医政局
          要求額 = 7.9億円
          «item» = b
        }
        """, messages: ["`item` is a block keyword, not a key: write a 事業 block as `item ID \"title\" { … }`"]),
    ])

  static func check(_ context: inout RuleContext) {
    for case .unknownKey(let name, let range, let block, let suggestion) in context.document.issues {
      if let suggestion {
        context.report(
          "unknown key `\(name)` in a \(block.japanese); did you mean `\(suggestion)`?", at: range,
          fixes: [Fix(title: "replace `\(name)` with `\(suggestion)`", edits: [TextEdit(range: range, replacement: suggestion)], isSafe: false)])
      } else if let kind = BlockKind.spelled(name) {
        let place = kind == .budget ? " at the top of the file" : ""
        context.report(
          "`\(name)` is a block keyword, not a key: write a \(kind.japanese) block as `\(kind.shape(keyword: name))`\(place)", at: range)
      } else {
        let keys = Catalog.keys(in: block).map(\.japanese).joined(separator: ", ")
        context.report("unknown key `\(name)` in a \(block.japanese); the keys here are \(keys)", at: range)
      }
    }
  }
}
