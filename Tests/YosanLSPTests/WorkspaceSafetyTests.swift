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
}
