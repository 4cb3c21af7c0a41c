import Foundation
import Testing
import YosanJSON
import YosanLSP
import YosanSyntax

/// The workspace through the spawned server: indexing with progress, symbolic links, watched
/// files, open documents overriding the disk; cancellation and stale results.
@Suite(.serialized)
struct WorkspaceTests {
  static func item(_ id: String, _ title: String = "事業") -> String {
    "予算 {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 \(id) \"\(title)\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n"
  }

  func symbolNames(_ client: LSPTestClient, _ query: String) throws -> [String] {
    try client.call("workspace/symbol", .object([("query", .string(query))])).arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
  }

  @Test func indexingReportsProgressAndRegistersWatchers() throws {
    let workspace = try TemporaryWorkspace(["a.yosan": Self.item("alpha"), "sub/b.yosan": Self.item("beta"), ".hidden/c.yosan": Self.item("gamma")])
    let client = try LSPTestClient()
    try client.initialize(capabilities: LSPTestClient.capabilities(progress: true), workspace: workspace.url)
    let registration = try client.take("client/registerCapability") { $0["method"] == .string("client/registerCapability") }
    let watchers = registration["params"]?["registrations"]?[0]?["registerOptions"]?["watchers"]
    #expect(watchers?[0]?["globPattern"] == .string("**/*.yosan"))
    let create = try client.take("window/workDoneProgress/create") { $0["method"] == .string("window/workDoneProgress/create") }
    let token = try #require(create["params"]?["token"])
    let begin = try client.notification("$/progress") { $0["params"]?["value"]?["kind"] == .string("begin") }
    #expect(begin["params"]?["token"] == token)
    #expect(begin["params"]?["value"]?["title"] == .string("Indexing .yosan files"))
    let end = try client.notification("$/progress") { $0["params"]?["value"]?["kind"] == .string("end") }
    // `indexed 2 .yosan files (194 bytes) in 3 ms`: the hidden folder's file is not among them.
    let size = (Self.item("alpha") + Self.item("beta")).utf8.count
    let message = end["params"]?["value"]?["message"]?.stringValue ?? ""
    #expect(message.hasPrefix("indexed 2 .yosan files (\(size) bytes) in "), "\(message)")
    #expect(try symbolNames(client, "").sorted() == ["alpha 事業", "beta 事業"])
    #expect(try client.shutdownAndExit() == 0)
    // The summary is in the client's log; standard error, which clients show as the server's
    // errors, hears of it only when a limit stopped the run.
    #expect(!client.stderr.contains("indexed"))
  }

