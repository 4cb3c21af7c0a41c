import YosanCore
import YosanJSON

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `yosan check --watch PATH...`: checks, then checks again whenever a `.yosan` file or a
/// configuration file that applies changes, until SIGINT or SIGTERM (exit 0).
///
/// The files are found as `check` finds them (`Inputs`: the same walk, links and special files
/// treated alike, the same configuration resolver), and kept in one `AnalysisSession`: a file is
/// read again only when its stamp (`FileStamp`: device, inode, size, mode, times) changed, and the
/// session analyses again only what changed in it, then the rules across files. Each run prints
/// the whole current result, then a line that says what changed since the run before.
enum WatchCommand {
  /// The formats that make sense for a stream of results.
  static let formats = ["text", "json"]

  static func run(_ paths: [String], options: CheckCommand.Options, console: Console) -> Int32 {
    // A path that is not there at the start is a mistake in the command, as for `check`.
    var missing = false
    for path in paths {
      switch FileSystem.kind(of: path) {
      case .missing:
        console.error.line("yosan: \(path): no such file or directory")
        missing = true
      case .other:
        console.error.line("yosan: \(path): not a regular file or directory")
        missing = true
      case .file, .directory: break
      }
    }
    if missing { return 2 }
    let forcePolling = FileSystem.environment("YOSAN_WATCH_POLL").flatMap { $0.isEmpty ? nil : "YOSAN_WATCH_POLL is set" }
    let waiter = ChangeWaiter(forcePolling: forcePolling)
    var watch = Watch(paths: paths, options: options, console: console, trace: !(FileSystem.environment("YOSAN_WATCH_TRACE") ?? "").isEmpty)
    var scan = watch.scan()
    var lastScan = scan.fingerprint
    var announced = false
    watching: while true {
      let newFolders = waiter.watch(scan.folders)
      if !announced, let reason = waiter.polling {
        // Said once, when it starts (at the start, or when the limit of watches is reached).
        console.error.line("yosan: watching by \(ChangeWaiter.polling(reason))")
        announced = true
      }
      if scan.fingerprint != watch.shown {
        if waiter.stopRequested { break }
        watch.show(scan, polling: waiter.polling)
        console.error.flush()
        if let problem = console.standardOutputProblem(path: "-") {
          console.error.line("yosan: \(problem.reason); stopped watching")
          return 2
        }
      }
      // Files made in a new folder before it was watched are seen only by looking: look again
      // soon (once the folders are quiet: a file may be being written).
      guard waiter.next(soon: !newFolders.isEmpty) == .look else { break }
      scan = watch.scan()
      // Polling: a file seen changing is read once it has stayed as it is for a moment (it may
      // be half-written); with inotify, `next` has waited for that already.
      var rounds = 0
      while waiter.polling != nil, scan.fingerprint != lastScan, scan.fingerprint != watch.shown, rounds < 20 {
        lastScan = scan.fingerprint
        guard waiter.pause(ChangeWaiter.quiet) == .look else { break watching }
        scan = watch.scan()
        rounds += 1
      }
      lastScan = scan.fingerprint
      if waiter.stopRequested { break }
    }
    return 0
  }
}

/// The state of a `check --watch`: the session, what each file was when it was read, what the
/// last run showed.
struct Watch {
  /// What a look at the files found.
  struct Scan {
    var inputs: Inputs
    /// What decides whether there is something new to show: every file's stamp, the
    /// configuration files looked for, the notes and problems.
    var fingerprint: Fingerprint
    /// The folders to watch, each with the names that matter in it (nil: all).
    var folders: [String: Set<String>?]
    /// Configuration files that changed since the last scan.
    var configurationChanged: [String]
    /// The PATHs named that were not there.
    var missing: [String]
  }

  struct Fingerprint: Hashable {
    var files: [String: FileStamp?] = [:]
    var configurations: [String: FileStamp?] = [:]
    var messages: [String] = []
  }

  /// A file as last read.
  final class Cache {
    var entries: [String: (readPath: String, stamp: FileStamp, loaded: Inputs.Loaded)] = [:]
    /// The stamps seen in the current scan, by path.
    var seen: [String: FileStamp?] = [:]
    /// The files read from disk since the last run shown.
    var read: [String] = []

    func load(_ request: Inputs.LoadRequest) throws -> Inputs.Loaded {
      let stamp = FileStamp(request.readPath)
      seen[request.path] = stamp
      if let stamp, let entry = entries[request.path], entry.readPath == request.readPath, entry.stamp == stamp { return entry.loaded }
      let loaded = try Inputs.loadFromDisk(request)
      read.append(request.path)
      if let stamp { entries[request.path] = (request.readPath, stamp, loaded) }
      return loaded
    }
  }

