import Foundation
import YosanCore
import YosanSyntax

/// Paths inside the repository, found from this file's location (tests never read `../shared`).
public enum RepoPaths {
  /// The folder that holds `Package.swift`.
  public static let root: URL = {
    TestRunSummary.register
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("cannot find the repository root from \(#filePath)")
  }()

  public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  /// Every file under `relative` with extension `ext`, sorted.
  public static func files(under relative: String, withExtension ext: String) -> [URL] {
    let base = url(relative)
    guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
    return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == ext }.sorted { $0.path < $1.path }
  }

  /// A path relative to the repository root, for messages.
  public static func relative(_ url: URL) -> String {
    let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
    return url.path.hasPrefix(rootPath) ? String(url.path.dropFirst(rootPath.count)) : url.path
  }
}

/// Golden files: compared by default, rewritten when `UPDATE_GOLDEN=1` is set.
public enum Golden {
  public static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

  /// Nil when `actual` matches the golden file (or the file was written); otherwise a message.
  public static func check(_ actual: String, against url: URL) -> String? {
    let existing = try? String(contentsOf: url, encoding: .utf8)
    if updating || existing == nil {
      if existing != actual {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
      }
      return existing == nil && !updating ? "golden file \(RepoPaths.relative(url)) did not exist and was written; review it" : nil
    }
    if existing == actual { return nil }
    return "\(RepoPaths.relative(url)) is out of date; run `UPDATE_GOLDEN=1 swift test` and review the diff\n" + firstDifference(existing!, actual)
  }

  static func firstDifference(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(a.count, b.count) {
      let x = i < a.count ? String(a[i]) : "<end>"
      let y = i < b.count ? String(b[i]) : "<end>"
      if x != y { return "first difference at line \(i + 1):\n  expected: \(x)\n  actual:   \(y)" }
    }
    return ""
  }
}

/// Runs the built `yosan` executable.
public enum YosanBinary {
  /// The executable next to the test bundle (`swift build` and `swift test` put both in one folder).
  public static let url: URL = {
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    if folder.path.hasSuffix(".xctest/Contents/MacOS") {
      folder = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    let candidate = folder.appendingPathComponent("yosan")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    return RepoPaths.url(".build/debug/yosan")
  }()

  public struct Result {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutBytes: Data
  }

  /// Runs `yosan arguments…` in `directory` (the repository root by default) with `input` on
  /// standard input and `environment` added to a minimal environment; with `fileSizeLimit`, under
  /// `ulimit -f` that many 1 KiB blocks (writing a file beyond it fails, as on a full disk).
  ///
  /// With `standardOutput` (`standardError`), that stream goes to the file given (such as
  /// `/dev/full`) and the result's `stdout` (`stderr`) is empty. With `timeout`, a run that takes longer is killed and the status
  /// is -1: a guard against hangs and runaway work, never a measure of speed.
  public static func run(
    _ arguments: [String], input: Data? = nil, in directory: URL? = nil, environment: [String: String] = [:], fileSizeLimit: Int? = nil,
    standardOutput: FileHandle? = nil, standardError: FileHandle? = nil, timeout: TimeInterval? = nil
  ) throws -> Result {
    var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    for (k, v) in environment { env[k] = v }
    if let fileSizeLimit {
      return try Program.run(
        URL(fileURLWithPath: "/bin/sh"), ["-c", "ulimit -f \(fileSizeLimit); exec \"$0\" \"$@\"", url.path] + arguments, input: input,
        in: directory ?? RepoPaths.root, environment: env, standardOutput: standardOutput, standardError: standardError, timeout: timeout)
    }
    return try Program.run(
      url, arguments, input: input, in: directory ?? RepoPaths.root, environment: env, standardOutput: standardOutput, standardError: standardError,
      timeout: timeout)
  }
}

/// Runs a program and collects what it writes.
public enum Program {
  /// Runs `executable arguments…` in `directory` with `input` on standard input and `environment`
  /// (nil: this process's). `standardOutput`, `standardError` and `timeout` as for `YosanBinary.run`.
  public static func run(
    _ executable: URL, _ arguments: [String], input: Data? = nil, in directory: URL? = nil, environment: [String: String]? = nil,
    standardOutput: FileHandle? = nil, standardError: FileHandle? = nil, timeout: TimeInterval? = nil
  ) throws -> YosanBinary.Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let stdinPipe = Pipe()
    let stdoutPipe = Pipe()
    let stderrPipe = Pipe()
    process.standardInput = stdinPipe
    process.standardOutput = standardOutput ?? stdoutPipe
    process.standardError = standardError ?? stderrPipe
    try process.run()
    if standardOutput != nil { try? stdoutPipe.fileHandleForWriting.close() }
    if standardError != nil { try? stderrPipe.fileHandleForWriting.close() }
    let killed = KillSwitch()
    if let timeout {
      let pid = process.processIdentifier
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [killed] in
        guard killed.arm() else { return }
        kill(pid, SIGKILL)
      }
    }
    // The program may exit without reading its input (a usage error): writing must then fail
    // quietly instead of killing the test process with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    let writer = Thread {
      if let input { try? stdinPipe.fileHandleForWriting.write(contentsOf: input) }
      try? stdinPipe.fileHandleForWriting.close()
    }
    writer.start()
    let errBox = DataBox()
    let errReader = Thread {
      errBox.data = stderrPipe.fileHandleForReading.readDataToEndOfFile()
      errBox.done.signal()
    }
    errReader.start()
    let outData = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    errBox.done.wait()
    let timedOut = !killed.disarm()
    return YosanBinary.Result(
      status: timedOut ? -1 : process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errBox.data, as: UTF8.self), stdoutBytes: outData)
  }
}

