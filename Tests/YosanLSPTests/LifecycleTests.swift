import Foundation
import Testing
import YosanJSON
import YosanTestSupport

/// The built `yosan lsp` as a child process: initialization, capabilities, every error code of
/// the protocol, and the exit status.
@Suite(.serialized)
struct LifecycleTests {
  @Test func wholeLifecycleEndsWithStatusZero() throws {
    let client = try LSPTestClient()
    let result = try client.initialize()
    let capabilities = result["capabilities"]
    #expect(result["serverInfo"]?["name"] == .string("yosan"))
    #expect(capabilities?["positionEncoding"] == .string("utf-16"))
    #expect(capabilities?["textDocumentSync"]?["change"] == .int(2))
    #expect(capabilities?["textDocumentSync"]?["openClose"] == .bool(true))
    for provider in [
      "hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider", "workspaceSymbolProvider", "foldingRangeProvider",
      "documentFormattingProvider", "documentRangeFormattingProvider", "inlayHintProvider",
    ] {
      #expect(capabilities?[provider] == .bool(true), "\(provider)")
    }
    #expect(capabilities?["renameProvider"]?["prepareProvider"] == .bool(true))
    #expect(capabilities?["completionProvider"]?["triggerCharacters"]?.arrayValue?.contains(.string("(")) == true)
    #expect(capabilities?["semanticTokensProvider"]?["full"]?["delta"] == .bool(true))
    #expect(capabilities?["semanticTokensProvider"]?["range"] == .bool(true))
    #expect(capabilities?["codeActionProvider"]?["codeActionKinds"] == .array([.string("quickfix"), .string("source.fixAll.yosan")]))
    // A client that cannot pull gets pushed diagnostics: no diagnosticProvider.
    #expect(capabilities?["diagnosticProvider"] == nil)
    #expect(try client.shutdownAndExit() == 0)
    // Nothing but protocol on standard output: every byte was a framed message (the reader would
    // have skipped anything else); logs are on standard error.
    #expect(!client.stderr.contains("Content-Length"))
  }

  @Test func positionEncodingIsNegotiated() throws {
    for (offered, expected) in [(["utf-16"], "utf-16"), (["utf-16", "utf-8"], "utf-8"), (["utf-32", "utf-16"], "utf-32"), ([], "utf-16")] {
      let client = try LSPTestClient()
      let result = try client.initialize(capabilities: LSPTestClient.capabilities(encodings: offered))
      #expect(result["capabilities"]?["positionEncoding"] == .string(expected), "offered \(offered)")
      #expect(try client.shutdownAndExit() == 0)
    }
  }

  /// Vim's ALE counts columns in bytes and offers no encoding: it asks for UTF-8 in its
  /// initialization options, and positions are then bytes (`億` after `"救急🚑車" = 1` is byte 23,
  /// UTF-16 unit 15).
  @Test func initializationOptionsCanAskForAnEncoding() throws {
    let client = try LSPTestClient()
    let result = try client.call(
      "initialize",
      .object([
        ("processId", .null), ("rootUri", .null), ("capabilities", LSPTestClient.capabilities(encodings: [])),
        ("initializationOptions", .object([("positionEncoding", .string("utf-8"))])),
      ]))
    #expect(result["capabilities"]?["positionEncoding"] == .string("utf-8"))
    client.notify("initialized", .object([]))
    let uri = "file:///tmp/ale.yosan"
    client.open(uri, "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  内訳 {\n    \"救急🚑車\" = 1億ドル\n  }\n}\n")
    let diagnostics = try client.diagnostics(for: uri)["params"]?["diagnostics"]?.arrayValue ?? []
    let unit = diagnostics.first { $0["code"] == .string("unknown-unit") }
    #expect(LSP.bounds(unit?["range"]).prefix(2) == [4, 23])
    #expect(try client.shutdownAndExit() == 0)

    let wrong = try LSPTestClient()
    let error = try wrong.callExpectingError(
      "initialize",
      .object([
        ("processId", .null), ("rootUri", .null), ("capabilities", LSPTestClient.capabilities()),
        ("initializationOptions", .object([("positionEncoding", .string("utf-7"))])),
      ]))
    #expect(error.code == -32602)
    #expect(error.message.contains("`utf-7` is not one of utf-8, utf-16, utf-32"))
  }

