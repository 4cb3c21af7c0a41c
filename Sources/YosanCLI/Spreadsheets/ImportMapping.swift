import YosanCore
import YosanSheets
import YosanSyntax

/// What a column of the source may hold.
enum ImportField: String, CaseIterable {
  // An item's keys.
  case id, parent, section, title, division, tags, request, previous, rate, shares
  case `extension`, supplementary, multiYear = "multi-year", implementer, recipient, contractor
  case eligibleCosts = "eligible-costs", unitAmount = "unit-amount", cap, floor, bookedBy = "booked-by", sharedWith = "shared-with"
  case purpose, summary, results, status, note
  // The document's header: a column, or (in a mapping) a value.
  case document, ministry, fiscalYear = "fiscal-year", kind, rounding
  // Yosan's own export only.
  case file, requestYen = "request-yen", previousYen = "previous-yen", documentUnit = "document-unit"

  /// The fields that belong to the document rather than to an item.
  var isDocumentField: Bool { [.document, .ministry, .fiscalYear, .kind, .rounding, .documentUnit].contains(self) }

  /// The Yosan key an item field is written as.
  var key: Key? {
    switch self {
    case .division: return .division
    case .tags: return .tags
    case .request: return .request
    case .previous: return .previous
    case .rate: return .rate
    case .shares: return .shares
    case .extension: return .extensions
    case .supplementary: return .supplementary
    case .multiYear: return .multiYear
    case .implementer: return .implementer
    case .recipient: return .recipient
    case .contractor: return .contractor
    case .eligibleCosts: return .eligibleCosts
    case .unitAmount: return .unitAmount
    case .cap: return .cap
    case .floor: return .floor
    case .bookedBy: return .bookedBy
    case .sharedWith: return .sharedWith
    case .purpose: return .purpose
    case .summary: return .summary
    case .results: return .results
    case .status: return .status
    case .note: return .note
    default: return nil
    }
  }

  /// The Japanese spellings a mapping file may use for the key (besides the ASCII name).
  var japaneseKeys: [String] {
    switch self {
    case .id: return ["ID", "事業ID"]
    case .parent: return ["親事業"]
    case .section: return ["分野"]
    case .title: return ["事業名"]
    case .request: return ["要求額", "予算額"]
    case .document: return ["文書"]
    case .ministry: return ["府省"]
    case .fiscalYear: return ["年度"]
    case .kind: return ["区分"]
    case .rounding: return ["端数"]
    default: return key.map { [Catalog.descriptor($0).japanese] } ?? []
    }
  }
}

/// Where a column is: a header's text, or a column letter (`C列`).
enum ColumnReference: Equatable {
  case header(String)
  case letter(Int)

  /// `C列` or `列C` is a column letter; any other text a header.
  init(_ text: String) {
    let trimmed = text.trimmingSpaces()
    for (prefix, suffix) in [("", "列"), ("列", "")] {
      guard trimmed.hasPrefix(prefix), trimmed.hasSuffix(suffix), trimmed.count > prefix.count + suffix.count else { continue }
      let letters = trimmed.dropFirst(prefix.count).dropLast(suffix.count)
      if let column = CellReference.column(letters: Substring(letters)), letters.allSatisfy({ $0.isASCII }) {
        self = .letter(column)
        return
      }
    }
    self = .header(trimmed)
  }
}

/// How the columns of a sheet map to an item's keys: Yosan's own layout (the columns of its
/// CSV and XLSX export) or a mapping file.
struct ImportMapping {
  var sheet: String?
  var headerRow: Int?
  /// The unit of amounts that do not name one (numbers, or text such as `553,081`), when no
  /// header names it.
  var unit: YenUnit?
  var columns: [(ImportField, ColumnReference)] = []
  /// The document's keys given as values.
  var constants: [ImportField: String] = [:]
  var isOwnLayout = false
  /// The mapping file and the line of each key, for messages.
  var path: String?
  var lines: [ImportField: (line: Int, column: Int)] = [:]

  static let settingKeys: [String: String] = ["sheet": "sheet", "シート": "sheet", "header-row": "header-row", "見出し行": "header-row", "unit": "unit", "単位": "unit"]

  /// Every spelling a mapping file may use, with what it means.
  static let spellings: [String: ImportField] = {
    var result: [String: ImportField] = [:]
    for field in ImportField.allCases where ![.file, .requestYen, .previousYen, .documentUnit].contains(field) {
      result[field.rawValue] = field
      for japanese in field.japaneseKeys { result[japanese] = field }
    }
    return result
  }()

  // MARK: - Reading a mapping file

