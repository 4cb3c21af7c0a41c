import Foundation
import Testing
import YosanJSON
import YosanTestSupport

/// A program the tests drive from outside: the path in `variable` (which `.ci/run` sets after
/// installing it, so that a failed install fails the test), else `program` on the `PATH`.
struct ExternalTool {
  var url: URL?
  var problem: String?

  init(variable: String, program: String) {
    let environment = ProcessInfo.processInfo.environment
    if let path = environment[variable], !path.isEmpty {
      url = URL(fileURLWithPath: path)
      if !FileManager.default.isExecutableFile(atPath: path) { problem = "\(variable) names \(path), which is not an executable (was it installed?)" }
      return
    }
    for folder in (environment["PATH"] ?? "").split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(program)
      if FileManager.default.isExecutableFile(atPath: candidate.path) {
        url = candidate
        return
      }
    }
  }

  func run(_ arguments: [String], in directory: URL? = nil) throws -> YosanBinary.Result {
    try Program.run(url!, arguments, in: directory)
  }
}

struct DataPackageTests {
  /// The package of every sample, with findings: its descriptor and files agree (checked here
  /// field by field), and `frictionless validate` accepts it; a package with a wrong cell is
  /// refused by it, so the validator does check the data.
  @Test func everySampleExportsAsAValidFiscalDataPackage() throws {
    let dir = try Scratch.folder([:])
    let result = try YosanBinary.run(["export", "--format", "datapackage", "--with-findings", "-o", dir.appendingPathComponent("pkg").path, "Samples"])
    #expect(result.status == 0, "exported; the defect samples' findings are data: \(result.stderr)")
    let folder = dir.appendingPathComponent("pkg")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(names == ["breakdowns.csv", "datapackage.json", "findings.csv", "items.csv", "sections.csv"])
    #expect(try Scratch.read(folder.appendingPathComponent("findings.csv")).contains(",error,share-sum,"))
    let descriptor = try JSON.parse(Scratch.read(folder.appendingPathComponent("datapackage.json")))
    #expect(descriptor["$schema"]?.stringValue == "https://datapackage.org/profiles/2.0/datapackage.json")
    let resources = try #require(descriptor["resources"]?.arrayValue)
    #expect(resources.compactMap { $0["name"]?.stringValue } == ["items", "breakdowns", "sections", "findings"])
    for resource in resources {
      let name = resource["name"]?.stringValue ?? ""
      #expect(resource["type"]?.stringValue == "table")
      #expect(resource["encoding"]?.stringValue == "utf-8")
      let fields = resource["schema"]?["fields"]?.arrayValue ?? []
      let rows = try CSVRows.parse(Scratch.read(folder.appendingPathComponent("\(name).csv")))
      #expect(rows.first == fields.compactMap { $0["name"]?.stringValue }, "\(name): the header is the fields' names")
      for (index, field) in fields.enumerated() {
        let type = field["type"]?.stringValue
        for row in rows.dropFirst() where index < row.count && !row[index].isEmpty {
          if type == "integer" { #expect(Int(row[index]) != nil, "\(name).\(field["name"]?.stringValue ?? ""): `\(row[index])`") }
          if type == "number" { #expect(Double(row[index]) != nil, "\(name).\(field["name"]?.stringValue ?? ""): `\(row[index])`") }
        }
      }
      if let key = resource["schema"]?["primaryKey"]?.arrayValue?.compactMap(\.stringValue) {
        let columns = key.compactMap { rows.first?.firstIndex(of: $0) }
        let keys = rows.dropFirst().map { row in columns.map { row[$0] }.joined(separator: "\u{0}") }
        #expect(Set(keys).count == keys.count, "\(name): the primary key \(key) is unique")
      }
    }
    let items = resources[0]["schema"]?["fields"]?.arrayValue ?? []
    let request = try #require(items.first { $0["name"]?.stringValue == "request_yen" })
    #expect(request["type"]?.stringValue == "integer")
    #expect(request["columnType"]?.stringValue == "value")
    #expect(items.first { $0["name"]?.stringValue == "fiscal_year_western" }?["columnType"]?.stringValue == "date:fiscal-year")
    #expect(resources[0]["schema"]?["extraFields"]?.arrayValue?.contains { $0["constant"]?.stringValue == "JPY" } == true)

    let frictionless = ExternalTool(variable: "YOSAN_FRICTIONLESS", program: "frictionless")
    if let problem = frictionless.problem { Issue.record(Comment(rawValue: problem)) }
    guard frictionless.url != nil, frictionless.problem == nil else { return }
    let report = try frictionless.run(["validate", "--json", folder.appendingPathComponent("datapackage.json").path])
    let json = try JSON.parse(report.stdout)
    #expect(json["valid"] == .bool(true), "frictionless: \(report.stdout.prefix(2000))")
    // A cell that is not an integer where the schema says integer: the validator must see it.
    var broken = try Scratch.read(folder.appendingPathComponent("items.csv")).split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
    let header = broken[0].split(separator: ",").map(String.init)
    let column = try #require(header.firstIndex(of: "line"))
    var cells = broken[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    cells[column] = "twelve"
    broken[1] = cells.joined(separator: ",")
    try Data(broken.joined(separator: "\r\n").utf8).write(to: folder.appendingPathComponent("items.csv"))
    let refused = try JSON.parse(try frictionless.run(["validate", "--json", folder.appendingPathComponent("datapackage.json").path]).stdout)
    #expect(refused["valid"] == .bool(false))
  }
}

struct WorkbookInOtherProgramsTests {
  static let document = Scratch.header + """
    分野 "研究" {
      事業 amed "医療研究開発推進事業" {
        担当 = 大臣官房厚生科学課
        要求額 = 7.9億円
        前年度 = 553,081千円
        補助率 = 1/2
        内訳 {
          研究費 = 7.0億円
          事務費 = 0.9億円
        }
      }

      事業 minus "減額事業" {
        担当 = 医政局
        要求額 = △1.5億円
        前年度 = 内数(amed)
      }
    }

    """

  /// openpyxl (the Python library most tools use to read XLSX) loads the export: the sheets,
  /// both header rows, frozen panes, numbers as numbers with the formats that show their unit.
  @Test func openpyxlLoadsTheWorkbook() throws {
    let dir = try Scratch.folder(["a.yosan": Self.document])
    #expect(try YosanBinary.run(["export", "--format", "xlsx", "--with-findings", "-o", "a.xlsx", "a.yosan"], in: dir).status == 0)
    let python = ExternalTool(variable: "YOSAN_PYTHON", program: "python3")
    if let problem = python.problem { Issue.record(Comment(rawValue: problem)) }
    guard python.url != nil, python.problem == nil else { return }
    let script = """
      import json, sys
      try:
          import openpyxl
      except ImportError:
          print(json.dumps({"missing": True})); sys.exit(0)
      wb = openpyxl.load_workbook("a.xlsx")
      items = wb["事業"]
      cells = {c: [items[c].value, items[c].number_format] for c in ["A1", "C2", "J3", "K3", "K4", "L3", "M3", "M4"]}
      rows = wb["内訳"]
      print(json.dumps({"sheets": wb.sheetnames, "freeze": items.freeze_panes, "cells": cells,
                        "breakdown": [[c.value for c in r][4:10] for r in rows.iter_rows(min_row=3)]}, ensure_ascii=False))
      """
    try Data(script.utf8).write(to: dir.appendingPathComponent("check.py"))
    let result = try python.run(["check.py"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let json = try JSON.parse(result.stdout)
    if json["missing"] == .bool(true) {
      // python3 on the PATH without openpyxl: .ci/run sets YOSAN_PYTHON to one that has it.
      #expect(ProcessInfo.processInfo.environment["YOSAN_PYTHON"] == nil, "YOSAN_PYTHON has no openpyxl")
      return
    }
    #expect(json["sheets"] == .array(["事業", "内訳", "分野", "検証結果"].map { .string($0) }))
    #expect(json["freeze"]?.stringValue == "A3")
    let cells = try #require(json["cells"])
    #expect(cells["A1"]?[0]?.stringValue == "ファイル")
    #expect(cells["C2"]?[0]?.stringValue == "id")
    #expect(cells["J3"]?[0] == .number("790000000"))
    #expect(cells["K3"]?[0] == .number("7.9"))
    #expect(cells["K3"]?[1]?.stringValue == "#,##0.0\"億円\";\"△\"#,##0.0\"億円\"")
    #expect(cells["K4"]?[0] == .number("-1.5"))
    #expect(cells["L3"]?[0] == .number("553081000"))
    #expect(cells["M3"]?[0] == .number("553081"))
    #expect(cells["M3"]?[1]?.stringValue == "#,##0\"千円\";\"△\"#,##0\"千円\"")
    #expect(cells["M4"]?[0]?.stringValue == "内数(amed)")
    #expect(
      json["breakdown"]
        == .array([
          .array([.string("内訳"), .null, .null, .null, .null, .null]),
          .array([.string("行"), .null, .null, .string("研究費"), .number("700000000"), .number("7")]),
          .array([.string("行"), .null, .null, .string("事務費"), .number("90000000"), .number("0.9")]),
        ]))
  }

  /// LibreOffice opens the workbook and shows each figure in the unit it was written in.
  @Test func libreOfficeShowsTheFiguresInTheirUnits() throws {
    let soffice = ExternalTool(variable: "YOSAN_SOFFICE", program: "soffice")
    if let problem = soffice.problem { Issue.record(Comment(rawValue: problem)) }
    let dir = try Scratch.folder(["a.yosan": Self.document])
    #expect(try YosanBinary.run(["export", "--format", "xlsx", "-o", "a.xlsx", "a.yosan"], in: dir).status == 0)
    guard soffice.url != nil, soffice.problem == nil else { return }
    let result = try soffice.run(
      ["--headless", "-env:UserInstallation=file://\(dir.path)/profile", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", dir.path, dir.appendingPathComponent("a.xlsx").path],
      in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try CSVRows.parse(Scratch.read(dir.appendingPathComponent("a.csv")))
    #expect(rows.count == 4)
    #expect(Array(rows[2][9...12]) == ["790,000,000", "7.9億円", "553,081,000", "553,081千円"])
    #expect(Array(rows[3][9...12]) == ["△150,000,000", "△1.5億円", "", "内数(amed)"])
  }
}
