import YosanCore
import YosanSheets
import YosanSyntax

/// A value to write after `key =`.
enum ImportedValue: Equatable {
  /// Already in Yosan's value syntax (an amount, a rate, a value as a `.yosan` file wrote it).
  case verbatim(String)
  /// Free text: quoted when it holds what would end or break a value.
  case text(String)
  /// A list as text (`医政局、老健局`): its separators kept, quoted as a whole when it must be.
  case list(String)
}

final class ImportedItem {
  var id: String
  var title: String?
  /// The cell the item's header points at (its title, or its row's first cell).
  var cell: SourceCell
  var entries: [(key: Key, value: ImportedValue, cell: SourceCell)] = []
  var breakdowns: [ImportedBreakdown] = []
  var subItems: [ImportedItem] = []

  init(id: String, title: String?, cell: SourceCell) {
    self.id = id
    self.title = title
    self.cell = cell
  }
}

final class ImportedSection {
  var title: String
  var cell: SourceCell
  var total: (value: String, cell: SourceCell)?
  var members: [ImportedMember] = []

  init(title: String, cell: SourceCell) {
    self.title = title
    self.cell = cell
  }
}

enum ImportedMember {
  case section(ImportedSection)
  case item(ImportedItem)
}

final class ImportedBreakdown {
  var isFull: Bool
  var title: String?
  var cell: SourceCell
  var rounding: (value: String, cell: SourceCell)?
  var children: [Child] = []
  var total: (label: String, value: String, cell: SourceCell)?

  enum Child {
    case row(label: String, value: String, cell: SourceCell)
    case breakdown(ImportedBreakdown)
  }

  init(isFull: Bool, title: String?, cell: SourceCell) {
    self.isFull = isFull
    self.title = title
    self.cell = cell
  }
}

/// One `.yosan` document to write: its header and members, each with the cell it came from.
struct ImportedDocument {
  /// The file the rows came from (Yosan's own export names it), or nil.
  var file: String?
  var title: (String, SourceCell?)?
  var header: [(key: Key, value: String, cell: SourceCell?)] = []
  var kind: DocumentKind?
  var members: [ImportedMember] = []
  var itemCount = 0
  var rows: ClosedRange<Int>?
}

/// Turns the rows of a sheet into documents, as the mapping says, checking every cell it reads:
/// amounts that are not numbers, units that cannot be read, ids that are not ids or are given
/// twice, a parent that is no earlier item, document keys that disagree between rows. Each error
/// names the cell.
struct ImportConverter {
  let source: ImportSource
  let sheet: Sheet
  let mapping: ImportMapping.Resolved
  /// What was changed to fit the format (a line break in a title), for standard error.
  var notes: [String] = []
  /// The number formats read, with the unit each shows: a workbook has a few, each cell's
  /// format code is one of the style table's strings (which compare equal at once), and
  /// hashing Japanese text would cost more than comparing it with a few.
  let formats = FormatCache()

  final class FormatCache {
    var known: [(code: String, format: NumberFormat, unit: YenUnit?)] = []

    func format(_ code: String) -> (format: NumberFormat, unit: YenUnit?) {
      for entry in known where entry.code == code { return (entry.format, entry.unit) }
      let format = NumberFormat(code: code)
      let unit = format.literals.lazy.compactMap { YenUnit(symbol: $0.trimmingSpaces()) }.first
      if known.count < 64 { known.append((code, format, unit)) }
      return (format, unit)
    }
  }

  init(source: ImportSource, sheet: Sheet, mapping: ImportMapping.Resolved) {
    self.source = source
    self.sheet = sheet
    self.mapping = mapping
  }

  func cell(_ row: SheetRow, _ column: Int) -> SourceCell { SourceCell(sheet: sheet.name, row: row.number, column: column) }

  func fail(_ at: SourceCell, _ message: String) -> ImportError { ImportError("\(source.name): \(at.reference): \(message)") }

