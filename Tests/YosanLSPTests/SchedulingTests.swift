import Testing
import YosanGenerator
import YosanJSON

@testable import YosanLSP

/// Diagnostics first (issue 11 §3): the server in process, fed a batch of messages as a client
/// sends them together, and what it sends back, in order.
struct SchedulingTests {
  static let uri = "file:///tmp/scheduling.yosan"
  static let text = BudgetGenerator.generate(.init(items: 40, seed: 9, defects: 2))[0].text

  /// Runs the server on `messages` (after initialize) and returns what it sent, in order.
  static func run(_ messages: [IncomingMessage], pull: Bool = false) -> (sent: [JSON], server: LanguageServer) {
    let queue = MessageQueue()
    var sent: [JSON] = []
    let server = LanguageServer(queue: queue, version: "test", readsWorkspace: false, freesInBackground: false) { sent.append($0) }
    var items: [MessageQueue.Item] = [
      .message(.request(id: .number("0"), method: "initialize", params: .object([("capabilities", LSPTestClient.capabilities(pull: pull))]))),
      .message(.notification(method: "initialized", params: .object([]))),
    ]
    items += messages.map { .message($0) }
    items.append(.endOfInput(unfinished: nil))
    queue.push(items)
    Log.isEnabled = false
    defer { Log.isEnabled = true }
    _ = server.run()
    return (sent, server)
  }

  static func open(version: Int = 1) -> IncomingMessage {
    .notification(method: "textDocument/didOpen", params: .object([
      ("textDocument", .object([("uri", .string(uri)), ("languageId", .string("yosan")), ("version", .int(version)), ("text", .string(text))]))
    ]))
  }

  /// Types `character` at the start of line `line`.
  static func change(version: Int, line: Int, _ character: String) -> IncomingMessage {
    .notification(method: "textDocument/didChange", params: .object([
      ("textDocument", .object([("uri", .string(uri)), ("version", .int(version))])),
      ("contentChanges", .array([.object([("range", LSP.range(line, 0, line, 0)), ("text", .string(character))])])),
    ]))
  }

  static func request(_ id: Int, _ method: String, _ extra: [(String, JSON)] = []) -> IncomingMessage {
    .request(id: .number(String(id)), method: method, params: .object([("textDocument", .object([("uri", .string(uri))]))] + extra))
  }

  static let wholeDocument: [(String, JSON)] = [("range", LSP.range(0, 0, 10_000, 0))]

  /// The ids of the answers, in the order sent, with their error codes.
  static func answers(_ sent: [JSON]) -> [(id: String, error: Int?)] {
    sent.compactMap { message in
      guard message["method"] == nil, let id = message["id"].flatMap(RequestID.init) else { return nil }
      return (id.description, message["error"]?["code"]?.intValue)
    }
  }

  @Test("a pulled diagnostics request is answered before the whole-document requests sent before it")
  func pulledDiagnosticsFirst() {
    let (sent, _) = Self.run(
      [
        Self.open(), Self.change(version: 2, line: 20, "\""), Self.request(1, "textDocument/semanticTokens/full"),
        Self.request(2, "textDocument/inlayHint", Self.wholeDocument), Self.request(3, "textDocument/documentSymbol"),
        Self.request(4, "textDocument/diagnostic"),
      ], pull: true)
    let order = Self.answers(sent).map(\.id).filter { $0 != "0" }
    #expect(order == ["4", "1", "2", "3"])
    #expect(Self.answers(sent).allSatisfy { $0.error == nil })
  }

  @Test("pushed diagnostics of a change go out before the requests queued behind it")
  func pushedDiagnosticsFirst() throws {
    let (sent, _) = Self.run([
      Self.open(), Self.change(version: 2, line: 20, "{"), Self.request(1, "textDocument/semanticTokens/full"),
      Self.request(2, "textDocument/inlayHint", Self.wholeDocument),
    ])
    let published = try #require(sent.firstIndex { $0["method"]?.stringValue == "textDocument/publishDiagnostics" })
    #expect(sent[published]["params"]?["version"]?.intValue == 2)
    let firstAnswer = try #require(sent.firstIndex { $0["method"] == nil && $0["id"]?.intValue == 1 })
    #expect(published < firstAnswer)
  }

