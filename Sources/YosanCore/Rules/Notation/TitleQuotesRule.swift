import YosanSyntax

/// A title in Japanese quotation marks (`「…」`, `“…”`): read as a title, written with `"`.
enum TitleQuotesRule: FileRule, ItemRule {
  static let descriptor = RuleDescriptor(
    id: "title-quotes",
    category: .notation,
    defaultSeverity: .style,
    summary: "A title is written in `\"…\"`; `「…」` and `“…”` are read as titles and offered the canonical quotes.",
    rationale: """
      Japanese writers quote a title with 「」, and a word processor turns `"` into `“…”`. Yosan
      reads both as the title (a title must close on its line), so nothing is lost; the canonical
      form is `"…"`, which every tool and the format's other quoted texts use. The safe fix
      changes only the quotation marks (a `"` or `\\` inside the title is escaped).
      """,
    fix: .safe,
    examples: [
      .passing("事業 a \"救急医療体制整備事業\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n"),
      .failing(
        "事業 a «「救急医療体制整備事業」» {\n  担当 = 医政局\n  要求額 = 1億円\n}\n",
        messages: ["the title is in `「」`; write `\"救急医療体制整備事業\"`"]),
      .failing(
        "分野 «“救急・災害医療”» {\n  事業 a \"t\" {\n    担当 = 医政局\n    要求額 = 1億円\n  }\n}\n",
        messages: ["the title is in `“”`; write `\"救急・災害医療\"`"]),
    ])

  /// The header's and the sections' titles (the shell's).
  static func check(_ context: inout RuleContext) {
    guard context.part.isShell else { return }
    let document = context.document
    context.file.bytes.withUnsafeBufferPointer { bytes in
      if let title = document.header?.title { check(title, bytes: bytes, &context) }
      document.forEachSection { section in
        if let title = section.title { check(title, bytes: bytes, &context) }
      }
    }
  }

  /// An item's title and its breakdowns'.
  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    context.file.bytes.withUnsafeBufferPointer { bytes in
      if let title = item.title { check(title, bytes: bytes, &context) }
      func visit(_ breakdowns: [Breakdown]) {
        for breakdown in breakdowns {
          if let title = breakdown.title { check(title, bytes: bytes, &context) }
          visit(breakdown.nested)
        }
      }
      if !item.breakdowns.isEmpty { visit(item.breakdowns) }
    }
  }

  /// Reports `title` when it opens and closes with Japanese quotation marks (its first byte says
  /// which: `"` is one byte).
  static func check(_ title: TextValue, bytes: UnsafeBufferPointer<UInt8>, _ context: inout RuleContext) {
    guard title.range.length >= 6, bytes[title.range.start] != 0x22,
      let close = JapaneseQuotes.closing(bytes, at: title.range.start, end: bytes.count),
      bytes[title.range.end - 3] == close.0, bytes[title.range.end - 2] == close.1, bytes[title.range.end - 1] == close.2
    else { return }
    report(title, bytes: bytes, &context)
  }

  static func report(_ title: TextValue, bytes: UnsafeBufferPointer<UInt8>, _ context: inout RuleContext) {
    let marks = String(decoding: UnsafeBufferPointer(rebasing: bytes[title.range.start..<(title.range.start + 3)]), as: UTF8.self)
      + String(decoding: UnsafeBufferPointer(rebasing: bytes[(title.range.end - 3)..<title.range.end]), as: UTF8.self)
    var escaped = ""
    for character in title.text {
      if character == "\"" || character == "\\" { escaped.append("\\") }
      escaped.append(character)
    }
    let replacement = "\"\(escaped)\""
    context.report(
      "the title is in `\(marks)`; write `\(replacement)`", at: title.range,
      fixes: [Fix(title: "quote the title with \"…\"", edits: [TextEdit(range: title.range, replacement: replacement)], isSafe: true)])
  }
}
