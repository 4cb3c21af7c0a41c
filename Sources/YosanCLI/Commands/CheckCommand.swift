import YosanCore
import YosanSyntax

/// `yosan check`: analyse files and report; `--fix` and `--diff` apply or show the safe fixes;
/// `--show-config` prints the configuration that applies to a file.
enum CheckCommand {
  static let formats = ["text", "json", "sarif", "github"]

  struct Options {
    var format = "text"
    /// `--show-source` given.
    var showSource = false
    /// `--color`: auto, always or never.
    var color = "auto"
    var strict = false
    var maxWarnings: Int?
    var fix = false
    var diff = false
    var stdinFilename: String?
    var encoding = InputEncoding.utf8
    /// `--watch`: check again on every change, until stopped.
    var watch = false
  }

  static func run(_ arguments: [String], console: Console) throws -> Int32 {
    let args = try Arguments(
      arguments, command: "check", valued: ["--format", "--color", "--max-warnings", "--show-config", "--stdin-filename", "--encoding"],
      flags: ["--show-source", "--strict", "--fix", "--diff", "--watch"])
    if let path = args.value("--show-config") {
      guard args.positionals.isEmpty else { throw UsageError("yosan check: --show-config takes one file and no other paths") }
      guard !args.flag("--watch") else { throw UsageError("yosan check: --show-config prints a configuration once; drop --watch") }
      return ShowConfig.run(path, console: console)
    }
    var options = Options()
    options.format = args.value("--format") ?? "text"
    guard formats.contains(options.format) else {
      throw UsageError("yosan check: unknown format `\(options.format)`; use text, json, sarif or github")
    }
    options.showSource = args.flag("--show-source")
    options.color = args.value("--color") ?? "auto"
    guard ["auto", "always", "never"].contains(options.color) else {
      throw UsageError("yosan check: --color takes auto, always or never, not `\(options.color)`")
    }
    options.strict = args.flag("--strict")
    if let text = args.value("--max-warnings") {
      guard let n = Int(text), n >= 0 else {
        throw UsageError("yosan check: --max-warnings needs a number of warnings, like --max-warnings 0")
      }
      options.maxWarnings = n
    }
    options.fix = args.flag("--fix")
    options.diff = args.flag("--diff")
    if options.fix, options.diff {
      throw UsageError("yosan check: --fix writes the fixes and --diff only shows them; give one of them")
    }
    options.stdinFilename = args.value("--stdin-filename")
    options.encoding = try InputEncoding.parse(args.value("--encoding"), command: "check")
    if options.encoding != .utf8, options.fix || options.diff {
      throw UsageError(
        "yosan check: --fix and --diff write UTF-8; convert the files first with `yosan fmt --encoding \(args.value("--encoding")!) PATH...`, then fix them")
    }
    guard !args.positionals.isEmpty else {
      throw UsageError("yosan check: no files given; for example `yosan check Samples/budgets`, or - for standard input")
    }
    if options.stdinFilename != nil, !args.positionals.contains("-") {
      throw UsageError("yosan check: --stdin-filename names standard input; give - as the path too")
    }
    options.watch = args.flag("--watch")
    if options.watch {
      try checkWatchUsage(args, options)
      return WatchCommand.run(args.positionals, options: options, console: console)
    }
    if options.fix, args.positionals.contains("-"), options.format != "text" {
      throw UsageError(
        "yosan check: --fix with - writes the fixed text to standard output and the diagnostics to standard error, as text; drop --format")
    }

    var inputs = Inputs.gather(args.positionals, stdinFilename: options.stdinFilename, encoding: options.encoding)
    inputs.checkConfigurationFiles()
    var notes: [String] = []
    // Output is sorted by file: analyse in path order (standard input, `-`, first).
    let files = inputs.included(notes: &notes).sorted { $0.path < $1.path }
    for note in notes { console.error.line(note) }
    for problem in inputs.problems { console.error.line("yosan: \(problem)") }
    let sources = files.map(\.source)
    var configurations: [String: Configuration] = [:]
    for file in files { configurations[file.path] = file.configuration }
    let configurationOf: @Sendable (String) -> Configuration = { [configurations] path in configurations[path] ?? .default }

    var report = Report(
      analysis: .empty, configurationProblems: inputs.configurationProblems,
      ioProblems: inputs.problems, workingDirectory: inputs.workingDirectory)
    if options.fix || options.diff {
      let outcome = FixApplier.applySafeFixes(to: sources, configuration: configurationOf)
      if options.diff {
        var changed = false
        for file in files {
          guard let fixed = outcome.fixed[file.path] else { continue }
          changed = true
          console.output.write(UnifiedDiff.render(path: file.path, old: file.bytes, new: fixed))
        }
        let count = outcome.counts.values.reduce(0, +)
        console.error.line(
          changed
            ? "\(TextReporter.plural(count, "fix", "fixes")) would be applied to \(TextReporter.plural(outcome.fixed.count, "file"))"
            : "no safe fix to apply")
        if !inputs.problems.isEmpty || !inputs.configurationProblems.isEmpty {
          TextReporter.report(Report(analysis: .empty, configurationProblems: inputs.configurationProblems), to: console.error)
          return 2
        }
        return changed ? 1 : 0
      }
      var notWritten = Set<String>()
      let replacer = FileReplacer { console.error.line($0) }
      for file in files {
        guard let fixed = outcome.fixed[file.path] else { continue }
        if file.isStandardInput { continue }
        do {
          // A file that already holds the fixed text (another run wrote it) is not counted.
          guard try replacer.replace(file, with: fixed, display: { [inputs] in inputs.display($0) }) == .replaced else { continue }
          report.fixesApplied += outcome.counts[file.path] ?? 0
          report.filesFixed += 1
        } catch let error as IOError {
          console.error.line("yosan: \(error)")
          report.ioProblems.append(error)
          notWritten.insert(file.path)
        }
      }
      report.filesNotWritten = notWritten.count
      if notWritten.isEmpty {
        report.analysis = outcome.analysis
      } else {
        // Report what is on disk: the fixed text of the files written, the text as read of the
        // others (analysed together again, as references between files may have changed).
        let onDisk = files.map { file in
          notWritten.contains(file.path) ? file.source : SourceFile(path: file.path, bytes: outcome.fixed[file.path] ?? file.bytes)
        }
        report.analysis = Analyzer.analyze(onDisk, configuration: configurationOf)
      }
      if let standardInput = files.first(where: \.isStandardInput) {
        // The fixed text goes to standard output, the diagnostics to standard error.
        console.output.bytes(outcome.fixed[standardInput.path] ?? standardInput.bytes)
        if let problem = console.standardOutputProblem(path: standardInput.path) {
          console.error.line("yosan: \(problem)")
          report.ioProblems.append(problem)
          report.filesNotWritten += outcome.fixed[standardInput.path] == nil ? 0 : 1
        } else {
          report.fixesApplied += outcome.counts[standardInput.path] ?? 0
          report.filesFixed += outcome.fixed[standardInput.path] == nil ? 0 : 1
        }
        TextReporter.report(report, style: textStyle(options, fd: 2), to: console.error)
        console.error.line(TextReporter.summary(report))
        return exitStatus(report, options)
      }
      if outcome.stoppedEarly { console.error.line("yosan: fixes were still available after 10 rounds; run `yosan check --fix` again") }
    } else {
      report.analysis = Analyzer.analyze(sources, configuration: configurationOf)
    }
    switch options.format {
    case "json": JSONReporter.report(report, to: console.output)
    case "sarif": SARIFReporter.report(report, to: console.output)
    case "github": GitHubReporter.report(report, to: console.output)
    default:
      TextReporter.report(report, style: textStyle(options, fd: 1), to: console.output)
      // When nothing could be read, the problem's own line is the whole message.
      if !(files.isEmpty && report.hasProblems) { console.error.line(TextReporter.summary(report)) }
    }
    Lifetime.keepUntilExit(report)
    return exitStatus(report, options)
  }

