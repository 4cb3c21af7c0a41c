import Foundation
import Testing
import YosanGenerator
import YosanTestSupport

/// `yosan report` run as a process: the structure of the HTML (the browser test in
/// Tests/Browser renders it for real), self-containment, escaping, exit statuses.
struct ReportCommandTests {
  func report(_ arguments: [String], in folder: URL? = nil) throws -> (YosanBinary.Result, String) {
    let out = (folder ?? FileManager.default.temporaryDirectory).appendingPathComponent("report-\(UUID().uuidString).html")
    let result = try YosanBinary.run(["report"] + arguments + ["-o", out.path], in: folder)
    let html = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    return (result, html)
  }

  func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

  @Test func theSamplesReportHasEveryPanel() throws {
    let (result, html) = try report(["Samples/budgets"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("yosan report: wrote "))
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ja\">"))
    for id in ["summary", "findings", "treemap", "waterfall", "items", "details", "total-request", "total-previous", "total-change", "check-status", "tag-new", "tag-expanded", "tag-priority"] {
      #expect(html.contains("id=\"\(id)\""), "no #\(id)")
    }
    #expect(!html.contains("id=\"changes\""), "no --base, no changes section")
    // The totals are those of yosan diff (one computation) and exact: 10,289.11億円 and 9,743.98億円.
    #expect(html.contains("id=\"total-request\" data-yen=\"1028911000000\""))
    #expect(html.contains(">10,289.11億円<"))
    #expect(html.contains(">9,743.98億円<"))
    #expect(html.contains(">+545.13億円<"))
    // Every item is a row of the table and has a card's data (the script draws the cards; the
    // browser test checks that it does); the treemap has a rectangle per counted item.
    let table = html.components(separatedBy: "<table class=\"items sortable\">")[1].components(separatedBy: "</table>")[0]
    #expect(count("<tr", in: table) == 139)
    #expect(html.contains("<div id=\"cards\" data-count=\"138\"></div>"))
    #expect(count("<svg", in: html) == 2)
    #expect(table.contains("<td>1.2億円<td>4.7億円<td class=d>△3.5億円<td class=d>△74.47%"), "amounts in the unit the source uses, △ for decreases")
    #expect(table.contains("<b class=ok>✓</b>"), "breakdown sums are marked")
    #expect(html.contains("[\"✓\",\"ok\",\""), "the card's mark has the sum and interval")
    #expect(html.contains("@page { size: A4 landscape"))
  }

  @Test func nothingExternal() throws {
    let (_, html) = try report(["Samples/budgets"])
    for forbidden in ["src=", "http://", "https://", "@import", "url(", "<link", "<iframe", "<img"] {
      #expect(!html.contains(forbidden), "the report refers to something outside it: \(forbidden)")
    }
    #expect(count("<script>", in: html) == 1)
    let script = html.components(separatedBy: "<script>")[1].components(separatedBy: "</script>")[0]
    #expect(script.utf8.count < 5000, "a small script: sorting, the yen on hover, drawing the cards, printing")
  }

  /// Beyond 500 items the table's rows wait as text for the script (the browser test and
  /// report_timing.py see them drawn), and the treemap draws at most 1,000 items on their own.
  @Test func aLargeBudgetsRowsWaitForTheScriptAndTheTreemapIsBounded() throws {
    let files = BudgetGenerator.generate(.init(items: 1_500, files: 2, seed: 5))
    let folder = try Scratch.folder(Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.text) }))
    let (result, html) = try report(files.map(\.name), in: folder)
    #expect(result.status <= 1, "\(result.stderr)")
    let items = Int(html.components(separatedBy: "<div id=\"cards\" data-count=\"")[1].prefix { $0.isNumber }) ?? 0
    #expect(items >= 1_500)
    let table = html.components(separatedBy: "<table class=\"items sortable\">")[1].components(separatedBy: "</table>")[0]
    #expect(count("<tr", in: table) == 1, "only the header is parsed with the page")
    let waiting = html.components(separatedBy: "<script type=\"text/html\" id=\"rows\">")[1].components(separatedBy: "</script>")[0]
    #expect(count("<tr", in: waiting) == items, "every item is a row, drawn by the script")
    #expect(count("<tr><td><a href=\"#item-1\">", in: waiting) == 1)
    #expect(html.contains("<noscript><p class=\"warn\">The \(items) rows of this table are drawn by the report's script"))
    #expect(count("<script>", in: html) == 1)
    let treemap = html.components(separatedBy: "<svg class=\"treemap\"")[1].components(separatedBy: "</svg>")[0]
    let shown = count("<a href=\"#item-", in: treemap)
    #expect(shown > 0 && shown <= 1_000, "\(shown) item rectangles")
    #expect(treemap.contains(" class=\"rest\" fill=\"#"), "the smaller items together, coloured by their change")
    #expect(treemap.contains(" smaller items"))
  }

  @Test func everyTextFromTheBudgetIsEscaped() throws {
    let title = "<script>alert('x')</script> & \"引用\""
    let folder = try Scratch.folder([
      "a.yosan": "予算 \"\(title.replacingOccurrences(of: "\"", with: "\\\""))\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n"
        + "分野 \"<b>分野</b>\" {\n\n事業 x \"A&B <i>\" {\n  担当 = 医政局<課>\n  要求額 = 1億円\n  前年度 = 2億円\n  内訳 \"<u>\" {\n    a<b = 1億円\n  }\n}\n}\n",
    ])
    let (result, html) = try report(["a.yosan"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!html.contains("<script>alert"))
    #expect(html.contains("<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;引用&quot;</title>"))
    for raw in ["<b>分野", "<i>", "<課>", "<u>", "a<b"] { #expect(!html.contains(raw), "\(raw) is not escaped") }
    #expect(html.contains("A&amp;B &lt;i&gt;"))
    #expect(html.contains("医政局&lt;課&gt;"))
    // In the cards' data, nothing can end the script element (`</script>` would).
    let data = html.components(separatedBy: "<script type=\"application/json\" id=\"data\">")[1].components(separatedBy: "</script>")[0]
    #expect(!data.contains("<") && !data.contains(">") && !data.contains("&"))
    #expect(data.contains("\\u003cu\\u003e"), "the breakdown title <u>, escaped as JSON")
  }

  @Test func findingsLinkToTheirItemAndFileLine() throws {
    let folder = try Scratch.folder([
      "a.yosan": Scratch.header + Scratch.item("x", ["担当 = 医政局", "要求額 = 3.0億円", "内訳 {", "  a = 1.0億円", "  b = 1.0億円", "}"]) + "\n"
        + Scratch.item("y", ["担当 = 医政局", "要求額 = 1億円"]),
    ])
    let (result, html) = try report(["a.yosan"], in: folder)
    #expect(result.status == 1, "an error is reported; the report is still written")
    #expect(html.contains("<a class=\"loc\" href=\"a.yosan\">a.yosan:8:9</a> <a class=\"item\" href=\"#item-1\">x</a>"), "\(html.components(separatedBy: "<ul class=\"findings\">").last?.prefix(600) ?? "")")
    #expect(html.contains("<b class=bad>✗</b>"))
    #expect(html.contains("id=\"check-status\""))
    #expect(html.contains("1 error, 0 warnings"))
  }

  @Test func withABaseTheChangesAreInTheReport() throws {
    let (result, html) = try report(["Samples/revisions/r7-yosan-an/r7-chiiki-houkatsu.yosan", "--base", "Samples/budgets/r7-chiiki-houkatsu.yosan"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(html.contains("id=\"changes\""))
    #expect(html.contains("1 added, 1 removed, 1 renamed, 1 moved, 7 changed"))
    #expect(html.contains("<td class=\"num\">252億円</td><td class=\"num\">250億円</td><td class=\"num down\">△2億円</td>"))
  }

  @Test func exitStatusesAndNothingHalfWritten() throws {
    let folder = try Scratch.folder(["a.yosan": Scratch.header + Scratch.item("x", ["担当 = 医政局", "要求額 = 1億円"])])
    #expect(try YosanBinary.run(["report", "a.yosan"], in: folder).status == 2, "no -o")
    #expect(try YosanBinary.run(["report", "-o", "r.html"], in: folder).status == 2, "no files")
    #expect(try YosanBinary.run(["report", "a.yosan", "-o", "."], in: folder).status == 2, "a folder")
    let missing = try YosanBinary.run(["report", "a.yosan", "nowhere.yosan", "-o", "r.html"], in: folder)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nowhere.yosan: no such file or directory"))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("r.html").path), "nothing written on an I/O problem")
    let badBase = try YosanBinary.run(["report", "a.yosan", "--base", "nowhere", "-o", "r.html"], in: folder)
    #expect(badBase.status == 2)
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("r.html").path))
    #expect(try YosanBinary.run(["report", "a.yosan", "-o", "r.html"], in: folder).status == 0)
    let first = try Data(contentsOf: folder.appendingPathComponent("r.html"))
    #expect(try YosanBinary.run(["report", "a.yosan", "--title", "二回目", "-o", "r.html"], in: folder).status == 0, "an existing report is replaced")
    let second = try String(contentsOf: folder.appendingPathComponent("r.html"), encoding: .utf8)
    #expect(second.contains("<title>二回目</title>"))
    #expect(first != Data(second.utf8))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
    #expect(leftovers.isEmpty, "no temporary file left: \(leftovers)")
  }
}
