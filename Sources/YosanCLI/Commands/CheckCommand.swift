import YosanCore
import YosanSyntax

/// `yosan check`: analyse files and report.
enum CheckCommand {
  static func run(_ arguments: [String], console: Console) throws -> Int32 {
    let args = try Arguments(arguments, command: "check", valued: ["--format"], flags: [])
    let format = args.value("--format") ?? "text"
    guard ["text", "json"].contains(format) else {
      throw UsageError("yosan check: unknown format `\(format)`; use text or json")
    }
    guard !args.positionals.isEmpty else {
      throw UsageError("yosan check: no files given; for example `yosan check Samples/budgets`, or - for standard input")
    }
    var (sources, problems) = collectSources(args.positionals)
    // Output is sorted by file: analyse in path order (standard input, `-`, first).
    sources.sort { $0.path < $1.path }
    for problem in problems { console.error.line("yosan: \(problem)") }
    let analysis = Analyzer.analyze(sources)
    switch format {
    case "json": JSONReporter.report(analysis, to: console.output)
    default: TextReporter.report(analysis, to: console.output)
    }
    if format == "text" { console.error.line(TextReporter.summary(analysis)) }
    if !problems.isEmpty { return 2 }
    let hasErrors = analysis.files.contains { $0.diagnostics.contains { $0.severity == .error } }
    return hasErrors ? 1 : 0
  }

  /// Reads every path: files, directories (recursively) and `-`. I/O problems are returned, not
  /// thrown, so that the readable files are still checked.
  static func collectSources(_ paths: [String]) -> ([SourceFile], [IOError]) {
    var sources: [SourceFile] = []
    var problems: [IOError] = []
    var seen = Set<String>()
    func add(_ path: String) {
      guard seen.insert(path).inserted else { return }
      do {
        sources.append(SourceFile(path: path, bytes: try FileSystem.readFile(path)))
      } catch let error as IOError {
        problems.append(error)
      } catch {
        problems.append(IOError(path: path, reason: "\(error)"))
      }
    }
    for path in paths {
      if path == "-" {
        do {
          sources.append(SourceFile(path: "-", bytes: try FileSystem.readAll(0, path: "-")))
        } catch let error as IOError {
          problems.append(error)
        } catch {}
        continue
      }
      switch FileSystem.kind(of: path) {
      case .file:
        add(path)
      case .directory:
        do {
          let files = try FileSystem.yosanFiles(under: path)
          if files.isEmpty { problems.append(IOError(path: path, reason: "no .yosan files in this directory")) }
          files.forEach(add)
        } catch let error as IOError {
          problems.append(error)
        } catch {}
      case .missing:
        problems.append(IOError(path: path, reason: "no such file or directory"))
      case .other:
        problems.append(IOError(path: path, reason: "not a regular file or directory"))
      }
    }
    return (sources, problems)
  }
}
