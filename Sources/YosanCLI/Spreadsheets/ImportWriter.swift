import YosanCore
import YosanSyntax

/// Writes an imported document as `.yosan` text in `yosan fmt`'s layout, one statement per line,
/// and remembers the source cell of each statement (block header or entry) in the order a parse
/// of the text meets them, so that findings on the text can name the cells they come from.
///
/// The layout is fmt's, made here rather than by running the formatter over the text (which cost
/// as much as the rest of the import): two spaces per level, a blank line before each item and
/// section and none after `{` or before `}`, and the `=` of consecutive entries aligned (a blank
/// line or a block ends a group), widths counted as fmt counts them (`DisplayWidth`). The tests
/// hold it to fmt's output on every sample and fixture (`fmt --check` on what was imported).
struct ImportWriter {
  /// The text written so far (UTF-8), each line ended by LF; the entries of the current group
  /// wait in `group` until their `=` can be aligned.
  var bytes: [UInt8] = []
  /// The cell of each statement, in document order (nil for those no cell made).
  var cells: [SourceCell?] = []
  var depth = 0
  /// The entries since the last blank line or block line: their key, the key's width, value.
  var group: [(key: String, width: Int, value: String)] = []
  /// Whether the last line opened a block (fmt has no blank line after `{`).
  var opened = false

  init() { bytes.reserveCapacity(1 << 20) }

  mutating func line(_ parts: String...) {
    for _ in 0..<depth { bytes.append(contentsOf: [0x20, 0x20]) }
    for part in parts { bytes.append(contentsOf: part.utf8) }
    bytes.append(0x0A)
  }

  mutating func comment(_ text: String) {
    alignGroup()
    bytes.append(contentsOf: "# ".utf8)
    bytes.append(contentsOf: text.utf8)
    bytes.append(0x0A)
  }

  mutating func blank() {
    alignGroup()
    if !opened { bytes.append(0x0A) }
  }

  /// A line that opens a block.
  mutating func statement(_ text: String, _ cell: SourceCell?) {
    alignGroup()
    line(text)
    cells.append(cell)
    opened = true
  }

  /// `key = value`, its `=` aligned with those of the entries around it.
  mutating func entry(_ key: String, _ value: String, _ cell: SourceCell?) {
    group.append((key, DisplayWidth.of(key), value))
    cells.append(cell)
    opened = false
  }

  mutating func alignGroup() {
    guard !group.isEmpty else { return }
    let widest = group.map(\.width).max() ?? 0
    for member in group {
      for _ in 0..<depth { bytes.append(contentsOf: [0x20, 0x20]) }
      bytes.append(contentsOf: member.key.utf8)
      bytes.append(contentsOf: repeatElement(0x20, count: widest - member.width + 1))
      bytes.append(contentsOf: [0x3D, 0x20])  // "= "
      bytes.append(contentsOf: member.value.utf8)
      bytes.append(0x0A)
    }
    group.removeAll(keepingCapacity: true)
  }

  mutating func close() {
    alignGroup()
    depth -= 1
    line("}")
    opened = false
  }

  /// The text, once the document is written.
  var text: [UInt8] {
    var copy = self
    copy.alignGroup()
    return copy.bytes
  }

  /// A string in double quotes, `"` and `\` escaped.
  static func quoted(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 }) else { return "\"" + text + "\"" }
    return "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
  }

  /// Whether free text would not survive as an unquoted value: it holds what starts a comment,
  /// ends a block or a line, or starts a string, or has blanks at its ends.
  static func needsQuotes(_ text: String) -> Bool {
    if text.isEmpty || hasBlankEnds(text) || text.hasPrefix("\"") { return true }
    return contains(text, ascii: "#{}\"\n\r", fullwidth: "＃｛｝")
  }

  /// Whether the text starts or ends with a space, tab or line end (what `trimmingSpaces`
  /// removes).
  static func hasBlankEnds(_ text: String) -> Bool {
    let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    guard let first = text.utf8.first, let last = text.utf8.last else { return false }
    return isBlank(first) || isBlank(last)
  }

  /// Whether the text holds one of the ASCII characters `ascii` or the full-width characters
  /// `fullwidth` (U+FF01…U+FF5E): a scan of its UTF-8, and of its scalars only when it has a
  /// byte that leads such a character (EF).
  static func contains(_ text: String, ascii: StaticString, fullwidth: String) -> Bool {
    let wanted = UnsafeBufferPointer(start: ascii.utf8Start, count: ascii.utf8CodeUnitCount)
    var sawLead = false
    for byte in text.utf8 {
      if byte < 0x80 {
        if wanted.contains(byte) { return true }
      } else if byte == 0xEF {
        sawLead = true
      }
    }
    return sawLead && text.unicodeScalars.contains { fullwidth.unicodeScalars.contains($0) }
  }

  static func value(_ value: ImportedValue) -> String {
    switch value {
    case .verbatim(let text): return text
    case .text(let text), .list(let text): return needsQuotes(text) ? quoted(text) : text
    }
  }

  /// A breakdown row's label: quoted when it holds `=`, braces, `#`, a quote or blanks at its ends.
  static func label(_ text: String) -> String {
    let needs = text.isEmpty || hasBlankEnds(text) || contains(text, ascii: "={}#\"", fullwidth: "＝｛｝＃")
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
    for (key, value, cell) in document.header { entry(Catalog.descriptor(key).japanese, ImportWriter.value(.text(value)), cell) }
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
      if let (total, cell) = section.total { entry("合計", total, cell) }
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
      entry(spelling, ImportWriter.value(value), cell)
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
    if let (rounding, cell) = breakdown.rounding { entry("端数", rounding, cell) }
    for child in breakdown.children {
      switch child {
      case .row(let label, let value, let cell): entry(ImportWriter.label(label), value, cell)
      case .breakdown(let inner): write(inner)
      }
    }
    if let (label, value, cell) = breakdown.total { entry(label, value, cell) }
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
