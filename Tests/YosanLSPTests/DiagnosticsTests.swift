import Foundation
import Testing
import YosanJSON
import YosanLSP

/// Diagnostics through the spawned server: exact positions on Japanese text in every encoding,
/// incremental edits, coalesced bursts, pulled reports.
@Suite(.serialized)
struct DiagnosticsTests {
  /// A breakdown row whose label holds 𠮷 and 😀 (surrogate pairs in UTF-16) before an error on
  /// the same line.
  static let document = """
    予算 "令和7年度 概算要求" {
      年度 = 令和7年度
      区分 = 概算要求
    }

    事業 a "𠮷野家支援" {
      担当 = 医政局
      要求額 = 12億円
      内訳 {
        𠮷野家😀補助 = 12億ドル
      }
    }

    """
  static let uri = "file:///tmp/positions.yosan"

  func unitDiagnostic(_ published: JSON) -> JSON? {
    published["params"]?["diagnostics"]?.arrayValue?.first { $0["code"] == .string("unknown-unit") }
  }

  @Test(arguments: [("utf-16", [9, 17, 9, 20]), ("utf-8", [9, 29, 9, 38]), ("utf-32", [9, 15, 9, 18])])
  func positionsAfterSurrogatePairsOnTheSameLine(_ encoding: String, _ expected: [Int]) throws {
    let client = try LSPTestClient()
    let result = try client.initialize(capabilities: LSPTestClient.capabilities(encodings: [encoding]))
    #expect(result["capabilities"]?["positionEncoding"] == .string(encoding))
    client.open(Self.uri, Self.document, version: 7)
    let published = try client.diagnostics(for: Self.uri)
    #expect(published["params"]?["version"] == .int(7))
    let diagnostic = try #require(unitDiagnostic(published))
    #expect(LSP.bounds(diagnostic["range"]) == expected)
    #expect(diagnostic["severity"] == .int(1))
    #expect(diagnostic["source"] == .string("yosan"))
    #expect(diagnostic["codeDescription"]?["href"]?.stringValue?.hasSuffix("Spec/rules.md#unknown-unit") == true)
    #expect(diagnostic["message"]?.stringValue?.contains("unknown unit `億ドル`") == true)
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func incrementalEditsAreAppliedInOrder() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.open(Self.uri, Self.document, version: 1)
    _ = try client.diagnostics(for: Self.uri)
    // Replace ドル (UTF-16 18..<20 on line 9) with 円: the error goes away.
    client.change(Self.uri, version: 2, range: LSP.range(9, 18, 9, 20), text: "円")
    let fixed = try client.diagnostics(for: Self.uri)
    #expect(fixed["params"]?["version"] == .int(2))
    #expect(unitDiagnostic(fixed) == nil)
    // Two changes in one notification, applied in order: insert a CRLF line before line 9, then
    // break the amount on what is now line 10.
    client.send(client.notificationMessage(
      "textDocument/didChange",
      .object([
        ("textDocument", .object([("uri", .string(Self.uri)), ("version", .int(3))])),
        (
          "contentChanges",
          .array([
            .object([("range", LSP.range(9, 0, 9, 0)), ("text", .string("    # 😀 コメント\r\n"))]),
            .object([("range", LSP.range(10, 18, 10, 18)), ("text", .string("ドル"))]),
          ])
        ),
      ])))
    let broken = try client.diagnostics(for: Self.uri)
    #expect(broken["params"]?["version"] == .int(3))
    #expect(LSP.bounds(unitDiagnostic(broken)?["range"]) == [10, 17, 10, 21])
    // An out-of-range range is clamped to the text, never a crash (a reversed one is refused: see
    // HostileProtocolTests).
    client.change(Self.uri, version: 4, range: LSP.range(400, 3, 500, 0), text: "\n# end\n")
    let clamped = try client.diagnostics(for: Self.uri)
    #expect(clamped["params"]?["version"] == .int(4))
    // A whole-document change replaces the text.
    client.change(Self.uri, version: 5, range: nil, text: "予算 {\n  年度 = 令和7年度\n}\n")
    let whole = try client.diagnostics(for: Self.uri)
    #expect(whole["params"]?["diagnostics"]?.arrayValue?.map { $0["code"] } == [.string("missing-required-key")])
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func aBurstOfKeystrokesIsAnalysedOnce() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.open(Self.uri, Self.document, version: 1)
    _ = try client.diagnostics(for: Self.uri)
    // Twelve one-character insertions into a comment, sent together as an editor does when typing
    // fast (in one write below the pipe's atomic size, so the server reads them together).
    var burst: [JSON] = [client.changeMessage(Self.uri, version: 2, range: LSP.range(4, 0, 4, 0), text: "#")]
    for n in 3...13 { burst.append(client.changeMessage(Self.uri, version: n, range: LSP.range(4, n - 2, 4, n - 2), text: "あ")) }
    #expect(burst.flatMap(Outgoing.frame).count < 4_096)
    client.sendTogether(burst)
    let published = try client.diagnostics(for: Self.uri)
    #expect(published["params"]?["version"] == .int(13))
    // A request answered after the burst proves nothing else is on its way.
    _ = try client.call("textDocument/documentSymbol", LSP.document(Self.uri))
    #expect(client.peek { $0["method"] == .string("textDocument/publishDiagnostics") }.isEmpty)
    let lines = try client.call("textDocument/foldingRange", LSP.document(Self.uri))
    #expect(lines.arrayValue != nil)
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func diagnosticsOfAnEditGoOutBeforeTheRequestsBehindIt() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.open(Self.uri, Self.document)
    _ = try client.diagnostics(for: Self.uri)
    let (id, symbols) = client.requestMessage("textDocument/documentSymbol", LSP.document(Self.uri))
    client.sendTogether([client.changeMessage(Self.uri, version: 2, range: LSP.range(9, 18, 9, 20), text: "円"), symbols])
    _ = try client.response(id)
    let order = client.received.compactMap { message -> String? in
      if message["method"] == .string("textDocument/publishDiagnostics"), message["params"]?["version"] == .int(2) { return "diagnostics" }
      return message["id"] == .int(id) ? "symbols" : nil
    }
    #expect(order == ["diagnostics", "symbols"])
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func diagnosticsAreClearedOnClose() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.open(Self.uri, Self.document)
    #expect(try client.diagnostics(for: Self.uri)["params"]?["diagnostics"]?.arrayValue?.isEmpty == false)
    client.notify("textDocument/didClose", LSP.document(Self.uri))
    #expect(try client.diagnostics(for: Self.uri)["params"]?["diagnostics"] == .array([]))
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func pulledDiagnosticsReportUnchangedResults() throws {
    let workspace = try TemporaryWorkspace(["other.yosan": "予算 {\n}\n"])
    let client = try LSPTestClient()
    try client.initialize(capabilities: LSPTestClient.capabilities(pull: true), workspace: workspace.url)
    let uri = workspace.uri("open.yosan")
    client.open(uri, Self.document)
    let first = try client.call("textDocument/diagnostic", LSP.document(uri))
    #expect(first["kind"] == .string("full"))
    let resultID = try #require(first["resultId"]?.stringValue)
    #expect(first["items"]?.arrayValue?.contains { $0["code"] == .string("unknown-unit") } == true)
    let again = try client.call(
      "textDocument/diagnostic", .object([("textDocument", .object([("uri", .string(uri))])), ("previousResultId", .string(resultID))]))
    #expect(again["kind"] == .string("unchanged"))
    #expect(again["resultId"] == .string(resultID))
    #expect(again["items"] == nil)
    client.change(uri, version: 2, range: LSP.range(9, 18, 9, 20), text: "円")
    let changed = try client.call(
      "textDocument/diagnostic", .object([("textDocument", .object([("uri", .string(uri))])), ("previousResultId", .string(resultID))]))
    #expect(changed["kind"] == .string("full"))
    #expect(changed["resultId"] != .string(resultID))
    // A pulling client gets no pushed diagnostics.
    #expect(client.peek { $0["method"] == .string("textDocument/publishDiagnostics") }.isEmpty)
    // The workspace report covers the open document (with its version) and the file on disk.
    let workspaceReport = try client.call("workspace/diagnostic", .object([("previousResultIds", .array([]))]))
    let items = try #require(workspaceReport["items"]?.arrayValue)
    let other = try #require(items.first { $0["uri"]?.stringValue?.hasSuffix("other.yosan") == true })
    #expect(other["version"] == .null)
    #expect(other["items"]?.arrayValue?.contains { $0["code"] == .string("missing-required-key") } == true)
    #expect(items.first { $0["uri"] == .string(uri) }?["version"] == .int(2))
    #expect(try client.shutdownAndExit() == 0)
  }
}
