import YosanSyntax

/// A title in Japanese quotation marks (`「…」`, `“…”`): read as a title, written with `"`.
enum TitleQuotesRule: FileRule {
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

  static func check(_ context: inout RuleContext) {
    let file = context.file
    let part = context.part
    file.bytes.withUnsafeBufferPointer { bytes in
      var stack: [SyntaxNode] = part.roots(file.root)
      while let node = stack.popLast() {
        if part.isShell && part.isUnit(node) { continue }
        if node.kind == .block {
          let block = BlockSyntax(node: node, bytes: bytes)
          if block.hasJapaneseQuotes, let title = block.title { report(title, bytes: bytes, &context) }
        }
        for child in node.childNodes where child.kind == .block { stack.append(child) }
      }
    }
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
