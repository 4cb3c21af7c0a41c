import YosanSyntax

/// A division name whose last character is doubled (`…企画課課`).
enum DoubledCharacterRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "doubled-character",
    category: .notation,
    defaultSeverity: .style,
    summary: "A division name does not end with its last kanji twice (…企画課課).",
    rationale: """
      Seed 003:137 prints `医政局医薬産業振興・医療情報企画課課`: a typing slip that makes the
      division a different string from every other mention of it. Japanese writes a repeated
      kanji with 々, so a division name ending in the same kanji twice is always a slip. The fix
      removes the extra character.
      """,
    fix: .safe,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 医政局医薬産業振興・医療情報企画課, 健康・生活衛生局\n  要求額 = 9.3億円\n}\n"),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局医薬産業振興・医療情報企画課«課»\n  要求額 = 9.3億円\n}\n",
        messages: ["division `医政局医薬産業振興・医療情報企画課課` ends with `課` twice; write `医政局医薬産業振興・医療情報企画課`"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard let divisions = item.divisions else { return }
    for division in divisions.value {
      let scalars = division.text.unicodeScalars
      guard let last = doubledLast(of: division.text) else { continue }
      // The doubled character is the last one before the closing quote, if any.
      let quoted = context.file.bytes[division.range.end - 1] == UInt8(ascii: "\"")
      let end = division.range.end - (quoted ? 1 : 0)
      let range = TextRange(start: end - last.utf8.count, end: end)
      let fixed = String(String.UnicodeScalarView(scalars.dropLast()))
      context.report(
        "division `\(division.text)` ends with `\(String(last))` twice; write `\(fixed)`", at: range,
        fixes: [Fix(title: "remove the extra `\(String(last))`", edits: [TextEdit(range: range, replacement: "")], isSafe: true)])
    }
  }

  /// The last kanji of a division name when it is written twice at the end (`…課課` → `課`).
  static func doubledLast(of name: String) -> Unicode.Scalar? {
    let scalars = name.unicodeScalars
    guard scalars.count >= 3, let last = scalars.last, last.value >= 0x4E00, last.value <= 0x9FFF,
      scalars[scalars.index(before: scalars.index(before: scalars.endIndex))] == last
    else { return nil }
    return last
  }
}
