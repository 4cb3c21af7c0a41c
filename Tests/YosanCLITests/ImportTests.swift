import Foundation
import Testing
import YosanJSON
import YosanSyntax
import YosanTestSupport

/// The model as `yosan export` (JSON) gives it, file by file (by file name), without what an
/// import cannot keep: where things are (`file`, `line`); with `written: false`, how amounts
/// are spelled (an XLSX cell holds the number, so `1804億円` comes back as `1,804億円`); with
/// `breakdowns: false`, breakdown blocks and section totals (a CSV has one row per item).
enum ExportedModel {
  static func of(_ paths: [String], in directory: URL? = nil, written: Bool = true, breakdowns: Bool = true) throws -> [String: JSON] {
    let result = try YosanBinary.run(["export"] + paths, in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    var files: [String: JSON] = [:]
    for file in try JSON.parse(result.stdout)["files"]?.arrayValue ?? [] {
      let name = file["file"]?.stringValue?.split(separator: "/").last.map(String.init) ?? ""
      files[name] = strip(file, written: written, breakdowns: breakdowns)
    }
    return files
  }

  static func strip(_ value: JSON, written: Bool, breakdowns: Bool) -> JSON {
    switch value {
    case .object(let members):
      return .object(
        members.compactMap { key, value in
          if key == "file" || key == "line" || (!written && key == "written") || (!breakdowns && key == "breakdowns") { return nil }
          if !breakdowns, key == "total", members.contains(where: { $0.0 == "path" }) { return nil }
          return (key, strip(value, written: written, breakdowns: breakdowns))
        })
    case .array(let elements): return .array(elements.map { strip($0, written: written, breakdowns: breakdowns) })
    default: return value
    }
  }
}

struct ImportRoundTripTests {
  /// Every sample through the CSV export (UTF-8 with a byte order mark, and the same text in
  /// CP932) and the XLSX export, imported back into a folder: the same model, file by file; the
  /// figures, ids, titles, tags, rates and shares as the original's export gives them.
  @Test func everySampleComesBackThroughCSVAndXLSX() throws {
    let original = try ExportedModel.of(["Samples/budgets"])
    let originalWithoutBreakdowns = try ExportedModel.of(["Samples/budgets"], breakdowns: false)
    #expect(original.count == 14)
    let dir = try Scratch.folder([:])
    let csv = try YosanBinary.run(["export", "--format", "csv", "--bom", "Samples/budgets"])
    #expect(csv.stdoutBytes.starts(with: [0xEF, 0xBB, 0xBF]))
    try csv.stdoutBytes.write(to: dir.appendingPathComponent("all.csv"))
    let utf8 = Array(csv.stdoutBytes.dropFirst(3))
    // CP932 has no U+301C WAVE DASH (the samples' 令和6年度〜令和8年度): saved as Shift_JIS,
    // Windows writes it as its best fit 0x8160, which reads back as U+FF5E FULLWIDTH TILDE.
    let bestFit = Array(String(decoding: utf8, as: UTF8.self).replacing("\u{301C}", with: "\u{FF5E}").utf8)
    let cp932 = try #require(try? CP932.encode(utf8: bestFit).get(), "the samples' text is all in CP932")
    try Data(cp932).write(to: dir.appendingPathComponent("all-sjis.csv"))
    let xlsx = try YosanBinary.run(["export", "--format", "xlsx", "-o", dir.appendingPathComponent("all.xlsx").path, "Samples/budgets"])
    #expect(xlsx.status == 0, "\(xlsx.stderr)")

    for (input, folder) in [("all.csv", "from-csv/"), ("all-sjis.csv", "from-cp932/"), ("all.xlsx", "from-xlsx/")] {
      let result = try YosanBinary.run(["import", input, "-o", folder], in: dir)
      #expect(result.status == 0, "\(input): \(result.stderr)")
      #expect(result.stderr.hasSuffix("yosan: imported 138 items from \(input) into 14 files in \(folder.dropLast()): 0 errors, 0 warnings\n"), "\(input): \(result.stderr)")
      let imported = dir.appendingPathComponent(folder)
      if input == "all.xlsx" {
        // Breakdowns and section totals come back from the 内訳 and 分野 sheets, and every
        // amount as it was written.
        #expect(try ExportedModel.of(["."], in: imported) == original)
      } else {
        #expect(try ExportedModel.of(["."], in: imported, breakdowns: false) == originalWithoutBreakdowns, "\(input)")
      }
      // And the folder is in fmt's layout.
      #expect(try YosanBinary.run(["fmt", "--check", "."], in: imported).status == 0, "\(input)")
    }
    // The CSV of the imported files is the CSV of the samples, but for where the items are.
    let again = try YosanBinary.run(["export", "--format", "csv", "."], in: dir.appendingPathComponent("from-csv"))
    func withoutPlace(_ text: String) throws -> [[String]] {
      try CSVRows.parse(text).map { Array($0.dropFirst(2)) }.sorted { $0.description < $1.description }
    }
    #expect(try withoutPlace(again.stdout) == (try withoutPlace(String(decoding: utf8, as: UTF8.self))))
  }

