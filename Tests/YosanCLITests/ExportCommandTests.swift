import Foundation
import Testing
import YosanJSON
import YosanTestSupport

/// `yosan export` (JSON and CSV): the schema, exact amounts, 内数 and なし, items inside the
/// header, and files with syntax errors.
struct ExportCommandTests {
  @Test func jsonOfEverySampleMatchesTheSchema() throws {
    let result = try YosanBinary.run(["export", "Samples"])
    #expect(result.status == 0)
    let document = try JSON.parse(result.stdout)
    #expect(try Scratch.schema("export.schema.json").validate(document) == [])
    let files = try #require(document["files"]?.arrayValue)
    #expect(files.count >= 13)
  }

  @Test func amountsAreExactYenBesideTheWrittenForm() throws {
    let text = Scratch.header + """
      分野 "研究, \\"開発\\"" {
        事業 a "タイトル, \\"引用\\"" {
          種別 = 拡充
          担当 = 医政局, 健康局
          要求額 = 553,081千円
          前年度 = 7.9億円
          補助率 = 1/3(令和6年度) → 1/2
          負担割合 = 国 38.5/100, 都道府県 61.5/100
          内訳 {
            研究費 = 553,081千円
          }
        }
      }

      """
    let dir = try Scratch.folder(["a.yosan": text])
    let json = try JSON.parse(try YosanBinary.run(["export", "a.yosan"], in: dir).stdout)
    #expect(try Scratch.schema("export.schema.json").validate(json) == [])
    let item = try #require(json["files"]?[0]?["items"]?[0])
    #expect(item["request"]?["yen"] == .number("553081000"))
    #expect(item["request"]?["written"]?.stringValue == "553,081千円")
    #expect(item["previous"]?["yen"] == .number("790000000"))
    #expect(item["change"]?["yen"] == .number("-236919000"))
    #expect(item["change"]?["percent"] == .number("-29.99"))
    #expect(item["rate"]?["fractions"] == .array([.string("1/3"), .string("1/2")]))
    #expect(item["shares"]?[0]?["fraction"]?.stringValue == "77/200")
    #expect(item["breakdowns"]?[0]?["rows"]?[0]?["amount"]?["yen"] == .number("553081000"))
    let csv = try YosanBinary.run(["export", "--format", "csv", "--bom", "a.yosan"], in: dir)
    #expect(csv.status == 0)
    #expect(csv.stdoutBytes.starts(with: [0xEF, 0xBB, 0xBF]))
    let lines = String(decoding: csv.stdoutBytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
    // The first seventeen columns are those of version 1; the header and the other keys follow.
    #expect(
      lines[0]
        == "file,line,id,parent,section,title,division,fiscal_year,tags,request_yen,request,previous_yen,previous,change_yen,change_percent,rate,shares"
        + ",document,ministry,kind,unit,rounding,fiscal_year_western,extension,supplementary,multi_year,implementer,recipient,contractor,eligible_costs,unit_amount,cap,floor,booked_by,shared_with,purpose,summary,results,status,note"
    )
    #expect(
      lines[1]
        == "a.yosan,7,a,,\"研究, \"\"開発\"\"\",\"タイトル, \"\"引用\"\"\",医政局、健康局,令和7年度,拡充,553081000,\"553,081千円\",790000000,7.9億円,-236919000,-29.99,1/3(令和6年度) → 1/2,\"国 38.5/100, 都道府県 61.5/100\""
        + ",令和7年度,,概算要求,,,2025" + String(repeating: ",", count: 17))
    #expect(lines.count == 3 && lines[2] == "", "every record ends with CRLF")
    #expect(try YosanBinary.run(["export", "--bom", "a.yosan"], in: dir).status == 2, "--bom is for CSV")
  }

  /// `内数(…)` is the item's share when an item has that id (ids may start with digits), else
  /// the amount's; `記載なし` is exported as not stated.
  @Test func partOfIsDecidedByWhatResolvesAndNotStatedIsExported() throws {
    let text = Scratch.header
      + Scratch.item("8020運動", ["担当 = 医政局歯科保健課", "要求額 = 13億円"])
      + Scratch.item("menu", ["担当 = 医政局歯科保健課", "要求額 = 内数(8020運動)", "前年度 = 内数(97億円)"])
      + Scratch.item("rate-only", ["担当 = 医政局歯科保健課", "要求額 = 記載なし", "補助率 = 1/2相当定額"])
    let dir = try Scratch.folder(["a.yosan": text])
    let check = try YosanBinary.run(["check", "a.yosan"], in: dir)
    #expect(check.status == 0, "\(check.stdout)")
    let json = try JSON.parse(try YosanBinary.run(["export", "a.yosan"], in: dir).stdout)
    #expect(try Scratch.schema("export.schema.json").validate(json) == [])
    let menu = try #require(json["files"]?[0]?["items"]?[1])
    #expect(menu["request"]?["item"]?.stringValue == "8020運動")
    #expect(menu["previous"]?["item"] == .null)
    #expect(menu["previous"]?["total"]?["yen"] == .number("9700000000"))
    let rateOnly = try #require(json["files"]?[0]?["items"]?[2])
    #expect(rateOnly["request"]?["kind"]?.stringValue == "notStated")
    #expect(rateOnly["rate"]?["fractions"] == .array([.string("1/2")]))
  }

  /// A 予算 header whose `}` is written after the items: the items are exported (the table was
  /// empty), and `check --fix` moves the `}`.
  @Test func itemsInsideTheHeaderAreExportedAndFixed() throws {
    let text = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n\n"
      + Scratch.item("a", ["担当 = 医政局", "要求額 = 1億円"]) + "\n" + Scratch.item("b", ["担当 = 医政局", "要求額 = 2億円"]) + "}\n"
    let dir = try Scratch.folder(["a.yosan": text])
    let csv = try YosanBinary.run(["export", "--format", "csv", "a.yosan"], in: dir).stdout.components(separatedBy: "\r\n")
    #expect(csv.count == 4, "\(csv)")
    #expect(csv[1].hasPrefix("a.yosan,5,a,"))
    #expect(csv[2].hasPrefix("a.yosan,10,b,"))
    let check = try YosanBinary.run(["check", "a.yosan"], in: dir)
    #expect(check.status == 1)
    #expect(check.stderr.contains("(2 items,"))
    let fix = try YosanBinary.run(["check", "--fix", "a.yosan"], in: dir)
    #expect(fix.status == 0, "\(fix.stdout)\(fix.stderr)")
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")).hasPrefix("予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n事業 a"))
  }

  @Test func aFileWithSyntaxErrorsIsExportedWithAWarning() throws {
    let text = Scratch.header + Scratch.item("a", ["担当 医政局", "要求額 = 1億円"])
    let result = try YosanBinary.run(["export", "--stdin-filename", "x.yosan", "-"], input: Data(text.utf8))
    #expect(result.status == 1)
    #expect(result.stderr.contains("yosan: x.yosan: has syntax errors; its export leaves out what could not be read"))
    #expect(try JSON.parse(result.stdout)["files"]?[0]?["items"]?[0]?["request"]?["yen"] == .number("100000000"))
  }
}
