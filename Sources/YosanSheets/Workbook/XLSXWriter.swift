#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes an Office Open XML workbook (ECMA-376 Part 1, transitional SpreadsheetML) that Excel
/// opens without repairing it: the package parts in the order and with the content types the
/// standard gives, shared strings, a style sheet with the default fills and fonts Excel expects,
/// frozen header rows and column widths; a classic ZIP archive (`ZipWriter`). Text is escaped
/// for XML and SpreadsheetML (`_xHHHH_`); numbers are plain decimal text. What a workbook cannot
/// hold is an error, never truncated: text longer than 32,767 characters, more than 1,048,576
/// rows or 16,384 columns, an invalid or duplicate sheet name.
public enum XLSXWriter {
  public struct Style: Hashable, Sendable {
    public var bold: Bool
    /// A number format code (`#,##0`, `#,##0.0"億円"`); nil for General.
    public var numberFormat: String?

    public init(bold: Bool = false, numberFormat: String? = nil) {
      self.bold = bold
      self.numberFormat = numberFormat
    }

    public static let plain = Style()
  }

  public enum Value: Equatable, Sendable {
    case empty
    case text(String)
    /// Plain decimal text (`DecimalText.isPlain`).
    case number(String)
  }

  public struct Cell: Equatable, Sendable {
    public var value: Value
    public var style: Style
    public init(_ value: Value, style: Style = .plain) {
      self.value = value
      self.style = style
    }
  }

  public struct SheetData: Sendable {
    public var name: String
    public var rows: [[Cell]]
    /// Rows kept in view when scrolling (the header rows).
    public var frozenRows: Int
    /// Column widths in characters; a missing or nil entry leaves the default width.
    public var columnWidths: [Double?]

    public init(name: String, rows: [[Cell]], frozenRows: Int = 0, columnWidths: [Double?] = []) {
      self.name = name
      self.rows = rows
      self.frozenRows = frozenRows
      self.columnWidths = columnWidths
    }
  }