  let paths: [String]
  let options: CheckCommand.Options
  let console: Console
  let trace: Bool
  let session = AnalysisSession()
  let cache = Cache()
  var inputs = Inputs()
  /// The fingerprint of the last run shown.
  var shown: Fingerprint?
  var runs = 0
  /// What the session holds: each file's stamp and configuration when it was given to it.
  var known: [String: (stamp: FileStamp?, configuration: Configuration)] = [:]
  /// The findings of the last run, counted by file, rule and message (not by place: a line added
  /// above a finding moves it, it does not make it new).
  var findings: [String: Int] = [:]
  /// Configuration files that changed since the last run shown.
  var configurationChanged: [String] = []

  init(paths: [String], options: CheckCommand.Options, console: Console, trace: Bool) {
    self.paths = paths
    self.options = options
    self.console = console
    self.trace = trace
    inputs.encoding = options.encoding
    inputs.load = { [cache] in try cache.load($0) }
  }

  /// Looks at every file: the walk again (cheap: names and `stat`), reading only the files whose
  /// stamp changed; the configuration files again only when one of them changed.
  mutating func scan() -> Scan {
    var changed: [String] = []
    for (path, stamp) in inputs.configurationLookups where FileStamp(path) != stamp { changed.append(inputs.display(path)) }
    if !changed.isEmpty { inputs.reloadConfiguration() }
    inputs.startOver()
    cache.seen = [:]
    inputs.gather(paths, stdinFilename: nil)
    inputs.checkConfigurationFiles()
    for path in cache.entries.keys where cache.seen[path] == nil { cache.entries[path] = nil }
    var fingerprint = Fingerprint()
    fingerprint.files = cache.seen
    fingerprint.configurations = inputs.configurationLookups
    fingerprint.messages = inputs.notes + inputs.problems.map(\.description) + inputs.configurationProblems.map { "\($0.path):\($0.line):\($0.column): \($0.message)" }
    var folders: [String: Set<String>?] = [:]
    func add(_ folder: String, _ name: String?) {
      // (`updateValue`: assigning nil through the subscript would remove the folder.)
      if let existing = folders[folder] {
        guard let names = existing else { return }
        folders.updateValue(name.map { names.union([$0]) }, forKey: folder)
      } else {
        folders.updateValue(name.map { [$0] }, forKey: folder)
      }
    }
    for folder in inputs.foldersWalked { add(folder, nil) }
    for path in paths {
      // The path itself appearing, vanishing or being replaced is seen from its folder.
      let absolute = Paths.split(Paths.absolute(path, in: inputs.workingDirectory))
      add(absolute.folder, absolute.name)
      if FileSystem.kind(of: path) == .file, let resolved = FileSystem.resolvedPath(path).map(Paths.split), resolved != absolute {
        add(resolved.folder, resolved.name)
      }
    }
    for path in inputs.configurationLookups.keys { add(Paths.split(path).folder, ConfigurationResolver.fileName) }
    let missing = inputs.problems.filter { $0.reason == "no such file or directory" && paths.contains($0.path) }.map(\.path)
    return Scan(inputs: inputs, fingerprint: fingerprint, folders: folders, configurationChanged: changed, missing: missing)
  }

