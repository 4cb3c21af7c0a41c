import Dispatch

/// A workbook that cannot be read: the message names the part of the package (and the line and
/// column in it) where the problem is.
public struct XLSXError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Reads an Office Open XML workbook (`.xlsx`, ECMA-376 / ISO/IEC 29500, transitional and
/// strict) as Excel, LibreOffice and other programs write it: the package's relationships lead to
/// the workbook, its sheets, the shared strings and the styles. Cells come with their values as
/// the file stores them (shared and inline strings with rich-text runs joined and phonetic
/// guides left out, numbers as exact decimal text, booleans, errors, dates: numbers whose format
/// is a date, and ISO dates) and their number format codes.
public struct XLSXReader: Sendable {
  public struct SheetInfo: Equatable, Sendable {
    public var name: String
    public var hidden: Bool
    /// Where the sheet's part is; nil for a chart sheet or dialog sheet, which holds no cells.
    public var part: String?

    public init(name: String, hidden: Bool, part: String?) {
      self.name = name
      self.hidden = hidden
      self.part = part
    }
  }

  let archive: ZipArchive
  public let sheets: [SheetInfo]
  let sharedStrings: [String]
  /// The number format code of each cell style (`s` attribute), nil for General.
  let styleFormats: [String?]
  /// Whether each cell style's number format shows a date.
  let styleIsDate: [Bool]
  let date1904: Bool

  public init(_ bytes: [UInt8], limits: ZipArchive.Limits = ZipArchive.Limits()) throws {
    do {
      archive = try ZipArchive(bytes, limits: limits)
    } catch let failure as ZipArchive.Failure {
      throw XLSXError("not a readable workbook: \(failure.message)")
    }
    guard archive.entry(named: "[Content_Types].xml") != nil else {
      throw XLSXError("not a workbook: the ZIP archive has no [Content_Types].xml (is it an .xlsx file?)")
    }
    let root = try XLSXReader.relationships(archive, of: "")
    guard let workbookPart = root.first(where: { $0.type.hasSuffix("/officeDocument") })?.target ?? (archive.entry(named: "xl/workbook.xml") != nil ? "xl/workbook.xml" : nil)
    else { throw XLSXError("not a workbook: the package names no main document (_rels/.rels)") }
    let workbook = try XLSXReader.element(archive, workbookPart)
    guard workbook.name.local == "workbook" else {
      throw XLSXError("not a spreadsheet: its main document is `\(workbook.name.local)`, not a workbook (a Word or PowerPoint file?)")
    }
    let relationships = try XLSXReader.relationships(archive, of: workbookPart)
    var sheets: [SheetInfo] = []
    for sheet in workbook.child("sheets")?.children("sheet") ?? [] {
      let name = sheet.attribute("name") ?? "Sheet\(sheets.count + 1)"
      let id = sheet.qualifiedAttribute("id")
      let relationship = relationships.first { $0.id == id }
      let isWorksheet = relationship?.type.hasSuffix("/worksheet") ?? false
      sheets.append(SheetInfo(name: name, hidden: (sheet.attribute("state") ?? "visible") != "visible", part: isWorksheet ? relationship?.target : nil))
    }
    guard !sheets.isEmpty else { throw XLSXError("the workbook has no sheets") }
    self.sheets = sheets
    date1904 = ["1", "true"].contains(workbook.child("workbookPr")?.attribute("date1904") ?? "0")
    if let part = relationships.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target, archive.entry(named: part) != nil {
      sharedStrings = try XLSXReader.sharedStrings(archive, part)
    } else {
      sharedStrings = []
    }
    if let part = relationships.first(where: { $0.type.hasSuffix("/styles") })?.target, archive.entry(named: part) != nil {
      styleFormats = try XLSXReader.styles(archive, part)
    } else {
      styleFormats = []
    }
    styleIsDate = styleFormats.map { $0.map { NumberFormat(code: $0).isDate } ?? false }
  }

  // MARK: - Parts

  struct Relationship {
    var id: String
    var type: String
    /// The target part's name, resolved against the source part (no leading `/`).
    var target: String
  }

  /// The part's bytes.
  static func data(_ archive: ZipArchive, _ part: String) throws -> [UInt8] {
    guard let entry = archive.entry(named: part) else { throw XLSXError("the workbook has no part `\(part)` (a damaged file)") }
    do {
      return try archive.data(of: entry)
    } catch let failure as ZipArchive.Failure {
      throw XLSXError("the workbook cannot be read: \(failure.message)")
    }
  }

  static func element(_ archive: ZipArchive, _ part: String) throws -> XMLElement {
    let bytes = try data(archive, part)
    do {
      return try XMLElement.parse(bytes)
    } catch let error as XMLError {
      throw XLSXError("\(part):\(error.line):\(error.column): \(error.message)")
    }
  }

  /// The relationships of a part (`folder/_rels/name.rels`; `_rels/.rels` for the package).
  static func relationships(_ archive: ZipArchive, of part: String) throws -> [Relationship] {
    let slash = part.lastIndex(of: "/")
    let folder = slash.map { String(part[..<$0]) } ?? ""
    let name = slash.map { String(part[part.index(after: $0)...]) } ?? part
    let relsPart = (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
    guard archive.entry(named: relsPart) != nil else { return [] }
    let root = try element(archive, relsPart)
    return root.children("Relationship").compactMap { element in
      guard let id = element.attribute("Id"), let type = element.attribute("Type"), let target = element.attribute("Target") else { return nil }
      if element.attribute("TargetMode") == "External" { return nil }
      return Relationship(id: id, type: type, target: resolve(target, from: folder))
    }
  }

  /// A relationship target resolved against the source part's folder: `worksheets/sheet1.xml`
  /// from `xl` is `xl/worksheets/sheet1.xml`; `/xl/styles.xml` is absolute; `..` goes up.
  static func resolve(_ target: String, from folder: String) -> String {
    var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
    for piece in target.split(separator: "/") {
      if piece == "." { continue }
      if piece == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(piece)
    }
    return parts.joined(separator: "/").removingPercentEscapes()
  }

  /// The shared strings: each `si`'s text (`t`, or the `t` of its runs), phonetic runs left out.
  static func sharedStrings(_ archive: ZipArchive, _ part: String) throws -> [String] {
    struct Handler: XMLEventHandler {
      var strings: [String] = []
      var current: [UInt8] = []
      var inItem = false
      var inText = false
      var phonetic = 0
      mutating func start(_ tag: XMLTag) throws {
        let local = tag.local
        if local.equals("si") {
          inItem = true
          current.removeAll(keepingCapacity: true)
        } else if local.equals("rPh") || local.equals("phoneticPr") {
          phonetic += 1
        } else if local.equals("t") {
          inText = inItem && phonetic == 0
        }
      }
      mutating func end(_ tag: XMLTag) throws {
        let local = tag.local
        if local.equals("si") {
          strings.append(SpreadsheetText.decode(String(decoding: current, as: UTF8.self)))
          inItem = false
        } else if local.equals("rPh") || local.equals("phoneticPr") {
          phonetic -= 1
        } else if local.equals("t") {
          inText = false
        }
      }
      mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws { if inText { current.append(contentsOf: bytes) } }
    }
    var handler = Handler()
    try parse(archive, part, into: &handler)
    return handler.strings
  }

  static func parse<Handler: XMLEventHandler>(_ archive: ZipArchive, _ part: String, into handler: inout Handler) throws {
    let bytes = try data(archive, part)
    do {
      try XMLReader.parse(bytes, events: &handler)
    } catch let error as XMLError {
      throw XLSXError("\(part):\(error.line):\(error.column): \(error.message)")
    }
  }

  /// The number format code of each cell style (`cellXfs`), custom ones from `numFmts`.
  static func styles(_ archive: ZipArchive, _ part: String) throws -> [String?] {
    let root = try element(archive, part)
    var custom: [Int: String] = [:]
    for format in root.child("numFmts")?.children("numFmt") ?? [] {
      if let id = format.attribute("numFmtId").flatMap({ Int($0) }), let code = format.attribute("formatCode") { custom[id] = code }
    }
    return (root.child("cellXfs")?.children("xf") ?? []).map { xf in
      let id = xf.attribute("numFmtId").flatMap { Int($0) } ?? 0
      return custom[id] ?? NumberFormat.builtIn(id)
    }
  }

  // MARK: - Sheets

  /// The cells of the sheet at `index` (in the workbook's order).
  public func sheet(at index: Int) throws -> Sheet {
    let info = sheets[index]
    guard let part = info.part else { throw XLSXError("the sheet `\(info.name)` is a chart or dialog sheet: it holds no cells") }
    var handler = SheetHandler(sharedStrings: sharedStrings, styleFormats: styleFormats, styleIsDate: styleIsDate, date1904: date1904, sheetName: info.name)
    try XLSXReader.parse(archive, part, into: &handler)
    var rows = handler.rows
    if !handler.ordered {
      rows.sort { $0.number < $1.number }
      var merged: [SheetRow] = []
      for row in rows {
        if let last = merged.last, last.number == row.number {
          throw XLSXError("\(part): the sheet `\(info.name)` gives row \(row.number) twice")
        }
        merged.append(row)
      }
      rows = merged
    }
    return Sheet(name: info.name, rows: rows)
  }

  /// The cells of several sheets, read at the same time on the machine's cores (each sheet is
  /// a part of its own); a failure is kept for its sheet, so that the caller meets it in order.
  public func sheets(at indices: [Int]) -> [Result<Sheet, XLSXError>] {
    var results = [Result<Sheet, XLSXError>?](repeating: nil, count: indices.count)
    let read: @Sendable (Int) -> Result<Sheet, XLSXError> = { [self] index in
      do { return .success(try sheet(at: index)) } catch let error as XLSXError { return .failure(error) } catch {
        return .failure(XLSXError("\(error)"))
      }
    }
    if indices.count < 2 {
      return indices.map(read)
    }
    results.withUnsafeMutableBufferPointer { buffer in
      let slots = ResultSlots(buffer: buffer)
      DispatchQueue.concurrentPerform(iterations: indices.count) { k in slots.buffer[k] = read(indices[k]) }
    }
    return results.map { $0! }
  }

  /// Lets `concurrentPerform` write each sheet into its own slot.
  struct ResultSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Result<Sheet, XLSXError>?>
  }

  /// Reads a worksheet from the reader's byte events: a sheet of 10,000 items has millions of
  /// tags, and no `String` is made but for the values kept.
  struct SheetHandler: XMLEventHandler {
    let sharedStrings: [String]
    let styleFormats: [String?]
    let styleIsDate: [Bool]
    let date1904: Bool
    let sheetName: String
    var rows: [SheetRow] = []
    var ordered = true
    var row = SheetRow(number: 0)
    var inSheetData = false
    var lastRow = 0
    var lastColumn = 0
    // The cell being read.
    var column = 0
    var type = CellType.number
    var style = 0
    var value: [UInt8] = []
    var inlineText: [UInt8] = []
    var collect: Collect = .none
    var phonetic = 0

    enum Collect { case none, value, inline }
    /// The cell types of ECMA-376 (`t`); any other is read as a number, as before.
    enum CellType { case number, shared, inline, string, bool, error, date }

    static func cellType(_ bytes: UnsafeBufferPointer<UInt8>) -> CellType {
      if bytes.equals("s") { return .shared }
      if bytes.equals("n") { return .number }
      if bytes.equals("str") { return .string }
      if bytes.equals("inlineStr") { return .inline }
      if bytes.equals("b") { return .bool }
      if bytes.equals("e") { return .error }
      if bytes.equals("d") { return .date }
      return .number
    }

    /// A plain decimal integer of up to 18 digits; nil for anything else (which then takes the
    /// slower way through `String`, to the same result).
    @inline(__always) static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
      guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
      var n = 0
      for byte in bytes {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        n = n * 10 + Int(byte - 0x30)
      }
      return n
    }

    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    mutating func start(_ tag: XMLTag) throws {
      let local = tag.local
      if local.equals("c") {
        guard inSheetData else { return }
        column = lastColumn + 1
        type = .number
        style = 0
        value.removeAll(keepingCapacity: true)
        inlineText.removeAll(keepingCapacity: true)
        for index in 0..<tag.attributeCount {
          let name = tag.attributeLocal(index)
          guard name.count == 1 else { continue }
          let attribute = tag.value(index)
          switch name[0] {
          case 0x72:  // r
            guard let reference = CellReference.parse(attribute) else {
              throw XLSXError("the sheet `\(sheetName)` has a cell named `\(SheetHandler.text(attribute))`")
            }
            column = reference.column
          case 0x74: type = SheetHandler.cellType(attribute)  // t
          case 0x73: style = SheetHandler.integer(attribute) ?? Int(SheetHandler.text(attribute)) ?? 0  // s
          default: break
          }
        }
        guard column <= 16_384 else { throw XLSXError("the sheet `\(sheetName)` has a cell beyond column XFD") }
        lastColumn = column
      } else if local.equals("v") {
        if inSheetData { collect = .value }
      } else if local.equals("row") {
        guard inSheetData else { return }
        var number = lastRow + 1
        for index in 0..<tag.attributeCount where tag.attributeLocal(index).equals("r") {
          let r = tag.value(index)
          guard let n = SheetHandler.integer(r) ?? Int(SheetHandler.text(r)), n >= 1, n <= 1_048_576 else {
            throw XLSXError("the sheet `\(sheetName)` has a row numbered `\(SheetHandler.text(r))`")
          }
          number = n
          break
        }
        if number <= lastRow { ordered = false }
        lastRow = number
        lastColumn = 0
        // Room for as many cells as the last row had (rows of a sheet are alike).
        let width = row.columns.count
        row = SheetRow(number: number)
        row.columns.reserveCapacity(width)
        row.cells.reserveCapacity(width)
      } else if local.equals("is") {
        if inSheetData { collect = .inline }
      } else if local.equals("rPh") {
        phonetic += 1
      } else if local.equals("sheetData") {
        inSheetData = true
      }
    }

    mutating func end(_ tag: XMLTag) throws {
      let local = tag.local
      if local.equals("c") {
        guard inSheetData else { return }
        let cell = try makeCell()
        if cell.value != .empty { row.append(column: column, cell) }
      } else if local.equals("v") || local.equals("is") {
        collect = .none
      } else if local.equals("row") {
        guard inSheetData, !row.columns.isEmpty else { return }
        if !isSorted(row.columns) { sortRow() }
        rows.append(row)
      } else if local.equals("rPh") {
        phonetic -= 1
      } else if local.equals("sheetData") {
        inSheetData = false
      }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {
      switch collect {
      case .value: value.append(contentsOf: bytes)
      case .inline: if phonetic == 0 { inlineText.append(contentsOf: bytes) }
      case .none: break
      }
    }

    func isSorted(_ columns: [Int]) -> Bool { zip(columns, columns.dropFirst()).allSatisfy { $0 < $1 } }

    mutating func sortRow() {
      let pairs = zip(row.columns, row.cells).sorted { $0.0 < $1.0 }
      row.columns = pairs.map(\.0)
      row.cells = pairs.map(\.1)
    }

    /// The value's bytes without the spaces, tabs and line ends at both ends.
    func trimmedValue<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
      try value.withUnsafeBufferPointer { bytes in
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return try body(UnsafeBufferPointer(rebasing: bytes[start..<end]))
      }
    }

    func makeCell() throws -> Cell {
      var reference: String { "\(sheetName)!\(CellReference.name(row: row.number, column: column))" }
      let known = style >= 0 && style < styleFormats.count
      let format = known ? styleFormats[style] : nil
      switch type {
      case .shared:
        guard !value.isEmpty else { return .empty }
        let index = trimmedValue { SheetHandler.integer($0) ?? Int(SheetHandler.text($0)) }
        guard let index, index >= 0, index < sharedStrings.count else {
          throw XLSXError("the cell \(reference) refers to shared string \(String(decoding: value, as: UTF8.self)), which the workbook does not have")
        }
        return Cell(.text(sharedStrings[index]))
      case .inline:
        return Cell(inlineText.isEmpty ? .empty : .text(SpreadsheetText.decode(String(decoding: inlineText, as: UTF8.self))))
      case .string:
        return Cell(value.isEmpty ? .empty : .text(SpreadsheetText.decode(String(decoding: value, as: UTF8.self))))
      case .bool:
        return Cell(.bool(trimmedValue { $0.equals("1") || $0.equals("true") }))
      case .error:
        return Cell(.error(String(decoding: value, as: UTF8.self)))
      case .date:
        return Cell(value.isEmpty ? .empty : .date(trimmedValue(SheetHandler.text)))
      case .number:
        let text = trimmedValue(SheetHandler.text)
        guard !text.isEmpty else { return .empty }
        if known, styleIsDate[style], let format, let date = DecimalText.date(serial: text, date1904: date1904) {
          return Cell(.date(date), format: format)
        }
        guard let number = DecimalText.normalize(text) else {
          throw XLSXError("the cell \(reference) holds `\(text)`, which is not a number")
        }
        return Cell(.number(number), format: format)
      }
    }
  }
}