  /// The text of a cell for a text field: text as it is, numbers as their decimal text, dates
  /// in ISO 8601; nil when empty.
  func text(_ value: CellValue) -> String? {
    switch value {
    case .empty: return nil
    case .text(let text):
      let trimmed = text.trimmingSpaces()
      return trimmed.isEmpty ? nil : trimmed
    default: return value.plainText
    }
  }

  // MARK: - Amounts

  /// An amount cell as Yosan writes amounts. Text is kept as written when it is an amount
  /// expression (`6.2億円`, `なし`, `内数(x)`); a bare number in text (`553,081`) or a number cell
  /// gets the unit its number format shows (`#,##0"千円"`), else its column's (a header such as
  /// `要求額（千円）`, or the mapping's `unit`), else the document's 単位.
  func amount(_ value: Cell, at where_: SourceCell, column: Int, what: String, documentUnit: YenUnit?) throws -> String? {
    let columnUnit = mapping.units[column] ?? mapping.unit
    switch value.value {
    case .empty: return nil
    case .text(let raw):
      let text = raw.trimmingSpaces()
      if text.isEmpty { return nil }
      if case .success = ImportConverter.parseAmount(text, defaultUnit: documentUnit) { return text }
      if let columnUnit, columnUnit != documentUnit, case .success(.amount) = ImportConverter.parseAmount(text, defaultUnit: columnUnit) {
        return text + columnUnit.symbol
      }
      if columnUnit == nil, documentUnit == nil, case .success(.amount) = ImportConverter.parseAmount(text, defaultUnit: .yen) {
        throw fail(where_, "\(what) `\(text)` has no unit; write one (\(text)千円) or name the column's unit (`unit = 千円` in a mapping, or a header such as 要求額（千円）)")
      }
      switch ImportConverter.parseAmount(text, defaultUnit: columnUnit ?? documentUnit) {
      case .failure(let error): throw fail(where_, "\(what) `\(text)` is not an amount: \(error.message)")
      case .success: return text
      }
    case .number(let number):
      let known = value.format.map { formats.format($0) }
      let format = known?.format
      let formatUnit = known?.unit
      guard let unit = formatUnit ?? columnUnit ?? documentUnit else {
        throw fail(where_, "\(what) \(number) has no unit; name the column's unit (`unit = 千円` in a mapping, or a header such as 要求額（千円）)")
      }
      guard let shown = ExactDecimal(number) else { throw fail(where_, "\(what) \(number) is not a number") }
      let decimals = max(-min(shown.exponent, 0), format?.decimals ?? 0)
      // As budget documents write a negative amount: △ before it.
      let yen = ExactDecimal(significand: abs(shown.significand), exponent: shown.exponent + unit.exponent)
      return (shown.isNegative ? "△" : "") + Figures.amount(yen, in: unit, fractionDigits: decimals)
    case .bool, .date, .error:
      throw fail(where_, "\(what) `\(value.value.plainText)` is not an amount")
    }
  }

  static func parseAmount(_ text: String, defaultUnit: YenUnit?) -> Result<AmountExpression, ValueError> {
    let bytes = Array(text.utf8)
    let scalars = ScalarText(source: bytes, range: TextRange(start: 0, end: bytes.count))
    return ValueParser(text: scalars, defaultUnit: defaultUnit).amountExpression(0, scalars.count)
  }

  static func yen(_ text: String, defaultUnit: YenUnit?) -> ExactDecimal? {
    guard case .success(let expression) = parseAmount(text, defaultUnit: defaultUnit) else { return nil }
    return expression.countedAmount?.yen
  }

  /// A rate or share cell: text as written; a number as a percentage (0.5 → 50%).
  func rate(_ value: Cell, at where_: SourceCell, what: String) throws -> String? {
    if case .number(let number) = value.value, let decimal = ExactDecimal(number) {
      let percent = ExactDecimal(significand: decimal.significand, exponent: decimal.exponent + 2)
      let isPercent = value.format.map { NumberFormat(code: $0).isPercent } ?? false
      guard isPercent || decimal <= ExactDecimal(1) else {
        throw fail(where_, "\(what) \(number) is not a rate; write it as a fraction (1/2) or a percentage (50%)")
      }
      return percent.description + "%"
    }
    return text(value.value)
  }

