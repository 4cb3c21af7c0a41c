import Foundation
import Testing
import YosanJSON
import YosanLSP

#if canImport(Glibc)
  import Glibc
#endif

/// The server and the file system (issue 16 §6, §7): special files never block it, a huge
/// workspace is indexed in the background within limits while requests are answered, and what
/// the client opened and closed outside the budget files does not stay in the index.
@Suite(.serialized)
struct WorkspaceSafetyTests {
  static func item(_ id: String) -> String { WorkspaceTests.item(id) }

  func symbolNames(_ client: LSPTestClient, _ query: String = "") throws -> [String] {
    try client.call("workspace/symbol", .object([("query", .string(query))])).arrayValue?.compactMap { $0["name"]?.stringValue }.sorted() ?? []
  }

  @Test func aFIFOInTheWorkspaceDoesNotBlockTheServer() throws {
    let workspace = try TemporaryWorkspace(["a.yosan": Self.item("alpha")])
    // A FIFO where the configuration file would be, and one among the budget files.
    #expect(mkfifo(workspace.url.appendingPathComponent("yosan.config.yosan").path, 0o644) == 0)
    #expect(mkfifo(workspace.url.appendingPathComponent("pipe.yosan").path, 0o644) == 0)
    let client = try LSPTestClient(timeout: 30)
    try client.initialize(workspace: workspace.url)
    #expect(try symbolNames(client) == ["alpha 事業"])
    // A watched FIFO that the client says was created.
    #expect(mkfifo(workspace.url.appendingPathComponent("fifo.yosan").path, 0o644) == 0)
    client.notify(
      "workspace/didChangeWatchedFiles", .object([("changes", .array([.object([("uri", .string(workspace.uri("fifo.yosan"))), ("type", .int(1))])]))]))
    #expect(try symbolNames(client) == ["alpha 事業"])
    // Opened and closed by the client: the disk does not take over with a FIFO.
    client.open(workspace.uri("pipe.yosan"), Self.item("in-editor"))
    #expect(try symbolNames(client) == ["alpha 事業", "in-editor 事業"])
    client.notify("textDocument/didClose", LSP.document(workspace.uri("pipe.yosan")))
    #expect(try symbolNames(client) == ["alpha 事業"])
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func aFileThatIsNotYosanLeavesTheIndexWhenClosed() throws {
    let workspace = try TemporaryWorkspace(["a.yosan": Self.item("alpha"), "notes.txt": Self.item("from-a-text-file")])
    let client = try LSPTestClient()
    try client.initialize(workspace: workspace.url)
    client.open(workspace.uri("notes.txt"), Self.item("from-a-text-file"))
    #expect(try symbolNames(client) == ["alpha 事業", "from-a-text-file 事業"])
    client.notify("textDocument/didClose", LSP.document(workspace.uri("notes.txt")))
    #expect(try symbolNames(client) == ["alpha 事業"])
    #expect(try client.shutdownAndExit() == 0)
  }

  // MARK: - Indexing in the background, within limits

  static func many(_ count: Int, under folder: String = "") -> [String: String] {
    var files: [String: String] = [:]
    for index in 0..<count { files["\(folder)f\(index).yosan"] = item("item\(index)") }
    return files
  }

  /// `initialize` from a client that takes progress reports, with the workspace as its folder;
  /// `initialized` is left to the test.
  func initializeWithProgress(_ client: LSPTestClient, _ workspace: TemporaryWorkspace) throws {
    let (_, initialize) = client.requestMessage(
      "initialize",
      .object([
        ("processId", .null), ("capabilities", LSPTestClient.capabilities(progress: true)),
        ("workspaceFolders", .array([.object([("uri", .string(workspace.url.absoluteURL.absoluteString)), ("name", .string("w"))])])),
      ]))
    client.send(initialize)
    _ = try client.take("the answer to initialize") { $0["id"] == .int(1) }
  }

  @Test func requestsAreAnsweredWhileTheWorkspaceIsIndexed() throws {
    let workspace = try TemporaryWorkspace(Self.many(300))
    let client = try LSPTestClient()
    try initializeWithProgress(client, workspace)
    // `initialized` and a request in one write: the server sees them together.
    let (id, symbols) = client.requestMessage("workspace/symbol", .object([("query", .string(""))]))
    client.sendTogether([client.notificationMessage("initialized", .object([])), symbols])
    _ = try client.response(id)
    let summary = try client.notification("window/logMessage") { $0["params"]?["message"]?.stringValue?.hasPrefix("indexed") == true }
    #expect(summary["params"]?["message"]?.stringValue?.hasPrefix("indexed 300 .yosan files (") == true)
    // The answer came before indexing ended: it did not wait for the whole workspace.
    let order = client.received.compactMap { message -> String? in
      if message["id"] == .int(id), message["method"] == nil { return "answer" }
      if message["params"]?["message"]?.stringValue?.hasPrefix("indexed") == true { return "indexed" }
      return nil
    }
    #expect(order == ["answer", "indexed"])
    #expect(try symbolNames(client).count == 300)
    #expect(try client.shutdownAndExit() == 0)
  }

  /// A large file of the workspace is parsed, lowered and checked on another thread: a request
  /// sent once it was read (the progress says every file was read) is answered before its analysis
  /// is done, and the analysis then counts (its ids are in the workspace's symbols).
  @Test func aLargeIndexedFileIsAnalysedWhileRequestsAreAnswered() throws {
    let items = 20_000
    var large = "予算 {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"
    for index in 0..<items { large += "事業 big\(index) \"大きな事業\" {\n  要求額 = 1億円\n}\n" }
    let workspace = try TemporaryWorkspace(["large.yosan": large])
    let client = try LSPTestClient(timeout: 120)
    try initializeWithProgress(client, workspace)
    client.notify("initialized", .object([]))
    // The client acknowledges the progress token; the report that every file was read comes while
    // the file is being prepared (before, the run ended in the step that read it).
    let create = try client.take("window/workDoneProgress/create") { $0["method"] == .string("window/workDoneProgress/create") }
    client.send(.object([("jsonrpc", .string("2.0")), ("id", create["id"]!), ("result", .null)]))
    _ = try client.notification("$/progress") { $0["params"]?["value"]?["message"] == .string("1/1 files") }
    let uri = workspace.uri("open.yosan")
    client.open(uri, Self.item("small"))
    // On the amount of the opened item (`要求額 = 1億円`).
    let (id, hover) = client.requestMessage("textDocument/hover", LSP.at(uri, 6, 10))
    client.send(hover)
    let answer = try client.response(id)
    #expect(answer["result"]?["contents"]?["value"]?.stringValue?.contains("100,000,000") == true)
    _ = try client.notification("window/logMessage") { $0["params"]?["message"]?.stringValue?.hasPrefix("indexed 1 .yosan file") == true }
    let order = client.received.compactMap { message -> String? in
      if message["id"] == .int(id), message["method"] == nil { return "answer" }
      if message["params"]?["message"]?.stringValue?.hasPrefix("indexed") == true { return "indexed" }
      return nil
    }
    #expect(order == ["answer", "indexed"])
    #expect(try symbolNames(client, "big19999").contains("big19999 大きな事業"))
    #expect(try client.shutdownAndExit() == 0)
  }

  func indexedWithLimits(_ files: [String: String], _ limits: [(String, JSON)]) throws -> (names: [String], log: String, end: String, client: LSPTestClient) {
    let workspace = try TemporaryWorkspace(files)
    let client = try LSPTestClient()
    try client.initialize(
      capabilities: LSPTestClient.capabilities(progress: true), workspace: workspace.url, options: .object([("indexing", .object(limits))]))
    let log = client.received.compactMap { $0["params"]?["message"]?.stringValue }.first { $0.hasPrefix("indexed") } ?? ""
    let end = try client.notification("$/progress") { $0["params"]?["value"]?["kind"] == .string("end") }
    return (try symbolNames(client), log, end["params"]?["value"]?["message"]?.stringValue ?? "", client)
  }

  @Test func aLimitOnTheNumberOfFiles() throws {
    let (names, log, end, client) = try indexedWithLimits(Self.many(12), [("maxFiles", .int(5))])
    #expect(names.count == 5)
    #expect(log.contains("; indexing stopped early: more than 5 .yosan files were found (the limit); the other files are not indexed"), "\(log)")
    #expect(end == log)
    #expect(client.stderr.contains("indexing stopped early"))
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func aLimitOnTheTotalSize() throws {
    let size = Self.item("item0").utf8.count
    let (names, log, _, client) = try indexedWithLimits(Self.many(10), [("maxBytes", .int(3 * size + 5))])
    #expect(names.count == 3, "\(names)")
    #expect(log.contains("indexing stopped early: the files found add up to more than \(3 * size + 5) bytes (the limit)"), "\(log)")
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func aLimitOnTheDepth() throws {
    var files = Self.many(2)
    files["a/b/c/deep.yosan"] = Self.item("deep")
    files["a/b/shallow.yosan"] = Self.item("shallow")
    let (names, log, _, client) = try indexedWithLimits(files, [("maxDepth", .int(2))])
    #expect(names == ["item0 事業", "item1 事業", "shallow 事業"])
    #expect(log.contains("; 1 folder more than 2 levels below a workspace folder not entered"), "\(log)")
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func aLimitOnTheTime() throws {
    let (names, log, _, client) = try indexedWithLimits(Self.many(200), [("maxSeconds", .number("0.000001"))])
    #expect(names.count < 200)
    #expect(log.contains("indexing stopped early: the time limit of 1e-06 s was reached"), "\(log)")
    #expect(try client.shutdownAndExit() == 0)
  }
}
