import Foundation
import Testing
@testable import YosanSheets
import YosanTestSupport

struct NumberFormatTests {
  @Test func decimalsLiteralsDatesAndPercentages() {
    let unit = NumberFormat(code: "#,##0.0\"億円\";\"△\"#,##0.0\"億円\"")
    #expect(unit.decimals == 1)
    #expect(unit.literals == ["億円"])
    #expect(!unit.isDate)
    #expect(NumberFormat(code: "#,##0\\円").literals == ["円"])
    #expect(NumberFormat(code: "0.000").decimals == 3)
    #expect(NumberFormat(code: "General").decimals == nil)
    #expect(!NumberFormat(code: "General").isDate)
    #expect(NumberFormat(code: "0%").isPercent)
    #expect(NumberFormat(code: "0.00E+00").decimals == 2)
    #expect(!NumberFormat(code: "0.00E+00").isDate)
    for date in ["yyyy/m/d", "[$-411]ggge\"年\"m\"月\"d\"日\"", "h:mm AM/PM", "[h]:mm:ss", "d-mmm-yy", "yyyy\"年\"m\"月\""] {
      #expect(NumberFormat(code: date).isDate, "\(date)")
    }
    for number in ["#,##0", "[Red]#,##0;[Blue]-#,##0", "_(* #,##0_)", "\"year\" 0", "0.0\"百万円\""] {
      #expect(!NumberFormat(code: number).isDate, "\(number)")
    }
  }

  @Test func decimalTextIsExact() {
    #expect(DecimalText.normalize("7.9E+8") == "790000000")
    #expect(DecimalText.normalize("0.30000000000000004") == "0.3")
    #expect(DecimalText.normalize("1.0000000000000001E-2") == "0.01")
    #expect(DecimalText.normalize("-1.25E-4") == "-0.000125")
    #expect(DecimalText.normalize("999999999999999.9") == "1000000000000000")
    #expect(DecimalText.normalize("12.50") == "12.5")
    #expect(DecimalText.normalize("00.5") == "0.5")
    #expect(DecimalText.normalize("-0") == "0")
    #expect(DecimalText.normalize("1.5E20") == "150000000000000000000")
    #expect(DecimalText.normalize("123456789012345678", significantDigits: nil) == "123456789012345678")
    #expect(DecimalText.normalize("1e") == nil)
    #expect(DecimalText.normalize("abc") == nil)
    #expect(DecimalText.normalize("1E+9999") == nil)
    #expect(DecimalText.isPlain("-12.5"))
    #expect(!DecimalText.isPlain("1e5"))
    #expect(!DecimalText.isPlain("1."))
  }

  /// Numbers as a spreadsheet writes them (shortest round-trip text of a double) normalise to
  /// text that normalises to itself, whichever path the text takes.
  @Test func normalisingIsIdempotent() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let magnitude = Double.random(in: -12...15, using: &generator)
      let value = (Bool.random(using: &generator) ? 1.0 : -1.0) * Double.random(in: 1..<10, using: &generator) * pow(10, magnitude.rounded())
      for text in ["\(value)", String(Int64(value.rounded()))] {
        guard let once = DecimalText.normalize(text) else {
          Issue.record("`\(text)` did not normalise")
          continue
        }
        #expect(DecimalText.normalize(once) == once, "`\(text)` → `\(once)`")
        #expect(DecimalText.isPlain(once), "`\(once)`")
      }
    }
    for text in ["0", "0.5", "-0.5", "12", "10", "100.25", "0.001", "7.9", "1000000000000000", "123456789012345"] {
      #expect(DecimalText.normalize(text) == text)
    }
  }

  @Test func serialDates() {
    #expect(DecimalText.date(serial: "45534", date1904: false) == "2024-08-30")
    #expect(DecimalText.date(serial: "1", date1904: false) == "1900-01-01")
    #expect(DecimalText.date(serial: "60", date1904: false) == "1900-02-29")
    #expect(DecimalText.date(serial: "61", date1904: false) == "1900-03-01")
    #expect(DecimalText.date(serial: "45534.5", date1904: false) == "2024-08-30T12:00:00")
    #expect(DecimalText.date(serial: "44072", date1904: true) == "2024-08-30")
  }
}

