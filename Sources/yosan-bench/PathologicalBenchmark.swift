// `yosan-bench pathological`: issue 11 §6, hover, completion, semantic tokens and inlay hints on
// a document of one very long line and on a very large document, once the document is analysed
// (its diagnostics arrived), through the real `yosan lsp` process over pipes.
import Foundation
import YosanGenerator

/// One document of the benchmark, and where its requests point.
struct PathologicalDocument {
  var name: String
  var text: String
  /// A position on an amount (hover) and after `担当 = ` (completion), as LSP (line, UTF-16) pairs.
  var hover: (line: Int, character: Int)
  var completion: (line: Int, character: Int)
  var lastLine: Int

  /// A budget written on one line of about `bytes` bytes: a header and items of one entry each
  /// (an entry's value ends at a `}`), each with a title in kanji and an emoji, so that every
  /// position is counted in UTF-16 units far from the line's start. Completion is asked after the
  /// last `{` (a line of blocks offers nothing: the answer must come at once all the same).
  static func oneLine(bytes: Int) -> PathologicalDocument {
    var text = "予算 \"一行の予算\" { 年度 = 令和7年度 } "
    var index = 0
    var lastAmount = 0
    var lastBrace = 0
    while text.utf8.count < bytes {
      let item = "事業 a\(index) \"事業その\(index)🏥\" { 要求額 = "
      lastBrace = text.utf16.count + item.utf16.count - "要求額 = ".utf16.count
      lastAmount = text.utf16.count + item.utf16.count
      text += item + "\(index % 97 + 1)億円 } "
      index += 1
    }
    return PathologicalDocument(name: "one line", text: text, hover: (0, lastAmount), completion: (0, lastBrace), lastLine: 0)
  }

  /// A generated document of about `megabytes` MB (many lines).
  static func large(megabytes: Int) -> PathologicalDocument {
    // About 470 bytes an item (10,000 items are 4.7 MB).
    let text = BudgetGenerator.generate(.init(items: megabytes * 2_100, seed: 7))[0].text
    let lines = text.components(separatedBy: "\n")
    let amountLine = lines.indices.last { lines[$0].contains("要求額 = ") && !lines[$0].contains("内数") } ?? 0
    let divisionLine = lines.indices.last { lines[$0].hasPrefix("    担当 = ") } ?? 0
    return PathologicalDocument(
      name: "large", text: text, hover: (amountLine, lines[amountLine].utf16.count - 2),
      completion: (divisionLine, "    担当 = ".utf16.count),
      lastLine: lines.count)
  }
}

func benchmarkPathological(yosan: URL, lineBytes: Int, megabytes: Int, runs: Int) {
  print(
    "| document | size | open → diagnostics | hover p50 / p95 | completion p50 / p95 | semantic tokens p50 / p95 | inlay hints p50 / p95 | tokens, 100 lines p50 / p95 | hints, 100 lines p50 / p95 |"
  )
  print("|---|---|---|---|---|---|---|---|---|")
  for document in [PathologicalDocument.oneLine(bytes: lineBytes), PathologicalDocument.large(megabytes: megabytes)] {
    let client: LSPClient
    do { client = try LSPClient(executable: yosan) } catch { fail("cannot start yosan lsp: \(error)") }
    _ = client.request("initialize", ["processId": Int(getpid()), "rootUri": NSNull(), "capabilities": [String: Any]()])
    client.notify("initialized", [:])
    let uri = "file:///bench/pathological.yosan"
    var start = DispatchTime.now().uptimeNanoseconds
    guard client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "yosan", "version": 1, "text": document.text]])
    else {
      print("| \(document.name) | \(document.text.utf8.count / 1_000_000) MB | larger than the server's message limit | | | | | | |")
      client.shutdown()
      continue
    }
    _ = client.waitForDiagnostics(uri: uri, version: 1)
    let open = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var times: [[Double]] = [[], [], [], [], [], []]
    // The window an editor shows: 100 lines around the hover (on one line, the hover's stretch).
    let window: [String: Any] =
      document.lastLine == 0
      ? [
        "start": ["line": 0, "character": Swift.max(0, document.hover.character - 4_000)],
        "end": ["line": 0, "character": document.hover.character],
      ]
      : [
        "start": ["line": Swift.max(0, document.hover.line - 50), "character": 0],
        "end": ["line": document.hover.line + 50, "character": 0],
      ]
    let textDocument = ["uri": uri]
    let requests: [(String, [String: Any])] = [
      (
        "textDocument/hover",
        ["textDocument": textDocument, "position": ["line": document.hover.line, "character": document.hover.character]]
      ),
      (
        "textDocument/completion",
        ["textDocument": textDocument, "position": ["line": document.completion.line, "character": document.completion.character]]
      ),
      ("textDocument/semanticTokens/full", ["textDocument": textDocument]),
      (
        "textDocument/inlayHint",
        [
          "textDocument": textDocument,
          "range": ["start": ["line": 0, "character": 0], "end": ["line": document.lastLine + 1, "character": 0]],
        ]
      ),
      ("textDocument/semanticTokens/range", ["textDocument": textDocument, "range": window]),
      ("textDocument/inlayHint", ["textDocument": textDocument, "range": window]),
    ]
    var answered = [true, true, true, true, true, true]
    for _ in 0..<runs {
      for (index, (method, params)) in requests.enumerated() {
        start = DispatchTime.now().uptimeNanoseconds
        let result = client.request(method, params)
        times[index].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        if result == nil || result is NSNull { answered[index] = false }
      }
    }
    client.shutdown()
    func cell(_ index: Int) -> String {
      "\(ms(median(times[index]))) / \(ms(percentile(times[index], 0.95)))\(answered[index] ? "" : " (null)")"
    }
    let size = String(format: "%.1f MB", Double(document.text.utf8.count) / 1e6)
    print("| \(document.name) | \(size) | \(ms(open)) | \(cell(0)) | \(cell(1)) | \(cell(2)) | \(cell(3)) | \(cell(4)) | \(cell(5)) |")
  }
}