  // MARK: - Rows

  struct Group {
    var file: String?
    var rows: [SheetRow] = []
  }

  mutating func convert() throws -> [ImportedDocument] {
    let header = mapping.headerRow
    let rows = sheet.rows.filter { row in
      guard row.number > header else { return false }
      // Yosan's own XLSX has the ASCII names in the row after the Japanese ones.
      if mapping.isOwnLayout, mapping.columns[.title].map({ row[$0].value == .text("title") }) == true { return false }
      return mapping.columns.contains { field, column in
        !field.isDocumentField && field != .file && row.has(column: column) && row[column].value != .empty
      }
    }
    var groups: [Group] = []
    var groupIndex: [String: Int] = [:]
    for row in rows {
      let file = mapping.columns[.file].flatMap { text(row[$0].value) }
      let key = file ?? ""
      if let index = groupIndex[key] {
        groups[index].rows.append(row)
      } else {
        groupIndex[key] = groups.count
        groups.append(Group(file: file, rows: [row]))
      }
    }
    if groups.isEmpty { groups = [Group(file: nil, rows: [])] }
    var documents: [ImportedDocument] = []
    var ids: [String: SourceCell] = [:]
    for group in groups { documents.append(try document(group, ids: &ids)) }
    return documents
  }

  /// The value of a document key for a group: the mapping's value, or the column's, which every
  /// row must agree on.
  func documentValue(_ field: ImportField, _ group: Group) throws -> (String, SourceCell?)? {
    if let value = mapping.constants[field] { return (value, nil) }
    guard let column = mapping.columns[field] else { return nil }
    var found: (String, SourceCell)?
    for row in group.rows {
      guard let value = text(row[column].value) else { continue }
      let here = cell(row, column)
      if let (first, at) = found {
        if first != value {
          throw fail(here, "`\(value)` differs from `\(first)` in \(at.reference); one document has one \(field.rawValue) (import the rows of each apart)")
        }
      } else {
        found = (value, here)
      }
    }
    return found
  }