  @Test("a request for a version a change already replaced is answered ContentModified, not computed")
  func staleRequestsCancelled() {
    let (sent, _) = Self.run([
      Self.open(), Self.request(1, "textDocument/inlayHint", Self.wholeDocument), Self.request(2, "textDocument/semanticTokens/full"),
      Self.change(version: 2, line: 20, "x"), Self.request(3, "textDocument/hover", [("position", LSP.position(20, 1))]),
    ])
    let answers = Self.answers(sent).filter { $0.id != "0" }
    #expect(answers.map { $0.id } == ["1", "2", "3"])
    #expect(answers.map { $0.error } == [ResponseError.contentModifiedCode, ResponseError.contentModifiedCode, nil])
  }

  @Test("a burst of 20 changes is one update of the session and one publication, of the last version")
  func burstCoalesced() {
    var messages = [Self.open()]
    for version in 2...21 { messages.append(Self.change(version: version, line: 20 + version % 3, version % 2 == 0 ? "\"" : "x")) }
    // A request after the burst: the diagnostics go out before it is answered.
    messages.append(Self.request(1, "textDocument/foldingRange"))
    let (sent, server) = Self.run(messages)
    let published = sent.filter { $0["method"]?.stringValue == "textDocument/publishDiagnostics" }
    #expect(published.map { $0["params"]?["version"]?.intValue } == [21])
    // Opened, then given the text once: the twenty changes were one re-parse.
    #expect(server.fileGenerations[DocumentURI.sessionPath(Self.uri)] == 2)
    // And the result is that of the text as changed.
    var lines = Self.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for version in 2...21 { lines[20 + version % 3] = (version % 2 == 0 ? "\"" : "x") + lines[20 + version % 3] }
    #expect(server.documents[Self.uri]?.bytes == Array(lines.joined(separator: "\n").utf8))
  }

  @Test("hover and completion right after an edit that moved them answer what a server opened on the edited text answers")
  func featuresRightAfterAnEdit() throws {
    let lines = Self.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let amountLine = try #require(lines.indices.last { lines[$0].contains("要求額 = ") && !lines[$0].contains("内数") })
    let keyLine = try #require(lines.indices.last { lines[$0].hasPrefix("    担当 = ") })
    let at: [(String, JSON)] = [("position", LSP.position(amountLine, lines[amountLine].utf16.count - 2))]
    let key: [(String, JSON)] = [("position", LSP.position(keyLine, 4))]
    let (edited, _) = Self.run([
      Self.open(), Self.change(version: 2, line: 10, "\""), Self.request(1, "textDocument/hover", at), Self.request(2, "textDocument/completion", key),
    ])
    var changed = lines
    changed[10] = "\"" + changed[10]
    let reopened = MessageQueue()
    var fresh: [JSON] = []
    let server = LanguageServer(queue: reopened, version: "test", readsWorkspace: false, freesInBackground: false) { fresh.append($0) }
    reopened.push([
      .message(.request(id: .number("0"), method: "initialize", params: .object([("capabilities", LSPTestClient.capabilities())]))),
      .message(.notification(method: "initialized", params: .object([]))),
      .message(.notification(method: "textDocument/didOpen", params: .object([
        ("textDocument", .object([("uri", .string(Self.uri)), ("languageId", .string("yosan")), ("version", .int(2)), ("text", .string(changed.joined(separator: "\n")))]))
      ]))),
      .message(Self.request(1, "textDocument/hover", at)), .message(Self.request(2, "textDocument/completion", key)), .endOfInput(unfinished: nil),
    ])
    Log.isEnabled = false
    defer { Log.isEnabled = true }
    _ = server.run()
    for id in [1, 2] {
      let a = try #require(edited.first { $0["method"] == nil && $0["id"]?.intValue == id })
      let b = try #require(fresh.first { $0["method"] == nil && $0["id"]?.intValue == id })
      #expect(a["result"] != nil && a["result"] != .null)
      #expect(a.serializedBytes() == b.serializedBytes(), "request \(id)")
    }
  }
}
