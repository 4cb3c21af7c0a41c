// yosan-bench: the generator and the benchmark of issue 7. Not part of `swift test`.
//
//   swift run -c release yosan-bench                   # the full table (see README, Performance)
//   swift run -c release yosan-bench generate --items N [--files F] [--seed S] [--defects D] --out DIR
import Foundation
import YosanCore
import YosanGenerator
import YosanSyntax

let arguments = Array(CommandLine.arguments.dropFirst())

// MARK: - __run: a fresh, small process that runs one measured command

// Linux records a process's peak memory across `exec`: a child spawned by this (large) process
// would report this process's peak as its own. So each measured command is started by a fresh
// copy of this program, which reports the command's wall time and peak memory.
//
//   yosan-bench __run RESULT-FILE OUTPUT-FILE TIMEOUT-SECONDS EXECUTABLE ARGS...
//
// A command still running after TIMEOUT-SECONDS (0: no limit) is killed and reported with status 124.
if arguments.first == "__run", arguments.count >= 5 {
  let (resultPath, outputPath, timeout, executable) = (arguments[1], arguments[2], Double(arguments[3]) ?? 0, arguments[4])
  var pid: pid_t = 0
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  let argv: [UnsafeMutablePointer<CChar>?] = Array(arguments[4...]).map { strdup($0) } + [nil]
  var start = timespec()
  clock_gettime(CLOCK_MONOTONIC, &start)
  guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { exit(3) }
  let child = pid
  nonisolated(unsafe) var timedOut = false
  if timeout > 0 {
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
      timedOut = true
      kill(child, SIGKILL)
    }
  }
  var status: Int32 = 0
  var usage = rusage()
  wait4(pid, &status, 0, &usage)
  var end = timespec()
  clock_gettime(CLOCK_MONOTONIC, &end)
  let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
  let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
  let line = "\(seconds) \(usage.ru_maxrss) \(timedOut ? 124 : (status >> 8) & 0xFF) \(cpu)\n"
  _ = FileManager.default.createFile(atPath: resultPath, contents: Data(line.utf8))
  exit(0)
}

func option(_ name: String, in args: [String]) -> String? {
  guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
  return args[i + 1]
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("yosan-bench: \(message)\n".utf8))
  exit(2)
}

func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }

let usage = """
  usage: yosan-bench [--quick]          the full table (--quick: 1,000 and 10,000 items, 3 runs each)
         yosan-bench lsp [--items N] [--edits N] [--queries N]
         yosan-bench faulty [--sizes 1000,10000,100000] [--runs N] [--shapes A,B] [--timeout S]
                            [--phases] [--lsp] [--instructions] [--keep DIR] [--yosan PATH]
                                        every faulty shape at growing sizes (see FaultyBenchmark.swift)
         yosan-bench unbounded [--yosan PATH] [--runs N] [--timeout S] [--lsp-items N] [--line-bytes N]
                                               (issue 16's pathological shapes, at growing sizes)
         yosan-bench spreadsheets [--items N] [--runs N] [--yosan PATH]   export to CSV/XLSX/datapackage, import back
                                                (--yosan: another build to measure, such as main's)
         yosan-bench generate --items N [--files F] [--seed S] [--defects D] --out DIR
         yosan-bench profile --phase PHASE [--items N] [--iterations N]   (for perf and callgrind)
  Build first: swift build -c release (the benchmark runs the release `yosan` next to it).
  """
if arguments.contains("--help") || arguments.contains("-h") {
  print(usage)
  exit(0)
}

// MARK: - generate

func writeFiles(_ files: [BudgetGenerator.File], to directory: URL) throws {
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  for file in files { try Data(file.text.utf8).write(to: directory.appendingPathComponent(file.name)) }
}

if arguments.first == "generate" {
  let args = Array(arguments.dropFirst())
  guard let items = option("--items", in: args).flatMap(Int.init), let out = option("--out", in: args) else {
    fail("usage: yosan-bench generate --items N [--files F] [--seed S] [--defects D] --out DIR")
  }
  let options = BudgetGenerator.Options(
    items: items, files: option("--files", in: args).flatMap(Int.init) ?? 1, seed: option("--seed", in: args).flatMap(UInt64.init) ?? 1,
    defects: option("--defects", in: args).flatMap(Int.init) ?? 0)
  let files = BudgetGenerator.generate(options)
  do { try writeFiles(files, to: URL(fileURLWithPath: out)) } catch { fail("cannot write to \(out): \(error)") }
  let bytes = files.reduce(0) { $0 + $1.text.utf8.count }
  let seeded = files.flatMap { file in file.defects.map { "\(file.name):\($0.line) \($0.defect.rawValue)" } }
  print("wrote \(files.count) file(s), \(items) items, \(bytes) bytes to \(out)")
  for line in seeded { print("seeded: \(line)") }
  exit(0)
}

