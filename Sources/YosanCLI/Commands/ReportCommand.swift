import YosanCore

/// `yosan report PATH... -o FILE.html`: one self-contained HTML file (`HTMLReport`); with
/// `--base OLD`, the changes from OLD (`BudgetDiff`) in the same report.
enum ReportCommand {
  static func run(_ arguments: [String], console: Console) throws -> Int32 {
    // `-o` is the short spelling of `--output`.
    let normalized = arguments.map { $0 == "-o" ? "--output" : $0.hasPrefix("-o=") ? "--output=" + $0.dropFirst(3) : $0 }
    let args = try Arguments(normalized, command: "report", valued: ["--output", "--base", "--title"], flags: [])
    guard let output = args.value("--output"), !output.isEmpty else {
      throw UsageError("yosan report: say where to write the report: -o FILE.html, like `yosan report Samples/budgets -o report.html`")
    }
    guard !args.positionals.isEmpty else {
      throw UsageError("yosan report: no files given; for example `yosan report Samples/budgets -o report.html`")
    }
    guard !args.positionals.contains("-") || output != "-" else {
      throw UsageError("yosan report: the report is a file; -o - is not supported")
    }
    if FileSystem.kind(of: output) == .directory {
      throw UsageError("yosan report: `\(output)` is a folder; give a file name, like -o \(output.hasSuffix("/") ? output : output + "/")report.html")
    }
    var inputs = Inputs.gather(args.positionals, stdinFilename: nil)
    inputs.checkConfigurationFiles()
    var notes: [String] = []
    let files = inputs.included(notes: &notes).sorted { $0.path < $1.path }
    for note in notes { console.error.line(note) }
    for problem in inputs.problems { console.error.line("yosan: \(problem)") }
    TextReporter.report(Report(analysis: .empty, configurationProblems: inputs.configurationProblems), to: console.error)
    if !inputs.problems.isEmpty || !inputs.configurationProblems.isEmpty {
      console.error.line("yosan report: nothing was written")
      return 2
    }
    var configurations: [String: Configuration] = [:]
    for file in files { configurations[file.path] = file.configuration }
    let analysis = Analyzer.analyze(files.map(\.source), configuration: { [configurations] in configurations[$0] ?? .default })
    var diff: BudgetDiff?
    if let base = args.value("--base") {
      var problems: [IOError] = []
      var configurationProblems: [ConfigurationProblem] = []
      let old = try DiffCommand.readSide(base, label: nil, problems: &problems, configurationProblems: &configurationProblems)
      for problem in problems { console.error.line("yosan: \(problem)") }
      TextReporter.report(Report(analysis: .empty, configurationProblems: configurationProblems), to: console.error)
      guard let old, problems.isEmpty, configurationProblems.isEmpty else {
        console.error.line("yosan report: nothing was written")
        return 2
      }
      let names = args.positionals.count == 1 && FileSystem.kind(of: args.positionals[0]) == .directory
        ? files.map { file in
          let prefix = args.positionals[0].hasSuffix("/") ? args.positionals[0] : args.positionals[0] + "/"
          return file.path.hasPrefix(prefix) ? String(file.path.dropFirst(prefix.count)) : file.path
        }
        : files.map { _ in "" }
      diff = BudgetDiff.compare(old, BudgetDiff.Side(analysis: analysis, names: files.count == 1 && old.names == [""] ? [""] : names))
    }
    // One file: its header's title; more: what was named.
    let single = analysis.files.count == 1 ? analysis.files[0].facts.document.header?.title?.text : nil
    let title = args.value("--title") ?? single ?? "予算レポート " + args.positionals.joined(separator: ", ")
    let absolute = Paths.absolute(output, in: inputs.workingDirectory)
    let folder = absolute.lastIndex(of: "/").map { String(absolute[..<$0]) } ?? "/"
    let report = HTMLReport(
      title: title, analysis: analysis, diff: diff, baseName: args.value("--base"), reportFolder: folder.isEmpty ? "/" : folder,
      workingDirectory: inputs.workingDirectory)
    do {
      try FileSystem.writeFile(output, report.render())
    } catch let error as IOError {
      console.error.line("yosan: \(error)")
      return 2
    }
    let errors = analysis.files.reduce(0) { $0 + $1.diagnostics.filter { $0.severity == .error }.count }
    console.error.line("yosan report: wrote \(output) (\(TextReporter.plural(analysis.files.count, "file")), \(TextReporter.plural(analysis.counters.items, "item")), \(TextReporter.plural(errors, "error")))")
    return errors > 0 ? 1 : 0
  }
}
