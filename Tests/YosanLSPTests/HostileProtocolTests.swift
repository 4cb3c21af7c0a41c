import Foundation
import Testing
import YosanJSON

/// Hostile protocol input against the spawned `yosan lsp` (issue 6 §3). Each case sends something
/// a broken or malicious client could send; the expectation says what the server must answer (if
/// anything); and after every case the server must still answer a valid request correctly.
struct HostileCase: Sendable, CustomTestStringConvertible {
  enum Expect: Sendable {
    /// No answer at all (ignored notifications, headers skipped without an id).
    case nothing
    /// An error answer with this code, for the id given (nil: `"id": null`).
    case error(Int, id: JSON?)
    /// A result (any) for the id given.
    case result(id: JSON)
  }
  var name: String
  var bytes: [UInt8]
  var expect: Expect
  var testDescription: String { name }

  static func raw(_ text: String) -> [UInt8] { Array(text.utf8) }
  static func framed(_ text: String) -> [UInt8] { Array(text.utf8).framed }
  static func message(_ json: String) -> [UInt8] { framed(json) }

  static let uri = "file:///hostile/a.yosan"
  static let unopened = "file:///hostile/never-opened.yosan"

  static let all: [HostileCase] = [
    // Framing.
    .init(name: "missing Content-Length", bytes: raw("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"), expect: .error(-32700, id: nil)),
    .init(name: "duplicated Content-Length that disagree", bytes: raw("Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"), expect: .error(-32700, id: nil)),
    .init(name: "negative Content-Length", bytes: raw("Content-Length: -5\r\n\r\n{}"), expect: .error(-32700, id: nil)),
    .init(name: "non-numeric Content-Length", bytes: raw("Content-Length: twelve\r\n\r\n{}"), expect: .error(-32700, id: nil)),
    .init(name: "enormous Content-Length", bytes: raw("Content-Length: 99999999999999999999\r\n\r\n{}"), expect: .error(-32700, id: nil)),
    .init(name: "no header at all", bytes: raw("{\"jsonrpc\":\"2.0\",\"id\":\"h\",\"method\":\"shutdown\"}"), expect: .error(-32700, id: nil)),
    .init(
      name: "header names in any case, other headers ignored",
      bytes: raw("cOnTeNt-LeNgTh: 57\r\nX-Anything: 1\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":\"case\",\"method\":\"workspace/symbol\"}"),
      expect: .error(-32602, id: .string("case"))),
    // Bodies.
    .init(name: "invalid JSON", bytes: framed("{\"jsonrpc\":"), expect: .error(-32700, id: nil)),
    .init(name: "invalid UTF-8 in the body", bytes: [0xFF, 0xFE, 0x7B, 0x7D].framed, expect: .error(-32700, id: nil)),
    .init(name: "JSON nested 100,000 deep", bytes: framed(String(repeating: "[", count: 100_000)), expect: .error(-32700, id: nil)),
    .init(name: "a JSON array (batch)", bytes: message(#"[{"jsonrpc":"2.0","id":"b","method":"shutdown"}]"#), expect: .error(-32600, id: nil)),
    .init(name: "a JSON string", bytes: message("\"hello\""), expect: .error(-32600, id: nil)),
    .init(name: "an empty object", bytes: message("{}"), expect: .error(-32600, id: nil)),
    .init(name: "jsonrpc other than 2.0", bytes: message(#"{"jsonrpc":"1.0","id":"v","method":"workspace/symbol","params":{"query":""}}"#), expect: .error(-32600, id: .string("v"))),
    .init(name: "jsonrpc missing", bytes: message(#"{"id":"m","method":"workspace/symbol","params":{"query":""}}"#), expect: .error(-32600, id: .string("m"))),
    // Ids of every JSON type.
    .init(name: "id as a string", bytes: message(#"{"jsonrpc":"2.0","id":"s","method":"workspace/symbol","params":{"query":""}}"#), expect: .result(id: .string("s"))),
    .init(name: "id as a negative integer", bytes: message(#"{"jsonrpc":"2.0","id":-7,"method":"workspace/symbol","params":{"query":""}}"#), expect: .result(id: .number("-7"))),
    // JSON-RPC: numbers "SHOULD NOT" have fractions; the server answers with the id it got.
    .init(name: "id as a fraction", bytes: message(#"{"jsonrpc":"2.0","id":1.5,"method":"workspace/symbol","params":{"query":""}}"#), expect: .result(id: .number("1.5"))),
    .init(name: "id null", bytes: message(#"{"jsonrpc":"2.0","id":null,"method":"workspace/symbol","params":{"query":""}}"#), expect: .error(-32600, id: nil)),
    .init(name: "id as a boolean", bytes: message(#"{"jsonrpc":"2.0","id":true,"method":"workspace/symbol","params":{"query":""}}"#), expect: .error(-32600, id: nil)),
    .init(name: "id as an object", bytes: message(#"{"jsonrpc":"2.0","id":{"a":1},"method":"workspace/symbol","params":{"query":""}}"#), expect: .error(-32600, id: nil)),
    .init(name: "id as an array", bytes: message(#"{"jsonrpc":"2.0","id":[1],"method":"workspace/symbol","params":{"query":""}}"#), expect: .error(-32600, id: nil)),
    .init(name: "method as a number", bytes: message(#"{"jsonrpc":"2.0","id":"n","method":42}"#), expect: .error(-32600, id: .string("n"))),
    // Params of the wrong types.
    .init(name: "params as a string", bytes: message(#"{"jsonrpc":"2.0","id":"p1","method":"textDocument/hover","params":"x"}"#), expect: .error(-32602, id: .string("p1"))),
    .init(name: "params missing", bytes: message(#"{"jsonrpc":"2.0","id":"p2","method":"textDocument/hover"}"#), expect: .error(-32602, id: .string("p2"))),
    .init(
      name: "a line that is a string",
      bytes: message(#"{"jsonrpc":"2.0","id":"p3","method":"textDocument/hover","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":"0","character":0}}}"#),
      expect: .error(-32602, id: .string("p3"))),
    .init(
      name: "a line that is a string, on a document never opened",
      bytes: message(#"{"jsonrpc":"2.0","id":"p3b","method":"textDocument/hover","params":{"textDocument":{"uri":"file:///nowhere/x.yosan"},"position":{"line":"0","character":0}}}"#),
      expect: .error(-32602, id: .string("p3b"))),
    .init(
      name: "a range with a missing character, on a document never opened",
      bytes: message(#"{"jsonrpc":"2.0","id":"p3c","method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///nowhere/x.yosan"},"range":{"start":{"line":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}}"#),
      expect: .error(-32602, id: .string("p3c"))),
    // LSP 3.17: a position's line and character are `uinteger` (0 to 2^31 − 1); a range's start
    // comes before its end.
    .init(
      name: "a negative position",
      bytes: message(#"{"jsonrpc":"2.0","id":"p4","method":"textDocument/hover","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":-1,"character":-9}}}"#),
      expect: .error(-32602, id: .string("p4"))),
    .init(
      name: "a negative character only",
      bytes: message(#"{"jsonrpc":"2.0","id":"p4b","method":"textDocument/hover","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":0,"character":-1}}}"#),
      expect: .error(-32602, id: .string("p4b"))),
    .init(
      name: "a line beyond uinteger",
      bytes: message(#"{"jsonrpc":"2.0","id":"p4c","method":"textDocument/hover","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":2147483648,"character":0}}}"#),
      expect: .error(-32602, id: .string("p4c"))),
    .init(
      name: "a range that ends before it starts",
      bytes: message(#"{"jsonrpc":"2.0","id":"p4d","method":"textDocument/rangeFormatting","params":{"textDocument":{"uri":"\#(uri)"},"range":{"start":{"line":3,"character":0},"end":{"line":1,"character":0}},"options":{}}}"#),
      expect: .error(-32602, id: .string("p4d"))),
    .init(
      name: "a range that ends before it starts on one line",
      bytes: message(#"{"jsonrpc":"2.0","id":"p4e","method":"textDocument/codeAction","params":{"textDocument":{"uri":"\#(uri)"},"range":{"start":{"line":1,"character":5},"end":{"line":1,"character":2}},"context":{"diagnostics":[]}}}"#),
      expect: .error(-32602, id: .string("p4e"))),
    // Nested beyond the reader's limit (512): the id is still read and answered.
    .init(
      name: "params nested 600 deep, with an id",
      bytes: message(#"{"jsonrpc":"2.0","id":"deep","method":"workspace/symbol","params":{"query":"","x":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}}"),
      expect: .error(-32600, id: .string("deep"))),
    .init(
      name: "params nested 600 deep, the id after them",
      bytes: message(#"{"jsonrpc":"2.0","method":"workspace/symbol","params":{"x":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + #"},"id":77}"#),
      expect: .error(-32600, id: .number("77"))),
    .init(
      name: "a notification nested 600 deep",
      bytes: message(#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"),
      expect: .nothing),
    .init(
      name: "a position far beyond the end",
      bytes: message(#"{"jsonrpc":"2.0","id":"p5","method":"textDocument/hover","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":99999,"character":99999}}}"#),
      expect: .result(id: .string("p5"))),
    .init(
      name: "a request about a document never opened",
      bytes: message(#"{"jsonrpc":"2.0","id":"p6","method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"\#(unopened)"}}}"#),
      // Well formed, but about nothing the server has: RequestFailed (LSP 3.17).
      expect: .error(-32803, id: .string("p6"))),
    // Document changes.
    .init(
      name: "didChange for a document never opened",
      bytes: message(#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"\#(unopened)","version":2},"contentChanges":[{"text":"x"}]}}"#),
      expect: .nothing),
    .init(
      name: "didChange with a range beyond the end",
      bytes: message(#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"\#(uri)","version":2},"contentChanges":[{"range":{"start":{"line":500,"character":3},"end":{"line":900,"character":0}},"text":"x\n"}]}}"#),
      expect: .nothing),
    .init(
      name: "didChange with a reversed range",
      bytes: message(#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"\#(uri)","version":3},"contentChanges":[{"range":{"start":{"line":3,"character":0},"end":{"line":1,"character":0}},"text":""}]}}"#),
      expect: .nothing),
    .init(
      name: "didChange whose changes are not an array",
      bytes: message(#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"\#(uri)","version":4},"contentChanges":"all of it"}}"#),
      expect: .nothing),
    .init(
      name: "didOpen without text",
      bytes: message(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///hostile/b.yosan","version":1}}}"#),
      expect: .nothing),
    // Methods.
    .init(name: "an unknown request", bytes: message(#"{"jsonrpc":"2.0","id":"u","method":"textDocument/teleport","params":{}}"#), expect: .error(-32601, id: .string("u"))),
    .init(name: "an unknown notification", bytes: message(#"{"jsonrpc":"2.0","method":"textDocument/teleported","params":{}}"#), expect: .nothing),
    .init(name: "a $/ notification", bytes: message(#"{"jsonrpc":"2.0","method":"$/setTrace","params":{"value":"verbose"}}"#), expect: .nothing),
    .init(name: "cancelling an unknown id", bytes: message(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":987654}}"#), expect: .nothing),
    .init(name: "cancelling with a bad id", bytes: message(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":{"x":1}}}"#), expect: .nothing),
    .init(name: "a response to nothing the server asked", bytes: message(#"{"jsonrpc":"2.0","id":555,"result":null}"#), expect: .nothing),
    .init(name: "a second initialize", bytes: message(#"{"jsonrpc":"2.0","id":"i2","method":"initialize","params":{"capabilities":{}}}"#), expect: .error(-32600, id: .string("i2"))),
  ]
}

/// All cases in one server session, each followed by a valid request whose answer is checked.
@Suite(.serialized)
struct HostileProtocolTests {
  static let text = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 kikin \"基金\" {\n  担当 = 老健局\n  要求額 = 97億円\n}\n"

  @Test func atLeastThirtyCases() {
    #expect(HostileCase.all.count >= 30)
  }

  @Test func everyCaseThenAValidRequest() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.open(HostileCase.uri, Self.text)
    _ = try client.diagnostics(for: HostileCase.uri)
    for hostile in HostileCase.all {
      client.sendRaw(hostile.bytes)
      // The valid request after it: the item's symbol, found by name.
      let symbols = try client.call("workspace/symbol", .object([("query", .string("kikin"))]))
      #expect(symbols.arrayValue?.contains { $0["name"]?.stringValue?.contains("kikin") == true } == true, "valid request after: \(hostile.name)")
      switch hostile.expect {
      case .nothing:
        #expect(client.peek { $0["method"] == nil }.isEmpty, "\(hostile.name) must not be answered: \(client.peek { $0["method"] == nil }.map { $0.serialized() })")
      case .error(let code, let id):
        let answer = try client.take(hostile.name) { $0["method"] == nil && $0["error"] != nil && ($0["id"] ?? .null) == (id ?? .null) }
        #expect(answer["error"]?["code"]?.intValue == code, "\(hostile.name): \(answer.serialized())")
      case .result(let id):
        let answer = try client.take(hostile.name) { $0["method"] == nil && $0["id"] == id }
        #expect(answer["error"] == nil, "\(hostile.name): \(answer.serialized())")
      }
      client.discard { $0["method"] != nil }
    }
    #expect(try client.shutdownAndExit() == 0)
  }

  /// JSON-RPC 2.0: the response carries the request's id. A string id that escapes a lone
  /// surrogate cannot be held as a string: it is answered with its text as written.
  @Test func anIdWithALoneSurrogateIsAnsweredAsWritten() throws {
    let client = try LSPTestClient()
    try client.initialize()
    for id in [#""\ud800""#, #""a\uDC00b""#, #""\ud800\ud800""#] {
      client.sendRaw(Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"workspace/symbol","params":{"query":""}}"#.utf8).framed)
      let body = try client.takeRaw("the answer to \(id)") { String(decoding: $0, as: UTF8.self).contains(#""id":\#(id)"#) }
      let answer = try JSON.parse(body)
      #expect(answer["result"] == .array([]), "\(String(decoding: body, as: UTF8.self))")
    }
    // An id with escapes that lose nothing: answered as the string it is.
    client.sendRaw(Array(#"{"jsonrpc":"2.0","id":"\u0041\u0042","method":"workspace/symbol","params":{"query":""}}"#.utf8).framed)
    let answer = try client.take("the answer to \"AB\"") { $0["id"] == .string("AB") }
    #expect(answer["result"] == .array([]))
    #expect(try client.shutdownAndExit() == 0)
  }

  /// An inverted range in `didChange` is refused (logged), and the document stays as it was.
  @Test func anInvertedChangeIsNotApplied() throws {
    let client = try LSPTestClient()
    try client.initialize(capabilities: LSPTestClient.capabilities(encodings: ["utf-8"]))
    client.open(HostileCase.uri, Self.text)
    _ = try client.diagnostics(for: HostileCase.uri)
    client.change(HostileCase.uri, version: 2, range: LSP.range(5, 0, 1, 0), text: "")
    let log = try client.notification("window/logMessage") { $0["params"]?["message"]?.stringValue?.contains("didChange") == true }
    #expect(
      log["params"]?["message"]?.stringValue
        == "ignored `textDocument/didChange`: `params.contentChanges[0].range` ends before it starts (start 5:0, end 1:0); a range's start comes first")
    // The text is as it was: formatting it gives the original, laid out.
    let edits = try client.call("textDocument/formatting", .object([("textDocument", .object([("uri", .string(HostileCase.uri))])), ("options", .object([]))]))
    #expect(
      RuleIntegrationTests.apply(edits, to: Self.text)
        == "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n事業 kikin \"基金\" {\n  担当   = 老健局\n  要求額 = 97億円\n}\n")
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func fiftyMegabytesAreRefusedAndTheServerGoesOn() throws {
    let client = try LSPTestClient(timeout: 60)
    try client.initialize()
    let body = "{\"jsonrpc\":\"2.0\",\"id\":\"big\",\"method\":\"workspace/symbol\",\"params\":{\"query\":\"" + String(repeating: "x", count: 50 << 20) + "\"}}"
    client.sendRaw(Array(body.utf8).framed)
    let answer = try client.take("the refusal") { $0["id"] == .string("big") }
    #expect(answer["error"]?["code"]?.intValue == -32600)
    #expect(answer["error"]?["message"]?.stringValue?.contains("larger than the limit") == true)
    #expect(try client.call("workspace/symbol", .object([("query", .string(""))])) == .array([]))
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func requestsBeforeInitializeAndAfterShutdown() throws {
    let client = try LSPTestClient()
    #expect(try client.callExpectingError("workspace/symbol", .object([("query", .string(""))])).code == -32002)
    try client.initialize()
    #expect(try client.call("workspace/symbol", .object([("query", .string(""))])) == .array([]))
    _ = try client.call("shutdown", .null)
    #expect(try client.callExpectingError("workspace/symbol", .object([("query", .string(""))])).code == -32600)
    client.notify("exit", .null)
    #expect(try client.waitForExit() == 0)
  }

  @Test func exitWithoutShutdownIsStatusOne() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.notify("exit", .null)
    #expect(try client.waitForExit() == 1)
  }

  @Test func aBodyShorterThanAnnouncedThenTheEnd() throws {
    let client = try LSPTestClient()
    try client.initialize()
    client.sendRaw(Array("Content-Length: 4000\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,".utf8))
    client.closeInput()
    #expect(try client.waitForExit() == 1)
  }
}
