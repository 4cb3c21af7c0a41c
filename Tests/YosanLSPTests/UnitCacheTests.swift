import Testing
import YosanGenerator
import YosanJSON
import YosanTestSupport

@testable import YosanLSP

/// Derived data per unit (issue 11 §2): semantic tokens, inlay hints, folding ranges and document
/// symbols are kept per unit and moved across edits. After every edit of a random sequence (typed
/// text, lines added and removed, errors typed in and out), what a server that kept them answers
/// is what a server opened on the edited text answers.
struct UnitCacheTests {
  static let uri = "file:///tmp/units.yosan"

  /// A generated document with sections, seeded defects and runs of comment lines.
  static let text: String = {
    var lines = BudgetGenerator.generate(.init(items: 60, seed: 3, defects: 3))[0].text.components(separatedBy: "\n")
    for at in stride(from: lines.count - 10, to: 10, by: -97) { lines.insert(contentsOf: ["# 注記", "# 続き"], at: at) }
    return lines.joined(separator: "\n")
  }()

  /// A server driven message by message (no queue: nothing waits, so nothing is stale).
  final class Driven {
    var sent: [JSON] = []
    var server: LanguageServer!
    var nextID = 1

    init(text: String, version: Int) {
      server = LanguageServer(queue: MessageQueue(), version: "test", readsWorkspace: false, freesInBackground: false) { [unowned self] in
        self.sent.append($0)
      }
      Log.isEnabled = false
      server.process(
        .message(.request(id: .number("0"), method: "initialize", params: .object([("capabilities", LSPTestClient.capabilities())]))))
      server.process(.message(.notification(method: "initialized", params: .object([]))))
      server.process(
        .message(
          .notification(
            method: "textDocument/didOpen",
            params: .object([
              (
                "textDocument",
                .object([
                  ("uri", .string(UnitCacheTests.uri)), ("languageId", .string("yosan")), ("version", .int(version)),
                  ("text", .string(text)),
                ])
              )
            ]))))
      Log.isEnabled = true
    }

    /// The result of a request about the document.
    func ask(_ method: String, _ extra: [(String, JSON)] = []) -> JSON? {
      nextID += 1
      let id = nextID
      sent = []
      Log.isEnabled = false
      server.process(
        .message(
          .request(
            id: .number(String(id)), method: method,
            params: .object([("textDocument", .object([("uri", .string(UnitCacheTests.uri))]))] + extra))))
      Log.isEnabled = true
      // Read back from its bytes, as a client reads it.
      let answer = sent.first { $0["method"] == nil && $0["id"]?.intValue == id }
      return answer.flatMap { try? JSON.parse($0.serializedBytes()) }?["result"]
    }

    func change(version: Int, _ range: JSON, _ text: String) {
      Log.isEnabled = false
      server.process(
        .message(
          .notification(
            method: "textDocument/didChange",
            params: .object([
              ("textDocument", .object([("uri", .string(UnitCacheTests.uri)), ("version", .int(version))])),
              ("contentChanges", .array([.object([("range", range), ("text", .string(text))])])),
            ]))))
      Log.isEnabled = true
    }
  }

  /// The requests compared: the whole document, and a window of it.
  static func requests(window: JSON) -> [(String, [(String, JSON)])] {
    [
      ("textDocument/semanticTokens/full", []), ("textDocument/semanticTokens/range", [("range", window)]),
      ("textDocument/inlayHint", [("range", LSP.range(0, 0, 100_000, 0))]), ("textDocument/inlayHint", [("range", window)]),
      ("textDocument/foldingRange", []), ("textDocument/documentSymbol", []),
    ]
  }

  /// Semantic tokens' `data`, other results whole (a result id differs between servers).
  static func comparable(_ method: String, _ result: JSON?) -> [UInt8] {
    guard let result else { return Array("no answer".utf8) }
    if method.hasPrefix("textDocument/semanticTokens") { return result["data"]?.serializedBytes() ?? Array("no data".utf8) }
    return result.serializedBytes()
  }

  /// `data` with a delta's edits applied.
  static func apply(_ delta: JSON, to data: [JSON]) -> [JSON]? {
    guard let edits = delta["edits"]?.arrayValue else { return delta["data"]?.arrayValue }
    var result = data
    for edit in edits.reversed() {
      guard let start = edit["start"]?.intValue, let count = edit["deleteCount"]?.intValue else { return nil }
      result.replaceSubrange(start..<(start + count), with: edit["data"]?.arrayValue ?? [])
    }
    return result
  }