// MARK: - profile: one phase in a loop, for perf or callgrind

/// One edit in the session and its diagnostics (a function of its own, for callgrind's
/// --toggle-collect); returns when the update was done.
@inline(never)
func editStep(_ session: AnalysisSession, _ bytes: [UInt8], _ offset: Int) -> UInt64 {
  session.update(path: "x.yosan", bytes: bytes, changed: TextRange(start: offset, end: offset))
  let updated = DispatchTime.now().uptimeNanoseconds
  _ = session.diagnostics()
  return updated
}

if arguments.first == "profile" {
  let args = Array(arguments.dropFirst())
  let items = option("--items", in: args).flatMap(Int.init) ?? 10_000
  let iterations = option("--iterations", in: args).flatMap(Int.init) ?? 5
  let phase = option("--phase", in: args) ?? "all"
  let bytes = Array(BudgetGenerator.generate(.init(items: items, seed: 42))[0].text.utf8)
  let tree = bytes.withUnsafeBufferPointer { Parser.parse($0) }
  let document = Lowering.lower(SyntaxNode(green: tree, offset: 0), source: bytes, parallel: false)
  let facts = FileFacts(path: "x.yosan", bytes: bytes, tree: tree, lineIndex: LineIndex(bytes), document: document, configuration: .default)
  // The editor's session: one-character edits at different places, each followed by diagnostics.
  let session = AnalysisSession()
  var edited = bytes
  if phase == "edit" {
    session.update(path: "x.yosan", bytes: edited)
    _ = session.diagnostics()
  }
  var random = SplitMix64(seed: 5)
  let start = DispatchTime.now().uptimeNanoseconds
  for _ in 0..<iterations {
    switch phase {
    case "edit":
      // Anywhere, but at a character's start: editors insert whole characters.
      var offset = random.below(edited.count)
      while offset > 0, edited[offset] & 0xC0 == 0x80 { offset -= 1 }
      if ProcessInfo.processInfo.environment["YOSAN_BENCH_CLOSERS"] != nil {
        // Only at the start of a line that closes a block at column 4: edits that change structure.
        var lineStart = offset
        while lineStart > 0, edited[lineStart - 1] != 0x0A { lineStart -= 1 }
        guard edited[lineStart...].starts(with: Array("    }\n".utf8)) else { continue }
        offset = lineStart
      }
      if ProcessInfo.processInfo.environment["YOSAN_BENCH_ITEM_LINES"] != nil {
        // Only lines of an item's own entries (indented by four spaces), as the LSP table does.
        var lineStart = offset
        while lineStart > 0, edited[lineStart - 1] != 0x0A { lineStart -= 1 }
        let indent = edited[lineStart...].prefix { $0 == 0x20 }.count
        if indent != 4 { continue }
      }
      edited.insert(UInt8(ascii: "1"), at: offset)
      let t0 = DispatchTime.now().uptimeNanoseconds
      let t1 = editStep(session, edited, offset)
      let t2 = DispatchTime.now().uptimeNanoseconds
      if ProcessInfo.processInfo.environment["YOSAN_BENCH_VERBOSE"] != nil {
        print("edit at \(offset): update \(ms(Double(t1 - t0) / 1e9)), diagnostics \(ms(Double(t2 - t1) / 1e9)), checked \(session.unitsCheckedLastTime)")
      }
    case "setup": break
    case "lex": _ = bytes.withUnsafeBufferPointer { Lexer.tokenize($0) }
    case "parse": _ = bytes.withUnsafeBufferPointer { Parser.parse($0) }
    case "parse1": _ = bytes.withUnsafeBufferPointer { Parser.parseSequentially($0) }
    case "lower": _ = Lowering.lower(SyntaxNode(green: tree, offset: 0), source: bytes)
    case "lower1": _ = Lowering.lower(SyntaxNode(green: tree, offset: 0), source: bytes, parallel: false)
    case "check1": _ = Analyzer.check(facts, parallel: false)
    case "lines": _ = LineIndex(bytes)
    case "fallbacks":
      // Which one-character edits of item lines the parser cannot re-parse in place.
      let old = tree
      var count = 0
      for _ in 0..<2000 {
        var offset = random.below(bytes.count)
        while offset > 0, bytes[offset] & 0xC0 == 0x80 { offset -= 1 }
        var lineStart = offset
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        guard bytes[lineStart...].prefix(while: { $0 == 0x20 }).count == 4 else { continue }
        var edited = bytes
        edited.insert(UInt8(ascii: "1"), at: offset)
        let incremental = edited.withUnsafeBufferPointer { Parser.reparseIncrementally(old, replacing: TextRange(start: offset, end: offset), insertedLength: 1, in: $0) }
        if incremental == nil {
          count += 1
          var lineEnd = offset
          while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
          if count <= 15 { print("falls back at column \(offset - lineStart): \(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self))") }
        }
      }
      print("\(count) fallbacks")
    case "open":
      let fresh = AnalysisSession()
      fresh.update(path: "x.yosan", bytes: bytes)
      _ = fresh.diagnostics()
    case "check": _ = Analyzer.check(facts)
    default: _ = Analyzer.analyze([SourceFile(path: "x.yosan", bytes: bytes)])
    }
  }
  let perIteration = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(iterations)
  print("\(phase): \(ms(perIteration)) per iteration (\(items) items, \(bytes.count) bytes)")
  exit(0)
}