  mutating func document(_ group: Group, ids: inout [String: SourceCell]) throws -> ImportedDocument {
    var document = ImportedDocument(file: group.file)
    if let first = group.rows.first, let last = group.rows.last { document.rows = first.number...last.number }
    func where_(_ cell: SourceCell?, _ field: ImportField) -> String {
      cell.map { "\(source.name): \($0.reference)" } ?? "the mapping's \(field.rawValue)"
    }
    if let (title, at) = try documentValue(.document, group) { document.title = (title, at) }
    if let (ministry, at) = try documentValue(.ministry, group) { document.header.append((.ministry, ministry, at)) }
    if let (year, at) = try documentValue(.fiscalYear, group) {
      let bytes = Array(year.utf8)
      let text = ScalarText(source: bytes, range: TextRange(start: 0, end: bytes.count))
      guard case .success = ValueParser(text: text).fiscalYear(0, text.count) else {
        throw ImportError("\(where_(at, .fiscalYear)): `\(year)` is not a fiscal year; write one like 令和7年度")
      }
      document.header.append((.fiscalYear, year, at))
    }
    if let (kind, at) = try documentValue(.kind, group) {
      guard let value = DocumentKind.allCases.first(where: { $0.rawValue == kind || $0.alias == kind || (kind == "当初予算(案)" && $0 == .draft) }) else {
        throw ImportError("\(where_(at, .kind)): `\(kind)` is not a kind of document; write 概算要求, 当初予算, 予算案 or 補正予算")
      }
      document.kind = value
      document.header.append((.documentKind, kind, at))
    }
    var documentUnit: YenUnit?
    if let (unit, at) = try documentValue(.documentUnit, group) {
      guard let value = YenUnit(symbol: unit) else { throw ImportError("\(where_(at, .documentUnit)): `\(unit)` is not a unit") }
      documentUnit = value
      document.header.append((.unit, unit, at))
    }
    if let (rounding, at) = try documentValue(.rounding, group) {
      guard RoundingMode.allCases.contains(where: { $0.japanese == rounding || $0.rawValue == rounding }) else {
        throw ImportError("\(where_(at, .rounding)): `\(rounding)` is not a rounding mode; write 四捨五入, 切り捨て or 切り上げ")
      }
      document.header.append((.rounding, rounding, at))
    }

    // Items, with their sub-items under their parents and the others in their sections.
    var items: [String: ImportedItem] = [:]
    var top: [ImportedMember] = []
    var open: [ImportedSection] = []
    func place(_ member: ImportedMember, path: [String], at: SourceCell) {
      var common = 0
      while common < open.count, common < path.count, open[common].title == path[common] { common += 1 }
      open.removeLast(open.count - common)
      for title in path.dropFirst(common) {
        let section = ImportedSection(title: title, cell: at)
        if let parent = open.last { parent.members.append(.section(section)) } else { top.append(.section(section)) }
        open.append(section)
      }
      if let section = open.last { section.members.append(member) } else { top.append(member) }
    }
    for row in group.rows {
      let item = try self.item(row, documentUnit: documentUnit, ids: &ids)
      items[item.id] = item
      document.itemCount += 1
      if let column = mapping.columns[.parent], let parent = text(row[column].value) {
        guard let owner = items[parent], owner !== item else {
          throw fail(cell(row, column), "the parent `\(parent)` is not the id of an earlier row; a sub-item comes after its item")
        }
        owner.subItems.append(item)
        continue
      }
      var path: [String] = []
      if let column = mapping.columns[.section], let sections = text(row[column].value) {
        path = sections.split(separator: " / ", omittingEmptySubsequences: true).map { String($0).trimmingSpaces() }
      }
      place(.item(item), path: path, at: mapping.columns[.section].map { cell(row, $0) } ?? item.cell)
    }
    document.members = top
    return document
  }

  /// The item's keys in the catalogue's order.
  static let itemFieldOrder: [ImportField] = [
    .tags, .division, .extension, .request, .previous, .supplementary, .multiYear, .rate, .shares, .implementer, .recipient, .contractor,
    .eligibleCosts, .unitAmount, .cap, .floor, .bookedBy, .sharedWith, .purpose, .summary, .results, .status, .note,
  ]