/// SpreadsheetML's escapes for characters XML cannot hold (ST_Xstring, ECMA-376 Part 1
/// §22.9.2.19): `_xHHHH_` is the character U+HHHH, and an underscore that would otherwise start
/// such an escape is written `_x005F_`.
public enum SpreadsheetText {
  /// The text with its escapes resolved.
  public static func decode(_ text: String) -> String {
    guard text.utf8.contains(0x5F) else { return text }
    let scalars = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < scalars.count {
      if let value = escape(scalars, at: i), let scalar = Unicode.Scalar(value) {
        out.append(scalar)
        i += 7
        continue
      }
      out.append(scalars[i])
      i += 1
    }
    return String(out)
  }

  /// The text with the characters XML cannot hold, and CR (which XML turns into LF), escaped.
  public static func encode(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    for (i, scalar) in scalars.enumerated() {
      if scalar == "_", escape(scalars, at: i) != nil {
        out.append(contentsOf: "_x005F_".unicodeScalars)
      } else if scalar == "\r" || !XMLWriter.isAllowed(scalar) {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out.append(contentsOf: ("_x" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "_").unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// The value of an escape `_xHHHH_` at `i`, or nil.
  static func escape(_ scalars: [Unicode.Scalar], at i: Int) -> UInt32? {
    guard i + 6 < scalars.count, scalars[i] == "_", scalars[i + 1] == "x", scalars[i + 6] == "_" else { return nil }
    var value: UInt32 = 0
    for k in 2..<6 {
      guard let digit = hexDigit(scalars[k + i]) else { return nil }
      value = value * 16 + digit
    }
    return value
  }

  static func hexDigit(_ scalar: Unicode.Scalar) -> UInt32? {
    switch scalar.value {
    case 0x30...0x39: return scalar.value - 0x30
    case 0x41...0x46: return scalar.value - 0x41 + 10
    case 0x61...0x66: return scalar.value - 0x61 + 10
    default: return nil
    }
  }
}

extension String {
  /// Without the spaces, tabs and line ends at both ends.
  public func trimmingSpaces() -> String {
    let isSpaceByte: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    if let first = utf8.first, let last = utf8.last, !isSpaceByte(first), !isSpaceByte(last) { return self }
    let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
    let last = scalars.lastIndex(where: { !isSpace($0) })!
    return String(scalars[first...last])
  }

  /// `%HH` escapes of a part name resolved (relationship targets are URIs).
  func removingPercentEscapes() -> String {
    guard utf8.contains(0x25) else { return self }
    let bytes = Array(utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      if bytes[i] == 0x25, i + 2 < bytes.count, let value = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
        out.append(value)
        i += 3
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
