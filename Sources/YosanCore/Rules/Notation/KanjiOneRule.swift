import YosanSyntax

/// The kanji 一 where a dash was meant.
enum KanjiOneRule: FileRule, ItemRule {
  static let descriptor = RuleDescriptor(
    id: "kanji-one",
    category: .notation,
    defaultSeverity: .warning,
    summary: "The kanji 一 (one) is not a dash: `一` alone is not なし, and `一億円` is one 億円.",
    rationale: """
      The documents use the kanji 一 for a dash: `(一)` for no previous-year budget, and even
      `(一億円)` (seed 003:5036, 5082) and `(一千万円)` (003:4044), which read literally as 1億円 and
      1千万円 — previous-year money on a 新規 item. Yosan reads `一億円` as the number it spells
      (and `new-with-previous` may then report it), and cannot read a bare `一` at all. Both are
      warned about wherever an amount is written. The fix replaces the value with なし; it changes
      a figure, so it is only offered.
      """,
    fix: .unsafe,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 新規\n  担当 = 医政局\n  要求額 = 2.4億円\n  前年度 = なし\n}\n"),
      .failing(
        "事業 a \"t\" {\n  種別 = 新規\n  担当 = 医政局\n  要求額 = 2.4億円\n  前年度 = «一»\n}\n",
        messages: ["`一` is the kanji for one, not a dash; write なし for no amount"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 健康・生活衛生局\n  要求額 = 2.5億円\n  前年度 = «一億円»\n}\n",
        messages: ["`一億円` reads as 1億円: the kanji `一` is one, not a dash; if no amount is meant, write なし"]),
    ])

  /// What a bare `一` is, where it is asked as a value's problem (`ValueError.message`, the import).
  static let bareKanjiOneProblem = "`一` is the kanji for one, not a dash"

  /// A bare `一`, which lowering could not read as an amount.
  static func check(_ context: inout RuleContext) {
    let file = context.file
    for case .malformedValue(let error, _) in context.document.issues where error.kind == .kanjiOne {
      context.report(
        "`\(file.text(error.range))` is the kanji for one, not a dash; write なし for no amount", at: error.range,
        fixes: [Fix(title: "replace `一` with なし", edits: [TextEdit(range: error.range, replacement: "なし")], isSafe: false)])
    }
  }

  /// `一億円` and the like, read as amounts.
  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    for (amount, whole) in context.scratch.values(of: item, in: context.file).kanjiOnes {
      let written = context.text(amount.range)
      let fixes =
        whole ? [Fix(title: "replace `\(written)` with なし", edits: [TextEdit(range: amount.range, replacement: "なし")], isSafe: false)] : []
      context.report(
        "`\(written)` reads as \(amount.written): the kanji `一` is one, not a dash; if no amount is meant, write なし", at: amount.range,
        fixes: fixes)
    }
  }
}
