import Testing
import YosanJSON

@testable import YosanLSP

/// The dispatcher in process, fed thousands of random messages: valid and broken requests and
/// notifications on random documents, with positions and ranges of every kind. It must answer every
/// request exactly once, never crash, and still answer a valid request at the end.
struct RandomMessageTests {
  /// xorshift64: deterministic, so a failure reproduces.
  struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
  }

  static let methods = [
    "textDocument/hover", "textDocument/completion", "textDocument/definition", "textDocument/references",
    "textDocument/documentHighlight", "textDocument/prepareRename", "textDocument/rename", "textDocument/documentSymbol",
    "workspace/symbol", "textDocument/foldingRange", "textDocument/formatting", "textDocument/rangeFormatting",
    "textDocument/codeAction", "textDocument/semanticTokens/full", "textDocument/semanticTokens/full/delta",
    "textDocument/semanticTokens/range", "textDocument/inlayHint", "textDocument/diagnostic", "workspace/diagnostic", "no/such",
  ]

  static let texts = [
    "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 a \"𠮷\" {\n  担当 = 医政局\n  要求額 = 内数(b)\n  内訳 {\n    行 = 1億円\n    合計 = 2億円\n  }\n}\n",
    "事業 b {\r\n  要求額 = 約3億円\r\n  補助率 = 1/0\r\n  負担割合 = 国 1/2, 県 1/3\r\n}", "{{{{", "}}}", "", "\u{0}\u{1}\"\\", "# yosan: disable-file x --\n予算 {",
    "事業 c \"t\" {\n  要求額 = 1,00千円\n  種別 = 新規, ？\n", "分野 \"s\" {\n  合計 = 5億円\n  事業 d \"d\" { 要求額 = 3億円 }\n}\n",
  ]

  func randomValue(_ random: inout Random, depth: Int = 0) -> JSON {
    switch random.below(depth > 2 ? 5 : 7) {
    case 0: return .null
    case 1: return .bool(random.below(2) == 0)
    case 2: return .int(random.pick([0, 1, -1, 7, 1_000_000, Int.max, Int.min]))
    case 3: return .number(random.pick(["1.5", "-0", "1e400", "12345678901234567890"]))
    case 4: return .string(random.pick(["", "file:///x.yosan", "要求額", "\u{FFFD}", "a b"]))
    case 5: return .array((0..<random.below(3)).map { _ in randomValue(&random, depth: depth + 1) })
    default: return .object((0..<random.below(3)).map { _ in (random.pick(["line", "character", "uri", "text"]), randomValue(&random, depth: depth + 1)) })
    }
  }

  func position(_ random: inout Random) -> JSON {
    if random.below(10) == 0 { return randomValue(&random) }
    return LSP.position(random.pick([0, 1, 4, 6, 9, 1_000, -3]), random.pick([0, 1, 2, 3, 9, 500, -1]))
  }

  func params(_ random: inout Random, uri: String) -> JSON {
    if random.below(12) == 0 { return randomValue(&random) }
    let range: JSON = .object([("start", position(&random)), ("end", position(&random))])
    return .object([
      ("textDocument", .object([("uri", .string(uri)), ("version", .int(random.below(100)))])), ("position", position(&random)),
      ("range", range), ("newName", .string(random.pick(["n", "b", "a b", ""]))), ("query", .string(random.pick(["", "a", "𠮷"]))),
      ("previousResultId", .string(random.pick(["1", "2", "x"]))),
      ("context", .object([("diagnostics", .array([])), ("includeDeclaration", .bool(true))])),
      ("contentChanges", .array([.object([("range", range), ("text", .string(random.pick(Self.texts + ["あ", "\n", "}"])))])])),
      ("text", .string(random.pick(Self.texts))),
    ])
  }

  @Test("10,000 random messages: every request answered once, no crash")
  func randomMessages() {
    var random = Random(state: 20_251_122)
    let queue = MessageQueue()
    var answers: [RequestID: Int] = [:]
    var requests: [RequestID] = []
    let server = LanguageServer(queue: queue, version: "test") { message in
      if message["method"] == nil, let id = message["id"].flatMap(RequestID.init) { answers[id, default: 0] += 1 }
    }
    var items: [MessageQueue.Item] = [
      .message(.request(id: .number("0"), method: "initialize", params: .object([("capabilities", .object([]))]))),
      .message(.notification(method: "initialized", params: .object([]))),
    ]
    requests.append(.number("0"))
    let uris = ["file:///tmp/r1.yosan", "file:///tmp/r2.yosan", "untitled:x"]
    for n in 1...10_000 {
      let uri = random.pick(uris)
      switch random.below(10) {
      case 0, 1:
        items.append(.message(.notification(method: "textDocument/didOpen", params: .object([
          ("textDocument", .object([("uri", .string(uri)), ("version", .int(1)), ("text", .string(random.pick(Self.texts)))]))
        ]))))
      case 2, 3:
        items.append(.message(.notification(method: "textDocument/didChange", params: params(&random, uri: uri))))
      case 4:
        items.append(.message(.notification(method: random.pick(["textDocument/didClose", "textDocument/didSave", "$/cancelRequest", "x/y"]), params: params(&random, uri: uri))))
      default:
        let id = RequestID.number(String(n))
        requests.append(id)
        items.append(.message(.request(id: id, method: random.pick(Self.methods), params: params(&random, uri: uri))))
      }
    }
    let last = RequestID.string("last")
    requests.append(last)
    items.append(.message(.request(id: last, method: "workspace/symbol", params: .object([("query", .string(""))]))))
    items.append(.endOfInput(unfinished: nil))
    queue.push(items)
    Log.isEnabled = false
    defer { Log.isEnabled = true }
    #expect(server.run() == 1)
    #expect(requests.allSatisfy { answers[$0] == 1 })
    #expect(answers.count == requests.count)
  }
}