  mutating func item(_ row: SheetRow, documentUnit: YenUnit?, ids: inout [String: SourceCell]) throws -> ImportedItem {
    let first = SourceCell(sheet: sheet.name, row: row.number, column: row.columns.first ?? 1)
    var id = "item-\(row.number)"
    var idCell = first
    if let column = mapping.columns[.id], let written = text(row[column].value) {
      idCell = cell(row, column)
      guard written.unicodeScalars.allSatisfy(ValueParser.isIdentifierScalar) else {
        throw fail(idCell, "`\(written)` cannot be an item id: an id is letters, digits, - and _ (no spaces or other signs)")
      }
      id = written
    }
    if let earlier = ids[id] { throw fail(idCell, "the id `\(id)` is given twice (also in \(earlier.reference)); each item needs its own") }
    ids[id] = idCell
    var title: String?
    var titleCell = first
    if let column = mapping.columns[.title], var written = text(row[column].value) {
      titleCell = cell(row, column)
      if written.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
        written = written.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).map { String($0).trimmingSpaces() }.joined(separator: " ")
        notes.append("\(source.name): \(titleCell.reference): the title's line breaks are written as spaces (a title is one line)")
      }
      title = written
    }
    let item = ImportedItem(id: id, title: title, cell: title == nil ? idCell : titleCell)
    for field in ImportConverter.itemFieldOrder {
      // A row without a cell in the column gives the key nothing (an empty cell never does).
      guard let column = mapping.columns[field], let key = field.key, row.has(column: column) else { continue }
      let value = row[column]
      let here = cell(row, column)
      let what = Catalog.descriptor(key).japanese
      switch field {
      case .request, .previous:
        guard let written = try amount(value, at: here, column: column, what: what, documentUnit: documentUnit) else { continue }
        // Yosan's own export gives the yen beside the text: they must agree.
        if let yenColumn = mapping.columns[field == .request ? .requestYen : .previousYen], let yenText = text(row[yenColumn].value) {
          let yenCell = cell(row, yenColumn)
          guard let stated = ExactDecimal(yenText) ?? DecimalText.normalize(yenText, significantDigits: nil).flatMap(ExactDecimal.init) else {
            throw fail(yenCell, "`\(yenText)` is not an amount in yen")
          }
          let actual = ImportConverter.yen(written, defaultUnit: documentUnit)
          if actual != stated {
            throw fail(
              yenCell,
              "\(stated) yen disagrees with \(here.reference), \(written)" + (actual.map { " (\($0) yen)" } ?? "")
                + "; correct one of them (or empty the yen cell)")
          }
        }
        item.entries.append((key, .verbatim(written), here))
      case .rate, .shares:
        guard let written = try rate(value, at: here, what: what) else { continue }
        item.entries.append((key, .verbatim(written), here))
      case .purpose, .summary, .results, .status, .note:
        guard let written = text(value.value) else { continue }
        item.entries.append((key, .text(written), here))
      case .division, .tags, .extension, .sharedWith:
        guard let written = text(value.value) else { continue }
        item.entries.append((key, .list(written), here))
      case .supplementary, .multiYear:
        // Repeatable keys: one entry per `、`-separated value (as the export joins them).
        guard let written = text(value.value) else { continue }
        for part in written.split(separator: "、").map({ String($0).trimmingSpaces() }) where !part.isEmpty {
          item.entries.append((key, .verbatim(part), here))
        }
      default:
        guard let written = text(value.value) else { continue }
        item.entries.append((key, .verbatim(written), here))
      }
    }
    return item
  }

  // MARK: - Yosan's own breakdown and section sheets

  /// Attaches the rows of Yosan's own 内訳 sheet to the items, rebuilding each block.
  func attachBreakdowns(_ sheet: Sheet, to documents: [ImportedDocument]) throws {
    guard let (header, columns) = ImportConverter.ownColumns(sheet, Exporter.breakdownColumns) else { return }
    guard let itemColumn = columns["item"], let kindColumn = columns["kind"], let pathColumn = columns["path"] else { return }
    var items: [String: (ImportedItem, YenUnit?)] = [:]
    for document in documents {
      let unit = document.header.first { $0.key == .unit }.flatMap { YenUnit(symbol: $0.value) }
      func visit(_ members: [ImportedMember]) {
        for member in members {
          switch member {
          case .item(let item): visitItem(item)
          case .section(let section): visit(section.members)
          }
        }
      }
      func visitItem(_ item: ImportedItem) {
        items[item.id] = (item, unit)
        for sub in item.subItems { visitItem(sub) }
      }
      visit(document.members)
    }
    let converter = ImportConverter(source: source, sheet: sheet, mapping: ImportMapping.Resolved(headerRow: header.number, columns: [:], units: [:], isOwnLayout: true, sheet: sheet.name))
    var blocks: [String: ImportedBreakdown] = [:]
    for row in sheet.rows where row.number > header.number {
      guard let id = text(row[itemColumn].value), let kind = text(row[kindColumn].value), kind != "kind" else { continue }
      let here = SourceCell(sheet: sheet.name, row: row.number, column: kindColumn)
      guard let (item, unit) = items[id] else { throw converter.fail(SourceCell(sheet: sheet.name, row: row.number, column: itemColumn), "no item has the id `\(id)`") }
      guard let path = text(row[pathColumn].value) else { throw converter.fail(SourceCell(sheet: sheet.name, row: row.number, column: pathColumn), "the breakdown's number is missing") }
      let key = id + "\u{0}" + path
      func column(_ name: String) -> Cell { columns[name].map { row[$0] } ?? .empty }
      func at(_ name: String) -> SourceCell { SourceCell(sheet: sheet.name, row: row.number, column: columns[name] ?? kindColumn) }
      switch kind {
      case "内訳", "うち":
        let block = ImportedBreakdown(isFull: kind == "内訳", title: text(column("title").value), cell: here)
        if let rounding = text(column("rounding").value) { block.rounding = (rounding, at("rounding")) }
        if let dot = path.lastIndex(of: ".") {
          guard let parent = blocks[id + "\u{0}" + path[..<dot]] else { throw converter.fail(here, "the breakdown \(path) of `\(id)` comes before the one it is in") }
          parent.children.append(.breakdown(block))
        } else {
          item.breakdowns.append(block)
        }
        blocks[key] = block
      case "行", "小計", "合計":
        guard let block = blocks[key] else { throw converter.fail(here, "a row of breakdown \(path) of `\(id)` before the row that opens it (kind 内訳 or うち)") }
        let label = text(column("label").value) ?? kind
        guard let amountColumn = columns["amount"],
          let value = try converter.amount(row[amountColumn], at: at("amount"), column: amountColumn, what: label, documentUnit: unit)
        else { throw converter.fail(at("amount"), "the row `\(label)` has no amount") }
        if kind == "行" {
          block.children.append(.row(label: label, value: value, cell: at("amount")))
        } else {
          block.total = (label, value, at("amount"))
        }
      default:
        throw converter.fail(here, "`\(kind)` is not a kind of breakdown row; write 内訳, うち, 行, 小計 or 合計")
      }
    }
  }

  /// The header row of one of Yosan's own sheets and the column of each of its names.
  static func ownColumns(_ sheet: Sheet, _ known: [TableColumn]) -> (SheetRow, [String: Int])? {
    guard let header = ImportMapping.ownHeaderRow(sheet, columns: known) else { return nil }
    var columns: [String: Int] = [:]
    for (column, cell) in zip(header.columns, header.cells) {
      if case .text(let text) = cell.value, let match = known.first(where: { $0.name == text || $0.japanese == text }) {
        columns[match.name] = column
      }
    }
    return (header, columns)
  }

  /// Gives the sections their totals from Yosan's own 分野 sheet.
  func attachSectionTotals(_ sheet: Sheet, to documents: [ImportedDocument]) throws {
    guard let (header, columns) = ImportConverter.ownColumns(sheet, Exporter.sectionColumns) else { return }
    guard let titleColumn = columns["title"], let totalColumn = columns["total"] else { return }
    var sections: [String: (ImportedSection, YenUnit?)] = [:]
    for document in documents {
      let unit = document.header.first { $0.key == .unit }.flatMap { YenUnit(symbol: $0.value) }
      func visit(_ members: [ImportedMember], path: [String]) {
        for case .section(let section) in members {
          let key = (document.file ?? "") + "\u{0}" + (path + [section.title]).joined(separator: " / ")
          if sections[key] == nil { sections[key] = (section, unit) }
          visit(section.members, path: path + [section.title])
        }
      }
      visit(document.members, path: [])
    }
    let converter = ImportConverter(source: source, sheet: sheet, mapping: ImportMapping.Resolved(headerRow: header.number, columns: [:], units: [:], isOwnLayout: true, sheet: sheet.name))
    for row in sheet.rows where row.number > header.number {
      guard let title = text(row[titleColumn].value), title != "title" else { continue }
      let file = columns["file"].flatMap { text(row[$0].value) } ?? ""
      let path = columns["section"].flatMap { text(row[$0].value) }.map { [$0] } ?? []
      let here = SourceCell(sheet: sheet.name, row: row.number, column: totalColumn)
      guard let (section, unit) = sections[file + "\u{0}" + (path + [title]).joined(separator: " / ")] else { continue }
      if let total = try converter.amount(row[totalColumn], at: here, column: totalColumn, what: "合計", documentUnit: unit) {
        section.total = (total, here)
      }
    }
  }
}
