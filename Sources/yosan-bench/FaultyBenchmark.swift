// The faulty shapes (issue 12): every shape of `BudgetGenerator.Shape` at growing sizes, checked as
// users run it (`yosan check PATH` as a process), with the growth of each step: the time ratio
// divided by the size ratio. 1.0 is linear; the target is at most 1.2 from 10,000 to 100,000
// items, and at most 2 s at 100,000.
//
//   swift build -c release
//   .build/release/yosan-bench faulty                        # every shape at 1K, 10K and 100K items
//   .build/release/yosan-bench faulty --shapes missing-key,unclosed --sizes 10000,100000 --runs 5
//   .build/release/yosan-bench faulty --phases --lsp         # also in process, and the language server
//   .build/release/yosan-bench faulty --yosan /tmp/old-yosan # another build of the tool (before/after)
//
// --phases: parse, lowering and rules in this process (single-file shapes). --lsp: `yosan lsp`
// opening the file (didOpen → diagnostics) and one edit in its middle (didChange → diagnostics).
// --instructions: one run of each size under `valgrind --tool=callgrind`, counting the
// instructions executed (all threads): a growth that does not depend on how loaded the machine is.
// A command that runs longer than --timeout seconds (default 60) is killed, and the larger sizes
// of its shape are skipped.
import Foundation
import YosanCore
import YosanGenerator
import YosanLSP
import YosanSyntax

