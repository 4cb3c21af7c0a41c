/// Item ids that are not identifiers, and ids on blocks that take none.
enum InvalidIdRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "invalid-id",
    category: .structure,
    defaultSeverity: .error,
    summary: "An item id is letters of any script, digits, `-` and `_`; only 事業 blocks take an id.",
    rationale: """
      Ids are how 内数(ID) refers to an item across files, how the editor renames and finds
      references. An id with punctuation cannot be referred to; a word after 内訳 or 分野 is
      probably a title that lost its quotes. An id typed in full-width letters (`ｂ`, what an
      input method left on) gets a safe fix to its half-width form.
      """,
    fix: .safe,
    examples: [
      .passing("事業 kaigo-kikin_2 \"t\" {\n  担当 = 老健局\n  要求額 = 97億円\n}\n事業 介護基金 \"t\" {\n  担当 = 老健局\n  要求額 = 97億円\n}\n"),
      .failing("事業 «kaigo.kikin» \"t\" {\n  担当 = 老健局\n  要求額 = 97億円\n}\n", messages: ["`kaigo.kikin` is not an item id; use letters, digits, `-` and `_`"]),
      .failing(
        "事業 «ｋａｉｇｏ» \"t\" {\n  担当 = 老健局\n  要求額 = 97億円\n}\n",
        messages: ["`ｋａｉｇｏ` is not an item id: it is written in full-width letters; write `kaigo`"]),
      .failing("事業 a \"t\" {\n  担当 = 老健局\n  要求額 = 97億円\n  内訳 «プロジェクト» {\n    費用 = 97億円\n  }\n}\n", messages: ["`プロジェクト` is not allowed here: only a 事業 takes an id; quote it if it is a title"]),
    ])

  static func check(_ context: inout RuleContext) {
    for case .invalidIdentifier(let text, let range, let block) in context.document.issues {
      if block == .item, let halfWidth = ValueParser.halfWidthIdentifier(text) {
        context.report(
          "`\(text)` is not an item id: it is written in full-width letters; write `\(halfWidth)`", at: range,
          fixes: [Fix(title: "write the id in half-width letters: `\(halfWidth)`", edits: [TextEdit(range: range, replacement: halfWidth)], isSafe: true)])
      } else if block == .item {
        context.report("`\(text)` is not an item id; use letters, digits, `-` and `_`", at: range)
      } else {
        context.report("`\(text)` is not allowed here: only a 事業 takes an id; quote it if it is a title", at: range)
      }
    }
  }
}