/// Decides once whether a timed-out run is killed or finished first.
final class KillSwitch: @unchecked Sendable {
  private let lock = NSLock()
  private var state = 0  // 0 running, 1 finished, 2 killed

  /// True when the timer may kill (the run had not finished).
  func arm() -> Bool {
    lock.lock()
    defer { lock.unlock() }
    if state == 0 { state = 2 }
    return state == 2
  }

  /// True when the run finished before the timer killed it.
  func disarm() -> Bool {
    lock.lock()
    defer { lock.unlock() }
    if state == 0 { state = 1 }
    return state == 1
  }
}

final class DataBox: @unchecked Sendable {
  var data = Data()
  let done = DispatchSemaphore(value: 0)
}

/// Analysis helpers for tests.
public enum Check {
  /// Analyses `text` as one file named `name` and returns its diagnostics.
  public static func diagnostics(_ text: String, name: String = "test.yosan", configuration: Configuration = .default) -> [Diagnostic] {
    Analyzer.analyze([SourceFile(path: name, text: text)], configuration: { _ in configuration }).files[0].diagnostics
  }

  /// `line:column rule: message` lines for `text`'s diagnostics, 1-based, columns in characters.
  public static func rendered(_ text: String, configuration: Configuration = .default) -> [String] {
    let analysis = Analyzer.analyze([SourceFile(path: "test.yosan", text: text)], configuration: { _ in configuration })
    let file = analysis.files[0]
    return file.diagnostics.map { d in
      let (line, column) = file.facts.position(of: d.range.start)
      return "\(line):\(column) \(d.ruleID): \(d.message)"
    }
  }
}

/// A rendering of a lowered model without positions: two documents with equal fingerprints say
/// the same thing, wherever it is written. Used to prove that formatting and safe fixes never
/// change what a file means.
public enum ModelFingerprint {
  /// The fingerprint; with `positions`, ranges are written too (to compare where things are).
  public static func of(_ document: Document, positions: Bool = false) -> String {
    var out = ""
    write(document, positions: positions, into: &out)
    return out
  }

  static func write(_ value: Any, positions: Bool, into out: inout String) {
    switch value {
    case is TextRange, is EntryLocation:
      if let range = value as? TextRange, positions {
        out += "\(range.start)..\(range.end)"
        return
      }
      if !positions {
        out += "~"
        return
      }
    case is String, is Substring, is Int, is Int128, is Bool, is ExactDecimal, is Rational, is Unicode.Scalar:
      out += "\(value)"
      return
    default:
      break
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .optional:
      if let child = mirror.children.first { write(child.value, positions: positions, into: &out) } else { out += "nil" }
    case .enum:
      guard let child = mirror.children.first else {
        out += "\(value)"
        return
      }
      out += "\(child.label ?? "?")("
      write(child.value, positions: positions, into: &out)
      out += ")"
    case .dictionary, .set:
      let parts = mirror.children.map { child -> String in
        var part = ""
        write(child.value, positions: positions, into: &part)
        return part
      }
      out += "{" + parts.sorted().joined(separator: ",") + "}"
    case .collection:
      out += "["
      for child in mirror.children {
        write(child.value, positions: positions, into: &out)
        out += ","
      }
      out += "]"
    case nil:
      out += "\(value)"
    default:
      out += "\(type(of: value))("
      for child in mirror.children {
        out += "\(child.label ?? ""):"
        write(child.value, positions: positions, into: &out)
        out += " "
      }
      out += ")"
    }
  }
}

/// Text helpers shared by the tests' own reference implementations.
public enum TestText {
  /// `digits` with a `,` between groups of three from the right: `1234567` → `1,234,567`.
  public static func groupedByThrees(_ digits: String) -> String {
    var grouped = ""
    for (i, c) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { grouped += "," }
      grouped.append(c)
    }
    return grouped
  }
}