  /// What `--watch` cannot be given with: fixes (a watch that rewrites the files being edited
  /// would fight the editor), standard input (read once, it never changes), and the formats made
  /// for one run of CI (SARIF is one log file to upload; GitHub's workflow commands annotate one
  /// run).
  static func checkWatchUsage(_ args: Arguments, _ options: Options) throws {
    if options.fix || options.diff {
      let flag = options.fix ? "fix" : "diff"
      throw UsageError("yosan check: --watch only reports; give --\(flag) without --watch (`yosan check --\(flag) PATH...`)")
    }
    if args.positionals.contains("-") {
      throw UsageError("yosan check: --watch watches files and folders; standard input (-) is read once and cannot change; name the files")
    }
    guard WatchCommand.formats.contains(options.format) else {
      throw UsageError(
        "yosan check: --watch prints a result on every change; --format \(options.format) is for one run in CI; use --format text, or json (one document per line)")
    }
  }

  /// 2 for a configuration or I/O problem; 1 when an error was reported, or a warning under
  /// `--strict`, or more warnings than `--max-warnings`; otherwise 0.
  static func exitStatus(_ report: Report, _ options: Options) -> Int32 {
    if report.hasProblems { return 2 }
    let counts = report.counts
    let warnings = counts[.warning] ?? 0
    if (counts[.error] ?? 0) > 0 { return 1 }
    if options.strict, warnings > 0 { return 1 }
    if let maximum = options.maxWarnings, warnings > maximum { return 1 }
    return 0
  }

  /// The text style for output to `fd`: the source excerpt with `--show-source` or on a terminal;
  /// colour with `--color always`, or on a terminal with `--color auto` (the default), and never
  /// when `NO_COLOR` is set (and not empty).
  static func textStyle(_ options: Options, fd: Int32) -> TextReporter.Style {
    let terminal = FileSystem.isTerminal(fd)
    var color = options.color == "always" || (options.color == "auto" && terminal)
    if let noColor = FileSystem.environment("NO_COLOR"), !noColor.isEmpty { color = false }
    return TextReporter.Style(showSource: options.showSource || terminal, color: color)
  }
}
