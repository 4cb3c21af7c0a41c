import YosanCore
import YosanSyntax

/// `yosan fmt`: rewrite files in the canonical layout (`Formatter`), or with `--check` / `--diff`
/// say which would change. Configuration files are formatted too; a file with syntax errors is
/// reported and left untouched.
enum FormatCommand {
  static func run(_ arguments: [String], console: Console) throws -> Int32 {
    let args = try Arguments(arguments, command: "fmt", valued: ["--stdin-filename", "--encoding"], flags: ["--check", "--diff"])
    let encoding = try InputEncoding.parse(args.value("--encoding"), command: "fmt")
    let check = args.flag("--check")
    let diff = args.flag("--diff")
    let stdinFilename = args.value("--stdin-filename")
    guard !args.positionals.isEmpty else {
      throw UsageError("yosan fmt: no files given; for example `yosan fmt budgets`, or - for standard input")
    }
    if stdinFilename != nil, !args.positionals.contains("-") {
      throw UsageError("yosan fmt: --stdin-filename names standard input; give - as the path too")
    }
    let inputs = Inputs.gather(args.positionals, stdinFilename: stdinFilename, encoding: encoding)
    var notes: [String] = []
    let files = inputs.included(notes: &notes) + inputs.configurationFiles
    for note in notes { console.error.line(note) }
    for problem in inputs.problems { console.error.line("yosan: \(problem)") }
    var changed = 0
    var unchanged = 0
    var unformattable = 0
    var notWritten = 0
    var converted = 0
    var convertedWithErrors = 0
    var failed = !inputs.problems.isEmpty
    let replacer = FileReplacer { console.error.line($0) }
    for file in files {
      // With --encoding, `bytes` are the file converted to UTF-8, and the file on disk is
      // `originalBytes`: a write replaces those (converting the file in place).
      let onDisk = file.originalBytes ?? file.bytes
      let isConversion = file.originalBytes != nil
      let facts = Analyzer.parse(file.source)
      guard let formatted = Formatter.format(facts) else {
        unformattable += 1
        let analysis = Analyzer.analyze([file.source])
        for diagnostic in analysis.files[0].diagnostics where diagnostic.ruleID == "syntax-error" {
          console.error.line(TextReporter.line(for: diagnostic, in: analysis.files[0].facts))
        }
        if isConversion, !check, !diff, !file.isStandardInput {
          // The conversion is still done: the text is kept as it is, in UTF-8.
          do {
            try FileSystem.replaceFile(file.path, expected: onDisk, with: file.bytes)
            convertedWithErrors += 1
            console.error.line("yosan: \(file.path): converted to UTF-8, not formatted: it has syntax errors (fix them, then run yosan fmt again)")
          } catch let error as IOError {
            console.error.line("yosan: \(error)")
            notWritten += 1
            failed = true
          }
          continue
        }
        console.error.line("yosan: \(file.path): not formatted: it has syntax errors (fix them first; the file is unchanged)")
        if file.isStandardInput, !check, !diff { console.output.bytes(file.bytes) }
        continue
      }
      if formatted == onDisk {
        unchanged += 1
        if file.isStandardInput, !check, !diff { console.output.bytes(file.bytes) }
        continue
      }
      if check || diff {
        changed += 1
        if diff {
          if isConversion { console.error.line("yosan: \(file.path): would be converted to UTF-8") }
          if formatted != file.bytes { console.output.write(UnifiedDiff.render(path: file.path, old: file.bytes, new: formatted)) }
        } else {
          console.output.line(file.path)
        }
        continue
      }
      if file.isStandardInput {
        console.output.bytes(formatted)
        if let problem = console.standardOutputProblem(path: file.path) {
          console.error.line("yosan: \(problem)")
          notWritten += 1
          failed = true
        } else {
          changed += 1
        }
        continue
      }
      do {
        switch try replacer.replace(file, with: formatted, display: { [inputs] in inputs.display($0) }) {
        case .replaced:
          changed += 1
          if isConversion { converted += 1 }
        // Another run wrote the same text meanwhile: the file is formatted, and not by this run.
        case .alreadyCurrent: unchanged += 1
        }
      } catch let error as IOError {
        console.error.line("yosan: \(error)")
        notWritten += 1
        failed = true
      }
    }
    for file in inputs.files where file.excludedBy != nil && file.isStandardInput && !check && !diff {
      // Standard input that the configuration excludes passes through unchanged.
      console.output.bytes(file.bytes)
    }
    func plural(_ n: Int, _ word: String) -> String { TextReporter.plural(n, word) }
    var summary: String
    if check || diff {
      summary = "\(plural(changed, "file")) would be reformatted, \(plural(unchanged, "file")) already formatted"
    } else {
      summary = "\(plural(changed, "file")) reformatted, \(plural(unchanged, "file")) unchanged"
    }
    if converted > 0 { summary += " (\(converted) converted to UTF-8)" }
    if convertedWithErrors > 0 { summary += ", \(plural(convertedWithErrors, "file")) converted to UTF-8 but not formatted (syntax errors)" }
    if unformattable > convertedWithErrors {
      summary += ", \(plural(unformattable - convertedWithErrors, "file")) with syntax errors left as they are"
    }
    if notWritten > 0 { summary += ", \(TextReporter.notWritten(notWritten))" }
    console.error.line(summary)
    if failed { return 2 }
    if unformattable > 0 || ((check || diff) && changed > 0) { return 1 }
    return 0
  }
}