  /// Reads a mapping file: `key = column` lines in Yosan's syntax (comments with `#`). Errors
  /// name the file, line and column.
  init(path: String, bytes: [UInt8]) throws {
    self.path = path
    let facts = Analyzer.parse(SourceFile(path: path, bytes: bytes))
    func fail(_ offset: Int, _ message: String) -> ImportError {
      let (line, column) = facts.position(of: offset)
      return ImportError("\(path):\(line):\(column): \(message)")
    }
    try bytes.withUnsafeBufferPointer { buffer in
      for node in facts.root.childNodes {
        switch node.kind {
        case .entry:
          let entry = EntrySyntax(node: node, bytes: buffer)
          let key = entry.keyText
          guard let valueRange = entry.valueRange else { throw fail(entry.keyRange.start, "`\(key)` has no value; write `\(key) = …`") }
          let value = entry.text(of: valueRange).trimmingSpaces()
          let position = facts.position(of: valueRange.start)
          if let setting = ImportMapping.settingKeys[key] {
            switch setting {
            case "sheet": sheet = value
            case "header-row":
              guard let row = Int(value), row >= 1 else { throw fail(valueRange.start, "header-row is the number of the header row, like 3; not `\(value)`") }
              headerRow = row
            default:
              guard let unit = YenUnit(symbol: value) else {
                throw fail(valueRange.start, "`\(value)` is not a unit; write one of 円, 千円, 万円, 百万円, 千万円, 億円, 兆円")
              }
              self.unit = unit
            }
            continue
          }
          guard let field = ImportMapping.spellings[key] else {
            let suggestion = Catalog.suggestion(for: key, among: Array(ImportMapping.spellings.keys) + Array(ImportMapping.settingKeys.keys))
            throw fail(entry.keyRange.start, "unknown key `\(key)`" + (suggestion.map { "; did you mean `\($0)`?" } ?? "; see `yosan help import` for the keys"))
          }
          if lines[field] != nil { throw fail(entry.keyRange.start, "`\(key)` is given twice") }
          lines[field] = position
          columns.append((field, ColumnReference(value)))
        case .block:
          throw fail(node.range.start, "a mapping holds only `key = column` lines, no blocks")
        default:
          throw fail(node.range.start, "this line is not `key = column`")
        }
      }
    }
    guard columns.contains(where: { $0.0 == .title || $0.0 == .request }) else {
      throw ImportError("\(path): the mapping names no column for title or request; write at least `title = 事業名` and `request = 要求額`")
    }
  }

  init() {}

  // MARK: - Yosan's own layout

  /// The field of a column of Yosan's own items table, by its ASCII name or Japanese header.
  static func ownField(_ header: String) -> ImportField? {
    guard let column = Exporter.itemColumns.first(where: { $0.name == header || $0.japanese == header }) else { return nil }
    switch column.name {
    case "unit": return .documentUnit
    case "line", "change_yen", "change_percent", "fiscal_year_western": return nil
    default: return ImportField(rawValue: column.name.replacing("_", with: "-"))
    }
  }

  /// The row of Yosan's own headers among the first rows (the ASCII row, or the Japanese one),
  /// if the sheet is in Yosan's own layout: it holds the first three columns' names (file, line
  /// and the next one; ファイル, 行, …) and at least five in all.
  static func ownHeaderRow(_ sheet: Sheet, columns: [TableColumn]) -> SheetRow? {
    let ascii = Set(columns.map(\.name))
    let japanese = Set(columns.map(\.japanese))
    var best: SheetRow?
    for row in sheet.rows.prefix(5) {
      let texts = Set(
        row.cells.compactMap { cell -> String? in
          if case .text(let text) = cell.value { return text }
          return nil
        })
      let enough = min(5, columns.count)
      if columns.prefix(3).allSatisfy({ texts.contains($0.name) }), texts.filter({ ascii.contains($0) }).count >= enough { return row }
      if best == nil, columns.prefix(3).allSatisfy({ texts.contains($0.japanese) }), texts.filter({ japanese.contains($0) }).count >= enough { best = row }
    }
    return best
  }

  /// The mapping of a sheet in Yosan's own layout, or nil.
  static func own(_ sheet: Sheet) -> (ImportMapping, header: SheetRow)? {
    guard let header = ownHeaderRow(sheet, columns: Exporter.itemColumns),
      header.cells.contains(where: { $0.value == .text("title") || $0.value == .text("事業名") })
    else { return nil }
    var mapping = ImportMapping()
    mapping.isOwnLayout = true
    for (column, cell) in zip(header.columns, header.cells) {
      if case .text(let text) = cell.value, let field = ownField(text) { mapping.columns.append((field, .letter(column))) }
    }
    return (mapping, header)
  }

  // MARK: - Resolving against a sheet

  /// The mapping resolved against a sheet: the header row, the column of each field, and the
  /// unit each amount column's header names.
  struct Resolved {
    var headerRow: Int
    var columns: [ImportField: Int] = [:]
    var units: [Int: YenUnit] = [:]
    var constants: [ImportField: String] = [:]
    var unit: YenUnit?
    var isOwnLayout: Bool
    var sheet: String
  }

