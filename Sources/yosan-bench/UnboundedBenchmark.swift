// `yosan-bench unbounded`: the shapes of issue 16 §8–§11 that took exponential or quadratic time,
// at growing sizes, through a `yosan` binary (the release build next to this one, or `--yosan
// PATH`, such as another branch's build, for a before/after comparison). Each run is killed after
// `--timeout` seconds (shown as `> N s`); each figure is the median of `--runs` runs.
import Foundation
import YosanGenerator

/// A line of the table, written at once (the run is long).
func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

struct UnboundedBenchmark {
  let yosan: URL
  let runs: Int
  let timeout: Double
  let scratch: URL

  /// Runs `yosan args` in `directory` with `input`; the median wall time in seconds, nil when a
  /// run was killed at the timeout, and the last run's standard output size.
  func measure(_ args: [String], in directory: URL, input: Data? = nil, prepare: () -> Void = {}) -> (seconds: Double?, outputBytes: Int) {
    var times: [Double] = []
    var outputBytes = 0
    for _ in 0..<runs {
      prepare()
      let process = Process()
      process.executableURL = yosan
      process.arguments = args
      process.currentDirectoryURL = directory
      let output = directory.appendingPathComponent(".bench-output")
      _ = FileManager.default.createFile(atPath: output.path, contents: nil)
      process.standardOutput = FileHandle(forWritingAtPath: output.path)
      process.standardError = FileHandle.nullDevice
      let stdin = Pipe()
      process.standardInput = stdin
      let start = DispatchTime.now().uptimeNanoseconds
      do { try process.run() } catch { fail("cannot run \(yosan.path): \(error)") }
      if let input { stdin.fileHandleForWriting.write(input) }
      try? stdin.fileHandleForWriting.close()
      let deadline = Date().addingTimeInterval(timeout)
      while process.isRunning, Date() < deadline { usleep(2_000) }
      if process.isRunning {
        process.terminate()
        process.waitUntilExit()
        return (nil, 0)
      }
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      outputBytes = (try? FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
      try? FileManager.default.removeItem(at: output)
    }
    return (median(times), outputBytes)
  }

  func time(_ seconds: Double?) -> String {
    guard let seconds else { return "> \(Int(timeout)) s" }
    return seconds < 1 ? ms(seconds) : String(format: "%.2f s", seconds)
  }

  func folder(_ name: String) -> URL {
    let url = scratch.appendingPathComponent(name)
    try? FileManager.default.removeItem(at: url)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func write(_ text: String, _ url: URL) {
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? Data(text.utf8).write(to: url)
  }

  static let header = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n"

  static func item(_ id: String) -> String { "事業 \(id) \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n" }

  func run(lspItems: Int, lineBytes: Int) {
    say("yosan-bench unbounded: \(yosan.path) (median of \(runs), killed after \(Int(timeout)) s)")
    say("")
    say("| shape | size | wall |")
    say("|---|---|---|")
    // §8: `**` runs in an exclude pattern, a file as deep as there are `**`.
    for count in [8, 10, 12, 14, 16] {
      let dir = folder("glob-\(count)")
      write("exclude = \"" + String(repeating: "**/", count: count) + "nomatch\"\n", dir.appendingPathComponent("yosan.config.yosan"))
      let deep = (0...count).map { "d\($0)" }.joined(separator: "/")
      write(Self.header + Self.item("a"), dir.appendingPathComponent(deep + "/a.yosan"))
      say("| `check`: exclude `**/` × n + `nomatch`, a file n + 1 folders deep | n = \(count) | \(time(measure(["check", "."], in: dir).seconds)) |")
    }
    // §8: a configuration in each of many nested folders.
    for depth in [100, 200, 500] {
      let dir = folder("nested-\(depth)")
      var path = dir
      for level in 0..<depth {
        path = path.appendingPathComponent("d\(level)")
        write("exclude = \"**/**/**/skip-\(level).yosan\"\n", path.appendingPathComponent("yosan.config.yosan"))
        write(Self.header + Self.item("a\(level)"), path.appendingPathComponent("a\(level).yosan"))
      }
      say("| `check`: a configuration and a file in each of n nested folders | n = \(depth) | \(time(measure(["check", "."], in: dir).seconds)) |")
    }
    // §9: many diagnostics on one long line (a control character every two bytes).
    for count in [25_000, 50_000, 100_000] {
      let dir = folder("line-\(count)")
      write(String(repeating: "\u{01} ", count: count), dir.appendingPathComponent("a.yosan"))
      let plain = measure(["check", "a.yosan"], in: dir)
      let source = measure(["check", "--show-source", "a.yosan"], in: dir)
      say("| `check`: n diagnostics on one line of 2n bytes | n = \(count) | \(time(plain.seconds)) |")
      say("| `check --show-source`: the same (output) | n = \(count) | \(time(source.seconds)) (\(source.outputBytes / 1_000_000) MB) |")
    }
    // §10: one very long row label and 1,000 rows.
    for label in [10_000, 100_000] {
      let dir = folder("label-\(label)")
      var text = Self.header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1,000千円\n  内訳 {\n    " + String(repeating: "長", count: label) + " = 1千円\n"
      for row in 0..<1_000 { text += "    行\(row) = 1千円\n" }
      text += "  }\n}\n"
      let input = Data(text.utf8)
      let result = measure(["fmt", "-"], in: dir, input: input)
      let ratio = result.seconds == nil ? "" : String(format: ", output %.2f× the input", Double(result.outputBytes) / Double(input.count))
      say("| `fmt -`: a row label of n characters and 1,000 rows (\(input.count / 1_000) KB) | n = \(label) | \(time(result.seconds))\(ratio) |")
    }
    // §11: one safe fix per row.
    for rows in [20_000, 40_000, 80_000] {
      let dir = folder("fix-\(rows)")
      var text = Self.header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = \(rows)千円\n  内訳 {\n"
      for row in 0..<rows { text += "    行\(row) = １千円\n" }
      text += "  }\n}\n"
      let result = measure(["check", "--fix", "-"], in: dir, input: Data(text.utf8))
      say("| `check --fix -`: n safe fixes (one full-width digit per row) | n = \(rows) | \(time(result.seconds)) |")
    }
    languageServer(items: lspItems, lineBytes: lineBytes)
  }

  /// §9 and §10 in the editor: formatting a large unformatted document; hover and diagnostics on
  /// a document of one long line.
  func languageServer(items: Int, lineBytes: Int) {
    let generated = BudgetGenerator.generate(.init(items: items, seed: 42))[0].text
    // Without indentation: formatting has an edit on every line.
    let messy = generated.split(separator: "\n", omittingEmptySubsequences: false).map { $0.drop { $0 == " " } }.joined(separator: "\n")
    var formatting: [Double] = []
    var edits = 0
    var hovers: [Double] = []
    var opens: [Double] = []
    for _ in 0..<runs {
      guard let client = try? LSPClient(executable: yosan) else { fail("cannot start yosan lsp") }
      _ = client.request("initialize", ["processId": Int(getpid()), "rootUri": NSNull(), "capabilities": [String: Any]()])
      client.notify("initialized", [:])
      let uri = "file:///bench/messy.yosan"
      client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "yosan", "version": 1, "text": messy]])
      _ = client.waitForDiagnostics(uri: uri, version: 1)
      var start = DispatchTime.now().uptimeNanoseconds
      let result = client.request("textDocument/formatting", ["textDocument": ["uri": uri], "options": ["tabSize": 2, "insertSpaces": true]])
      formatting.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      edits = (result as? [Any])?.count ?? 0
      // One line of `lineBytes` bytes: a control character every 100 bytes, each a diagnostic.
      let line = String(repeating: "\u{01}" + String(repeating: " ", count: 99), count: lineBytes / 100)
      let lineURI = "file:///bench/line.yosan"
      start = DispatchTime.now().uptimeNanoseconds
      client.notify("textDocument/didOpen", ["textDocument": ["uri": lineURI, "languageId": "yosan", "version": 1, "text": line]])
      _ = client.waitForDiagnostics(uri: lineURI, version: 1)
      opens.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      start = DispatchTime.now().uptimeNanoseconds
      _ = client.request("textDocument/hover", ["textDocument": ["uri": lineURI], "position": ["line": 0, "character": lineBytes - 3]])
      hovers.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      client.shutdown()
    }
    say("| `yosan lsp`: formatting an unindented document (\(edits) edits) | \(items) items | \(time(median(formatting))) |")
    say("| `yosan lsp`: didOpen → diagnostics, one line with a diagnostic every 100 bytes | \(lineBytes / 1_000) KB | \(time(median(opens))) |")
    say("| `yosan lsp`: hover at the end of that line | \(lineBytes / 1_000) KB | \(time(median(hovers))) |")
  }
}
