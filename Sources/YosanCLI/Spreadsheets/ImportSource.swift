import YosanCore
import YosanSheets

/// Input that cannot be imported: the message names the file and, where there is one, the cell
/// (`概算要求!C12`) or the line of the mapping file. Nothing is written (exit status 2).
struct ImportError: Error, CustomStringConvertible {
  var message: String
  init(_ message: String) { self.message = message }
  var description: String { message }
}

/// A cell of the source, for messages: `概算要求!C12`.
struct SourceCell: Hashable, Comparable {
  var sheet: String
  var row: Int
  var column: Int

  var reference: String { "\(SourceCell.quotedSheet(sheet))!\(CellReference.name(row: row, column: column))" }

  /// A sheet name as a spreadsheet writes it in a reference: quoted when it holds a space or
  /// punctuation (`'令和7年度 要求'!C12`).
  static func quotedSheet(_ name: String) -> String {
    let plain = name.unicodeScalars.allSatisfy { scalar in
      scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" || scalar == "・"
    }
    return plain ? name : "'" + name.replacing("'", with: "''") + "'"
  }

  static func < (a: SourceCell, b: SourceCell) -> Bool { (a.row, a.column) < (b.row, b.column) }
}

/// What `yosan import` reads: a CSV or TSV file (one sheet, named after the file) or a workbook
/// (its sheets, read on demand).
struct ImportSource {
  enum Kind: String { case csv = "CSV", tsv = "TSV", xlsx = "XLSX" }

  /// The name to show: the path as given, or `-`.
  var name: String
  var kind: Kind
  /// For CSV and TSV: the encoding read.
  var encoding: TextEncoding?
  /// For CSV and TSV: the one sheet.
  var textSheet: Sheet?
  var workbook: XLSXReader?
  /// The sheets `内訳` and `分野` of Yosan's own workbook, read beside `事業` (at the same time).
  var companions: [String: Result<Sheet, XLSXError>] = [:]
  static let companionNames = ["内訳", "分野"]

  /// Reads `bytes` (named `name`): a workbook when they are a ZIP archive, else text in UTF-8
  /// (with or without a byte order mark), UTF-16 with a mark, or CP932, detected or as
  /// `encoding` says; a tab-separated text when its name ends in `.tsv` or `.tab` or its first
  /// line has more tabs than commas.
  init(name: String, bytes: [UInt8], encoding: TextEncoding?) throws {
    self.name = name
    if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
      if encoding != nil { throw ImportError("\(name): --encoding is for CSV and TSV files; a workbook names its own encoding") }
      kind = .xlsx
      do {
        workbook = try XLSXReader(bytes)
      } catch let error as XLSXError {
        throw ImportError("\(name): \(error.message)")
      }
      return
    }
    if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
      throw ImportError("\(name): an Excel 97–2003 workbook (.xls), which cannot be read; save it as .xlsx (Excel Workbook) or as CSV")
    }
    let decoded: (text: [UInt8], encoding: TextEncoding)
    do {
      decoded = try TextDecoding.decode(bytes, as: encoding)
    } catch let error as TextDecodingError {
      throw ImportError("\(name):\(error.line):\(error.column): \(error.message)")
    }
    self.encoding = decoded.encoding
    let lower = name.lowercased()
    let delimiter: UInt8 = lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") ? 0x09 : CSV.guessDelimiter(decoded.text)
    kind = delimiter == 0x09 ? .tsv : .csv
    let records: [[String]]
    do {
      records = try CSV.parse(decoded.text, delimiter: delimiter)
    } catch let error as CSVError {
      throw ImportError("\(name):\(error.line):\(error.column): \(error.message) (cell \(CellReference.name(row: error.record, column: error.field)))")
    }
    let base = name.split(separator: "/").last.map(String.init) ?? name
    let sheetName = base.split(separator: ".").dropLast().joined(separator: ".")
    textSheet = Sheet(name: sheetName.isEmpty ? base : sheetName, records: records)
  }

  /// The names of the sheets.
  var sheetNames: [String] {
    if let workbook { return workbook.sheets.map(\.name) }
    return [textSheet!.name]
  }

  /// The sheet that `--sheet` names (a name, or a 1-based number), or the default one: for a
  /// text file its only sheet; for a workbook the sheet `事業` if there is one (Yosan's own
  /// export), else the first visible worksheet. With `事業` come its companion sheets.
  mutating func sheet(named wanted: String?) throws -> Sheet {
    guard let workbook else {
      if let wanted, wanted != textSheet!.name, wanted != "1" {
        throw ImportError("\(name): a \(kind.rawValue) file has one sheet, `\(textSheet!.name)`; --sheet is for workbooks")
      }
      return textSheet!
    }
    let index: Int
    if let wanted {
      if let found = workbook.sheets.firstIndex(where: { $0.name == wanted })
        ?? workbook.sheets.firstIndex(where: { $0.name.lowercased() == wanted.lowercased() })
      {
        index = found
      } else if let number = Int(wanted), number >= 1, number <= workbook.sheets.count {
        index = number - 1
      } else {
        throw ImportError("\(name): no sheet `\(wanted)`; the sheets are \(sheetNames.map { "`\($0)`" }.joined(separator: ", "))")
      }
    } else if let own = workbook.sheets.firstIndex(where: { $0.name == "事業" && $0.part != nil }) {
      index = own
    } else if let first = workbook.sheets.firstIndex(where: { !$0.hidden && $0.part != nil }) {
      index = first
    } else {
      throw ImportError("\(name): the workbook has no visible worksheet; name one with --sheet")
    }
    guard workbook.sheets[index].name == "事業" else { return try read(index) }
    let others = ImportSource.companionNames.compactMap { name in workbook.sheets.firstIndex { $0.name == name && $0.part != nil } }
    let results = workbook.sheets(at: [index] + others)
    for (other, result) in zip(others, results.dropFirst()) { companions[workbook.sheets[other].name] = result }
    return try ImportSource.sheet(results[0], from: name)
  }

  static func sheet(_ result: Result<Sheet, XLSXError>, from name: String) throws -> Sheet {
    switch result {
    case .success(let sheet): return sheet
    case .failure(let error): throw ImportError("\(name): \(error.message)")
    }
  }

  /// The sheet of that name, if the workbook has one (the breakdown and section sheets of
  /// Yosan's own export).
  func optionalSheet(_ sheetName: String) throws -> Sheet? {
    if let result = companions[sheetName] { return try ImportSource.sheet(result, from: name) }
    guard let workbook, let index = workbook.sheets.firstIndex(where: { $0.name == sheetName && $0.part != nil }) else { return nil }
    return try read(index)
  }

  func read(_ index: Int) throws -> Sheet { try ImportSource.sheet(workbook!.sheets(at: [index])[0], from: name) }
}
