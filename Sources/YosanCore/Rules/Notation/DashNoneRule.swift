import YosanSyntax

/// "No amount" is written なし, not with a dash.
enum DashNoneRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "dash-none",
    category: .notation,
    defaultSeverity: .style,
    summary: "No amount is written なし (or none), not with a dash (-, ー, －, —).",
    rationale: """
      The documents print "no previous-year budget" in six ways: `(-)`, `(ー)`, `(－)`, `（—）`,
      `（-億円）` and the kanji `(一)` (catalog A20). Yosan reads the dashes as なし, but one
      spelling is searchable and unambiguous: a hyphen is also a minus sign, and ー is a
      katakana letter. The fix writes なし (none after an ASCII key). The kanji 一 is not a dash:
      `kanji-one` reports it.
      """,
    fix: .safe,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 新規\n  担当 = 医政局\n  要求額 = 7.9億円\n  前年度 = なし\n}\n"),
      .failing("事業 a \"t\" {\n  種別 = 新規\n  担当 = 医政局\n  要求額 = 7.9億円\n  前年度 = «ー»\n}\n", messages: ["`ー` stands for no amount; write なし"]),
      .failing("事業 a \"t\" {\n  種別 = 新規\n  担当 = 医政局\n  要求額 = 32億円\n  前年度 = «-億円»\n}\n", messages: ["`-億円` stands for no amount; write なし"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    let file = context.file
    for (marker, location) in context.scratch.values(of: item, in: file).dashes {
      let none = noneSpelling(for: location, in: file)
      context.report(
        "`\(file.text(marker.range))` stands for no amount; write \(none)", at: marker.range,
        fixes: [Fix(title: "replace with \(none)", edits: [TextEdit(range: marker.range, replacement: none)], isSafe: true)])
    }
  }

  /// The spelling of "none" that matches the entry's key: `none` after an ASCII key, else なし.
  static func noneSpelling(for location: EntryLocation, in file: FileFacts) -> String {
    let key = file.bytes[location.keyRange.start..<location.keyRange.end]
    return !key.isEmpty && key.allSatisfy({ $0 < 0x80 }) ? "none" : "なし"
  }
}
