// The language server, measured through the real `yosan lsp` process over pipes, as an editor
// drives it: open a large document, type one character at a time at different places, hover,
// complete.
import Foundation
import YosanGenerator
import YosanJSON
import YosanLSP

/// A minimal client of `yosan lsp`: framed JSON-RPC over the process's standard input and output.
final class LSPClient {
  let process = Process()
  private let input: FileHandle
  private let output: FileHandle
  private var buffer = Data()
  private var nextID = 1

  init(executable: URL) throws {
    let stdin = Pipe()
    let stdout = Pipe()
    process.executableURL = executable
    process.arguments = ["lsp"]
    process.standardInput = stdin
    process.standardOutput = stdout
    // YOSAN_BENCH_LSP_LOG=FILE keeps the server's log (with YOSAN_LSP_TRACE=1, its timings).
    if let log = ProcessInfo.processInfo.environment["YOSAN_BENCH_LSP_LOG"], FileManager.default.createFile(atPath: log, contents: nil) {
      process.standardError = FileHandle(forWritingAtPath: log)
    } else {
      process.standardError = FileHandle.nullDevice
    }
    try process.run()
    input = stdin.fileHandleForWriting
    output = stdout.fileHandleForReading
  }

  var pid: Int32 { process.processIdentifier }

  /// Sends `message`, unless its body is larger than the server accepts (`MessageFramer.Limits`):
  /// the server would discard it unanswered. Returns whether it was sent.
  @discardableResult
  func send(_ message: [String: Any]) -> Bool {
    var object = message
    object["jsonrpc"] = "2.0"
    let body = try! JSONSerialization.data(withJSONObject: object)
    guard body.count <= MessageFramer.Limits.standard.maximumMessageSize else { return false }
    input.write(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    return true
  }

  @discardableResult
  func notify(_ method: String, _ params: [String: Any]) -> Bool { send(["method": method, "params": params]) }

  /// Sends a request and returns its result, answering or skipping what else arrives meanwhile.
  func request(_ method: String, _ params: [String: Any]) -> Any? {
    let id = nextID
    nextID += 1
    send(["id": id, "method": method, "params": params])
    while true {
      let message = receive()
      if let other = message["id"] as? Int, other == id, message["method"] == nil { return message["result"] }
    }
  }

  /// Waits for the diagnostics of `uri` at `version`; returns how many there were.
  func waitForDiagnostics(uri: String, version: Int) -> Int {
    while true {
      let message = receive()
      guard message["method"] as? String == "textDocument/publishDiagnostics", let params = message["params"] as? [String: Any],
        params["uri"] as? String == uri
      else { continue }
      if (params["version"] as? Int) == version { return (params["diagnostics"] as? [Any])?.count ?? 0 }
    }
  }

  /// The next message from the server (requests from the server are answered with null).
  func receive() -> [String: Any] {
    while true {
      if let message = takeMessage() {
        if message["method"] != nil, let id = message["id"] { send(["id": id, "result": NSNull()]) }
        return message
      }
      let data = output.availableData
      if data.isEmpty { fail("yosan lsp closed its output") }
      buffer.append(data)
    }
  }

  private func takeMessage() -> [String: Any]? {
    // The header is at the start: looked for there (`Data.range(of:)` copies the whole buffer,
    // quadratic on a large answer read in chunks).
    let start = buffer.startIndex
    let limit = Swift.min(buffer.count, 1_024)
    guard let offset = (0..<Swift.max(0, limit - 3)).first(where: {
      buffer[start + $0] == 13 && buffer[start + $0 + 1] == 10 && buffer[start + $0 + 2] == 13 && buffer[start + $0 + 3] == 10
    }) else { return nil }
    let headerEnd = (start + offset)..<(start + offset + 4)
    let header = String(decoding: buffer[start..<headerEnd.lowerBound], as: UTF8.self)
    guard let lengthLine = header.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
      let length = Int(lengthLine.split(separator: ":")[1].trimmingCharacters(in: .whitespaces))
    else { fail("bad header from yosan lsp: \(header)") }
    let bodyStart = headerEnd.upperBound
    guard buffer.count - (bodyStart - buffer.startIndex) >= length else { return nil }
    let body = buffer[bodyStart..<(bodyStart + length)]
    buffer = Data(buffer[(bodyStart + length)...])
    // Yosan's reader: Foundation's takes minutes on the tens of megabytes of a large answer.
    guard let json = try? JSON.parse(Array(body)) else { return [:] }
    return LSPClient.foundationValue(json) as? [String: Any] ?? [:]
  }

  /// A JSON value as the Foundation objects the benchmark reads (`[String: Any]`, `[Any]`, …).
  static func foundationValue(_ json: JSON) -> Any {
    switch json {
    case .null: return NSNull()
    case .bool(let flag): return flag
    case .number(let text), .verbatim(let text):
      if let integer = Int(text) { return integer }
      return Double(text) ?? 0
    case .string(let text): return text
    case .array(let elements): return elements.map(foundationValue)
    case .object(let members):
      var dictionary: [String: Any] = [:]
      for (key, value) in members where dictionary[key] == nil { dictionary[key] = foundationValue(value) }
      return dictionary
    }
  }

  /// The process's resident memory now and at its peak, in MB (from /proc).
  func memory() -> (current: Double, peak: Double) {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    func field(_ name: String) -> Double {
      guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
      return (Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "0") ?? 0) / 1024
    }
    return (field("VmRSS:"), field("VmHWM:"))
  }