  /// Export → import → export → import gives the same file, byte for byte (but the comment
  /// naming the source).
  @Test func importingItsOwnExportIsStable() throws {
    let dir = try Scratch.folder([:])
    let path = "Samples/budgets/r7-research-innovation.yosan"
    #expect(try YosanBinary.run(["export", "--format", "xlsx", "-o", dir.appendingPathComponent("a.xlsx").path, path]).status == 0)
    #expect(try YosanBinary.run(["import", "a.xlsx", "-o", "a.yosan"], in: dir).status == 0)
    #expect(try YosanBinary.run(["export", "--format", "xlsx", "-o", "b.xlsx", "a.yosan"], in: dir).status == 0)
    #expect(try YosanBinary.run(["import", "b.xlsx", "-o", "b.yosan"], in: dir).status == 0)
    let a = try Scratch.read(dir.appendingPathComponent("a.yosan")).split(separator: "\n", omittingEmptySubsequences: false)
    let b = try Scratch.read(dir.appendingPathComponent("b.yosan")).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(a.first?.hasPrefix("# Imported by yosan import from a.xlsx, sheet 事業, rows 3–28") == true, "\(a.first ?? "")")
    #expect(Array(a.dropFirst()) == Array(b.dropFirst()))
  }
}

/// RFC 4180 records, for reading the export back in the tests (a field with a line break or a
/// comma is quoted).
enum CSVRows {
  static func parse(_ text: String) throws -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text.unicodeScalars)[...]
    if chars.first == "\u{FEFF}" { chars = chars.dropFirst() }
    var i = chars.startIndex
    while i < chars.endIndex {
      let c = chars[i]
      if quoted {
        if c == "\"" {
          if i + 1 < chars.endIndex, chars[i + 1] == "\"" {
            field.unicodeScalars.append("\"")
            i += 1
          } else {
            quoted = false
          }
        } else {
          field.unicodeScalars.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        record.append(field)
        field = ""
      } else if c == "\r" {
      } else if c == "\n" {
        record.append(field)
        records.append(record)
        record = []
        field = ""
      } else {
        field.unicodeScalars.append(c)
      }
      i += 1
    }
    if !field.isEmpty || !record.isEmpty {
      record.append(field)
      records.append(record)
    }
    return records
  }
}

struct ImportCommandTests {
  static let fixtures = "Tests/YosanCLITests/Fixtures/import"
  static let workbooks = "Tests/YosanSheetsTests/Fixtures/xlsx"