// MARK: - measuring

/// Wall time in seconds and peak resident memory in MB of one run of `executable args`.
struct RunResult {
  var seconds: Double
  /// User and system time (of every thread).
  var cpuSeconds: Double
  var peakMB: Double
  var status: Int32
  var stdout: Data
}

func run(_ executable: URL, _ args: [String], timeout: Double = 0) -> RunResult {
  let base = NSTemporaryDirectory() + "yosan-bench-\(getpid())"
  let (resultPath, outputPath) = (base + ".result", base + ".out")
  defer {
    unlink(resultPath)
    unlink(outputPath)
  }
  let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
  let argv: [UnsafeMutablePointer<CChar>?] = ([me, "__run", resultPath, outputPath, String(timeout), executable.path] + args).map { strdup($0) } + [nil]
  defer { argv.forEach { free($0) } }
  var pid: pid_t = 0
  guard posix_spawn(&pid, me, nil, nil, argv, environ) == 0 else { fail("cannot run \(me)") }
  var status: Int32 = 0
  waitpid(pid, &status, 0)
  guard let result = try? String(contentsOfFile: resultPath, encoding: .utf8) else { fail("cannot run \(executable.path)") }
  let fields = result.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
  let out = (try? Data(contentsOf: URL(fileURLWithPath: outputPath))) ?? Data()
  return RunResult(
    seconds: Double(fields[0]) ?? 0, cpuSeconds: fields.count > 3 ? Double(fields[3]) ?? 0 : 0, peakMB: (Double(fields[1]) ?? 0) / 1024, status: Int32(fields[2]) ?? 1, stdout: out)
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

func percentile(_ values: [Double], _ p: Double) -> Double {
  let sorted = values.sorted()
  guard !sorted.isEmpty else { return 0 }
  return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}


/// The release `yosan` next to this executable; built if missing.
func yosanBinary() -> URL {
  let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
  let candidate = here.appendingPathComponent("yosan")
  if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
  fail("build the tool first: swift build -c release --product yosan (looked for \(candidate.path))")
}

let yosan = option("--yosan", in: arguments).map { URL(fileURLWithPath: $0) } ?? yosanBinary()

// MARK: - faulty: the faulty shapes at growing sizes

if arguments.first == "faulty" {
  benchmarkFaultyShapes(yosan: yosan, arguments: Array(arguments.dropFirst()))
  exit(0)
}

// MARK: - unbounded: the shapes of issue 16 that were exponential or quadratic

if arguments.first == "unbounded" {
  let args = Array(arguments.dropFirst())
  let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("yosan-bench-unbounded-\(getpid())")
  defer { try? FileManager.default.removeItem(at: directory) }
  let benchmark = UnboundedBenchmark(
    yosan: yosan, runs: option("--runs", in: args).flatMap(Int.init) ?? 3, timeout: option("--timeout", in: args).flatMap(Double.init) ?? 120,
    scratch: directory)
  benchmark.run(
    lspItems: option("--lsp-items", in: args).flatMap(Int.init) ?? 40_000, lineBytes: option("--line-bytes", in: args).flatMap(Int.init) ?? 1_650_000)
  exit(0)
}

// MARK: - lsp: only the language server's part

if arguments.first == "lsp" {
  let args = Array(arguments.dropFirst())
  benchmarkLanguageServer(
    yosan: yosan, items: option("--items", in: args).flatMap(Int.init) ?? 10_000, edits: option("--edits", in: args).flatMap(Int.init) ?? 200,
    queries: option("--queries", in: args).flatMap(Int.init) ?? 50)
  exit(0)
}
if arguments.first == "spreadsheets" {
  let args = Array(arguments.dropFirst())
  try benchmarkSpreadsheets(
    yosan: option("--yosan", in: args).map { URL(fileURLWithPath: $0) } ?? yosan, items: option("--items", in: args).flatMap(Int.init) ?? 10_000, runs: option("--runs", in: args).flatMap(Int.init) ?? 7)
  exit(0)
}
if let unknown = arguments.first(where: { $0 != "--quick" }) { fail("unknown argument `\(unknown)`\n" + usage) }
let quick = arguments.contains("--quick")
let repetitions = quick ? 3 : 7
let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("yosan-bench-\(getpid())")
try? FileManager.default.removeItem(at: scratch)
defer { try? FileManager.default.removeItem(at: scratch) }

print("yosan-bench: \(yosan.path)")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB")
print("")

// 1. check end to end at three sizes.
print("| check, one file | items | size | wall (median of \(repetitions)) | MB/s | items/s | peak RSS | RSS / input |")
print("|---|---|---|---|---|---|---|---|")
var sizes = [1_000, 10_000, 100_000]
if quick { sizes = [1_000, 10_000] }
for size in sizes {
  let files = BudgetGenerator.generate(.init(items: size, seed: 42))
  let dir = scratch.appendingPathComponent("single-\(size)")
  try writeFiles(files, to: dir)
  let path = dir.appendingPathComponent(files[0].name).path
  let bytes = Double(files[0].text.utf8.count)
  var times: [Double] = []
  var peak = 0.0
  for _ in 0..<(size >= 100_000 ? max(3, repetitions / 2) : repetitions) {
    let r = run(yosan, ["check", path])
    if r.status != 0 { fail("check of the generated \(size)-item file exited \(r.status): \(String(decoding: r.stdout.prefix(2000), as: UTF8.self))") }
    times.append(r.seconds)
    peak = max(peak, r.peakMB)
  }
  let t = median(times)
  print("| | \(size) | \(String(format: "%.1f MB", bytes / 1e6)) | \(ms(t)) | \(String(format: "%.0f", bytes / 1e6 / t)) | \(String(format: "%.0f", Double(size) / t)) | \(String(format: "%.1f MB", peak)) | \(String(format: "%.1f×", peak * 1e6 / bytes)) |")
}
print("")

// 2. The same split into parse, lowering and validation (in process, median of runs).
print("| phases, in process | items | parse | lower | validate | total |")
print("|---|---|---|---|---|---|")
for size in sizes {
  let text = BudgetGenerator.generate(.init(items: size, seed: 42))[0].text
  let phases = phaseTimes(Array(text.utf8), runs: repetitions) { precondition($0 == 0, "generated documents must be clean") }
  let total = phases.parse + phases.lower + phases.validate
  print("| | \(size) | \(ms(phases.parse)) | \(ms(phases.lower)) | \(ms(phases.validate)) | \(ms(total)) |")
}
print("")

// 3. A directory of 200 files totalling 10,000 items.
do {
  let files = BudgetGenerator.generate(.init(items: 10_000, files: 200, seed: 42))
  let dir = scratch.appendingPathComponent("dir-200")
  try writeFiles(files, to: dir)
  var times: [Double] = []
  var peak = 0.0
  for _ in 0..<repetitions {
    let r = run(yosan, ["check", dir.path])
    if r.status != 0 { fail("check of the generated directory exited \(r.status)") }
    times.append(r.seconds)
    peak = max(peak, r.peakMB)
  }
  print("| check, directory | files | items | wall (median) | peak RSS |")
  print("|---|---|---|---|---|")
  print("| | 200 | 10000 | \(ms(median(times))) | \(String(format: "%.1f MB", peak)) |")
  print("")
}

// 4. Cold start on a one-item file.
do {
  let files = BudgetGenerator.generate(.init(items: 1, seed: 42))
  let dir = scratch.appendingPathComponent("one")
  try writeFiles(files, to: dir)
  let path = dir.appendingPathComponent(files[0].name).path
  var times: [Double] = []
  for _ in 0..<(quick ? 10 : 30) { times.append(run(yosan, ["check", path]).seconds) }
  print("| cold start, one item | runs | median | p95 |")
  print("|---|---|---|---|")
  print("| | \(times.count) | \(ms(median(times))) | \(ms(percentile(times, 0.95))) |")
  print("")
}

// 5. The language server on the 10,000-item document.
benchmarkLanguageServer(yosan: yosan, items: 10_000, edits: quick ? 40 : 200, queries: quick ? 10 : 50)