  /// A server started and initialized (no workspace folder, no capabilities).
  static func started(executable: URL) -> LSPClient {
    let client: LSPClient
    do { client = try LSPClient(executable: executable) } catch { fail("cannot start yosan lsp: \(error)") }
    _ = client.request("initialize", ["processId": Int(getpid()), "rootUri": NSNull(), "capabilities": [String: Any]()])
    client.notify("initialized", [:])
    return client
  }

  /// Opens `text` as version 1 of `uri` and waits for its diagnostics; false (nothing sent) when
  /// the message is larger than the server accepts.
  @discardableResult
  func open(uri: String, text: String) -> Bool {
    guard send(["method": "textDocument/didOpen", "params": ["textDocument": ["uri": uri, "languageId": "yosan", "version": 1, "text": text]]]) else {
      return false
    }
    _ = waitForDiagnostics(uri: uri, version: 1)
    return true
  }

  func shutdown() {
    _ = request("shutdown", [:])
    notify("exit", [:])
    process.waitUntilExit()
  }
}

/// Measures the language server on a generated document of `items` items and prints the table.
func benchmarkLanguageServer(yosan: URL, items: Int, edits: Int, queries: Int) {
  let text = BudgetGenerator.generate(.init(items: items, seed: 42))[0].text
  var lines = text.components(separatedBy: "\n")
  let uri = "file:///bench/budget.yosan"
  let client = LSPClient.started(executable: yosan)
  var clock = DispatchTime.now().uptimeNanoseconds
  func lap() -> Double {
    let now = DispatchTime.now().uptimeNanoseconds
    defer { clock = now }
    return Double(now - clock) / 1e9
  }
  _ = lap()
  guard client.open(uri: uri, text: text) else { fail("the document is larger than yosan lsp accepts in one message") }
  let openTime = lap()
  let memory = client.memory()

  // Edits: a digit typed at a random place of a random line inside an item, then deleted.
  var random = SplitMix64(seed: 7)
  let itemLines = lines.indices.filter { lines[$0].hasPrefix("    ") && !lines[$0].hasPrefix("      ") }
  var editTimes: [Double] = []
  var version = 1
  for _ in 0..<(edits / 2) {
    let line = itemLines[random.below(itemLines.count)]
    let columns = Array(lines[line].indices) + [lines[line].endIndex]
    let index = columns[random.below(columns.count)]
    let column = lines[line].utf16.distance(from: lines[line].startIndex, to: index)
    for insert in [true, false] {
      version += 1
      let range: [String: Any] = [
        "start": ["line": line, "character": column], "end": ["line": line, "character": insert ? column : column + 1],
      ]
      lines[line] = insert ? String(lines[line][..<index]) + "1" + String(lines[line][index...]) : lines[line].replacingCharacters(in: index...index, with: "")
      _ = lap()
      client.notify("textDocument/didChange", [
        "textDocument": ["uri": uri, "version": version], "contentChanges": [["range": range, "text": insert ? "1" : ""]],
      ])
      _ = client.waitForDiagnostics(uri: uri, version: version)
      editTimes.append(lap())
    }
  }

  // Hovers on amounts, completions where a key is typed.
  let amountLines = lines.indices.filter { lines[$0].contains("要求額 = ") }
  var hoverTimes: [Double] = []
  var completionTimes: [Double] = []
  for _ in 0..<queries {
    let line = amountLines[random.below(amountLines.count)]
    let column = lines[line].utf16.count - 2
    _ = lap()
    _ = client.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": line, "character": column]])
    hoverTimes.append(lap())
    let keyLine = itemLines[random.below(itemLines.count)]
    _ = lap()
    _ = client.request("textDocument/completion", ["textDocument": ["uri": uri], "position": ["line": keyLine, "character": 4]])
    completionTimes.append(lap())
  }
  client.shutdown()
  if ProcessInfo.processInfo.environment["YOSAN_BENCH_VERBOSE"] != nil {
    print("slowest edits: " + editTimes.sorted().suffix(15).map { ms($0) }.joined(separator: ", "))
  }

  func row(_ name: String, _ times: [Double]) -> String {
    "| \(name) | \(times.count) | \(ms(median(times))) | \(ms(percentile(times, 0.95))) | \(ms(times.max() ?? 0)) |"
  }
  print("| language server, \(items) items (\(String(format: "%.1f MB", Double(text.utf8.count) / 1e6))) | requests | p50 | p95 | max |")
  print("|---|---|---|---|---|")
  print(row("one-character didChange → publishDiagnostics", editTimes))
  print(row("hover on an amount", hoverTimes))
  print(row("completion of a key", completionTimes))
  print("")
  print(
    "didOpen → first diagnostics: \(ms(openTime)); resident memory after opening: \(String(format: "%.1f MB", memory.current)) (peak \(String(format: "%.1f MB", memory.peak)))"
  )
  print("")
}
