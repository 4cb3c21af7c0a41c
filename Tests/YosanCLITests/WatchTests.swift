import Foundation
import Testing
import YosanJSON
import YosanTestSupport

/// `yosan check --watch`: the binary runs as a subprocess; the tests change files and wait for the
/// run that follows (with a generous timeout, never a timing assertion).
@Suite struct WatchTests {
  /// A clean file with the given items (each with 担当 and 要求額).
  static func budget(_ items: [(id: String, amount: String)]) -> String {
    Scratch.header + items.map { Scratch.item($0.id, ["担当 = 医政局", "要求額 = \($0.amount)"]) }.joined(separator: "\n")
  }

  static let clean = budget([("a", "1億円")])

  /// A `yosan check --watch` running in the background.
  final class Watcher: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    private let done = DispatchGroup()

    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
      process.executableURL = YosanBinary.url
      process.arguments = ["check", "--watch"] + arguments
      process.currentDirectoryURL = directory
      var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
      for (key, value) in environment { env[key] = value }
      process.environment = env
      let stdout = Pipe()
      let stderr = Pipe()
      process.standardOutput = stdout
      process.standardError = stderr
      process.standardInput = FileHandle.nullDevice
      try process.run()
      for (pipe, isOut) in [(stdout, true), (stderr, false)] {
        done.enter()
        DispatchQueue.global().async { [self] in
          while true {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            lock.lock()
            if isOut { out.append(data) } else { err.append(data) }
            lock.unlock()
          }
          done.leave()
        }
      }
    }

    var stdout: String {
      lock.lock()
      defer { lock.unlock() }
      return String(decoding: out, as: UTF8.self)
    }

    var stderr: String {
      lock.lock()
      defer { lock.unlock() }
      return String(decoding: err, as: UTF8.self)
    }

    /// The lines of standard output.
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// Whether `line` is the line that ends a run: `[HH:MM:SS] …`.
    static func isWatchLine(_ line: String) -> Bool {
      let chars = Array(line.utf8.prefix(11))
      return chars.count == 11 && chars[0] == UInt8(ascii: "[") && chars[3] == UInt8(ascii: ":") && chars[9] == UInt8(ascii: "]")
    }

    /// The runs printed so far: each run's lines, its watch line last.
    var runs: [[String]] {
      var runs: [[String]] = []
      var current: [String] = []
      for line in lines {
        current.append(line)
        if Watcher.isWatchLine(line) {
          runs.append(current)
          current = []
        }
      }
      return runs
    }

    /// Waits (up to a minute: the machine may be loaded) until `runs` runs have been printed, and
    /// returns the last one's text.
    @discardableResult
    func waitForRun(_ count: Int, sourceLocation: SourceLocation = #_sourceLocation) -> String {
      let deadline = Date().addingTimeInterval(60)
      while Date() < deadline {
        let runs = self.runs
        if runs.count >= count { return runs[count - 1].joined(separator: "\n") }
        usleep(20_000)
      }
      Issue.record("no run \(count) within a minute; stdout:\n\(stdout)\nstderr:\n\(stderr)", sourceLocation: sourceLocation)
      return ""
    }

    /// Waits (up to a minute) for a run after run `after` that satisfies `condition` (a change
    /// made in several steps, like removing a folder, may be seen half-way by a run before), and
    /// returns its number and text.
    func waitForRun(after: Int, where condition: (String) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) -> (Int, String) {
      let deadline = Date().addingTimeInterval(60)
      while Date() < deadline {
        let runs = self.runs.map { $0.joined(separator: "\n") }
        if let index = runs.indices.first(where: { $0 >= after && condition(runs[$0]) }) { return (index + 1, runs[index]) }
        usleep(20_000)
      }
      Issue.record("no such run within a minute; stdout:\n\(stdout)", sourceLocation: sourceLocation)
      return (0, "")
    }

    /// Waits until standard error holds `text`.
    func waitForStderr(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
      let deadline = Date().addingTimeInterval(60)
      while Date() < deadline {
        if stderr.contains(text) { return true }
        usleep(20_000)
      }
      Issue.record("no `\(text)` on stderr within a minute; stderr:\n\(stderr)", sourceLocation: sourceLocation)
      return false
    }

    /// Sends `signal` and returns the exit status (-1 if it did not exit within a minute).
    func stop(_ signal: Int32 = SIGINT) -> Int32 {
      kill(process.processIdentifier, signal)
      let deadline = Date().addingTimeInterval(60)
      while process.isRunning, Date() < deadline { usleep(20_000) }
      guard !process.isRunning else {
        kill(process.processIdentifier, SIGKILL)
        return -1
      }
      done.wait()
      return process.terminationReason == .exit ? process.terminationStatus : -2
    }

    deinit {
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
  }

  /// The diagnostics of a run: its lines without the separator, the summary and the watch line.
  static func diagnostics(_ run: String) -> [String] {
    run.split(separator: "\n").map(String.init).filter {
      !$0.hasPrefix("----- ") && !Watcher.isWatchLine($0) && !$0.contains(" checked)") && !$0.hasPrefix("yosan: ")
    }
  }

  /// The diagnostics of `run` are those `yosan check PATHS` prints now.
  static func expectSameAsCheck(_ run: String, _ paths: [String], in dir: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let check = try YosanBinary.run(["check"] + paths, in: dir, timeout: 120)
    #expect(diagnostics(run) == check.stdout.split(separator: "\n").map(String.init), "\(run)\n---\n\(check.stdout)", sourceLocation: sourceLocation)
  }

  /// Polling and inotify must see the same changes.
  static let modes: [[String: String]] = [[:], ["YOSAN_WATCH_POLL": "1"]]

  @Test(arguments: modes) func aChangedFileIsCheckedAgainAndTheSummarySaysWhatChanged(_ environment: [String: String]) throws {
    let dir = try Scratch.folder(["a.yosan": WatchTests.clean, "b.yosan": WatchTests.budget([("b", "2億円")])])
    let watcher = try Watcher(["."], in: dir, environment: environment)
    let first = watcher.waitForRun(1)
    #expect(first.contains("0 errors, 0 warnings in 2 files (2 items, 0 sums, 0 rates checked)"), "\(first)")
    #expect(first.contains("watching . (2 files) for changes"), "\(first)")
    if environment["YOSAN_WATCH_POLL"] != nil {
      #expect(first.contains("(polling every 0.5 s: YOSAN_WATCH_POLL is set)"), "\(first)")
      #expect(watcher.waitForStderr("yosan: watching by polling every 0.5 s: YOSAN_WATCH_POLL is set"))
    }

    try Scratch.write(Scratch.header + Scratch.item("b", ["担当 = 医政局", "要求額 = 2億円", "要球額 = 1億円"]), to: dir.appendingPathComponent("b.yosan"))
    let second = watcher.waitForRun(2)
    #expect(second.hasPrefix("----- yosan check --watch: run 2 -----"), "\(second)")
    #expect(second.contains("./b.yosan:9:3: error: unknown key `要球額` in a 事業; did you mean `要求額`? [unknown-key]"), "\(second)")
    #expect(second.contains("1 error, 0 warnings in 2 files"), "\(second)")
    #expect(second.contains("] 1 file changed (./b.yosan); 1 finding added, 0 fixed"), "\(second)")

    try Scratch.write(WatchTests.budget([("b", "2億円")]), to: dir.appendingPathComponent("b.yosan"))
    let third = watcher.waitForRun(3)
    #expect(!third.contains("unknown-key"), "\(third)")
    #expect(third.contains("0 errors, 0 warnings in 2 files"), "\(third)")
    #expect(third.contains("] 1 file changed (./b.yosan); 0 findings added, 1 fixed"), "\(third)")
    #expect(watcher.stop() == 0)
  }

  @Test func newFilesNewFoldersAndRemovalsAreFollowed() throws {
    let outside = try Scratch.folder(["x.yosan": WatchTests.clean])
    let dir = try Scratch.folder(["budgets/a.yosan": WatchTests.clean])
    let watcher = try Watcher(["budgets"], in: dir)
    watcher.waitForRun(1)

    // A file with an id that a.yosan has: a finding across files.
    try Scratch.write(WatchTests.clean, to: dir.appendingPathComponent("budgets/c.yosan"))
    let second = watcher.waitForRun(2)
    #expect(second.contains("] 1 added (budgets/c.yosan); 1 finding added, 0 fixed"), "\(second)")
    #expect(second.contains("budgets/c.yosan:6:4: error: item id `a` is already defined on budgets/a.yosan:6"), "\(second)")
    #expect(second.contains("[duplicate-id]"), "\(second)")

    // A new folder with a file in it.
    try Scratch.write(WatchTests.budget([("d", "3億円")]), to: dir.appendingPathComponent("budgets/new/deeper/d.yosan"))
    let third = watcher.waitForRun(3)
    #expect(third.contains("] 1 added (budgets/new/deeper/d.yosan)"), "\(third)")
    #expect(third.contains("in 3 files"), "\(third)")

    // What the session found is what a fresh check finds.
    try WatchTests.expectSameAsCheck(third, ["budgets"], in: dir)

    try FileManager.default.removeItem(at: dir.appendingPathComponent("budgets/c.yosan"))
    let fourth = watcher.waitForRun(4)
    #expect(fourth.contains("] 1 removed (budgets/c.yosan); 0 findings added, 1 fixed"), "\(fourth)")
    #expect(fourth.contains("0 errors, 0 warnings in 2 files"), "\(fourth)")

    // A link to a file outside the folder is skipped, as `check` skips it.
    try FileManager.default.createSymbolicLink(
      atPath: dir.appendingPathComponent("budgets/link.yosan").path, withDestinationPath: outside.appendingPathComponent("x.yosan").path)
    let fifth = watcher.waitForRun(5)
    #expect(fifth.contains("yosan: budgets/link.yosan: skipped: a symbolic link to a file outside budgets"), "\(fifth)")
    #expect(fifth.contains("in 2 files"), "\(fifth)")

    // A FIFO named *.yosan is listed and never opened (the watch does not wait on it).
    #expect(mkfifo(dir.appendingPathComponent("budgets/pipe.yosan").path, 0o644) == 0)
    let sixth = watcher.waitForRun(6)
    #expect(sixth.contains("yosan: budgets/pipe.yosan: skipped: a FIFO, not a regular file"), "\(sixth)")

    // A rename: one file goes, another comes.
    #expect(rename(dir.appendingPathComponent("budgets/new/deeper/d.yosan").path, dir.appendingPathComponent("budgets/e.yosan").path) == 0)
    let seventh = watcher.waitForRun(7)
    #expect(seventh.contains("] 1 added (budgets/e.yosan), 1 removed (budgets/new/deeper/d.yosan); no finding added or fixed"), "\(seventh)")
    #expect(watcher.stop(SIGTERM) == 0)
  }

  @Test func filesAreInTheOrderCheckAnalysesThemIn() throws {
    // A file that sorts first, added later, with an id another file has: `check` reports the
    // second definition in path order, so the watch must too.
    let dir = try Scratch.folder(["b.yosan": WatchTests.clean])
    let watcher = try Watcher(["."], in: dir)
    watcher.waitForRun(1)
    try Scratch.write(WatchTests.clean, to: dir.appendingPathComponent("a.yosan"))
    let second = watcher.waitForRun(2)
    #expect(second.contains("./b.yosan:6:4: error: item id `a` is already defined on ./a.yosan:6"), "\(second)")
    try WatchTests.expectSameAsCheck(second, ["."], in: dir)
    #expect(watcher.stop() == 0)
  }

  @Test func aSaveByRenamingANewFileIntoPlaceIsSeen() throws {
    let dir = try Scratch.folder(["a.yosan": WatchTests.clean])
    let watcher = try Watcher(["a.yosan"], in: dir)
    watcher.waitForRun(1)
    let temporary = dir.appendingPathComponent(".a.yosan.swp")
    try Scratch.write(WatchTests.budget([("a", "１億円")]), to: temporary)
    #expect(rename(temporary.path, dir.appendingPathComponent("a.yosan").path) == 0)
    let second = watcher.waitForRun(2)
    #expect(second.contains("] 1 file changed (a.yosan); 1 finding added, 0 fixed"), "\(second)")
    #expect(second.contains("[fullwidth-character]"), "\(second)")
    #expect(watcher.stop() == 0)
  }

  @Test func aConfigurationChangeAppliesItsRulesAgain() throws {
    let dir = try Scratch.folder(["budgets/a.yosan": WatchTests.budget([("a", "１億円")])])
    let watcher = try Watcher(["budgets"], in: dir)
    let first = watcher.waitForRun(1)
    #expect(first.contains("[fullwidth-character]"), "\(first)")

    // In the folder above the one watched: the resolver reads it, so it is watched too.
    try Scratch.write("rules {\n  fullwidth-character = off\n}\n", to: dir.appendingPathComponent("yosan.config.yosan"))
    let second = watcher.waitForRun(2)
    #expect(!second.contains("[fullwidth-character]"), "\(second)")
    #expect(second.contains("] configuration changed (yosan.config.yosan); 0 findings added, 1 fixed"), "\(second)")

    // A mistake in it is a configuration problem, shown like in `check`.
    try Scratch.write("rules {\n  fullwidth-character = loud\n}\n", to: dir.appendingPathComponent("yosan.config.yosan"))
    let third = watcher.waitForRun(3)
    #expect(third.contains("yosan.config.yosan:2:"), "\(third)")
    #expect(third.contains("[configuration]"), "\(third)")
    #expect(third.contains("1 configuration problem"), "\(third)")

    try FileManager.default.removeItem(at: dir.appendingPathComponent("yosan.config.yosan"))
    let fourth = watcher.waitForRun(4)
    #expect(fourth.contains("[fullwidth-character]"), "\(fourth)")
    #expect(!fourth.contains("configuration problem"), "\(fourth)")
    #expect(watcher.stop() == 0)
  }

  @Test func aPathRemovedWhileWatchedIsSaidAndTheRestIsStillWatched() throws {
    let dir = try Scratch.folder(["a.yosan": WatchTests.clean, "sub/b.yosan": WatchTests.budget([("b", "2億円")])])
    let watcher = try Watcher(["a.yosan", "sub"], in: dir)
    let first = watcher.waitForRun(1)
    #expect(first.contains("watching a.yosan, sub (2 files)"), "\(first)")
    // The file and then its folder go: a run may see the folder empty before it is gone.
    try FileManager.default.removeItem(at: dir.appendingPathComponent("sub"))
    let (gone, second) = watcher.waitForRun(after: 1) { $0.contains("; sub does not exist (watching for it)") }
    #expect(second.contains("yosan: sub: no such file or directory"), "\(second)")
    #expect(second.contains("0 errors, 0 warnings in 1 file"), "\(second)")
    #expect(watcher.runs[1].last?.contains("] 1 removed (sub/b.yosan); no finding added or fixed") == true, "\(watcher.stdout)")

    try Scratch.write(WatchTests.budget([("a", "１億円")]), to: dir.appendingPathComponent("a.yosan"))
    let third = watcher.waitForRun(gone + 1)
    #expect(third.contains("] 1 file changed (a.yosan); 1 finding added, 0 fixed; sub does not exist"), "\(third)")

    // Back again.
    try Scratch.write(WatchTests.budget([("b", "2億円")]), to: dir.appendingPathComponent("sub/b.yosan"))
    let (_, fourth) = watcher.waitForRun(after: gone + 1) { $0.contains("] 1 added (sub/b.yosan)") }
    #expect(fourth.contains("] 1 added (sub/b.yosan)"), "\(fourth)")
    #expect(!fourth.contains("does not exist"), "\(fourth)")
    #expect(watcher.stop() == 0)
  }

  @Test func onlyTheFilesThatChangedAreReadAndAnalysedAgain() throws {
    let dir = try Scratch.folder([
      "a.yosan": WatchTests.budget([("a1", "1億円"), ("a2", "2億円")]),
      "b.yosan": WatchTests.budget([("b1", "1億円"), ("b2", "2億円")]),
      "c.yosan": WatchTests.budget([("c1", "1億円"), ("c2", "2億円")]),
    ])
    let watcher = try Watcher(["."], in: dir, environment: ["YOSAN_WATCH_TRACE": "1"])
    watcher.waitForRun(1)
    #expect(watcher.waitForStderr("the session refreshed 3 files and checked 6 units"))
    for name in ["a", "b", "c"] { #expect(watcher.stderr.contains("yosan: watch trace: read ./\(name).yosan")) }

    let mark = watcher.stderr.count
    try Scratch.write(WatchTests.budget([("b1", "1億円"), ("b2", "5億円")]), to: dir.appendingPathComponent("b.yosan"))
    watcher.waitForRun(2)
    #expect(watcher.waitForStderr("the session refreshed 1 file and checked 1 unit\n"))
    let trace = String(watcher.stderr.dropFirst(mark))
    #expect(trace.contains("yosan: watch trace: read ./b.yosan"), "\(trace)")
    #expect(!trace.contains("read ./a.yosan") && !trace.contains("read ./c.yosan"), "\(trace)")

    // Touched, not changed: read again, but nothing to analyse and no run printed; the next run
    // is the next change's.
    let file = dir.appendingPathComponent("b.yosan").path
    let touch = try Program.run(URL(fileURLWithPath: "/usr/bin/touch"), ["-d", "2001-01-01", file])
    #expect(touch.status == 0)
    #expect(watcher.waitForStderr("yosan: watch trace: read ./b.yosan (unchanged)"))
    try Scratch.write(WatchTests.budget([("c1", "1億円"), ("c2", "5億円")]), to: dir.appendingPathComponent("c.yosan"))
    let third = watcher.waitForRun(3)
    #expect(third.contains("] 1 file changed (./c.yosan); no finding added or fixed"), "\(third)")
    #expect(watcher.runs.count == 3)
    #expect(watcher.stop() == 0)
  }

  @Test func jsonPrintsOneDocumentPerRunOnALine() throws {
    let dir = try Scratch.folder(["a.yosan": WatchTests.clean])
    let watcher = try Watcher(["--format", "json", "a.yosan"], in: dir)
    func documents() -> [JSON] {
      watcher.stdout.split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
    }
    let deadline = Date().addingTimeInterval(60)
    while documents().count < 1, Date() < deadline { usleep(20_000) }
    try Scratch.write(WatchTests.budget([("a", "１億円")]), to: dir.appendingPathComponent("a.yosan"))
    while documents().count < 2, Date() < deadline { usleep(20_000) }
    #expect(watcher.stop() == 0)
    let all = documents()
    #expect(all.count == 2, "\(watcher.stdout)")
    #expect(watcher.stdout.split(separator: "\n").count == all.count)
    let schema = try Scratch.schema("json-output.schema.json")
    for document in all { #expect(schema.validate(document) == []) }
    guard all.count == 2 else { return }
    #expect(all[0]["watch"]?["run"] == .int(1))
    #expect(all[0]["watch"]?["added"] == .array([.string("a.yosan")]))
    #expect(all[1]["watch"]?["changed"] == .array([.string("a.yosan")]))
    #expect(all[1]["watch"]?["findingsAdded"] == .int(1))
    #expect(all[1]["summary"]?["styles"] == .int(1))
  }

  @Test func aMissingPathAtTheStartIsExitTwo() throws {
    let dir = try Scratch.folder(["a.yosan": WatchTests.clean])
    let result = try YosanBinary.run(["check", "--watch", "a.yosan", "nope"], in: dir, timeout: 120)
    #expect(result.status == 2)
    #expect(result.stderr == "yosan: nope: no such file or directory\n")
    #expect(result.stdout == "")
  }

  @Test(arguments: [
    (["--fix", "."], "yosan check: --watch only reports; give --fix without --watch (`yosan check --fix PATH...`)"),
    (["--diff", "."], "yosan check: --watch only reports; give --diff without --watch (`yosan check --diff PATH...`)"),
    (["-"], "yosan check: --watch watches files and folders; standard input (-) is read once and cannot change; name the files"),
    (
      ["--format", "sarif", "."],
      "yosan check: --watch prints a result on every change; --format sarif is for one run in CI; use --format text, or json (one document per line)"
    ),
    (
      ["--format", "github", "."],
      "yosan check: --watch prints a result on every change; --format github is for one run in CI; use --format text, or json (one document per line)"
    ),
    (["--show-config", "a.yosan"], "yosan check: --show-config prints a configuration once; drop --watch"),
  ])
  func watchWithWhatCannotBeWatchedIsAUsageError(_ arguments: [String], _ message: String) throws {
    let dir = try Scratch.folder(["a.yosan": WatchTests.clean])
    let result = try YosanBinary.run(["check", "--watch"] + arguments, in: dir, timeout: 120)
    #expect(result.status == 2)
    #expect(result.stderr == message + "\n")
  }

  @Test func helpListsWatch() throws {
    let result = try YosanBinary.run(["check", "--help"], timeout: 120)
    #expect(result.stdout.contains("yosan check --watch [options] PATH..."))
    #expect(result.stdout.contains("  --watch              check, then check again whenever a .yosan file"))
  }
}