  public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
  }

  static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
  static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
  static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"
  static let maximumText = 32_767

  /// The workbook's bytes. Each sheet's cells are let go once its part is written, when the
  /// caller hands the sheets over.
  public static func write(_ given: consuming [SheetData]) throws -> [UInt8] {
    var sheets = given
    guard !sheets.isEmpty else { throw Failure(message: "a workbook needs at least one sheet") }
    var seen = Set<String>()
    for sheet in sheets {
      try checkName(sheet.name)
      guard seen.insert(sheet.name.lowercased()).inserted else { throw Failure(message: "two sheets are named `\(sheet.name)`") }
    }
    var strings = SharedStrings()
    var styles = Styles()
    var parts: [(name: String, data: [UInt8])] = []
    var sheetParts: [[UInt8]] = []
    for index in sheets.indices {
      sheetParts.append(try worksheet(sheets[index], strings: &strings, styles: &styles))
      sheets[index].rows = []
    }
    parts.append(("[Content_Types].xml", contentTypes(sheetCount: sheets.count)))
    parts.append(("_rels/.rels", rootRelationships()))
    parts.append(("xl/workbook.xml", workbook(sheets)))
    parts.append(("xl/_rels/workbook.xml.rels", workbookRelationships(sheetCount: sheets.count)))
    for (index, part) in sheetParts.enumerated() { parts.append(("xl/worksheets/sheet\(index + 1).xml", part)) }
    parts.append(("xl/styles.xml", styles.xml()))
    parts.append(("xl/sharedStrings.xml", strings.xml()))
    var zip = ZipWriter()
    try zip.add(parts)
    return try zip.finish()
  }

  /// Excel's rules for sheet names: 1–31 characters, none of `[]:*?/\`, not starting or ending
  /// with `'`, not `History`.
  static func checkName(_ name: String) throws {
    let length = name.utf16.count
    guard length >= 1, length <= 31, !name.contains(where: { "[]:*?/\\".contains($0) }), !name.hasPrefix("'"), !name.hasSuffix("'"),
      name.lowercased() != "history"
    else { throw Failure(message: "`\(name)` cannot be a sheet name") }
  }

  static func contentTypes(sheetCount: Int) -> [UInt8] {
    var xml = XMLWriter()
    xml.start("Types", [("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types")])
    xml.empty("Default", [("Extension", "rels"), ("ContentType", "application/vnd.openxmlformats-package.relationships+xml")])
    xml.empty("Default", [("Extension", "xml"), ("ContentType", "application/xml")])
    xml.empty("Override", [("PartName", "/xl/workbook.xml"), ("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")])
    for index in 1...sheetCount {
      xml.empty(
        "Override",
        [("PartName", "/xl/worksheets/sheet\(index).xml"), ("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")])
    }
    xml.empty("Override", [("PartName", "/xl/styles.xml"), ("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml")])
    xml.empty(
      "Override", [("PartName", "/xl/sharedStrings.xml"), ("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml")])
    xml.end()
    return xml.finished()
  }

  static func rootRelationships() -> [UInt8] {
    var xml = XMLWriter()
    xml.start("Relationships", [("xmlns", packageRelationships)])
    xml.empty("Relationship", [("Id", "rId1"), ("Type", relationshipNamespace + "/officeDocument"), ("Target", "xl/workbook.xml")])
    xml.end()
    return xml.finished()
  }

  static func workbook(_ sheets: [SheetData]) -> [UInt8] {
    var xml = XMLWriter()
    xml.start("workbook", [("xmlns", mainNamespace), ("xmlns:r", relationshipNamespace)])
    xml.start("bookViews")
    xml.empty("workbookView", [("activeTab", "0")])
    xml.end()
    xml.start("sheets")
    for (index, sheet) in sheets.enumerated() {
      xml.empty("sheet", [("name", sheet.name), ("sheetId", "\(index + 1)"), ("r:id", "rId\(index + 1)")])
    }
    xml.end()
    xml.end()
    return xml.finished()
  }

  static func workbookRelationships(sheetCount: Int) -> [UInt8] {
    var xml = XMLWriter()
    xml.start("Relationships", [("xmlns", packageRelationships)])
    for index in 1...sheetCount {
      xml.empty("Relationship", [("Id", "rId\(index)"), ("Type", relationshipNamespace + "/worksheet"), ("Target", "worksheets/sheet\(index).xml")])
    }
    xml.empty("Relationship", [("Id", "rId\(sheetCount + 1)"), ("Type", relationshipNamespace + "/styles"), ("Target", "styles.xml")])
    xml.empty("Relationship", [("Id", "rId\(sheetCount + 2)"), ("Type", relationshipNamespace + "/sharedStrings"), ("Target", "sharedStrings.xml")])
    xml.end()
    return xml.finished()
  }

  static func worksheet(_ sheet: SheetData, strings: inout SharedStrings, styles: inout Styles) throws -> [UInt8] {
    guard sheet.rows.count <= 1_048_576 else { throw Failure(message: "the sheet `\(sheet.name)` would have \(sheet.rows.count) rows, more than a workbook holds (1,048,576)") }
    let columns = sheet.rows.map(\.count).max() ?? 0
    guard columns <= 16_384 else { throw Failure(message: "the sheet `\(sheet.name)` would have \(columns) columns, more than a workbook holds (16,384)") }
    let letters = (0..<max(columns, 1)).map { CellReference.columnName($0 + 1) }
    var xml = XMLWriter()
    xml.start("worksheet", [("xmlns", mainNamespace), ("xmlns:r", relationshipNamespace)])
    let last = sheet.rows.isEmpty || columns == 0 ? "A1" : "A1:\(letters[columns - 1])\(sheet.rows.count)"
    xml.empty("dimension", [("ref", last)])
    xml.start("sheetViews")
    if sheet.frozenRows > 0 {
      let topLeft = "A\(sheet.frozenRows + 1)"
      xml.start("sheetView", [("workbookViewId", "0")])
      xml.empty("pane", [("ySplit", "\(sheet.frozenRows)"), ("topLeftCell", topLeft), ("activePane", "bottomLeft"), ("state", "frozen")])
      xml.empty("selection", [("pane", "bottomLeft"), ("activeCell", topLeft), ("sqref", topLeft)])
      xml.end()
    } else {
      xml.empty("sheetView", [("workbookViewId", "0")])
    }
    xml.end()
    xml.empty("sheetFormatPr", [("defaultRowHeight", "15")])
    let widths = sheet.columnWidths.enumerated().compactMap { index, width in width.map { (index + 1, $0) } }
    if !widths.isEmpty {
      xml.start("cols")
      for (column, width) in widths {
        xml.empty("col", [("min", "\(column)"), ("max", "\(column)"), ("width", formatWidth(width)), ("customWidth", "1")])
      }
      xml.end()
    }
    if sheet.rows.isEmpty {
      xml.empty("sheetData")
    } else {
      // The cells, written as bytes straight into the part: a workbook of 10,000 items has over
      // a million of them, and nothing is made per cell but the text of a shared string met
      // for the first time.
      let letterBytes = letters.map { Array($0.utf8) }
      var lastStyle = XLSXWriter.Style.plain
      var lastIndex = 0
      // The last text of each column and its shared string: a column repeats its texts (the
      // file, the kind of row) in runs, and comparing with the last is cheaper than hashing.
      var lastText = [(text: String, index: Int)?](repeating: nil, count: max(columns, 1))
      try xml.raw { out in
        out.reserveCapacity(out.count + sheet.rows.count * max(columns, 1) * 24)
        out.append("<sheetData>")
        for (rowIndex, row) in sheet.rows.enumerated() {
          let number = rowIndex + 1
          out.append("<row r=\"")
          out.appendDecimal(number)
          out.append("\">")
          for (columnIndex, cell) in row.enumerated() {
            if cell.style != lastStyle {
              lastStyle = cell.style
              lastIndex = styles.index(of: cell.style)
            }
            let style = lastIndex
            func open() {
              out.append("<c r=\"")
              out.append(contentsOf: letterBytes[columnIndex])
              out.appendDecimal(number)
              out.append(0x22)
              if style != 0 {
                out.append(" s=\"")
                out.appendDecimal(style)
                out.append(0x22)
              }
            }
            switch cell.value {
            case .empty:
              if style != 0 {
                open()
                out.append("/>")
              }
            case .number(let text):
              guard DecimalText.isPlain(text) else {
                throw Failure(message: "\(sheet.name)!\(letters[columnIndex])\(rowIndex + 1): `\(text)` is not a number")
              }
              open()
              out.append("><v>")
              out.append(contentsOf: text.utf8)
              out.append("</v></c>")
            case .text(let text):
              guard text.utf16.count <= maximumText else {
                throw Failure(message: "\(sheet.name)!\(letters[columnIndex])\(rowIndex + 1): a text of \(text.utf16.count) characters, more than a cell holds (32,767)")
              }
              open()
              out.append(" t=\"s\"><v>")
              let index: Int
              // (Compared as bytes, as the shared strings are: not as `String`s, which are equal
              // when canonically equivalent.)
              if let last = lastText[columnIndex], SharedStrings.Key(text: last.text) == SharedStrings.Key(text: text) {
                index = last.index
                strings.count += 1
              } else {
                index = strings.index(of: text)
                lastText[columnIndex] = (text, index)
              }
              out.appendDecimal(index)
              out.append("</v></c>")
            }
          }
          out.append("</row>")
        }
        out.append("</sheetData>")
      }
    }
    xml.end()
    return xml.finished()
  }

  static func formatWidth(_ width: Double) -> String {
    let tenths = Int((min(max(width, 1), 255) * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
  }

  struct SharedStrings {
    var index: [Key: Int] = [:]
    var order: [String] = []
    var count = 0

    /// A text compared and hashed by its UTF-8 bytes: hashing a `String` normalises it, which is
    /// slow for Japanese (and two texts that differ only in normalisation are two strings here).
    struct Key: Hashable {
      var text: String
      static func == (a: Key, b: Key) -> Bool {
        var (x, y) = (a.text, b.text)
        return x.withUTF8 { x in y.withUTF8 { y in x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) } }
      }
      func hash(into hasher: inout Hasher) {
        var text = self.text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
      }
    }

    mutating func index(of text: String) -> Int {
      count += 1
      let key = Key(text: text)
      if let existing = index[key] { return existing }
      index[key] = order.count
      order.append(text)
      return order.count - 1
    }

    func xml() -> [UInt8] {
      var xml = XMLWriter()
      xml.start("sst", [("xmlns", XLSXWriter.mainNamespace), ("count", "\(count)"), ("uniqueCount", "\(order.count)")])
      for text in order {
        let encoded = SpreadsheetText.encode(text)
        xml.start("si")
        let scalars = encoded.unicodeScalars
        let preserve = scalars.first.map { $0 == " " || $0 == "\t" || $0 == "\n" } == true || scalars.last.map { $0 == " " || $0 == "\t" || $0 == "\n" } == true
        xml.element("t", preserve ? [("xml:space", "preserve")] : [], text: encoded)
        xml.end()
      }
      xml.end()
      return xml.finished()
    }
  }

  struct Styles {
    /// The distinct styles in order of first use; style 0 is the default.
    var styles: [Style] = [.plain]
    var index: [Style: Int] = [.plain: 0]

    mutating func index(of style: Style) -> Int {
      if let existing = index[style] { return existing }
      index[style] = styles.count
      styles.append(style)
      return styles.count - 1
    }

    func xml() -> [UInt8] {
      var formats: [String] = []
      for style in styles { if let code = style.numberFormat, !formats.contains(code) { formats.append(code) } }
      var xml = XMLWriter()
      xml.start("styleSheet", [("xmlns", XLSXWriter.mainNamespace)])
      if !formats.isEmpty {
        xml.start("numFmts", [("count", "\(formats.count)")])
        for (index, code) in formats.enumerated() { xml.empty("numFmt", [("numFmtId", "\(164 + index)"), ("formatCode", code)]) }
        xml.end()
      }
      xml.start("fonts", [("count", "2")])
      for bold in [false, true] {
        xml.start("font")
        if bold { xml.empty("b") }
        xml.empty("sz", [("val", "11")])
        xml.empty("name", [("val", "游ゴシック")])
        xml.empty("family", [("val", "3")])
        xml.empty("charset", [("val", "128")])
        xml.end()
      }
      xml.end()
      // Excel expects the two default fills, none and gray125.
      xml.start("fills", [("count", "2")])
      for pattern in ["none", "gray125"] {
        xml.start("fill")
        xml.empty("patternFill", [("patternType", pattern)])
        xml.end()
      }
      xml.end()
      xml.start("borders", [("count", "1")])
      xml.start("border")
      for side in ["left", "right", "top", "bottom", "diagonal"] { xml.empty(side) }
      xml.end()
      xml.end()
      xml.start("cellStyleXfs", [("count", "1")])
      xml.empty("xf", [("numFmtId", "0"), ("fontId", "0"), ("fillId", "0"), ("borderId", "0")])
      xml.end()
      xml.start("cellXfs", [("count", "\(styles.count)")])
      for style in styles {
        var attributes: [(String, String)] = [
          ("numFmtId", style.numberFormat.map { "\(164 + formats.firstIndex(of: $0)!)" } ?? "0"), ("fontId", style.bold ? "1" : "0"), ("fillId", "0"),
          ("borderId", "0"), ("xfId", "0"),
        ]
        if style.numberFormat != nil { attributes.append(("applyNumberFormat", "1")) }
        if style.bold { attributes.append(("applyFont", "1")) }
        xml.empty("xf", attributes)
      }
      xml.end()
      xml.start("cellStyles", [("count", "1")])
      xml.empty("cellStyle", [("name", "Normal"), ("xfId", "0"), ("builtinId", "0")])
      xml.end()
      xml.end()
      return xml.finished()
    }
  }
}