  @Test func pullingClientsGetADiagnosticProvider() throws {
    let client = try LSPTestClient()
    let result = try client.initialize(capabilities: LSPTestClient.capabilities(pull: true))
    let provider = result["capabilities"]?["diagnosticProvider"]
    #expect(provider?["interFileDependencies"] == .bool(true))
    #expect(provider?["workspaceDiagnostics"] == .bool(true))
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func commandLine() throws {
    let help = try YosanBinary.run(["help", "lsp"])
    #expect(help.status == 0)
    #expect(help.stdout.hasPrefix("Usage: yosan lsp [--stdio]"))
    let wrong = try YosanBinary.run(["lsp", "--port", "80"])
    #expect(wrong.status == 2)
    #expect(wrong.stderr == "yosan lsp: unknown option `--port`; the server takes no options other than --stdio\n")
    // `--stdio` is accepted; with no input at all the server ends with status 1.
    #expect(try YosanBinary.run(["lsp", "--stdio"], input: Data()).status == 1)
  }

  @Test func exitWithoutShutdownIsStatusOne() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.notify("exit", .null)
    #expect(try client.waitForExit() == 1)
  }

  @Test func endOfInputWithoutShutdownIsStatusOne() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.closeInput()
    #expect(try client.waitForExit() == 1)
    #expect(client.stderr.contains("the input ended without `shutdown` and `exit`"))
  }

  @Test func requestsBeforeInitializeAreRefused() throws {
    let client = try LSPTestClient()
    let error = try client.callExpectingError("textDocument/hover", LSP.at("file:///x.yosan", 0, 0))
    #expect(error.code == -32002)
    // Notifications before initialize are dropped, and the server still initializes.
    client.open("file:///x.yosan", "予算 {")
    try client.initialize()
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func everyErrorCode() throws {
    let client = try LSPTestClient()
    try client.initialize()
    // Parse error: invalid JSON, answered with a null id.
    client.sendRaw(Array("Content-Length: 9\r\n\r\n{\"jsonrpc".utf8))
    let parse = try client.take("a parse error") { $0["error"]?["code"] == .int(-32700) }
    #expect(parse["id"] == .null)
    // Invalid request: a batch, a wrong jsonrpc version (keeping the id), an id of the wrong type.
    client.sendRaw(Array(#"[{"jsonrpc":"2.0","id":90,"method":"shutdown"}]"#.utf8).framed)
    #expect(try client.take("a batch error") { $0["error"]?["code"] == .int(-32600) }["error"]?["message"]?.stringValue?.contains("batches") == true)
    client.sendRaw(Array(#"{"jsonrpc":"1.0","id":91,"method":"shutdown"}"#.utf8).framed)
    #expect(try client.response(91)["error"]?["code"] == .int(-32600))
    client.sendRaw(Array(#"{"jsonrpc":"2.0","id":{"a":1},"method":"shutdown"}"#.utf8).framed)
    #expect(try client.take("an invalid id error") { $0["error"]?["message"]?.stringValue?.contains("not an object") == true }["id"] == .null)
    // Method not found, for an unknown request and for a `$/` request.
    #expect(try client.callExpectingError("textDocument/unknownThing", .object([])).code == -32601)
    #expect(try client.callExpectingError("$/unknownRequest", .object([])).code == -32601)
    // Invalid params: a missing member and one of the wrong type, named in the message.
    client.open("file:///x.yosan", "予算 {\n}\n")
    let missing = try client.callExpectingError("textDocument/hover", .object([("textDocument", .object([]))]))
    #expect(missing.code == -32602)
    #expect(missing.message == "`params.textDocument.uri` is missing; it must be a string")
    let wrongType = try client.callExpectingError("textDocument/hover", LSP.at("file:///x.yosan", 0, 0).replacing("position", with: .string("0:0")))
    #expect(wrongType.code == -32602)
    #expect(wrongType.message == "`params.position` must be an object, not a string")
    // A document that is neither open nor in the workspace.
    #expect(try client.callExpectingError("textDocument/hover", LSP.at("file:///elsewhere.yosan", 0, 0)).code == -32803)
    // Unknown notifications and `$/` notifications are ignored; the server still answers.
    client.notify("custom/whatever", .object([]))
    client.notify("$/setTrace", .object([("value", .string("verbose"))]))
    client.notify("$/cancelRequest", .object([("id", .int(12_345))]))
    #expect(try client.callExpectingError("initialize", .object([("capabilities", .object([]))])).code == -32600)
    // After shutdown, requests are invalid; exit then ends with 0.
    _ = try client.call("shutdown", .null)
    #expect(try client.callExpectingError("textDocument/hover", LSP.at("file:///x.yosan", 0, 0)).code == -32600)
    client.notify("exit", .null)
    #expect(try client.waitForExit() == 0)
  }

  @Test func idsOfEveryTypeAreAnsweredOrRefused() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.sendRaw(Array(#"{"jsonrpc":"2.0","id":"text-id","method":"workspace/symbol","params":{"query":""}}"#.utf8).framed)
    #expect(try client.take("string id") { $0["id"] == .string("text-id") }["result"] == .array([]))
    client.sendRaw(Array(#"{"jsonrpc":"2.0","id":123456789012,"method":"workspace/symbol","params":{"query":""}}"#.utf8).framed)
    #expect(try client.take("big id") { $0["id"] == .number("123456789012") }["result"] != nil)
    for id in ["null", "true", "[1]", #"{"x":1}"#] {
      client.sendRaw(Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"workspace/symbol","params":{"query":""}}"#.utf8).framed)
      let answer = try client.take("error for id \(id)") { $0["error"] != nil }
      #expect(answer["error"]?["code"] == .int(-32600))
      #expect(answer["id"] == .null)
    }
    #expect(try client.shutdownAndExit() == 0)
  }
}

extension Array where Element == UInt8 {
  /// The bytes with a `Content-Length` header in front.
  var framed: [UInt8] { Array("Content-Length: \(count)\r\n\r\n".utf8) + self }
}

extension JSON {
  /// A copy of an object with one member replaced.
  func replacing(_ key: String, with value: JSON) -> JSON {
    guard case .object(let members) = self else { return self }
    return .object(members.map { $0.0 == key ? (key, value) : $0 })
  }
}

/// Limits: a message larger than the server accepts is refused with a clear error, read in chunks
/// (memory stays bounded), and the server goes on answering.
@Suite(.serialized)
struct LimitsTests {
  /// The peak resident memory of a process, in kilobytes.
  static func peakMemory(_ pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
    return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1]) }
  }

  @Test func aFiftyMegabyteMessageIsRefusedWithBoundedMemory() throws {
    let client = try LSPTestClient(timeout: 60)
    try client.initialize()
    let text = String(repeating: "# 予算のコメント\n", count: 2_200_000)
    let body = Array(#"{"jsonrpc":"2.0","id":77,"method":"textDocument/hover","params":{"text":""#.utf8) + Array(text.utf8) + Array(#""}}"#.utf8)
    #expect(body.count > 50_000_000)
    client.sendRaw(body.framed)
    let refusal = try client.response(77)
    #expect(refusal["error"]?["code"] == .int(-32600))
    #expect(refusal["error"]?["message"]?.stringValue?.hasPrefix("the `textDocument/hover` message of \(body.count) bytes is larger than the limit of 32 MiB") == true)
    // The client's log says so too, and the server still answers.
    _ = try client.notification("window/logMessage") { $0["params"]?["type"] == .int(1) }
    #expect(try client.call("workspace/symbol", .object([("query", .string(""))])) == .array([]))
    if let peak = Self.peakMemory(client.process.processIdentifier) { #expect(peak < 40_000, "peak resident memory \(peak) kB") }
    #expect(try client.shutdownAndExit() == 0)
  }
}

/// Broken framing through the real process: after each, a valid request is still answered.
@Suite(.serialized)
struct HostileFramingTests {
  @Test func badHeadersAreReportedAndTheServerGoesOn() throws {
    let client = try LSPTestClient()
    try client.initialize()
    let hostile: [(String, [UInt8])] = [
      ("missing length", Array("Content-Type: application/vscode-jsonrpc\r\n\r\n{\"jsonrpc\":\"2.0\"}".utf8)),
      ("negative length", Array("Content-Length: -5\r\n\r\n{}".utf8)),
      ("non-numeric length", Array("Content-Length: twelve\r\n\r\n{}".utf8)),
      ("implausible length", Array("Content-Length: 99999999999999999999\r\n\r\n{}".utf8)),
      ("conflicting lengths", Array("Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}".utf8)),
      ("no header at all", Array("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"shutdown\"}".utf8)),
      ("invalid JSON", Array("{\"jsonrpc\":".utf8).framed),
      ("a JSON string", Array("\"hello\"".utf8).framed),
    ]
    for (index, (name, bytes)) in hostile.enumerated() {
      client.sendRaw(bytes)
      let id = client.request("workspace/symbol", .object([("query", .string(""))]))
      let answer = try client.response(id)
      #expect(answer["result"] == .array([]), "after \(name)")
      let errors = client.peek { $0["error"] != nil && $0["id"] == .null }
      #expect(errors.count == index + 1, "one error answer for \(name)")
    }
    #expect(client.stderr.contains("invalid message header"))
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func aBodyCutShortByTheEndOfInputEndsTheServer() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.sendRaw(Array("Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\"".utf8))
    client.closeInput()
    #expect(try client.waitForExit() == 1)
    #expect(client.stderr.contains("input ended 16 bytes into a message of 100 bytes"))
  }
}
