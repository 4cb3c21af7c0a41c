import YosanSyntax

/// Full-width digits and punctuation in the structure and in numeric values.
enum FullwidthCharacterRule: FileRule, ItemRule {
  static let descriptor = RuleDescriptor(
    id: "fullwidth-character",
    category: .notation,
    defaultSeverity: .style,
    summary:
      "Braces, `=`, `#` and the values of numeric keys (amounts, years, rates, shares, extensions) use ASCII digits and punctuation, not full-width ones.",
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
        messages: [
          "full-width `１，６６５` in 要求額; write `1,665`", "full-width `１／２` in 補助率; write `1/2`", "full-width `７６９１` in 内線; write `7691`",
        ]),
      .failing("事業 a \"t\" «｛»\n  担当 «＝» 医政局\n  要求額 = 1億円\n}\n", messages: ["full-width `｛`; write `{`", "full-width `＝`; write `=`"]),
    ])

  /// The structure, the header and the sections' totals.
  static func check(_ context: inout RuleContext) {
    let file = context.file
    var found: [(TextRange, String?)] = []
    // Structure: braces, the `=` of each entry, the `#` of comments. Full-width ones are rare, so
    // the bytes are searched first and the tree consulted only where one is found.
    let part = context.part
    let bytes = file.bytes
    var candidates: [(offset: Int, kind: Structure)] = []
    for i in offsetsOfEF(bytes, in: part.ranges) where i + 2 < bytes.count {
      if let kind = structureCharacter(bytes[i + 1], bytes[i + 2]) { candidates.append((i, kind)) }
    }
    let tokens = part.tokens(containing: candidates.map(\.offset), root: file.root)
    for ((i, kind), hit) in zip(candidates, tokens) {
      guard let (token, parent) = hit, token.range.start == i else { continue }
      let range = TextRange(start: i, length: 3)
      switch (kind, token.kind) {
      case (.brace, .leftBrace), (.brace, .rightBrace), (.comment, .comment):
        found.append((range, nil))
      case (.equals, .equals):
        // Only the `=` that separates an entry's key from its value.
        if parent.kind == .entry, parent.children.first(where: { $0.kind == .equals })?.range.start == i {
          found.append((range, nil))
        }
      default:
        break
      }
    }
    let document = context.document
    // A run of units sees the header only for its settings.
    for entry in document.header?.entries ?? [] where part.isShell && numericKeys.contains(entry.key) {
      scan(entry.location, file, &found)
    }
    document.forEachSection { section in
      if let total = section.total { scan(total.location, file, &found) }
    }
    for (range, key) in found { report(range, key: key, &context) }
  }

  /// An item's numeric entries and its breakdowns' rows and totals.
  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    let file = context.file
    var found: [(TextRange, String?)] = []
    // A dash that stands for なし is `dash-none`'s.
    for (location, key, isRow, isNone) in context.scratch.values(of: item, in: file).fullWidth where !isNone {
      if !isRow {
        guard let key, numericKeys.contains(key) else { continue }
      }
      scan(location, file, &found)
    }
    for (range, key) in found { report(range, key: key, &context) }
  }

  static func report(_ range: TextRange, key: String?, _ context: inout RuleContext) {
    let written = context.text(range)
    let ascii = String(String.UnicodeScalarView(written.unicodeScalars.map(ScalarText.normalize)))
    context.report(
      "full-width `\(written)`\(key.map { " in \($0)" } ?? ""); write `\(ascii)`", at: range,
      fixes: [Fix(title: "replace `\(written)` with `\(ascii)`", edits: [TextEdit(range: range, replacement: ascii)], isSafe: true)])
  }

  enum Structure { case brace, equals, comment }

  /// Where the byte EF (the start of every full-width form) occurs.
  /// The offsets of the byte EF (the lead byte of every full-width form) in `ranges` of `bytes`.
  static func offsetsOfEF(_ bytes: [UInt8], in ranges: [TextRange]) -> [Int] {
    bytes.withUnsafeBufferPointer { buffer in
      var found: [Int] = []
      for range in ranges {
        for index in range.start..<Swift.min(range.end, buffer.count) where buffer[index] == 0xEF { found.append(index) }
      }
      return found
    }
  }

  /// ｛ ｝ (U+FF5B, U+FF5D), ＝ (U+FF1D) and ＃ (U+FF03), from the two bytes after EF.
  static func structureCharacter(_ b1: UInt8, _ b2: UInt8) -> Structure? {
    switch (b1, b2) {
    case (0xBD, 0x9B), (0xBD, 0x9D): return .brace
    case (0xBC, 0x9D): return .equals
    case (0xBC, 0x83): return .comment
    default: return nil
    }
  }

  /// The keys whose values are numbers and symbols (`ValueKind.isNumeric`).
  static let numericKeys = Set(Catalog.keys.filter { $0.valueKind.isNumeric }.map(\.key))

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
}