  /// No workspace folder (an editor that found no `.git` or `yosan.config.yosan`): the folder of
  /// the opened file is indexed, within limits said in the log, so an id defined in a sibling
  /// file resolves as `yosan check .` resolves it there.
  @Test func withoutAWorkspaceFolderTheOpenedFilesFolderIsIndexed() throws {
    let user = "予算 {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 user \"使う\" {\n  担当 = 医政局\n  要求額 = 内数(beta)\n}\n"
    let workspace = try TemporaryWorkspace(["a.yosan": user, "b.yosan": Self.item("beta"), "deep/1/2/3/4/c.yosan": Self.item("gamma")])
    let client = try LSPTestClient()
    try client.initialize(capabilities: LSPTestClient.capabilities(pull: true))
    let uri = workspace.uri("a.yosan")
    client.open(uri, user)
    let log = try client.notification("window/logMessage") { $0["params"]?["message"]?.stringValue?.hasPrefix("no workspace folder") == true }
    let message = log["params"]?["message"]?.stringValue ?? ""
    #expect(message.contains("the folder of the opened file (at most 1,000 files, 32.0 MB, 3 levels below it)"), "\(message)")
    _ = try client.notification("window/logMessage") { $0["params"]?["message"]?.stringValue?.hasPrefix("indexed") == true }
    let report = try client.call("textDocument/diagnostic", .object([("textDocument", .object([("uri", .string(uri))]))]))
    let codes = report["items"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
    #expect(!codes.contains("unknown-reference"), "\(codes)")
    // The sibling is indexed; the file four levels down is past the depth limit.
    #expect(try symbolNames(client, "").sorted() == ["beta 事業", "user 使う"])
    #expect(try client.shutdownAndExit() == 0)
    // A limit stopped the run, so standard error says so too.
    #expect(client.stderr.contains("indexed 2 .yosan files"))
    #expect(client.stderr.contains("1 folder more than 3 levels below a workspace folder not entered"))
  }

  /// A workspace file saved as Shift_JIS gets one diagnostic naming the encoding, not one per
  /// garbled line.
  @Test func aShiftJISFileOnDiskIsOneDiagnostic() throws {
    let workspace = try TemporaryWorkspace(["a.yosan": Self.item("alpha")])
    let text = Self.item("sjis", "救急医療") + "事業 b \"二\" {\n  担当 医政局\n}\n"
    try Data(try CP932.encode(utf8: Array(text.utf8)).get()).write(to: workspace.url.appendingPathComponent("sjis.yosan"))
    let client = try LSPTestClient()
    try client.initialize(capabilities: LSPTestClient.capabilities(pull: true), workspace: workspace.url)
    let report = try client.call("workspace/diagnostic", .object([("previousResultIds", .array([]))]))
    let items = try #require(report["items"]?.arrayValue)
    let sjis = try #require(items.first { $0["uri"]?.stringValue?.hasSuffix("sjis.yosan") == true })
    let diagnostics = try #require(sjis["items"]?.arrayValue)
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?["message"]?.stringValue?.hasPrefix("the file is Shift_JIS (CP932), not UTF-8") == true)
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func symbolicLinksOutOfTheFolderAreNotFollowed() throws {
    let outside = try TemporaryWorkspace(["outside.yosan": Self.item("outside-item")])
    let workspace = try TemporaryWorkspace(["inside.yosan": Self.item("inside-item")])
    let manager = FileManager.default
    try manager.createSymbolicLink(at: workspace.url.appendingPathComponent("linked-folder"), withDestinationURL: outside.url)
    try manager.createSymbolicLink(
      at: workspace.url.appendingPathComponent("linked-file.yosan"), withDestinationURL: outside.url.appendingPathComponent("outside.yosan"))
    // A link to a file inside the folder is the same file: indexed once.
    try manager.createSymbolicLink(
      at: workspace.url.appendingPathComponent("again.yosan"), withDestinationURL: workspace.url.appendingPathComponent("inside.yosan"))
    // A link back to the folder itself does not loop.
    try manager.createSymbolicLink(at: workspace.url.appendingPathComponent("loop"), withDestinationURL: workspace.url)
    let client = try LSPTestClient()
    try client.initialize(workspace: workspace.url)
    #expect(try symbolNames(client, "") == ["inside-item 事業"])
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func watchedFilesUpdateTheIndexAndOpenDocumentsOverrideTheDisk() throws {
    let workspace = try TemporaryWorkspace(["a.yosan": Self.item("on-disk")])
    let client = try LSPTestClient()
    try client.initialize(workspace: workspace.url)
    #expect(try symbolNames(client, "disk") == ["on-disk 事業"])
    // A new file on disk.
    try workspace.write("new.yosan", Self.item("created"))
    client.notify(
      "workspace/didChangeWatchedFiles", .object([("changes", .array([.object([("uri", .string(workspace.uri("new.yosan"))), ("type", .int(1))])]))]))
    #expect(try symbolNames(client, "created") == ["created 事業"])
    // The open document replaces what is on disk, until it is closed.
    client.open(workspace.uri("a.yosan"), Self.item("in-editor"))
    #expect(try symbolNames(client, "disk").isEmpty)
    #expect(try symbolNames(client, "editor") == ["in-editor 事業"])
    // A change on disk to an open file is ignored while it is open.
    try workspace.write("a.yosan", Self.item("changed-on-disk"))
    client.notify(
      "workspace/didChangeWatchedFiles", .object([("changes", .array([.object([("uri", .string(workspace.uri("a.yosan"))), ("type", .int(2))])]))]))
    #expect(try symbolNames(client, "changed").isEmpty)
    client.notify("textDocument/didClose", LSP.document(workspace.uri("a.yosan")))
    #expect(try symbolNames(client, "changed") == ["changed-on-disk 事業"])
    // A deleted file leaves the index.
    try FileManager.default.removeItem(at: workspace.url.appendingPathComponent("new.yosan"))
    client.notify(
      "workspace/didChangeWatchedFiles", .object([("changes", .array([.object([("uri", .string(workspace.uri("new.yosan"))), ("type", .int(3))])]))]))
    #expect(try symbolNames(client, "created").isEmpty)
    // A file outside the workspace is never read, even when the client names it.
    let outside = try TemporaryWorkspace(["x.yosan": Self.item("stranger")])
    client.notify(
      "workspace/didChangeWatchedFiles", .object([("changes", .array([.object([("uri", .string(outside.uri("x.yosan"))), ("type", .int(1))])]))]))
    #expect(try symbolNames(client, "stranger").isEmpty)
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func cancelledRequestsAreAnsweredWithRequestCancelled() throws {
    let client = try LSPTestClient()
    try client.initialize()
    let uri = "file:///tmp/cancel.yosan"
    client.open(uri, Self.item("a"))
    _ = try client.diagnostics(for: uri)
    // The request and its cancellation arrive together: the request is answered with -32800.
    let (id, request) = client.requestMessage("textDocument/documentSymbol", LSP.document(uri))
    client.sendTogether([request, client.notificationMessage("$/cancelRequest", .object([("id", .int(id))]))])
    let answer = try client.response(id)
    #expect(answer["error"]?["code"] == .int(-32800))
    // Cancelling a request already answered, or one that never existed, changes nothing.
    client.notify("$/cancelRequest", .object([("id", .int(id))]))
    client.notify("$/cancelRequest", .object([("id", .string("no-such-request"))]))
    #expect(try client.call("textDocument/documentSymbol", LSP.document(uri)).arrayValue?.isEmpty == false)
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func resultsForASupersededVersionAreDropped() throws {
    let client = try LSPTestClient()
    try client.initialize()
    let uri = "file:///tmp/stale.yosan"
    client.open(uri, Self.item("a"))
    _ = try client.diagnostics(for: uri)
    // A hover for version 1 followed at once by a change: the hover would describe text that no
    // longer exists, so it is answered with ContentModified.
    let (id, hover) = client.requestMessage("textDocument/hover", LSP.at(uri, 6, 10))
    client.sendTogether([hover, client.changeMessage(uri, version: 2, range: LSP.range(6, 8, 6, 9), text: "2")])
    #expect(try client.response(id)["error"]?["code"] == .int(-32801))
    #expect(try client.diagnostics(for: uri)["params"]?["version"] == .int(2))
    // Once the change is applied, the same request is answered.
    let answer = try client.call("textDocument/hover", LSP.at(uri, 6, 10))
    #expect(answer["contents"]?["value"]?.stringValue?.contains("200,000,000円") == true)
    #expect(try client.shutdownAndExit() == 0)
  }
}