  /// Copies a fixture into a scratch folder and returns the folder.
  static func folder(with fixtures: [String], files: [String: String] = [:]) throws -> URL {
    let dir = try Scratch.folder(files)
    for fixture in fixtures {
      let source = RepoPaths.url(fixture)
      try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent(source.lastPathComponent))
    }
    return dir
  }

  /// The mapping proposed for the openpyxl workbook, as `yosan import --print-mapping` prints
  /// it (formatted), read and checked by hand against the workbook's cells.
  static let proposedMapping = """
    sheet      = 概算要求
    header-row = 3
    unit       = 百万円 # the unit of amounts without one: 概算要求!A2 says （単位：百万円）

    document    = 令和7年度 概算要求 主要事項 # from 概算要求!A1
    # ministry = 厚生労働省
    fiscal-year = 令和7年度 # from 概算要求!A1
    kind        = 概算要求

    # id: no column of ids was found; each item is given the id item-ROW (write `id = COLUMN` to use one)
    title    = 事業名 # A
    division = 担当課 # B
    request  = 要求額 # C
    previous = 前年度予算額 # D
    tags     = 種別 # E
    rate     = 補助率 # F
    note     = 備考 # G
    # not read: 確認 (H)

    """

  /// The workbook's four rows as .yosan text: amounts in the sheet's 百万円 with the decimals its
  /// format `#,##0.0` shows, the percentage 0.5 as 50%, the quotes of G7 escaped.
  static let importedBudget = """

    予算 "令和7年度 概算要求 主要事項" {
      年度 = 令和7年度
      区分 = 概算要求
    }

    事業 item-4 "電子カルテ情報等分析関連サービス構築事業" {
      種別   = 新規
      担当   = 医政局特定医薬品開発支援・医療情報担当参事官室
      要求額 = 620.0百万円
      備考   = 委託
    }

    事業 item-5 "介護関連データ利活用に係る基盤構築事業" {
      担当   = 老健局老人保健課
      要求額 = 70.5百万円
      前年度 = 150.0百万円
      補助率 = 50%
      備考   = 補助先には特別区を含む
    }

    事業 item-6 "ドクターヘリ導入促進事業" {
      種別   = 拡充
      担当   = 医政局地域医療計画課
      要求額 = 10,000.0百万円
      前年度 = 9,500.0百万円
      補助率 = 1/2
    }

    事業 item-7 "地域医療介護総合確保基金" {
      担当   = 医政局地域医療計画課
      要求額 = 1,029.25百万円
      前年度 = 1,029.25百万円
      備考   = "A & B <C> \\"引用\\""
    }

    """

  @Test func proposesAMappingFromJapaneseHeadersAndImportsWithIt() throws {
    for program in ["openpyxl", "libreoffice"] {
      let dir = try Self.folder(with: ["\(Self.workbooks)/\(program)-budget.xlsx"])
      let proposal = try YosanBinary.run(["import", "--print-mapping", "\(program)-budget.xlsx"], in: dir)
      #expect(proposal.status == 0, "\(proposal.stderr)")
      let lines = proposal.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines.first == "# yosan import mapping for \(program)-budget.xlsx, sheet 概算要求, proposed from its headers (row 3).")
      #expect(lines.dropFirst(4).joined(separator: "\n") == Self.proposedMapping, "\(program)")
      try proposal.stdoutBytes.write(to: dir.appendingPathComponent("mapping.yosan"))
      let result = try YosanBinary.run(["import", "--mapping", "mapping.yosan", "\(program)-budget.xlsx", "-o", "budget.yosan"], in: dir)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stderr == "yosan: imported 4 items from \(program)-budget.xlsx into budget.yosan: 0 errors, 0 warnings\n")
      let text = try Scratch.read(dir.appendingPathComponent("budget.yosan"))
      #expect(text.hasPrefix("# Imported by yosan import from \(program)-budget.xlsx, sheet 概算要求, rows 4–7, mapping mapping.yosan.\n"))
      #expect(String(text.drop { $0 != "\n" }.dropFirst()) == Self.importedBudget, "\(program)")
      // In fmt's layout already.
      #expect(try YosanBinary.run(["fmt", "--check", "budget.yosan"], in: dir).status == 0)
    }
  }

  /// `--sheet` picks a workbook's sheet by name or by its number; an unknown one is named with
  /// the sheets there are.
  @Test func sheetOptionPicksTheSheet() throws {
    let dir = try Self.folder(with: ["\(Self.workbooks)/openpyxl-budget.xlsx"])
    for wanted in ["メモ", "2"] {
      let result = try YosanBinary.run(["import", "--print-mapping", "--sheet", wanted, "openpyxl-budget.xlsx"], in: dir)
      #expect(result.status == 2)
      #expect(result.stderr.contains("in the first 30 rows of `メモ`; its first row is: 改行を含む セル;"), "\(wanted): \(result.stderr)")
    }
    let unknown = try YosanBinary.run(["import", "--sheet", "nope", "openpyxl-budget.xlsx", "-o", "x.yosan"], in: dir)
    #expect(unknown.status == 2)
    #expect(unknown.stderr == "yosan: openpyxl-budget.xlsx: no sheet `nope`; the sheets are `概算要求`, `メモ`, `非表示`; nothing was written\n")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.yosan").path))
  }

  /// 財務省's 予算書 layout in CP932: the era-year header names the year and the request, the
  /// bracketed 千円 the unit; 項名 groups the rows as sections.
  @Test func readsAMinistryOfFinanceTableInCP932() throws {
    let dir = try Self.folder(with: ["\(Self.fixtures)/mof-b-cp932.csv"])
    let proposal = try YosanBinary.run(["import", "--print-mapping", "mof-b-cp932.csv"], in: dir)
    #expect(proposal.stdout.contains("fiscal-year = 令和8年度 # from the header 令和8年度要求額(千円)\n"))
    #expect(proposal.stdout.contains("request  = 令和8年度要求額(千円) # F, amounts in 千円\n"))
    #expect(proposal.stdout.contains("title    = 目名 # E\n"))
    #expect(proposal.stdout.contains("# not read: 項コード (C), 比較増△減額(千円) (H)\n"))
    try proposal.stdoutBytes.write(to: dir.appendingPathComponent("mof.yosan"))
    let result = try YosanBinary.run(["import", "--mapping", "mof.yosan", "mof-b-cp932.csv", "-o", "mof-out.yosan"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let text = try Scratch.read(dir.appendingPathComponent("mof-out.yosan"))
    #expect(text.hasPrefix("# Imported by yosan import from mof-b-cp932.csv (CSV, cp932), rows 2–4, mapping mof.yosan.\n"))
    #expect(text.contains("分野 \"医療提供体制確保対策費\" {\n  事業 item-2 \"医療提供体制推進事業費補助金\" {\n    担当   = 厚生労働本省\n    要求額 = 2130000千円\n    前年度 = 2000000千円\n  }\n"))
    #expect(text.contains("  府省 = 厚生労働省\n  年度 = 令和8年度\n  区分 = 概算要求\n"))
    #expect(try YosanBinary.run(["fmt", "--check", "mof-out.yosan"], in: dir).status == 0, "in fmt's layout")
    // Read as UTF-8 on purpose, the same bytes are refused with the line and column.
    let forced = try YosanBinary.run(["import", "--mapping", "mof.yosan", "--encoding", "utf-8", "mof-b-cp932.csv", "-o", "x.yosan"], in: dir)
    #expect(forced.status == 2)
    #expect(forced.stderr == "yosan: mof-b-cp932.csv:1:1: byte 0x8F is not UTF-8 text; nothing was written\n")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.yosan").path))
  }

  /// Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated.
  @Test func readsUTF16TabSeparatedText() throws {
    let mapping = "title = 事業名\ndivision = 担当課\nrequest = 要求額\nprevious = 前年度\nfiscal-year = 令和7年度\nkind = 概算要求\n"
    let dir = try Self.folder(with: ["\(Self.fixtures)/unicode-text.txt"], files: ["m.yosan": mapping])
    let result = try YosanBinary.run(["import", "--mapping", "m.yosan", "unicode-text.txt"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("# Imported by yosan import from unicode-text.txt (TSV, utf-16), rows 2–3, mapping m.yosan.\n"))
    #expect(result.stdout.contains("事業 item-3 \"ドクターヘリ導入促進事業\" {\n  担当   = 医政局地域医療計画課\n  要求額 = 100億円\n  前年度 = 95億円\n}\n"))
  }

  /// Problems in the data are reported against the output's lines, with the source cell.
  @Test func findingsNameTheOutputLineAndTheSourceCell() throws {
    let csv = "事業名,担当課,要求額（千円）,前年度予算額（千円）,種別\n介護事業,老健局,\"1,234\",1000,新規\n医療事業,,500,,推進\n"
    let mapping = "title = 事業名\ndivision = 担当課\nrequest = 要求額\nprevious = 前年度予算額\ntags = 種別\nfiscal-year = 令和7年度\nkind = 概算要求\n"
    let dir = try Scratch.folder(["要求.csv": csv, "m.yosan": mapping])
    let result = try YosanBinary.run(["import", "--mapping", "m.yosan", "要求.csv", "-o", "out.yosan"], in: dir)
    #expect(result.status == 1)
    #expect(
      result.stderr == """
        out.yosan:12:9: error: a 新規 (new) item has a previous-year amount, `1000千円`; write 前年度 = なし, or remove 新規 from 種別 (要求!D2) [new-with-previous]
        out.yosan:15:1: error: 事業 `item-3` has no 担当 (division); for example 担当 = 医政局研究開発政策課 (要求!A3) [missing-required-key]
        out.yosan:16:10: error: 種別: unknown tag `推進`; did you mean `推進枠`? (要求!E3) [malformed-value]
        yosan: imported 2 items from 要求.csv into out.yosan: 3 errors, 0 warnings

        """)
    let text = try Scratch.read(dir.appendingPathComponent("out.yosan"))
    #expect(text.contains("  要求額 = 1,234千円\n"), "a number in text gets the header's unit")
    #expect(text.split(separator: "\n", omittingEmptySubsequences: false)[11] == "  前年度 = 1000千円", "line 12, as the finding says")
    #expect(try YosanBinary.run(["fmt", "--check", "out.yosan"], in: dir).status == 0, "in fmt's layout")
  }

  static func refusal(_ csv: String, mapping: String, existing: String? = nil) throws -> (status: Int32, stderr: String, output: String?) {
    var files = ["in.csv": csv, "m.yosan": mapping]
    if let existing { files["out.yosan"] = existing }
    let dir = try Scratch.folder(files)
    let result = try YosanBinary.run(["import", "--mapping", "m.yosan", "in.csv", "-o", "out.yosan"], in: dir)
    let output = try? Scratch.read(dir.appendingPathComponent("out.yosan"))
    return (result.status, result.stderr, output)
  }

  /// Input that cannot be imported: a clear error naming the cell, and nothing written (an
  /// existing output is left as it was).
  @Test func badInputNamesTheCellAndWritesNothing() throws {
    let mapping = "id = ID\ntitle = 事業名\ndivision = 担当課\nrequest = 要求額\nfiscal-year = 令和7年度\nkind = 概算要求\n"
    let notANumber = try Self.refusal("ID,事業名,担当課,要求額\na,介護,老健局,1億円\nb,医療,医政局,12億えん\n", mapping: mapping, existing: "keep me\n")
    #expect(notANumber.status == 2)
    #expect(notANumber.stderr == "yosan: in.csv: in!D3: 要求額 `12億えん` is not an amount: unknown unit `億えん`; use one of 円, 千円, 万円, 百万円, 千万円, 億円, 兆円; nothing was written\n")
    #expect(notANumber.output == "keep me\n")
    let noUnit = try Self.refusal("ID,事業名,担当課,要求額\na,介護,老健局,1234\n", mapping: mapping)
    #expect(noUnit.stderr == "yosan: in.csv: in!D2: 要求額 `1234` has no unit; write one (1234千円) or name the column's unit (`unit = 千円` in a mapping, or a header such as 要求額（千円）); nothing was written\n")
    #expect(noUnit.output == nil)
    let twice = try Self.refusal("ID,事業名,担当課,要求額\na,介護,老健局,1億円\na,医療,医政局,2億円\n", mapping: mapping)
    #expect(twice.stderr == "yosan: in.csv: in!A3: the id `a` is given twice (also in in!A2); each item needs its own; nothing was written\n")
    let badID = try Self.refusal("ID,事業名,担当課,要求額\na b,介護,老健局,1億円\n", mapping: mapping)
    #expect(badID.stderr == "yosan: in.csv: in!A2: `a b` cannot be an item id: an id is letters, digits, - and _ (no spaces or other signs); nothing was written\n")
    let badUnit = try Self.refusal("ID,事業名,担当課,要求額\na,介護,老健局,1億円\n", mapping: mapping + "unit = 億\n")
    #expect(badUnit.stderr == "yosan: m.yosan:7:8: `億` is not a unit; write one of 円, 千円, 万円, 百万円, 千万円, 億円, 兆円; nothing was written\n")
    let years = try Self.refusal(
      "ID,事業名,担当課,要求額,年度\na,介護,老健局,1億円,令和7年度\nb,医療,医政局,2億円,令和6年度\n",
      mapping: "id = ID\ntitle = 事業名\ndivision = 担当課\nrequest = 要求額\nfiscal-year = 年度\nkind = 概算要求\n")
    #expect(years.stderr == "yosan: in.csv: in!E3: `令和6年度` differs from `令和7年度` in in!E2; one document has one fiscal-year (import the rows of each apart); nothing was written\n")
    let quote = try Self.refusal("ID,事業名,担当課,要求額\na,\"介護,老健局,1億円\n", mapping: mapping)
    #expect(quote.stderr == "yosan: in.csv:2:3: a quoted field is never closed; close it with `\"`, and write a quote inside it as `\"\"` (cell B2); nothing was written\n")
    let parent = try Self.refusal(
      "ID,事業名,担当課,要求額,親\nb,子,老健局,1億円,a\na,親,老健局,1億円,\n", mapping: mapping + "parent = 親\n")
    #expect(parent.stderr == "yosan: in.csv: in!E2: the parent `a` is not the id of an earlier row; a sub-item comes after its item; nothing was written\n")
  }

  @Test func mappingMistakesNameTheirLine() throws {
    let csv = "事業名,担当課,要求額\n介護,老健局,1億円\n"
    let unknown = try Self.refusal(csv, mapping: "titel = 事業名\n")
    #expect(unknown.stderr == "yosan: m.yosan:1:1: unknown key `titel`; did you mean `title`?; nothing was written\n")
    let missing = try Self.refusal(csv, mapping: "title = 事業名称\nrequest = 要求額\n")
    #expect(
      missing.stderr
        == "yosan: m.yosan:1:9: no column `事業名称` in the header row of `in` (row 1: 事業名 (A), 担当課 (B), 要求額 (C)); name a header or a column letter such as `C列`; nothing was written\n")
    // A column letter works where a header is unknown or repeated.
    let letters = try Self.refusal(csv, mapping: "title = A列\ndivision = 列B\nrequest = C列\nfiscal-year = 令和7年度\nkind = 概算要求\n")
    #expect(letters.status == 0, "\(letters.stderr)")
    #expect(letters.output?.contains("事業 item-2 \"介護\" {\n  担当   = 老健局\n  要求額 = 1億円\n}") == true)
    let none = try YosanBinary.run(["import", "in.csv"], in: try Scratch.folder(["in.csv": csv]))
    #expect(none.status == 2)
    #expect(none.stderr.hasPrefix("yosan: in.csv: the columns of `in` are not Yosan's own (id, title, request, …); describe them in a mapping file: `yosan import --print-mapping in.csv > mapping.yosan` proposes one"))
  }

  @Test func hostileAndForeignFilesAreRefusedWithAMessage() throws {
    let dir = try Self.folder(with: ["Tests/YosanSheetsTests/Fixtures/zip/bomb-ratio.zip"], files: ["old.xls": ""])
    let bomb = try YosanBinary.run(["import", "bomb-ratio.zip"], in: dir)
    #expect(bomb.status == 2)
    #expect(
      bomb.stderr
        == "yosan: bomb-ratio.zip: not a readable workbook: `xl/worksheets/sheet1.xml` would expand 1028 times (8157 to 8388608 bytes), more than the 250 allowed: refused as a likely zip bomb; nothing was written\n"
    )
    try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).write(to: dir.appendingPathComponent("old.xls"))
    let legacy = try YosanBinary.run(["import", "old.xls"], in: dir)
    #expect(legacy.stderr == "yosan: old.xls: an Excel 97–2003 workbook (.xls), which cannot be read; save it as .xlsx (Excel Workbook) or as CSV; nothing was written\n")
    let missing = try YosanBinary.run(["import", "nothing.csv"], in: dir)
    #expect(missing.status == 2)
    #expect(missing.stderr == "yosan: nothing.csv: no such file or directory\n")
  }

  @Test func severalFilesGoToAFolder() throws {
    let dir = try Scratch.folder([:])
    let csv = try YosanBinary.run(["export", "--format", "csv", "Samples/budgets/r5-000-yosan.yosan", "Samples/budgets/r7-shoku-hoken.yosan"])
    try csv.stdoutBytes.write(to: dir.appendingPathComponent("two.csv"))
    let one = try YosanBinary.run(["import", "two.csv", "-o", "x.yosan"], in: dir)
    #expect(one.status == 2)
    #expect(one.stderr.hasPrefix("yosan: two.csv: the rows come from 2 files (Samples/budgets/r5-000-yosan.yosan, Samples/budgets/r7-shoku-hoken.yosan, …), each a document of its own; give a folder to write them into: -o FOLDER/"))
    let folder = try YosanBinary.run(["import", "two.csv", "-o", "out/"], in: dir)
    #expect(folder.status == 0, "\(folder.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path).sorted()
    #expect(names == ["r5-000-yosan.yosan", "r7-shoku-hoken.yosan"])
  }
}

