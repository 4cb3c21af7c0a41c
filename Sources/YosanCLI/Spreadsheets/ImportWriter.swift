import YosanCore
import YosanSyntax

/// Writes an imported document as `.yosan` text, one statement per line, and remembers the
/// source cell of each statement (block header or entry) in the order a parse of the text meets
/// them, so that findings on the text can name the cells they come from.
struct ImportWriter {
  var lines: [String] = []
  /// The cell of each statement, in document order (nil for those no cell made).
  var cells: [SourceCell?] = []
  var depth = 0

  mutating func comment(_ text: String) { lines.append("# " + text) }

  mutating func blank() { lines.append("") }

  mutating func statement(_ text: String, _ cell: SourceCell?) {
    lines.append(String(repeating: "  ", count: depth) + text)
    cells.append(cell)
  }

  mutating func close() {
    depth -= 1
    lines.append(String(repeating: "  ", count: depth) + "}")
  }

  var text: String { lines.joined(separator: "\n") + "\n" }

  /// A string in double quotes, `"` and `\` escaped.
  static func quoted(_ text: String) -> String { "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"" }

  /// Whether free text would not survive as an unquoted value: it holds what starts a comment,
  /// ends a block or a line, or starts a string, or has blanks at its ends.
  static func needsQuotes(_ text: String) -> Bool {
    if text.isEmpty || text != text.trimmingSpaces() || text.hasPrefix("\"") { return true }
    return text.unicodeScalars.contains { "#＃{}｛｝\"\n\r".unicodeScalars.contains($0) }
  }

  static func value(_ value: ImportedValue) -> String {
    switch value {
    case .verbatim(let text): return text
    case .text(let text), .list(let text): return needsQuotes(text) ? quoted(text) : text
    }
  }

  /// A breakdown row's label: quoted when it holds `=`, braces, `#`, a quote or blanks at its ends.
  static func label(_ text: String) -> String {
    let needs = text.isEmpty || text != text.trimmingSpaces() || text.unicodeScalars.contains { "=＝{}｛｝#＃\"".unicodeScalars.contains($0) }
    return needs ? quoted(text) : text
  }

  /// The whole document: a comment naming the source, the header, the members.
  mutating func write(_ document: ImportedDocument, source: String) {
    comment(source)
    blank()
    var header = "予算"
    if let (title, _) = document.title { header += " " + ImportWriter.quoted(title) }
    statement(header + " {", document.title?.1)
    depth += 1
    for (key, value, cell) in document.header { statement("\(Catalog.descriptor(key).japanese) = \(ImportWriter.value(.text(value)))", cell) }
    close()
    let requestKey = document.kind?.usesBudgetAmount == true ? "予算額" : "要求額"
    for member in document.members { write(member, requestKey: requestKey) }
  }

  mutating func write(_ member: ImportedMember, requestKey: String) {
    blank()
    switch member {
    case .section(let section):
      statement("分野 \(ImportWriter.quoted(section.title)) {", section.cell)
      depth += 1
      if let (total, cell) = section.total { statement("合計 = \(total)", cell) }
      for inner in section.members { write(inner, requestKey: requestKey) }
      close()
    case .item(let item):
      write(item, requestKey: requestKey)
    }
  }

  mutating func write(_ item: ImportedItem, requestKey: String) {
    statement("事業 \(item.id)" + (item.title.map { " " + ImportWriter.quoted($0) } ?? "") + " {", item.cell)
    depth += 1
    for (key, value, cell) in item.entries {
      let spelling = key == .request ? requestKey : Catalog.descriptor(key).japanese
      statement("\(spelling) = \(ImportWriter.value(value))", cell)
    }
    for breakdown in item.breakdowns { write(breakdown) }
    for sub in item.subItems {
      blank()
      write(sub, requestKey: requestKey)
    }
    close()
  }

  mutating func write(_ breakdown: ImportedBreakdown) {
    statement((breakdown.isFull ? "内訳" : "うち") + (breakdown.title.map { " " + ImportWriter.quoted($0) } ?? "") + " {", breakdown.cell)
    depth += 1
    if let (rounding, cell) = breakdown.rounding { statement("端数 = \(rounding)", cell) }
    for child in breakdown.children {
      switch child {
      case .row(let label, let value, let cell): statement("\(ImportWriter.label(label)) = \(value)", cell)
      case .breakdown(let inner): write(inner)
      }
    }
    if let (label, value, cell) = breakdown.total { statement("\(label) = \(value)", cell) }
    close()
  }

  /// The start of every statement (block or entry) of a parsed text, in document order: the
  /// order `cells` holds them in.
  static func statementStarts(_ facts: FileFacts) -> [Int] {
    var starts: [Int] = []
    func visit(_ node: SyntaxNode) {
      for child in node.childNodes {
        switch child.kind {
        case .entry: starts.append(child.range.start)
        case .block:
          starts.append(child.range.start)
          visit(child)
        default: break
        }
      }
    }
    visit(facts.root)
    return starts
  }
}