struct WorkbookTests {
  static func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: RepoPaths.url("Tests/YosanSheetsTests/Fixtures/xlsx/\(name)")))
  }

  /// What make-fixtures.py writes in its budget workbook, as the reader must see it.
  static func expectBudgetWorkbook(_ bytes: [UInt8], program: String) throws {
    let reader = try XLSXReader(bytes)
    #expect(reader.sheets.map(\.name) == ["概算要求", "メモ", "非表示"], "\(program)")
    #expect(reader.sheets.map(\.hidden) == [false, false, true], "\(program)")
    let sheet = try reader.sheet(at: 0)
    func cell(_ reference: String) -> Cell {
      let (row, column) = CellReference.parse(reference)!
      return sheet.rows.first { $0.number == row }?[column] ?? .empty
    }
    #expect(cell("A1").value == .text("令和7年度 概算要求 主要事項"), "\(program)")
    #expect(cell("A2").value == .text("（単位：百万円）"))
    #expect(cell("G2").value == .date("2024-08-30"), "\(program): a date cell")
    #expect(cell("A3").value == .text("事業名"))
    #expect(cell("D3").value == .text("前年度予算額"))
    #expect(cell("C4").value == .number("620"))
    #expect(NumberFormat(code: cell("C4").format ?? "").decimals == 1, "\(program): #,##0.0")
    #expect(cell("C5").value == .number("70.5"))
    #expect(cell("D4").value == .empty)
    #expect(cell("F5").value == .number("0.5"))
    #expect(NumberFormat(code: cell("F5").format ?? "").isPercent, "\(program): 0%")
    #expect(cell("F6").value == .text("1/2"))
    #expect(cell("C7").value == .number("1029.25"))
    #expect(cell("G7").value == .text("A & B <C> \"引用\""))
    #expect(cell("H4").value == .bool(true))
    #expect(cell("H5").value == .bool(false))
    let notes = try reader.sheet(at: 1)
    func note(_ reference: String) -> CellValue {
      let (row, column) = CellReference.parse(reference)!
      return notes.rows.first { $0.number == row }?[column].value ?? .empty
    }
    #expect(note("A1") == .text("改行を含む\nセル"))
    #expect(note("B1") == .number("0.3"), "\(program): 0.30000000000000004 to Excel's 15 digits")
    #expect(note("B2") == .number("150000000000000000000"))
    #expect(note("B3") == .number("-0.000125"))
  }

  @Test func readsWhatOpenpyxlWrites() throws {
    try Self.expectBudgetWorkbook(Self.fixture("openpyxl-budget.xlsx"), program: "openpyxl")
  }

  @Test func readsWhatLibreOfficeWrites() throws {
    // LibreOffice writes data descriptors, its own styles and cached formula results.
    let bytes = try Self.fixture("libreoffice-budget.xlsx")
    try Self.expectBudgetWorkbook(bytes, program: "LibreOffice")
    let notes = try XLSXReader(bytes).sheet(at: 1)
    #expect(notes.rows.first { $0.number == 2 }?[1].value == .number("2"), "the cached result of =1+1")
  }

  @Test func writtenWorkbooksReadBack() throws {
    let unit = XLSXWriter.Style(numberFormat: "#,##0.0\"億円\";\"△\"#,##0.0\"億円\"")
    let header = XLSXWriter.Style(bold: true)
    let sheets = [
      XLSXWriter.SheetData(
        name: "事業",
        rows: [
          [.init(.text("事業名"), style: header), .init(.text("要求額"), style: header), .init(.text("備考"), style: header)],
          [.init(.text("AMED")), .init(.number("527"), style: unit), .init(.text("a\u{1}b\r\nc _x0041_ d"))],
          [.init(.text("  spaces  ")), .init(.number("-0.5"), style: unit), .init(.empty)],
        ], frozenRows: 1, columnWidths: [40, 12]),
      XLSXWriter.SheetData(name: "空", rows: []),
    ]
    let bytes = try XLSXWriter.write(sheets)
    let reader = try XLSXReader(bytes)
    #expect(reader.sheets.map(\.name) == ["事業", "空"])
    let sheet = try reader.sheet(at: 0)
    #expect(sheet.rows.count == 3)
    // Columns are 1-based.
    #expect(sheet.rows[0][2].value == .text("要求額"))
    #expect(sheet.rows[1][3] == Cell(.text("a\u{1}b\r\nc _x0041_ d")), "control characters, CR and a literal _x0041_ survive")
    #expect(sheet.rows[2][2] == Cell(.number("-0.5"), format: "#,##0.0\"億円\";\"△\"#,##0.0\"億円\""))
    #expect(sheet.rows[2][1].value == .text("  spaces  "))
    #expect(sheet.rows[2].columns == [1, 2])
    #expect(try reader.sheet(at: 1).rows.isEmpty)
  }

  /// A column's texts repeat in runs (the writer reuses the last one's shared string) but a
  /// text that is only canonically equivalent to the one above is a string of its own, kept
  /// byte for byte; and a repeated text after a different one is still the same string.
  @Test func repeatedAndEquivalentTextsInAColumnReadBackAsWritten() throws {
    let texts = ["a\u{301}\u{323}", "a\u{301}\u{323}", "a\u{323}\u{301}", "x.yosan", "x.yosan", "a\u{301}\u{323}", "é", "e\u{301}"]
    let rows = texts.map { [XLSXWriter.Cell(.text($0)), XLSXWriter.Cell(.text("same"))] }
    let reader = try XLSXReader(try XLSXWriter.write([XLSXWriter.SheetData(name: "s", rows: rows)]))
    let read = try reader.sheet(at: 0).rows.map { row -> [UInt8] in
      guard case .text(let text) = row[1].value else { return [] }
      return Array(text.utf8)
    }
    #expect(read == texts.map { Array($0.utf8) })
    #expect(reader.sharedStrings.count == 6, "\(reader.sharedStrings)")
  }

  @Test func refusesWhatAWorkbookCannotHold() {
    #expect(throws: XLSXWriter.Failure(message: "`a/b` cannot be a sheet name")) { try XLSXWriter.write([.init(name: "a/b", rows: [])]) }
    #expect(throws: XLSXWriter.Failure(message: "two sheets are named `A`")) { try XLSXWriter.write([.init(name: "a", rows: []), .init(name: "A", rows: [])]) }
    let long = String(repeating: "予", count: 32_768)
    #expect(throws: XLSXWriter.Failure(message: "x!A1: a text of 32768 characters, more than a cell holds (32,767)")) {
      try XLSXWriter.write([.init(name: "x", rows: [[.init(.text(long))]])])
    }
    #expect(throws: XLSXWriter.Failure(message: "x!A1: `1e5` is not a number")) { try XLSXWriter.write([.init(name: "x", rows: [[.init(.number("1e5"))]])]) }
  }

  /// A package made by hand, part by part, as Excel writes them: shared strings with rich text
  /// runs and phonetic guides (furigana), inline strings, formula strings, errors, a cell without
  /// `r`, rows out of order, and a prefixed (`x:`) main namespace.
  @Test func readsRichTextPhoneticsAndUnusualCells() throws {
    func xml(_ text: String) -> [UInt8] { Array(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" + text).utf8) }
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    var zip = ZipWriter()
    try zip.add("[Content_Types].xml", xml("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"))
    try zip.add(
      "_rels/.rels",
      xml("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"/xl/workbook.xml\"/></Relationships>"))
    try zip.add(
      "xl/workbook.xml",
      xml("<x:workbook xmlns:x=\"\(main)\" xmlns:r=\"\(rel)\"><x:workbookPr date1904=\"1\"/><x:sheets><x:sheet name=\"データ\" sheetId=\"3\" r:id=\"rId7\"/></x:sheets></x:workbook>"))
    try zip.add(
      "xl/_rels/workbook.xml.rels",
      xml(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId7\" Type=\"\(rel)/worksheet\" Target=\"worksheets/data.xml\"/><Relationship Id=\"rId8\" Type=\"\(rel)/sharedStrings\" Target=\"strings.xml\"/><Relationship Id=\"rId9\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/></Relationships>"
      ))
    try zip.add(
      "xl/strings.xml",
      xml(
        "<sst xmlns=\"\(main)\" count=\"2\" uniqueCount=\"2\"><si><r><rPr><b/></rPr><t>医療</t></r><r><t xml:space=\"preserve\">・介護</t></r><rPh sb=\"0\" eb=\"2\"><t>イリョウ</t></rPh><phoneticPr fontId=\"1\"/></si><si><t>予算</t><rPh sb=\"0\" eb=\"2\"><t>ヨサン</t></rPh></si></sst>"
      ))
    try zip.add(
      "xl/styles.xml",
      xml("<styleSheet xmlns=\"\(main)\"><numFmts count=\"1\"><numFmt numFmtId=\"200\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"200\"/></cellXfs></styleSheet>"))
    try zip.add(
      "xl/worksheets/data.xml",
      xml(
        "<worksheet xmlns=\"\(main)\"><sheetData><row r=\"3\"><c r=\"B3\" t=\"e\"><v>#N/A</v></c></row><row r=\"1\"><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"inlineStr\"><is><t>直接</t><rPh><t>チョクセツ</t></rPh></is></c><c t=\"str\"><f>A1&amp;B1</f><v>医療・介護予算</v></c><c s=\"1\"><v>44072</v></c><c t=\"d\"><v>2025-04-01</v></c></row><row><c><v>1.5</v></c></row></sheetData></worksheet>"
      ))
    let reader = try XLSXReader(try zip.finish())
    #expect(reader.sheets == [XLSXReader.SheetInfo(name: "データ", hidden: false, part: "xl/worksheets/data.xml")])
    let sheet = try reader.sheet(at: 0)
    #expect(sheet.rows.map(\.number) == [1, 2, 3], "a row without `r` follows the one before it")
    #expect(sheet.rows[0].cells.map(\.value) == [.text("医療・介護"), .text("予算"), .text("直接"), .text("医療・介護予算"), .date("2024-08-30"), .date("2025-04-01")])
    #expect(sheet.rows[1][1].value == .number("1.5"))
    #expect(sheet.rows[2][2].value == .error("#N/A"))
  }

  @Test func refusesWhatIsNotAWorkbook() throws {
    func failure(_ bytes: [UInt8]) -> String? {
      do {
        let reader = try XLSXReader(bytes)
        for index in reader.sheets.indices { _ = try reader.sheet(at: index) }
        return nil
      } catch let error as XLSXError {
        return error.message
      } catch {
        return "\(error)"
      }
    }
    #expect(failure(Array("事業名,要求額\n".utf8)) == "not a readable workbook: not a ZIP archive (only 20 bytes)")
    var zip = ZipWriter()
    try zip.add("a.txt", [1])
    #expect(failure(try zip.finish()) == "not a workbook: the ZIP archive has no [Content_Types].xml (is it an .xlsx file?)")
    // A well-formed package whose sheet is broken XML: the part, line and column are named.
    #expect(
      failure(try Self.package(sheet: "<worksheet xmlns=\"\(Self.main)\">\n<sheetData><row></sheetData></worksheet>"))
        == "xl/worksheets/sheet1.xml:3:17: the end tag `</sheetData>` does not match `<row>`")
    #expect(
      failure(try Self.package(sheet: "<worksheet xmlns=\"\(Self.main)\"><sheetData><row><c r=\"A1\" t=\"s\"><v>5</v></c></row></sheetData></worksheet>"))
        == "the cell Sheet1!A1 refers to shared string 5, which the workbook does not have")
    #expect(
      failure(try Self.package(sheet: "<worksheet xmlns=\"\(Self.main)\"><sheetData><row><c r=\"ZZZZ1\"><v>5</v></c></row></sheetData></worksheet>"))
        == "the sheet `Sheet1` has a cell named `ZZZZ1`")
    #expect(
      failure(try Self.package(sheet: "<worksheet xmlns=\"\(Self.main)\"><sheetData><row><c r=\"A1\"><v>12円</v></c></row></sheetData></worksheet>"))
        == "the cell Sheet1!A1 holds `12円`, which is not a number")
  }

  static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

  /// The smallest package around one sheet part (written by hand, for broken sheets).
  static func package(sheet: String) throws -> [UInt8] {
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    let rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    func xml(_ text: String) -> [UInt8] { Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + text).utf8) }
    var zip = ZipWriter()
    try zip.add("[Content_Types].xml", xml("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"))
    try zip.add("_rels/.rels", xml("<Relationships xmlns=\"\(rels)\"><Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"))
    try zip.add("xl/workbook.xml", xml("<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"))
    try zip.add("xl/_rels/workbook.xml.rels", xml("<Relationships xmlns=\"\(rels)\"><Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"))
    try zip.add("xl/worksheets/sheet1.xml", xml(sheet))
    return try zip.finish()
  }
}
