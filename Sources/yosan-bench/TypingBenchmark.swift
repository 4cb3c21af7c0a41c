// The language server while a file is typed and broken most of the time (issue 11's targets):
// edits that insert and remove an error at mid-document, a Neovim-like client that asks for inlay
// hints and semantic tokens after every change, bursts of edits, hover and completion right after
// an edit. Driven through the real `yosan lsp` process over pipes (`LSPClient`).
import Foundation
import YosanGenerator

/// One text edit as a client sends it: a range in UTF-16 positions of the current text.
struct ClientEdit {
  var line: Int
  var start: Int
  var end: Int
  var text: String
}

/// The document as the client has it, line by line, with edits applied as the server applies them.
struct ClientText {
  var lines: [String]

  init(_ text: String) { lines = text.components(separatedBy: "\n") }

  func index(_ line: Int, _ character: Int) -> String.Index { String.Index(utf16Offset: character, in: lines[line]) }

  /// Applies `edit`; returns the edit that undoes it.
  mutating func apply(_ edit: ClientEdit) -> ClientEdit {
    let line = lines[edit.line]
    let removed = String(line[index(edit.line, edit.start)..<index(edit.line, edit.end)])
    lines[edit.line] = String(line[..<index(edit.line, edit.start)]) + edit.text + String(line[index(edit.line, edit.end)...])
    return ClientEdit(line: edit.line, start: edit.start, end: edit.start + edit.text.utf16.count, text: removed)
  }

  static func change(_ edit: ClientEdit) -> [String: Any] {
    [
      "range": ["start": ["line": edit.line, "character": edit.start], "end": ["line": edit.line, "character": edit.end]],
      "text": edit.text,
    ]
  }
}

extension LSPClient {
  /// Sends a request without waiting for its answer; returns its id.
  func sendRequest(_ method: String, _ params: [String: Any], id: Int) {
    send(["id": id, "method": method, "params": params])
  }
}

/// The errors a typist leaves for a moment, each as the edit that makes it on a line of an item.
enum TypedError: CaseIterable {
  case unterminatedString, missingBrace, missingEquals, strayBrace

  /// The edit that introduces the error in the item whose header is at `header` (nil when the item
  /// has no line for it).
  func edit(in text: ClientText, itemAt header: Int) -> ClientEdit? {
    var end = header + 1
    while end < text.lines.count, text.lines[end] != "  }" { end += 1 }
    let body = (header + 1)..<end
    func column(_ line: Int, after marker: String) -> Int? {
      guard let range = text.lines[line].range(of: marker) else { return nil }
      return text.lines[line].utf16.distance(from: text.lines[line].startIndex, to: range.upperBound)
    }
    guard let division = body.first(where: { text.lines[$0].hasPrefix("    担当 = ") }) else { return nil }
    switch self {
    case .unterminatedString:
      guard let at = column(division, after: "= ") else { return nil }
      return ClientEdit(line: division, start: at, end: at, text: "\"")
    case .missingBrace:
      guard end < text.lines.count else { return nil }
      return ClientEdit(line: end, start: 2, end: 3, text: "")
    case .missingEquals:
      guard let at = column(division, after: "担当 ") else { return nil }
      return ClientEdit(line: division, start: at, end: at + 1, text: "")
    case .strayBrace:
      let at = text.lines[division].utf16.count
      return ClientEdit(line: division, start: at, end: at, text: " {")
    }
  }
}

