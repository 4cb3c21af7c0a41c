import YosanSyntax

/// Text the parser could not read: every `error` node of the tree becomes one diagnostic.
enum SyntaxErrorRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "syntax-error",
    category: .syntax,
    defaultSeverity: .error,
    summary: "The text must follow the block and entry grammar of the format.",
    rationale: """
      A line that is not `key = value`, a block header or `}`, a block without its `{` or `}`, or a
      quoted string without its closing quote cannot be read. The parser reports each such place
      once and carries on, so everything after the mistake is still checked; but the unreadable
      part itself is not, so fix these first. An extra `}` inside a block (the block's own `}`,
      indented like its header, comes later) is reported once and read as not there, so what
      follows stays in its block; its fix removes it.
      """,
    fix: .safe,
    examples: [
      .passing(
        """
        事業 a "タイトル" {
          担当 = 医政局研究開発政策課
          要求額 = 7.9億円
        }
        """),
      .failing(
        """
        事業 a "タイトル" {
          «担当 医政局研究開発政策課»
          要求額 = 7.9億円
        }
        """, messages: ["missing `=` after `担当`; write `担当 = 医政局研究開発政策課`"]),
      .failing(
        """
        事業 a "タイトル" {
          担当 = 医政局研究開発政策課
          要求額 = 7.9億円
          «これは説明です»
        }
        """, messages: ["expected `key = value`, a block or `}`, found `これは説明です`"]),
      .failing(
        """
        分野 "研究" {
          事業 a "タイトル" {
            担当 = 医政局研究開発政策課
            要求額 = 7.9億円«»
          事業 b "次" {
            担当 = 医政局研究開発政策課
            要求額 = 1億円
          }
        }
        """, messages: ["missing `}` to close `事業 a` opened on line 2"]),
      .failing(
        """
        事業 a «"タイトル» {
          担当 = 医政局研究開発政策課
          要求額 = 7.9億円
        }
        """, messages: ["unterminated string; add the closing `\"`"]),
      .failing(
        """
        事業 a "タイトル" {
          担当 = 医政局研究開発政策課
          要求額 = 7.9億円
        }
        «}»
        """, messages: ["unmatched `}`: no block is open here"]),
      .failing(
        """
        事業 a "タイトル"«» 
          担当 = 医政局研究開発政策課
          要求額 = 7.9億円
        }
        """, messages: ["missing `{` at the end of the `事業 a` header"]),
      .failing(
        """
        事業 a "タイトル" {
          担当 = 医政局研究開発政策課
          要求額 = 7.9億円
          «}»
          内訳 {
            研究費 = 7.9億円
          }
        }
        """, messages: ["extra `}`: `事業 a` opened on line 1 closes on line 8, with the `}` indented like its header; remove this one"]),
    ])

  static func check(_ context: inout RuleContext) {
    let file = context.file
    let part = context.part
    var stack: [(SyntaxNode, block: SyntaxNode?)] = part.roots(file.root).reversed().map { ($0, nil) }
    while case let (node, enclosingBlock)? = stack.popLast() {
      guard node.green.containsError else { continue }
      // The shell's walk leaves the units to their own parts.
      if part.isShell && part.isUnit(node) { continue }
      let block = node.kind == .block ? node : enclosingBlock
      if let code = node.green.errorCode {
        report(code, node: node, block: block, &context)
        if code == .nestingTooDeep { continue }
      }
      for child in node.childNodes.reversed() { stack.append((child, block)) }
    }
  }

  static func report(_ code: SyntaxErrorCode, node: SyntaxNode, block: SyntaxNode?, _ context: inout RuleContext) {
    let file = context.file
    let text = snippet(file.text(node.range))
    func header() -> String {
      guard let block else { return "block" }
      let view = file.bytes.withUnsafeBufferPointer { BlockSyntax(node: block, bytes: $0) }
      return [view.keyword, view.identifier?.text].compactMap { $0 }.joined(separator: " ")
    }
    switch code {
    case .expectedEntry:
      context.report(expectedEntryMessage(node, file: file) ?? "expected `key = value`, a block or `}`, found `\(text)`", at: node.range)
    case .missingKey:
      context.report("missing key before `=`", at: node.range)
    case .missingLeftBrace:
      context.report("missing `{` at the end of the `\(header())` header", at: node.range)
    case .missingRightBrace:
      let line = block.map { file.lineNumber($0.offset) } ?? 1
      context.report("missing `}` to close `\(header())` opened on line \(line)", at: node.range)
    case .unmatchedRightBrace:
      let count = node.children.filter { $0.kind == .rightBrace }.count
      context.report(count == 1 ? "unmatched `}`: no block is open here" : "\(count) unmatched `}`: no block is open here", at: node.range)
    case .extraRightBrace:
      let opened = block.map { file.lineNumber($0.offset) } ?? 1
      let closed = block.map { file.lineNumber($0.range.end - 1) } ?? 1
      context.report(
        "extra `}`: `\(header())` opened on line \(opened) closes on line \(closed), with the `}` indented like its header; remove this one",
        at: node.range, fixes: [Fix(title: "remove the extra `}`", edits: [TextEdit(range: TextEdit.removal(of: node.range, in: file.bytes), replacement: "")], isSafe: true)])
    case .unexpectedInHeader:
      context.report("unexpected `\(text)` in a block header; a header is KEYWORD [id] [\"title\"] {", at: node.range)
    case .strayLeftBrace:
      context.report("unexpected `{` in a value; quote the value if it contains braces", at: node.range)
    case .unterminatedString:
      context.report("unterminated string; add the closing `\"`", at: node.range)
    case .controlCharacters:
      let scalar = file.bytes[node.range.start]
      let hex = String(scalar, radix: 16, uppercase: true)
      context.report("control character U+\(String(repeating: "0", count: 4 - hex.count))\(hex) in the text; remove it", at: node.range)
    case .nestingTooDeep:
      context.report("blocks nested more than \(Parser.maximumDepth) deep; the rest of this block is not checked", at: TextRange(start: node.range.start, length: 0))
    }
  }

  /// What to write instead of a line that is not an entry, when it starts with a key: with the
  /// line's own value (`要求額 12億円` → `要求額 = 12億円`; `年度：令和7年度` → `年度 = 令和7年度`).
  static func expectedEntryMessage(_ node: SyntaxNode, file: FileFacts) -> String? {
    guard let word = node.children.first(where: { $0.kind == .word }) else { return nil }
    let written = file.text(word.range)
    let line = snippet(file.text(TextRange(start: word.range.end, end: node.range.end)))
    if let (key, rest) = BlockSyntax.splitAtColon(written) {
      let colon = written[written.index(written.startIndex, offsetBy: key.count)]
      let value = snippet(rest + line).trimmingSpaces()
      guard !value.isEmpty else { return nil }
      return "`\(colon)` does not separate a key from its value; write `\(snippet(key)) = \(value)`"
    }
    guard let descriptor = Catalog.key(spelled: written) else { return nil }
    let value = line.trimmingSpaces()
    if value.isEmpty { return "missing `=` and value after `\(written)`; for example `\(written) = \(descriptor.example)`" }
    return "missing `=` after `\(written)`; write `\(written) = \(value)`"
  }

  /// The first line of `text`, shortened to 40 characters.
  static func snippet(_ text: String) -> String {
    let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
    return line.count > 40 ? String(line.prefix(40)) + "…" : line
  }
}