  /// Brings the session up to date with `scan` and prints the current result and what changed.
  mutating func show(_ scan: Scan, polling: String?) {
    configurationChanged += scan.configurationChanged
    let inputs = scan.inputs
    var notes: [String] = []
    let files = inputs.included(notes: &notes).sorted { $0.path < $1.path }
    var changedFiles: [String] = []
    var added: [String] = []
    var present = Set<String>()
    for file in files {
      present.insert(file.path)
      let stamp = cache.seen[file.path] ?? nil
      guard let before = known[file.path] else {
        session.update(path: file.path, bytes: file.bytes, configuration: file.configuration)
        known[file.path] = (stamp, file.configuration)
        added.append(file.path)
        continue
      }
      guard before.stamp != stamp || stamp == nil || before.configuration != file.configuration else { continue }
      let old = session.bytes(of: file.path)
      session.update(path: file.path, bytes: file.bytes, configuration: file.configuration)
      known[file.path] = (stamp, file.configuration)
      if old != file.bytes { changedFiles.append(file.path) }
    }
    let removed = known.keys.filter { !present.contains($0) }.sorted()
    for path in removed {
      session.remove(path: path)
      known[path] = nil
    }
    session.sortPaths()
    defer { shown = scan.fingerprint }
    if runs > 0, changedFiles.isEmpty, added.isEmpty, removed.isEmpty, configurationChanged.isEmpty,
      scan.fingerprint.messages == shown?.messages
    {
      // Written with the same text, or only touched: the result is the one shown.
      if trace {
        for path in cache.read { console.error.line("yosan: watch trace: read \(path) (unchanged)") }
      }
      cache.read = []
      return
    }
    runs += 1
    let refreshedBefore = session.filesRefreshed
    let checkedBefore = session.unitsChecked
    let analysis = session.diagnostics()
    if trace {
      for path in cache.read { console.error.line("yosan: watch trace: read \(path)") }
      console.error.line(
        "yosan: watch trace: the session refreshed \(TextReporter.plural(session.filesRefreshed - refreshedBefore, "file")) and checked \(TextReporter.plural(session.unitsChecked - checkedBefore, "unit"))"
      )
    }
    cache.read = []
    let report = Report(
      analysis: analysis, configurationProblems: inputs.configurationProblems, ioProblems: inputs.problems,
      workingDirectory: inputs.workingDirectory)

    var now: [String: Int] = [:]
    for file in analysis.files {
      for diagnostic in file.diagnostics { now[file.facts.path + "\u{0}" + diagnostic.ruleID + "\u{0}" + diagnostic.message, default: 0] += 1 }
    }
    var findingsAdded = 0
    var findingsFixed = 0
    for (key, count) in now { findingsAdded += Swift.max(0, count - (findings[key] ?? 0)) }
    for (key, count) in findings { findingsFixed += Swift.max(0, count - (now[key] ?? 0)) }
    findings = now
    let change = Change(
      run: runs, changed: changedFiles, added: added, removed: removed, configuration: configurationChanged,
      missing: scan.missing, findingsAdded: findingsAdded, findingsFixed: findingsFixed)
    configurationChanged = []

    let output = console.output
    if options.format == "json" {
      // JSON Lines: one document per run, on one line.
      var document = JSONReporter.document(report)
      if case .object(var members) = document {
        members.append(("watch", change.json))
        document = .object(members)
      }
      for note in notes { console.error.line(note) }
      output.bytes(document.serializedBytes() + [0x0A])
    } else {
      if FileSystem.isTerminal(1) {
        output.write("\u{1B}[H\u{1B}[2J\u{1B}[3J")
      } else if runs > 1 {
        output.line("----- yosan check --watch: run \(runs) -----")
      }
      for note in notes { output.line(note) }
      for problem in inputs.problems { output.line("yosan: \(problem)") }
      TextReporter.report(report, style: CheckCommand.textStyle(options, fd: 1), to: output)
      output.line(TextReporter.summary(report))
      output.line(change.line(paths: paths, files: files.count, polling: polling))
    }
  }

  /// What changed since the run before.
  struct Change {
    var run: Int
    var changed: [String]
    var added: [String]
    var removed: [String]
    var configuration: [String]
    var missing: [String]
    var findingsAdded: Int
    var findingsFixed: Int

    /// `[12:00:05] 1 file changed (a.yosan), 1 added (c.yosan); 1 finding added, 2 fixed`; the
    /// first run says what is watched.
    func line(paths: [String], files: Int, polling: String?) -> String {
      var parts: [String] = []
      if run == 1 {
        let how = polling.map { " (\(ChangeWaiter.polling($0)))" } ?? ""
        parts.append("watching \(Change.names(paths)) (\(TextReporter.plural(files, "file"))) for changes\(how); press Ctrl-C to stop")
      } else {
        var files: [String] = []
        if !changed.isEmpty { files.append("\(TextReporter.plural(changed.count, "file")) changed (\(Change.names(changed)))") }
        if !added.isEmpty { files.append("\(added.count) added (\(Change.names(added)))") }
        if !removed.isEmpty { files.append("\(removed.count) removed (\(Change.names(removed)))") }
        if !configuration.isEmpty { files.append("configuration changed (\(Change.names(configuration)))") }
        if files.isEmpty { files.append("no file changed") }
        parts.append(files.joined(separator: ", "))
        parts.append(
          findingsAdded == 0 && findingsFixed == 0
            ? "no finding added or fixed" : "\(TextReporter.plural(findingsAdded, "finding")) added, \(findingsFixed) fixed")
      }
      for path in missing { parts.append("\(path) does not exist (watching for it)") }
      return "[\(Change.clock())] " + parts.joined(separator: "; ")
    }

    /// The `watch` member of a JSON document.
    var json: JSON {
      .object([
        ("run", .int(run)), ("changed", .array(changed.map { .string($0) })), ("added", .array(added.map { .string($0) })),
        ("removed", .array(removed.map { .string($0) })), ("configuration", .array(configuration.map { .string($0) })),
        ("missing", .array(missing.map { .string($0) })), ("findingsAdded", .int(findingsAdded)), ("findingsFixed", .int(findingsFixed)),
      ])
    }

    /// Up to three names, then how many more.
    static func names(_ names: [String]) -> String {
      names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }

    /// The local time, `HH:MM:SS`.
    static func clock() -> String {
      var now = time(nil)
      var parts = tm()
      localtime_r(&now, &parts)
      func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
      return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
  }
}