  func resolve(_ sheet: Sheet, sourceName: String, ownHeader: SheetRow? = nil) throws -> Resolved {
    let mappingName = path ?? "the mapping"
    guard let header = ownHeader ?? headerRow(in: sheet) else {
      throw ImportError("\(sourceName): the sheet `\(sheet.name)` is empty")
    }
    var resolved = Resolved(headerRow: header.number, isOwnLayout: isOwnLayout, sheet: sheet.name)
    resolved.unit = unit
    let headers = HeaderText.headers(of: header)
    for (field, reference) in columns {
      let line = lines[field].map { "\(mappingName):\($0.line):\($0.column): " } ?? ""
      switch reference {
      case .letter(let column):
        resolved.columns[field] = column
      case .header(let text):
        if field.isDocumentField, headers.first(where: { $0.matches(text) }) == nil {
          resolved.constants[field] = text
          continue
        }
        let found = headers.filter { $0.matches(text) }
        guard let first = found.first else {
          let list = headers.map { "\($0.text) (\(CellReference.columnName($0.column)))" }.joined(separator: ", ")
          throw ImportError(
            "\(line)no column `\(text)` in the header row of `\(sheet.name)` (row \(header.number): \(list.isEmpty ? "no headers" : list)); name a header or a column letter such as `C列`")
        }
        if found.count > 1 {
          throw ImportError(
            "\(line)two columns of `\(sheet.name)` are headed `\(text)` (\(found.map { CellReference.columnName($0.column) }.joined(separator: " and "))); name one by its letter, such as `\(CellReference.columnName(first.column))列`")
        }
        resolved.columns[field] = first.column
      }
    }
    for header in headers { if let unit = header.unit { resolved.units[header.column] = unit } }
    for (field, value) in constants { resolved.constants[field] = value }
    return resolved
  }

  /// The header row: the one given, else the first of the first 30 rows that holds every header
  /// the mapping names.
  func headerRow(in sheet: Sheet) -> SheetRow? {
    if let headerRow { return sheet.rows.first { $0.number == headerRow } ?? SheetRow(number: headerRow) }
    let wanted = columns.compactMap { field, reference -> String? in
      if case .header(let text) = reference, !field.isDocumentField { return text }
      return nil
    }
    var best: (row: SheetRow, count: Int)?
    for row in sheet.rows.prefix(30) {
      let headers = HeaderText.headers(of: row)
      let count = wanted.filter { text in headers.contains { $0.matches(text) } }.count
      if count == wanted.count { return row }
      if count > (best?.count ?? 0) { best = (row, count) }
    }
    return best?.row ?? sheet.rows.first
  }
}

/// A header cell's text, normalised for matching: full-width letters, digits and brackets as
/// ASCII, no blanks or line breaks, and the unit it names in brackets (`要求額（千円）`) apart.
struct HeaderText {
  var column: Int
  /// The text as the sheet has it.
  var text: String
  /// Without blanks, brackets normalised.
  var normalized: String
  /// Without the bracketed unit.
  var base: String
  var unit: YenUnit?

  init(column: Int, text: String) {
    self.column = column
    self.text = text
    normalized = HeaderText.normalize(text)
    (base, unit) = HeaderText.splitUnit(normalized)
  }

  static func headers(of row: SheetRow) -> [HeaderText] {
    zip(row.columns, row.cells).compactMap { column, cell in
      guard case .text(let text) = cell.value, !text.trimmingSpaces().isEmpty else { return nil }
      return HeaderText(column: column, text: text)
    }
  }

  func matches(_ wanted: String) -> Bool {
    let w = HeaderText.normalize(wanted)
    return w == normalized || w == base
  }

  static func normalize(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x20, 0x09, 0x0A, 0x0D, 0x3000, 0xA0: continue
      case 0xFF01...0xFF5E: out.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
      case 0x3010, 0x3014, 0xFF3B: out.append("(")  // 【 〔 ［
      case 0x3011, 0x3015, 0xFF3D: out.append(")")
      default: out.append(scalar)
      }
    }
    return String(out).replacing("[", with: "(").replacing("]", with: ")")
  }

  /// `要求額(千円)` → (`要求額`, 千円); `要求額(単位:千円)` too.
  static func splitUnit(_ text: String) -> (String, YenUnit?) {
    guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return (text, nil) }
    var inside = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
    if inside.hasPrefix("単位") { inside = String(inside.dropFirst(2).drop { $0 == ":" || $0 == "：" }) }
    guard let unit = YenUnit(symbol: inside) else { return (text, nil) }
    return (String(text[..<open]), unit)
  }

  /// The unit a note such as `（単位：百万円）` or `単位:千円` names.
  static func unitNote(_ text: String) -> YenUnit? {
    let normalized = normalize(text)
    guard let range = normalized.firstRange(of: "単位") else { return nil }
    let rest = normalized[range.upperBound...].drop { $0 == ":" || $0 == "：" || $0 == "(" }
    for unit in YenUnit.allCases.sorted(by: { $0.symbol.count > $1.symbol.count }) where rest.hasPrefix(unit.symbol) { return unit }
    return nil
  }
}
