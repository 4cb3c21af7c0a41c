import YosanCore

/// `yosan diff OLD NEW`: the differences between two versions of a budget, item by item (the
/// comparison itself is `BudgetDiff` in the core). OLD and NEW are files, folders, `-`, or
/// `git:REV:PATH`. `--git` makes it git's external diff driver (seven arguments).
enum DiffCommand {
  static let formats = ["text", "json", "csv", "markdown"]

  static func run(_ arguments: [String], console: Console) throws -> Int32 {
    let args = try Arguments(
      arguments, command: "diff", valued: ["--format", "--color"], flags: ["--bom", "--git", "--exit-zero"])
    let format = args.value("--format") ?? "text"
    guard formats.contains(format) else { throw UsageError("yosan diff: unknown format `\(format)`; use text, json, csv or markdown") }
    if args.flag("--bom"), format != "csv" {
      throw UsageError("yosan diff: --bom is for --format csv (spreadsheets need it to read UTF-8)")
    }
    let color = args.value("--color") ?? "auto"
    guard ["auto", "always", "never"].contains(color) else {
      throw UsageError("yosan diff: --color takes auto, always or never, not `\(color)`")
    }
    var oldSpec: String
    var newSpec: String
    var label: String?
    if args.flag("--git") {
      // git's external diff: path old-file old-hex old-mode new-file new-hex new-mode (a rename
      // adds the new path and a header, which are not needed here).
      guard args.positionals.count == 7 || args.positionals.count == 9 else {
        throw UsageError(
          "yosan diff --git: git gives seven arguments (path old-file old-hex old-mode new-file new-hex new-mode); got \(args.positionals.count). Set it up with `git config diff.yosan.command 'yosan diff --git'`")
      }
      label = args.positionals[0]
      oldSpec = args.positionals[1]
      newSpec = args.positionals[4]
    } else {
      guard args.positionals.count == 2 else {
        throw UsageError(
          "yosan diff: give two versions, OLD and NEW (files, folders, or git:REV:PATH), like `yosan diff git:HEAD~1:budgets budgets`; got \(args.positionals.count)")
      }
      oldSpec = args.positionals[0]
      newSpec = args.positionals[1]
    }
    var problems: [IOError] = []
    var configurationProblems: [ConfigurationProblem] = []
    let old = try readSide(oldSpec, label: label.map { "a/" + $0 }, problems: &problems, configurationProblems: &configurationProblems)
    let new = try readSide(newSpec, label: label.map { "b/" + $0 }, problems: &problems, configurationProblems: &configurationProblems)
    for problem in problems { console.error.line("yosan: \(problem)") }
    TextReporter.report(Report(analysis: .empty, configurationProblems: configurationProblems), to: console.error)
    guard let old, let new else { return 2 }
    // Both sides are checked first; their syntax errors go to standard error, and the output says
    // that only the readable items of that side were compared.
    for side in [old, new] {
      for file in side.analysis.files {
        for diagnostic in file.diagnostics where diagnostic.ruleID == "syntax-error" || diagnostic.ruleID == "invalid-utf8" {
          console.error.line(TextReporter.line(for: diagnostic, in: file.facts))
        }
      }
    }
    let diff = BudgetDiff.compare(old, new)
    let names = DiffNames(old: label.map { "a/" + $0 } ?? oldSpec, new: label.map { "b/" + $0 } ?? newSpec)
    switch format {
    case "json": console.output.json(DiffReporter.json(diff, names: names, problems: problems))
    case "csv":
      if args.flag("--bom") { console.output.bytes([0xEF, 0xBB, 0xBF]) }
      console.output.write(DiffReporter.csv(diff))
    case "markdown": console.output.write(DiffReporter.markdown(diff, names: names))
    default:
      var useColor = color == "always" || (color == "auto" && FileSystem.isTerminal(1))
      if let noColor = FileSystem.environment("NO_COLOR"), !noColor.isEmpty { useColor = false }
      console.output.write(DiffReporter.text(diff, names: names, color: useColor))
    }
    if !problems.isEmpty || !configurationProblems.isEmpty { return 2 }
    // As git's driver, a difference is not a failure (git would stop at the first one).
    if args.flag("--git") || args.flag("--exit-zero") { return 0 }
    return diff.isEmpty ? 0 : 1
  }

  /// Reads and checks one side. Nil when nothing of it could be read (the problem is recorded).
  static func readSide(
    _ spec: String, label: String?, problems: inout [IOError], configurationProblems: inout [ConfigurationProblem]
  ) throws -> BudgetDiff.Side? {
    var inputs = Inputs()
    var sources: [SourceFile] = []
    var names: [String] = []
    var configurations: [String: Configuration] = [:]
    if let git = try GitSource.parse(spec) {
      switch git.read() {
      case .failure(let error):
        problems.append(error)
        return nil
      case .success(let files):
        for file in files {
          sources.append(SourceFile(path: file.path, bytes: file.bytes))
          names.append(file.name)
          configurations[file.path] = inputs.configuration(forAbsolutePath: Paths.absolute(file.workingPath, in: inputs.workingDirectory))
        }
      }
    } else if label != nil, spec == "/dev/null" {
      // git's side of an added or deleted file: no file at all.
    } else {
      inputs = Inputs.gather([spec], stdinFilename: nil)
      var notes: [String] = []
      let files = inputs.included(notes: &notes).sorted { $0.path < $1.path }
      if files.isEmpty, !inputs.problems.isEmpty {
        problems += inputs.problems
        return nil
      }
      let isFolder = FileSystem.kind(of: spec) == .directory
      let prefix = spec.hasSuffix("/") ? spec : spec + "/"
      for file in files {
        // git's temporary file is named by the path it stands for.
        sources.append(SourceFile(path: label ?? file.path, bytes: file.bytes))
        names.append(isFolder && file.path.hasPrefix(prefix) ? String(file.path.dropFirst(prefix.count)) : "")
        configurations[label ?? file.path] = file.configuration
      }
    }
    for problem in inputs.configurationProblems where !configurationProblems.contains(problem) { configurationProblems.append(problem) }
    problems += inputs.problems.filter { problem in !problems.contains { $0.description == problem.description } }
    let analysis = Analyzer.analyze(sources, configuration: { [configurations] in configurations[$0] ?? .default })
    return BudgetDiff.Side(analysis: analysis, names: names)
  }
}

/// How the output names the two sides.
struct DiffNames {
  var old: String
  var new: String
}
