import YosanSyntax

/// Full-width digits and punctuation in the structure and in numeric values.
enum FullwidthCharacterRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "fullwidth-character",
    category: .notation,
    defaultSeverity: .style,
    summary: "Braces, `=`, `#` and the values of numeric keys (amounts, years, rates, shares, extensions) use ASCII digits and punctuation, not full-width ones.",
    rationale: """
      A Japanese input method types `１，６６５億円`, `１／２` and `＝` (seed 004:187, 325). Yosan
      reads them as their ASCII forms, but a file that mixes both is hard to search and to diff,
      and `１` and `1` look alike only on screen. Free text (titles, 担当, 目的, row labels) is
      left alone: full-width forms are ordinary Japanese there. The wave dash of a year range
      (`～`) and a dash that stands for なし (`dash-none`'s) are not reported here. One finding
      covers a value from its first full-width character to its last; the fix writes that span in
      ASCII.
      """,
    fix: .safe,
    examples: [
      .passing("事業 a \"ｔ（仮称）\" {\n  担当 = 医政局（内線４１６５）\n  要求額 = 1,665億円\n  国庫債務負担 = 令和6年度～8年度\n}\n"),
      .failing(
        "事業 a \"t\" {\n  担当 = 政策統括官\n  要求額 = «１，６６５»億円\n  補助率 = «１／２»\n  内線 = «７６９１»\n}\n",
        messages: ["full-width `１，６６５` in 要求額; write `1,665`", "full-width `１／２` in 補助率; write `1/2`", "full-width `７６９１` in 内線; write `7691`"]),
      .failing("事業 a \"t\" «｛»\n  担当 «＝» 医政局\n  要求額 = 1億円\n}\n", messages: ["full-width `｛`; write `{`", "full-width `＝`; write `=`"]),
    ])

  static func check(_ context: inout RuleContext) {
    let file = context.file
    var runs: [(TextRange, String?)] = []
    // Structure: braces, the `=` of each entry, the `#` of comments.
    var stack = [file.root]
    while let node = stack.popLast() {
      var sawEquals = false
      for child in node.children {
        switch child {
        case .node(let inner):
          stack.append(inner)
        case .token(let token):
          switch token.kind {
          case .leftBrace, .rightBrace:
            if isFullWidth(token.range, file) { runs.append((token.range, nil)) }
          case .equals where node.kind == .entry && !sawEquals:
            sawEquals = true
            if isFullWidth(token.range, file) { runs.append((token.range, nil)) }
          case .comment:
            let mark = TextRange(start: token.range.start, length: 3)
            if token.range.length >= 3, isFullWidth(mark, file) { runs.append((mark, nil)) }
          default:
            break
          }
        }
      }
    }
    // Numeric values.
    let document = context.document
    for entry in document.header?.entries ?? [] where entry.key.descriptor.valueKind.isNumeric {
      scan(entry.location, file, &runs)
    }
    var dashes = Set<Int>()
    NotationWalk.forEachExpression(in: document) { expression, _ in
      if case .none(let marker) = expression { dashes.insert(marker.range.start) }
    }
    for item in document.allItems {
      for entry in item.entries {
        guard let key = entry.key, key.descriptor.valueKind.isNumeric, !dashes.contains(entry.location.valueRange.start) else { continue }
        scan(entry.location, file, &runs)
      }
      for breakdown in item.breakdowns {
        NotationWalk.visit(breakdown) { expression, location in
          if case .none = expression { return }
          scan(location, file, &runs)
        }
      }
    }
    for section in document.allSections {
      if let total = section.total { scan(total.location, file, &runs) }
    }
    runs.sort { $0.0.start < $1.0.start }
    for (range, key) in runs {
      let written = file.text(range)
      let ascii = String(String.UnicodeScalarView(written.unicodeScalars.map(ScalarText.normalize)))
      context.report(
        "full-width `\(written)`\(key.map { " in \($0)" } ?? ""); write `\(ascii)`", at: range,
        fixes: [Fix(title: "replace `\(written)` with `\(ascii)`", edits: [TextEdit(range: range, replacement: ascii)], isSafe: true)])
    }
  }

  /// Adds the span of the entry's value from its first full-width character to its last, with the
  /// entry's key: one finding per value.
  static func scan(_ location: EntryLocation, _ file: FileFacts, _ runs: inout [(TextRange, String?)]) {
    let bytes = file.bytes
    var i = location.valueRange.start
    let end = location.valueRange.end
    var span: TextRange?
    while i < end {
      let width = fullWidthLength(bytes, at: i, end: end)
      if width > 0 {
        span = TextRange(start: span?.start ?? i, end: i + width)
        i += width
      } else {
        i += 1
      }
    }
    if let span { runs.append((span, file.text(location.keyRange))) }
  }

  /// 3 when a full-width ASCII form (U+FF01–U+FF5D; not the wave dash U+FF5E) starts at `i`.
  static func fullWidthLength(_ bytes: [UInt8], at i: Int, end: Int) -> Int {
    guard i + 3 <= end, i + 3 <= bytes.count, bytes[i] == 0xEF else { return 0 }
    let b1 = bytes[i + 1]
    let b2 = bytes[i + 2]
    if b1 == 0xBC, b2 >= 0x81, b2 <= 0xBF { return 3 }
    if b1 == 0xBD, b2 >= 0x80, b2 <= 0x9D { return 3 }
    return 0
  }

  static func isFullWidth(_ range: TextRange, _ file: FileFacts) -> Bool {
    range.end <= file.bytes.count && fullWidthLength(file.bytes, at: range.start, end: range.end) == range.length
  }
}