func benchmarkFaultyShapes(yosan: URL, arguments args: [String]) {
  let sizes = (option("--sizes", in: args) ?? "1000,10000,100000").split(separator: ",").compactMap { Int($0) }
  let runs = option("--runs", in: args).flatMap(Int.init) ?? 3
  let timeout = option("--timeout", in: args).flatMap(Double.init) ?? 60
  let phases = args.contains("--phases")
  let instructions = args.contains("--instructions")
  let lsp = args.contains("--lsp")
  var shapes = BudgetGenerator.Shape.allCases
  if let names = option("--shapes", in: args) {
    shapes = names.split(separator: ",").map { name in
      guard let shape = BudgetGenerator.Shape(rawValue: String(name)) else {
        fail("unknown shape `\(name)`; the shapes are \(BudgetGenerator.Shape.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return shape
    }
  }
  guard !sizes.isEmpty, runs > 0 else { fail("--sizes and --runs need positive numbers") }
  let keep = option("--keep", in: args).map { URL(fileURLWithPath: $0) }
  let scratch = keep ?? URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("yosan-bench-faulty-\(getpid())")
  defer { if keep == nil { try? FileManager.default.removeItem(at: scratch) } }

  print("yosan-bench faulty: \(yosan.path)")
  print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load \(loadAverage()); median of \(runs) runs; timeout \(Int(timeout)) s")
  print("")

  struct Measured {
    var seconds: Double?
    var cpuSeconds: Double?
    var instructions: Double?
    var timedOut = false
    var bytes = 0
    var files = 1
    var findings = 0
    var peakMB = 0.0
  }
  var table: [(shape: BudgetGenerator.Shape, results: [Measured])] = []
  var phaseRows: [String] = []
  var lspRows: [String] = []
  for shape in shapes {
    var results: [Measured] = []
    var stopped = false
    for size in sizes {
      var measured = Measured()
      guard !stopped else {
        measured.timedOut = true
        results.append(measured)
        continue
      }
      let files = BudgetGenerator.faulty(shape, items: size)
      let dir = scratch.appendingPathComponent("\(shape.rawValue)-\(size)")
      try? FileManager.default.removeItem(at: dir)
      do { try writeFiles(files, to: dir) } catch { fail("cannot write \(dir.path): \(error)") }
      measured.bytes = files.reduce(0) { $0 + $1.text.utf8.count }
      measured.files = files.count
      let path = files.count == 1 ? dir.appendingPathComponent(files[0].name).path : dir.path
      var times: [Double] = []
      var cpuTimes: [Double] = []
      for _ in 0..<runs {
        let r = run(yosan, ["check", "--color", "never", path], timeout: timeout)
        if r.status == 124 {
          measured.timedOut = true
          stopped = true
          break
        }
        if r.status != 0 && r.status != 1 {
          fail("check of \(shape.rawValue) at \(size) items exited \(r.status): \(String(decoding: r.stdout.prefix(2000), as: UTF8.self))")
        }
        times.append(r.seconds)
        cpuTimes.append(r.cpuSeconds)
        measured.peakMB = max(measured.peakMB, r.peakMB)
        measured.findings = r.stdout.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
      }
      if !measured.timedOut {
        measured.seconds = median(times)
        measured.cpuSeconds = median(cpuTimes)
        if instructions { measured.instructions = instructionCount(yosan, ["check", "--color", "never", path]) }
      }
      results.append(measured)
      if phases, files.count == 1, !measured.timedOut {
        phaseRows.append("| \(shape.rawValue) | \(size) | " + inProcessPhases(files[0].text, runs: runs) + " |")
      }
      if lsp, files.count == 1, !measured.timedOut {
        lspRows.append("| \(shape.rawValue) | \(size) | " + languageServerOpenAndEdit(yosan: yosan, text: files[0].text) + " |")
      }
      if keep == nil { try? FileManager.default.removeItem(at: dir) }
    }
    table.append((shape, results))
    printShapeRow(shape.rawValue, sizes: sizes, results.map { ($0.seconds, $0.cpuSeconds, $0.timedOut) }, header: table.count == 1)
    if instructions {
      let counts = results.map { $0.instructions.map { String(format: "%.3g", $0) } ?? "" }
      let growth = results.indices.dropLast().map { index -> String in
        guard let a = results[index].instructions, let b = results[index + 1].instructions else { return "" }
        return String(format: "%.2f", (b / a) / (Double(sizes[index + 1]) / Double(sizes[index])))
      }
      print("| (instructions) | " + (counts + growth).joined(separator: " | ") + " |")
    }
    // Each row as soon as it is measured, also when the output is a file.
    fflush(nil)
  }
  print("")
  print("| at the largest size measured | items | files | size | lines of output | peak RSS |")
  print("|---|---|---|---|---|---|")
  for (shape, results) in table {
    guard let index = results.lastIndex(where: { $0.seconds != nil }) else { continue }
    let m = results[index]
    print("| \(shape.rawValue) | \(sizes[index]) | \(m.files) | \(String(format: "%.1f MB", Double(m.bytes) / 1e6)) | \(m.findings) | \(String(format: "%.0f MB", m.peakMB)) |")
  }
  print("")
  if !phaseRows.isEmpty {
    print("| in process | items | parse | lower | file and item rules | whole analysis |")
    print("|---|---|---|---|---|---|")
    phaseRows.forEach { print($0) }
    print("")
  }
  if !lspRows.isEmpty {
    print("| yosan lsp | items | didOpen → diagnostics | one edit in the middle → diagnostics | diagnostics |")
    print("|---|---|---|---|---|")
    lspRows.forEach { print($0) }
    print("")
  }
}

/// One row of the table: the wall and CPU times at each size, and the growth of each step (wall,
/// then CPU: on a machine shared with other work, CPU time is the steadier of the two).
func printShapeRow(_ name: String, sizes: [Int], _ results: [(seconds: Double?, cpu: Double?, timedOut: Bool)], header: Bool) {
  func label(_ n: Int) -> String { n % 1000 == 0 ? "\(n / 1000)K" : "\(n)" }
  if header {
    let steps = zip(sizes, sizes.dropFirst()).map { "growth \(label($0))→\(label($1)) (wall, cpu)" }
    print("| shape | " + (sizes.map { "\(label($0)) wall (cpu)" } + steps).joined(separator: " | ") + " |")
    print("|---|" + String(repeating: "---|", count: sizes.count + steps.count))
  }
  func seconds(_ s: Double) -> String { s < 10 ? String(format: "%.3f", s) : String(format: "%.1f", s) }
  var cells = results.map { r -> String in
    guard let wall = r.seconds else { return r.timedOut ? "timeout" : "" }
    return "\(seconds(wall)) s (\(seconds(r.cpu ?? 0)))"
  }
  for index in sizes.indices.dropLast() {
    let ratio = Double(sizes[index + 1]) / Double(sizes[index])
    guard let a = results[index].seconds, let b = results[index + 1].seconds, a > 0 else {
      cells.append("")
      continue
    }
    var cell = String(format: "%.2f", (b / a) / ratio)
    if let c = results[index].cpu, let d = results[index + 1].cpu, c > 0 { cell += String(format: " (%.2f)", (d / c) / ratio) }
    cells.append(cell)
  }
  print("| \(name) | " + cells.joined(separator: " | ") + " |")
}

/// The medians of parsing, lowering and the file and item rules of one file in this process;
/// `found` is told how many diagnostics each run had.
func phaseTimes(_ bytes: [UInt8], runs: Int, found: (Int) -> Void = { _ in }) -> (parse: Double, lower: Double, validate: Double) {
  var parse: [Double] = []
  var lower: [Double] = []
  var validate: [Double] = []
  for _ in 0..<runs {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let tree = bytes.withUnsafeBufferPointer { Parser.parse($0) }
    let t1 = DispatchTime.now().uptimeNanoseconds
    let document = Lowering.lower(SyntaxNode(green: tree, offset: 0), source: bytes)
    let t2 = DispatchTime.now().uptimeNanoseconds
    let facts = FileFacts(path: "x.yosan", bytes: bytes, tree: tree, lineIndex: LineIndex(bytes), document: document, configuration: .default)
    let result = Analyzer.check(facts)
    let t3 = DispatchTime.now().uptimeNanoseconds
    found(result.diagnostics.count)
    parse.append(Double(t1 - t0) / 1e9)
    lower.append(Double(t2 - t1) / 1e9)
    validate.append(Double(t3 - t2) / 1e9)
  }
  return (median(parse), median(lower), median(validate))
}

/// Parse, lowering, the file and item rules, and the whole analysis (with the rules across files
/// and the suppressions) of one file in this process (medians), as table cells.
func inProcessPhases(_ text: String, runs: Int) -> String {
  let bytes = Array(text.utf8)
  let phases = phaseTimes(bytes, runs: runs)
  var whole: [Double] = []
  for _ in 0..<runs {
    let t0 = DispatchTime.now().uptimeNanoseconds
    _ = Analyzer.analyze([SourceFile(path: "x.yosan", bytes: bytes)])
    whole.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
  }
  return [phases.parse, phases.lower, phases.validate, median(whole)].map { ms($0) }.joined(separator: " | ")
}

/// `yosan lsp` opening `text` and one edit in its middle (a digit typed at the middle byte's
/// character), each until its diagnostics arrive, as table cells.
func languageServerOpenAndEdit(yosan: URL, text: String) -> String {
  let uri = "file:///bench/faulty.yosan"
  let client = LSPClient.started(executable: yosan)
  let t0 = DispatchTime.now().uptimeNanoseconds
  guard client.open(uri: uri, text: text) else {
    client.shutdown()
    let limit = MessageFramer.Limits.standard.maximumMessageSize >> 20
    return "not sent: its didOpen is over the server's \(limit) MiB message limit | | "
  }
  let t1 = DispatchTime.now().uptimeNanoseconds
  // The line and UTF-16 column of the character at the middle byte.
  let utf8 = Array(text.utf8)
  var middle = utf8.count / 2
  while middle > 0, utf8[middle] & 0xC0 == 0x80 { middle -= 1 }
  var line = 0
  var lineStart = 0
  for index in 0..<middle where utf8[index] == 0x0A {
    line += 1
    lineStart = index + 1
  }
  let column = String(decoding: utf8[lineStart..<middle], as: UTF8.self).utf16.count
  let position: [String: Any] = ["line": line, "character": column]
  client.notify("textDocument/didChange", [
    "textDocument": ["uri": uri, "version": 2], "contentChanges": [["range": ["start": position, "end": position], "text": "1"]],
  ])
  let count = client.waitForDiagnostics(uri: uri, version: 2)
  let t2 = DispatchTime.now().uptimeNanoseconds
  client.shutdown()
  return "\(ms(Double(t1 - t0) / 1e9)) | \(ms(Double(t2 - t1) / 1e9)) | \(count)"
}

/// The instructions one run of `executable args` executes, counted by callgrind.
func instructionCount(_ executable: URL, _ args: [String]) -> Double? {
  let out = NSTemporaryDirectory() + "yosan-bench-callgrind-\(getpid()).out"
  defer { unlink(out) }
  _ = run(URL(fileURLWithPath: "/usr/bin/valgrind"), ["--tool=callgrind", "--callgrind-out-file=\(out)", executable.path] + args)
  guard let text = try? String(contentsOfFile: out, encoding: .utf8),
    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("summary:") || $0.hasPrefix("totals:") })
  else { return nil }
  return Double(line.split(separator: " ").last ?? "")
}

/// The 1-minute load average of the machine (others build on it too).
func loadAverage() -> String {
  var loads = [Double](repeating: 0, count: 3)
  return getloadavg(&loads, 3) > 0 ? String(format: "%.1f", loads[0]) : "?"
}