/// Measures edits that make the document invalid and valid again, with and without a client that
/// asks for hints and tokens after every change; bursts; hover and completion after an edit.
func benchmarkTyping(yosan: URL, items: Int, rounds: Int, pull: Bool) {
  let source = BudgetGenerator.generate(.init(items: items, seed: 42))[0].text
  var text = ClientText(source)
  let uri = "file:///bench/typing.yosan"
  let client: LSPClient
  do { client = try LSPClient(executable: yosan) } catch { fail("cannot start yosan lsp: \(error)") }
  let capabilities: [String: Any] = pull ? ["textDocument": ["diagnostic": ["dynamicRegistration": false]]] : [:]
  _ = client.request("initialize", ["processId": Int(getpid()), "rootUri": NSNull(), "capabilities": capabilities])
  client.notify("initialized", [:])
  var version = 1
  client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "yosan", "version": 1, "text": source]])
  var nextID = 1000

  // Waits until every id in `ids` is answered and (unless pull) the diagnostics of `version`
  // arrived; returns the seconds until the diagnostics (or the pulled report) came.
  func wait(
    diagnosticsOf version: Int?, pulledBy pullID: Int?, answers ids: Set<Int>, since start: UInt64,
    onAnswer: (Int, [String: Any]) -> Void = { _, _ in }
  ) -> Double {
    var waiting = ids
    var diagnosticsAt: UInt64? = version == nil ? start : nil
    if let pullID { waiting.insert(pullID) }
    while !waiting.isEmpty || (pullID == nil && diagnosticsAt == nil) {
      let message = client.receive()
      if let id = message["id"] as? Int, message["method"] == nil {
        waiting.remove(id)
        if id == pullID { diagnosticsAt = DispatchTime.now().uptimeNanoseconds }
        onAnswer(id, message)
      } else if pullID == nil, message["method"] as? String == "textDocument/publishDiagnostics",
        let params = message["params"] as? [String: Any], params["version"] as? Int == version
      {
        diagnosticsAt = DispatchTime.now().uptimeNanoseconds
      }
    }
    return Double(diagnosticsAt! - start) / 1e9
  }
  func pullRequest() -> Int? {
    guard pull else { return nil }
    nextID += 1
    client.sendRequest("textDocument/diagnostic", ["textDocument": ["uri": uri]], id: nextID)
    return nextID
  }
  _ = wait(diagnosticsOf: 1, pulledBy: pullRequest(), answers: [], since: DispatchTime.now().uptimeNanoseconds)

  // Items in the middle tenth of the document.
  let headers = text.lines.indices.filter { text.lines[$0].hasPrefix("  事業 ") }
  let middle = Array(headers[(headers.count * 9 / 20)..<(headers.count * 11 / 20)])
  var random = SplitMix64(seed: 11)
  /// The next error edit and its undo, at a random item of the middle.
  func errorEdits(_ round: Int) -> (ClientEdit, TypedError) {
    while true {
      let kind = TypedError.allCases[round % TypedError.allCases.count]
      if let edit = kind.edit(in: text, itemAt: middle[random.below(middle.count)]) { return (edit, kind) }
    }
  }
  func change(_ edit: ClientEdit) -> ClientEdit {
    version += 1
    let undo = text.apply(edit)
    client.notify(
      "textDocument/didChange", ["textDocument": ["uri": uri, "version": version], "contentChanges": [ClientText.change(edit)]])
    return undo
  }

  let verbose = ProcessInfo.processInfo.environment["YOSAN_BENCH_VERBOSE"] != nil
  func progress(_ what: String) { if verbose { FileHandle.standardError.write(Data("typing: \(what)\n".utf8)) } }
  progress("opened")

  // 1. Errors in and out, nothing else asked.
  var inserting: [Double] = []
  var removing: [Double] = []
  for round in 0..<rounds {
    let (edit, _) = errorEdits(round)
    var start = DispatchTime.now().uptimeNanoseconds
    let undo = change(edit)
    inserting.append(wait(diagnosticsOf: version, pulledBy: pullRequest(), answers: [], since: start))
    start = DispatchTime.now().uptimeNanoseconds
    _ = change(undo)
    removing.append(wait(diagnosticsOf: version, pulledBy: pullRequest(), answers: [], since: start))
  }

  progress("2")
  // 2. The same with a Neovim-like client: semantic tokens (delta) and inlay hints over the whole
  // buffer after every change. Paced: the next edit waits for every answer; eager: the next edit
  // goes out as soon as the diagnostics are there (a typist faster than the hints).
  var tokensResult: String?
  let lastLine = text.lines.count
  func askHintsAndTokens() -> Set<Int> {
    nextID += 2
    if let previous = tokensResult {
      client.sendRequest(
        "textDocument/semanticTokens/full/delta", ["textDocument": ["uri": uri], "previousResultId": previous], id: nextID - 1)
    } else {
      client.sendRequest("textDocument/semanticTokens/full", ["textDocument": ["uri": uri]], id: nextID - 1)
    }
    client.sendRequest(
      "textDocument/inlayHint",
      ["textDocument": ["uri": uri], "range": ["start": ["line": 0, "character": 0], "end": ["line": lastLine, "character": 0]]], id: nextID
    )
    return [nextID - 1, nextID]
  }
  func recordTokens(_ id: Int, _ message: [String: Any]) {
    if let result = message["result"] as? [String: Any], let resultID = result["resultId"] as? String { tokensResult = resultID }
  }
  /// For each round, an error typed in and then removed; `body` runs after each of the two
  /// changes, with the time it was sent.
  func errorsInAndOut(_ body: (UInt64) -> Void) {
    for round in 0..<rounds {
      let (edit, _) = errorEdits(round)
      var undo: ClientEdit?
      for _ in 0..<2 {
        let start = DispatchTime.now().uptimeNanoseconds
        if let pending = undo { _ = change(pending) } else { undo = change(edit) }
        body(start)
      }
    }
  }
  var paced: [Double] = []
  var answered: [Double] = []
  errorsInAndOut { start in
    let asked = askHintsAndTokens()
    paced.append(wait(diagnosticsOf: version, pulledBy: pullRequest(), answers: asked, since: start, onAnswer: recordTokens))
    answered.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  var eager: [Double] = []
  var outstanding: Set<Int> = []
  errorsInAndOut { start in
    outstanding.formUnion(askHintsAndTokens())
    let pullID = pullRequest()
    // Only the diagnostics are waited for; answers are collected as they come.
    var diagnosticsAt: UInt64?
    while diagnosticsAt == nil {
      let message = client.receive()
      if let id = message["id"] as? Int, message["method"] == nil {
        outstanding.remove(id)
        recordTokens(id, message)
        if id == pullID { diagnosticsAt = DispatchTime.now().uptimeNanoseconds }
      } else if pullID == nil, message["method"] as? String == "textDocument/publishDiagnostics",
        let params = message["params"] as? [String: Any], params["version"] as? Int == version
      {
        diagnosticsAt = DispatchTime.now().uptimeNanoseconds
      }
    }
    eager.append(Double(diagnosticsAt! - start) / 1e9)
  }
  _ = wait(diagnosticsOf: nil, pulledBy: nil, answers: outstanding, since: 0)

  progress("3")
  // 3. Bursts of 20 one-character edits sent back to back, half of them leaving an error.
  var bursts: [Double] = []
  for round in 0..<Swift.max(3, rounds / 4) {
    let line = middle[random.below(middle.count)] + 1
    let start = DispatchTime.now().uptimeNanoseconds
    for step in 0..<20 {
      let column = text.lines[line].utf16.count
      _ = change(ClientEdit(line: line, start: column, end: column, text: step % 2 == 0 ? "\"" : "x"))
    }
    bursts.append(wait(diagnosticsOf: version, pulledBy: pullRequest(), answers: [], since: start))
    // Back to the text before the burst (not measured).
    let column = text.lines[line].utf16.count
    _ = change(ClientEdit(line: line, start: column - 20, end: column, text: ""))
    _ = wait(diagnosticsOf: version, pulledBy: pullRequest(), answers: [], since: start)
    _ = round
  }

  progress("4")
  // 4. Hover and completion, each right after an edit (sent together) and on a quiet document.
  var hoverAfterEdit: [Double] = []
  var completionAfterEdit: [Double] = []
  var hoverQuiet: [Double] = []
  var completionQuiet: [Double] = []
  for round in 0..<rounds {
    let header = middle[random.below(middle.count)]
    guard
      let amountLine = ((header + 1)..<(header + 12)).first(where: { text.lines[$0].contains("要求額 = ") && !text.lines[$0].contains("内数") })
    else {
      continue
    }
    let hoverAt: [String: Any] = [
      "textDocument": ["uri": uri], "position": ["line": amountLine, "character": text.lines[amountLine].utf16.count - 2],
    ]
    let completeAt: [String: Any] = ["textDocument": ["uri": uri], "position": ["line": header + 1, "character": 4]]
    for (method, params, afterEdit, quiet) in [
      ("textDocument/hover", hoverAt, 0, 1), ("textDocument/completion", completeAt, 2, 3),
    ] {
      // Right after an edit elsewhere in the middle (an error in or out, alternately).
      let (edit, _) = errorEdits(round)
      let undo = change(edit)
      nextID += 1
      var start = DispatchTime.now().uptimeNanoseconds
      client.sendRequest(method, params, id: nextID)
      _ = wait(diagnosticsOf: version, pulledBy: pullRequest(), answers: [nextID], since: 0)
      let first = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      _ = change(undo)
      _ = wait(diagnosticsOf: version, pulledBy: pullRequest(), answers: [], since: 0)
      nextID += 1
      start = DispatchTime.now().uptimeNanoseconds
      client.sendRequest(method, params, id: nextID)
      _ = wait(diagnosticsOf: nil, pulledBy: nil, answers: [nextID], since: 0)
      let second = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      if afterEdit == 0 { hoverAfterEdit.append(first) } else { completionAfterEdit.append(first) }
      if quiet == 1 { hoverQuiet.append(second) } else { completionQuiet.append(second) }
    }
  }
  client.shutdown()

  func row(_ name: String, _ times: [Double], target: String) -> String {
    "| \(name) | \(times.count) | \(ms(median(times))) | \(ms(percentile(times, 0.95))) | \(ms(times.max() ?? 0)) | \(target) |"
  }
  let size = String(format: "%.1f MB", Double(source.utf8.count) / 1e6)
  print("| typing, \(items) items (\(size)), \(pull ? "pulled" : "pushed") diagnostics | edits | p50 | p95 | max | target (p95) |")
  print("|---|---|---|---|---|---|")
  print(row("error inserted → diagnostics", inserting, target: ""))
  print(row("error removed → diagnostics", removing, target: ""))
  print(row("error in or out → diagnostics", inserting + removing, target: "≤ 20 ms"))
  print(row("…with hints + tokens asked, paced → diagnostics", paced, target: "≤ 30 ms"))
  print(row("…with hints + tokens asked, paced → every answer", answered, target: ""))
  print(row("…with hints + tokens asked, eager → diagnostics", eager, target: "≤ 30 ms"))
  print(row("burst of 20 edits → last version's diagnostics", bursts, target: "≤ 50 ms (max)"))
  print(row("hover right after an edit", hoverAfterEdit, target: "≤ 5 ms"))
  print(row("completion right after an edit", completionAfterEdit, target: "≤ 5 ms"))
  print(row("hover", hoverQuiet, target: "≤ 5 ms"))
  print(row("completion", completionQuiet, target: "≤ 5 ms"))
  print("")
}
