import Foundation
import Testing
import YosanJSON

/// The server with the validation rules, configuration files, suppressions and the formatter:
/// sums (related rows, fixes, inlay hints, hover), severities and tags, cross-file re-validation,
/// configuration changes, and formatting.
@Suite(.serialized)
struct RuleIntegrationTests {
  static let header = "予算 \"令和7年度 概算要求\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n"

  /// Lines 5–20: two breakdowns of three 1,000千円 rows; the first total is off by one.
  static let sums = header + """
    事業 a "千円単位の内訳" {
      担当 = 医政局
      要求額 = 3,002千円
      内訳 "四捨五入" {
        人件費 = 1,000千円
        旅費 = 1,000千円
        委託費 = 1,000千円
        合計 = 3,003千円
      }
      内訳 "切り捨て" {
        端数 = 切り捨て
        人件費 = 1,000千円
        旅費 = 1,000千円
        委託費 = 1,000千円
        合計 = 3,002千円
      }
    }

    """

  @Test func sumsCarryRelatedRowsAFixInlayHintsAndHover() throws {
    let client = try LSPTestClient()
    try client.initialize()
    let uri = "file:///tmp/sums.yosan"
    client.open(uri, Self.sums)
    let diagnostics = try client.diagnostics(for: uri)["params"]?["diagnostics"]?.arrayValue ?? []
    let sum = try #require(diagnostics.first { $0["code"] == .string("breakdown-sum") })
    #expect(LSP.bounds(sum["range"]) == [12, 9, 12, 16])
    #expect(sum["severity"] == .int(1))
    let related = sum["relatedInformation"]?.arrayValue ?? []
    #expect(related.map { LSP.bounds($0["location"]?["range"]) } == [[9, 10, 9, 17], [10, 9, 10, 16], [11, 10, 11, 17]])
    #expect(related.allSatisfy { $0["location"]?["uri"] == .string(uri) })
    #expect(related[0]["message"]?.stringValue?.contains("1,000千円") == true)
    // Its fix changes a figure, so it is offered but not preferred.
    let actions = try client.call(
      "textDocument/codeAction",
      .object([("textDocument", .object([("uri", .string(uri))])), ("range", LSP.range(12, 10, 12, 10)), ("context", .object([("diagnostics", .array([]))]))]))
    let setTotal = try #require(actions.arrayValue?.first { $0["title"]?.stringValue?.hasPrefix("set 合計 to the rows' sum") == true })
    #expect(setTotal["isPreferred"] == nil)
    #expect(setTotal["edit"]?["changes"]?[uri]?[0]?["newText"] == .string("3,000千円"))
    // Inlay hints after each total: the rows' sum with ✓ or ✗.
    let hints = try client.call("textDocument/inlayHint", .object([("textDocument", .object([("uri", .string(uri))])), ("range", LSP.range(0, 0, 30, 0))]))
    let byLine = Dictionary(grouping: hints.arrayValue ?? [], by: { $0["position"]?["line"]?.intValue ?? -1 })
    #expect(byLine[12]?.map { $0["label"] } == [.string("Σ 3,000千円 ✗")])
    #expect(LSP.bounds(.object([("start", byLine[12]?[0]["position"] ?? .null), ("end", byLine[12]?[0]["position"] ?? .null)])) == [12, 16, 12, 16])
    #expect(byLine[19]?.map { $0["label"] } == [.string("Σ 3,000千円 ✓")])
    #expect(byLine[7]?.isEmpty == false)
    #expect(byLine[12]?[0]["tooltip"]?.stringValue?.contains("inconsistent ✗") == true)
    // Hover on the total: the rows' sum and interval.
    let hover = try client.call("textDocument/hover", LSP.at(uri, 12, 11))["contents"]?["value"]?.stringValue ?? ""
    #expect(hover.contains("3 figures add up to 3,000,000円, [2,998,500円, 3,001,500円] with rounding"))
    #expect(hover.contains("合計 `3,003千円` stands for [3,002,500円, 3,003,500円]: inconsistent ✗"))
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func severitiesTagsPreferredFixesAndFixAll() throws {
    let client = try LSPTestClient()
    try client.initialize()
    let uri = "file:///tmp/notation.yosan"
    let text = Self.header + "# yosan: disable-next-line unknown-key -- 旧様式\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 3 億円\n  前年度 = １億円\n}\n"
    client.open(uri, text)
    let diagnostics = try client.diagnostics(for: uri)["params"]?["diagnostics"]?.arrayValue ?? []
    let spacing = try #require(diagnostics.first { $0["code"] == .string("unit-spacing") })
    #expect(spacing["severity"] == .int(4))
    let unused = try #require(diagnostics.first { $0["code"] == .string("unused-suppression") })
    #expect(unused["tags"] == .array([.int(1)]))
    #expect(diagnostics.first { $0["code"] == .string("large-increase") }?["severity"] == .int(3))
    let actions = try client.call(
      "textDocument/codeAction",
      .object([("textDocument", .object([("uri", .string(uri))])), ("range", LSP.range(8, 10, 8, 10)), ("context", .object([("diagnostics", .array([]))]))]))
    let quick = try #require(actions.arrayValue?.first { $0["diagnostics"]?[0]?["code"] == .string("unit-spacing") && $0["kind"] == .string("quickfix") })
    #expect(quick["isPreferred"] == .bool(true))
    let fixAll = try #require(actions.arrayValue?.first { $0["kind"] == .string("source.fixAll.yosan") })
    let edits = fixAll["edit"]?["changes"]?[uri]?.arrayValue ?? []
    #expect(edits.count >= 2)
    #expect(fixAll["title"]?.stringValue?.hasPrefix("apply every safe fix in this file") == true)
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func aChangeInOneFileRevalidatesTheOpenFilesThatDependOnIt() throws {
    let workspace = try TemporaryWorkspace([
      "a.yosan": Self.header + "事業 a \"参照する事業\" {\n  担当 = 医政局\n  要求額 = 内数(beta)\n}\n",
      "b.yosan": Self.header + "事業 beta \"参照される事業\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n",
      "c.yosan": Self.header + "事業 c \"関係のない事業\" {\n  担当 = 医政局\n  要求額 = 2億円\n}\n",
    ])
    let client = try LSPTestClient()
    try client.initialize(workspace: workspace.url)
    let a = workspace.uri("a.yosan")
    let b = workspace.uri("b.yosan")
    let c = workspace.uri("c.yosan")
    client.open(a, try String(contentsOf: workspace.url.appendingPathComponent("a.yosan"), encoding: .utf8))
    client.open(c, try String(contentsOf: workspace.url.appendingPathComponent("c.yosan"), encoding: .utf8))
    #expect(try client.diagnostics(for: a)["params"]?["diagnostics"] == .array([]))
    #expect(try client.diagnostics(for: c)["params"]?["diagnostics"] == .array([]))
    // Renaming `beta` in b.yosan (open in the editor) breaks a.yosan's reference.
    client.open(b, try String(contentsOf: workspace.url.appendingPathComponent("b.yosan"), encoding: .utf8))
    _ = try client.diagnostics(for: b)
    client.change(b, version: 2, range: LSP.range(5, 3, 5, 7), text: "gamma")
    _ = try client.diagnostics(for: b)
    let broken = try client.diagnostics(for: a)
    #expect(broken["params"]?["version"] == .int(1))
    let unknown = try #require(broken["params"]?["diagnostics"]?[0])
    #expect(unknown["code"] == .string("unknown-reference"))
    #expect(LSP.bounds(unknown["range"]) == [7, 11, 7, 15])
    // A file on disk changing (b closed, then rewritten) re-validates too: a.yosan is clean again.
    client.notify("textDocument/didClose", LSP.document(b))
    _ = try client.diagnostics(for: b)
    #expect(try client.diagnostics(for: a)["params"]?["diagnostics"] == .array([]))
    try workspace.write("b.yosan", Self.header + "事業 a \"同じ id\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n")
    client.notify("workspace/didChangeWatchedFiles", .object([("changes", .array([.object([("uri", .string(b)), ("type", .int(2))])]))]))
    let afterDisk = try client.diagnostics(for: a)["params"]?["diagnostics"]?.arrayValue ?? []
    #expect(afterDisk.map { $0["code"] } == [.string("unknown-reference")])
    // The second definition of `a` is reported in b.yosan, pointing at the first one in a.yosan.
    client.open(b, Self.header + "事業 a \"同じ id\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n")
    let duplicated = try client.diagnostics(for: b)["params"]?["diagnostics"]?.arrayValue ?? []
    let duplicate = try #require(duplicated.first { $0["code"] == .string("duplicate-id") })
    #expect(duplicate["relatedInformation"]?[0]?["location"]?["uri"] == .string(a))
    #expect(LSP.bounds(duplicate["relatedInformation"]?[0]?["location"]?["range"]) == [5, 3, 5, 4])
    // The unrelated open file was never published again.
    _ = try client.call("workspace/symbol", .object([("query", .string(""))]))
    let unrelated = client.peek { $0["params"]?["uri"] == .string(c) }
    #expect(unrelated.isEmpty)
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func aPullingClientIsAskedToPullAgainWhenAnotherFileBreaksItsReferences() throws {
    let workspace = try TemporaryWorkspace([
      "a.yosan": Self.header + "事業 a \"参照する事業\" {\n  担当 = 医政局\n  要求額 = 内数(beta)\n}\n",
      "b.yosan": Self.header + "事業 beta \"参照される事業\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n",
    ])
    let client = try LSPTestClient()
    try client.initialize(capabilities: LSPTestClient.capabilities(pull: true), workspace: workspace.url)
    let a = workspace.uri("a.yosan")
    let b = workspace.uri("b.yosan")
    client.open(a, try String(contentsOf: workspace.url.appendingPathComponent("a.yosan"), encoding: .utf8))
    client.open(b, try String(contentsOf: workspace.url.appendingPathComponent("b.yosan"), encoding: .utf8))
    let first = try client.call("textDocument/diagnostic", LSP.document(a))
    #expect(first["items"] == .array([]))
    let resultID = try #require(first["resultId"]?.stringValue)
    client.change(b, version: 2, range: LSP.range(5, 3, 5, 7), text: "gamma")
    _ = try client.take("workspace/diagnostic/refresh") { $0["method"] == .string("workspace/diagnostic/refresh") }
    let again = try client.call(
      "textDocument/diagnostic", .object([("textDocument", .object([("uri", .string(a))])), ("previousResultId", .string(resultID))]))
    #expect(again["kind"] == .string("full"))
    #expect(again["items"]?[0]?["code"] == .string("unknown-reference"))
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func configurationFilesAreHonouredAndReportTheirOwnProblems() throws {
    let workspace = try TemporaryWorkspace([
      "yosan.config.yosan": "rules {\n  unit-spacing = off\n}\n",
      "budget.yosan": Self.header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 3 億円\n}\n",
    ])
    let client = try LSPTestClient()
    try client.initialize(workspace: workspace.url)
    // The configuration file is not a budget: nothing of it is indexed.
    #expect(try client.call("workspace/symbol", .object([("query", .string(""))])).arrayValue?.count == 1)
    let budget = workspace.uri("budget.yosan")
    client.open(budget, try String(contentsOf: workspace.url.appendingPathComponent("budget.yosan"), encoding: .utf8))
    #expect(try client.diagnostics(for: budget)["params"]?["diagnostics"] == .array([]))
    // Editing the configuration in the editor applies at once.
    let config = workspace.uri("yosan.config.yosan")
    client.open(config, "rules {\n  unit-spacing = off\n}\n")
    #expect(try client.diagnostics(for: config)["params"]?["diagnostics"] == .array([]))
    client.change(config, version: 2, range: LSP.range(1, 17, 1, 20), text: "error")
    #expect(try client.diagnostics(for: config)["params"]?["version"] == .int(2))
    let configured = try client.diagnostics(for: budget)["params"]?["diagnostics"]?.arrayValue ?? []
    #expect(configured.map { $0["code"] } == [.string("unit-spacing")])
    #expect(configured.first?["severity"] == .int(1))
    // A mistake in the configuration is a diagnostic of the configuration file.
    client.change(config, version: 3, range: LSP.range(1, 2, 1, 14), text: "unit-spasing")
    let problems = try client.diagnostics(for: config)["params"]?["diagnostics"]?.arrayValue ?? []
    #expect(problems.first?["code"] == .string("configuration"))
    #expect(problems.first?["message"]?.stringValue?.contains("unit-spasing") == true)
    #expect(LSP.bounds(problems.first?["range"]) == [1, 2, 1, 14])
    // The text features work on a configuration file; the budget ones find nothing.
    let messy = "rules {\nunit-spacing=error\n}\n"
    client.change(config, version: 4, range: nil, text: messy)
    _ = try client.diagnostics(for: config)
    let edits = try client.call("textDocument/formatting", .object([("textDocument", .object([("uri", .string(config))])), ("options", .object([]))]))
    #expect(Self.apply(edits, to: messy) == "rules {\n  unit-spacing = error\n}\n")
    #expect(try client.call("textDocument/foldingRange", LSP.document(config)).arrayValue?.count == 1)
    #expect(try client.call("textDocument/hover", LSP.at(config, 1, 2)) == .null)
    #expect(try client.call("textDocument/completion", LSP.at(config, 1, 0)) == .null)
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func formattingWholeDocumentsAndRanges() throws {
    let client = try LSPTestClient()
    try client.initialize(capabilities: LSPTestClient.capabilities(encodings: ["utf-8"]))
    let uri = "file:///tmp/format.yosan"
    let text = "予算 \"令和7年度 概算要求\"{\n年度=令和7年度\n  区分   = 概算要求\n}\n事業 a \"t\" {\n担当 = 医政局\n    要求額=1億円\n}\n"
    client.open(uri, text)
    _ = try client.diagnostics(for: uri)
    let edits = try client.call("textDocument/formatting", .object([
      ("textDocument", .object([("uri", .string(uri))])), ("options", .object([("tabSize", .int(2)), ("insertSpaces", .bool(true))])),
    ]))
    let formatted = Self.apply(edits, to: text)
    #expect(formatted == "予算 \"令和7年度 概算要求\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n事業 a \"t\" {\n  担当   = 医政局\n  要求額 = 1億円\n}\n")
    // Formatting again changes nothing.
    client.change(uri, version: 2, range: nil, text: formatted)
    _ = try client.diagnostics(for: uri)
    #expect(try client.call("textDocument/formatting", .object([("textDocument", .object([("uri", .string(uri))])), ("options", .object([]))])) == .array([]))
    // A range formats only the lines it touches.
    client.change(uri, version: 3, range: nil, text: text)
    _ = try client.diagnostics(for: uri)
    let ranged = try client.call(
      "textDocument/rangeFormatting", .object([("textDocument", .object([("uri", .string(uri))])), ("range", LSP.range(1, 0, 1, 3)), ("options", .object([]))]))
    #expect(Self.apply(ranged, to: text) == text.replacingOccurrences(of: "\n年度=令和7年度\n", with: "\n  年度 = 令和7年度\n"))
    // A file with a syntax error is left alone, and the client is told why.
    client.change(uri, version: 4, range: nil, text: "予算 {\n  年度 令和7年度\n}\n")
    _ = try client.diagnostics(for: uri)
    #expect(try client.call("textDocument/formatting", .object([("textDocument", .object([("uri", .string(uri))])), ("options", .object([]))])) == .null)
    let message = try client.notification("window/showMessage")
    #expect(message["params"]?["message"]?.stringValue == "yosan: format.yosan was not formatted: it has a syntax error on line 2; fix it first")
    #expect(try client.shutdownAndExit() == 0)
  }

  /// Applies UTF-8-positioned edits (as a client that negotiated utf-8 does).
  static func apply(_ edits: JSON, to text: String) -> String {
    var bytes = Array(text.utf8)
    var lineStarts = [0]
    for (index, byte) in bytes.enumerated() where byte == 0x0A { lineStarts.append(index + 1) }
    func offset(_ position: JSON?) -> Int {
      (lineStarts[position?["line"]?.intValue ?? 0]) + (position?["character"]?.intValue ?? 0)
    }
    let sorted = (edits.arrayValue ?? []).sorted { offset($0["range"]?["start"]) > offset($1["range"]?["start"]) }
    for edit in sorted {
      let start = offset(edit["range"]?["start"])
      let end = offset(edit["range"]?["end"])
      bytes.replaceSubrange(start..<end, with: Array((edit["newText"]?.stringValue ?? "").utf8))
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