struct ExportOptionsTests {
  @Test func outputFilesAndUsage() throws {
    let dir = try Scratch.folder(["a.yosan": WorkbookInOtherProgramsTests.document])
    // -o writes the same bytes as standard output would.
    let stdout = try YosanBinary.run(["export", "--format", "csv", "a.yosan"], in: dir)
    #expect(try YosanBinary.run(["export", "--format", "csv", "-o", "a.csv", "a.yosan"], in: dir).status == 0)
    #expect(try Data(contentsOf: dir.appendingPathComponent("a.csv")) == stdout.stdoutBytes)
    let package = try YosanBinary.run(["export", "--format", "datapackage", "a.yosan"], in: dir)
    #expect(package.status == 2)
    #expect(package.stderr == "yosan export: --format datapackage writes a folder of files; name it with -o DIR\n")
    let findings = try YosanBinary.run(["export", "--format", "csv", "--with-findings", "a.yosan"], in: dir)
    #expect(findings.status == 2)
    #expect(findings.stderr == "yosan export: --with-findings is for --format xlsx and datapackage (a sheet or a resource of findings)\n")
    #expect(try YosanBinary.run(["export", "--format", "ods", "a.yosan"], in: dir).stderr == "yosan export: unknown format `ods`; use json, csv, xlsx or datapackage\n")
    // A package into a file that is not a folder: refused, the file left alone.
    #expect(try YosanBinary.run(["export", "--format", "datapackage", "-o", "a.csv", "a.yosan"], in: dir).status == 2)
    #expect(try Data(contentsOf: dir.appendingPathComponent("a.csv")) == stdout.stdoutBytes)
    // Into an existing folder: the package's files are replaced, others kept.
    try Scratch.write("mine", to: dir.appendingPathComponent("pkg/notes.txt"))
    try Scratch.write("old", to: dir.appendingPathComponent("pkg/items.csv"))
    #expect(try YosanBinary.run(["export", "--format", "datapackage", "-o", "pkg", "a.yosan"], in: dir).status == 0)
    #expect(try Scratch.read(dir.appendingPathComponent("pkg/notes.txt")) == "mine")
    #expect(try Scratch.read(dir.appendingPathComponent("pkg/items.csv")).hasPrefix("file,line,id,"))
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("pkg").path).sorted()
    #expect(names == ["breakdowns.csv", "datapackage.json", "items.csv", "notes.txt", "sections.csv"], "no temporary file is left")
  }
}

struct ImportAfterOtherProgramsTests {
  /// Yosan's export of a sample, saved again by openpyxl and by LibreOffice (as after editing it
  /// in a spreadsheet program): it still imports without options, as the same model.
  @Test func ownWorkbookRewrittenByAnotherProgramImports() throws {
    let sample = try ExportedModel.of(["Samples/budgets/r7-research-innovation.yosan"], written: false)
    for name in ["own-openpyxl.xlsx", "own-libreoffice.xlsx"] {
      let dir = try ImportCommandTests.folder(with: ["\(ImportCommandTests.workbooks)/\(name)"])
      let result = try YosanBinary.run(["import", name, "-o", "r7-research-innovation.yosan"], in: dir)
      #expect(result.status == 0, "\(name): \(result.stderr)")
      #expect(try ExportedModel.of(["r7-research-innovation.yosan"], in: dir, written: false) == sample, "\(name)")
      #expect(try YosanBinary.run(["fmt", "--check", "r7-research-innovation.yosan"], in: dir).status == 0, "\(name): in fmt's layout")
    }
  }
}