  @Test(
    "after each of 40 random edits, kept tokens, hints, folds and symbols are what a fresh server computes", arguments: [UInt64(1), 2, 3])
  func keptResultsMatchAFreshServer(seed: UInt64) throws {
    var lines = Self.text.components(separatedBy: "\n")
    let kept = Driven(text: Self.text, version: 1)
    var random = SplitMix64(seed: seed)
    // Warm: every unit's results are kept before the edits start.
    for (method, extra) in Self.requests(window: LSP.range(0, 0, 5, 0)) { _ = kept.ask(method, extra) }
    var tokens = kept.ask("textDocument/semanticTokens/full")
    let insertions = ["1", "億", "x", "\"", "{", "}", "=", " ", "\n", "\n  # c\n", "\n  事業 n \"新\" {\n    要求額 = 1億円\n  }\n", "# "]
    for step in 0..<40 {
      // An edit on a random line: typed text, a deleted run, an error typed in or out.
      let line = random.below(lines.count)
      let characters = Array(lines[line])
      let at = random.below(characters.count + 1)
      let removed = random.below(4) == 0 ? Swift.min(characters.count - at, 1 + random.below(4)) : 0
      let column = String(characters[..<at]).utf16.count
      let end = String(characters[..<(at + removed)]).utf16.count
      var inserted = random.below(5) == 0 ? "" : insertions[random.below(insertions.count)]
      if removed == 0 && inserted.isEmpty { inserted = "\"" }
      if random.below(6) == 0, line + 1 < lines.count {
        // A whole line removed (a `}` or an `=` line as often as not).
        kept.change(version: step + 2, LSP.range(line, 0, line + 1, 0), "")
        lines.remove(at: line)
      } else {
        kept.change(version: step + 2, LSP.range(line, column, line, end), inserted)
        let replaced = String(characters[..<at]) + inserted + String(characters[(at + removed)...])
        lines.replaceSubrange(line...line, with: replaced.components(separatedBy: "\n"))
      }
      let text = lines.joined(separator: "\n")
      let fresh = Driven(text: text, version: step + 2)
      let first = random.below(lines.count)
      let window = LSP.range(first, 0, first + 1 + random.below(30), 0)
      for (method, extra) in Self.requests(window: window) {
        let a = Self.comparable(method, kept.ask(method, extra))
        let b = Self.comparable(method, fresh.ask(method, extra))
        let same = a == b
        #expect(same, "seed \(seed), step \(step): \(method) differs after an edit at line \(line)")
        if !same { return }
      }
      // The delta from the previous tokens gives the fresh server's tokens.
      let previous = try #require(tokens?["resultId"]?.stringValue)
      let delta = try #require(kept.ask("textDocument/semanticTokens/full/delta", [("previousResultId", .string(previous))]))
      let full = try #require(fresh.ask("textDocument/semanticTokens/full"))
      let patched = Self.apply(delta, to: tokens?["data"]?.arrayValue ?? [])
      let same = patched.map { JSON.array($0).serializedBytes() } == full["data"]?.serializedBytes()
      #expect(same, "seed \(seed), step \(step): the delta does not give the tokens")
      tokens = .object([("resultId", delta["resultId"] ?? .null), ("data", .array(patched ?? []))])
    }
  }

  @Test("a range request computes the units in its range only")
  func rangeRequestsLookAtTheirRange() throws {
    let kept = Driven(text: Self.text, version: 1)
    _ = kept.ask("textDocument/semanticTokens/range", [("range", LSP.range(20, 0, 40, 0))])
    _ = kept.ask("textDocument/inlayHint", [("range", LSP.range(20, 0, 40, 0))])
    let cached = kept.server.unitCache[DocumentURI.sessionPath(Self.uri)] ?? [:]
    let lines = Self.text.components(separatedBy: "\n")
    let headers = lines[0..<42].filter { $0.contains("事業 ") }.count
    // The units that meet lines 20–40 (at most the headers there and one before), not the file's 60.
    #expect(!cached.isEmpty && cached.count <= headers + 1, "\(cached.count) units computed")
    #expect(cached.values.allSatisfy { $0.hints != nil && $0.tokens != nil })
  }
}
