import YosanCore

/// `--format github`: GitHub Actions workflow commands, so that diagnostics appear as annotations
/// on the pull request: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
enum GitHubReporter {
  static func report(_ report: Report, to output: Output) {
    for problem in report.configurationProblems {
      output.line(
        command(
          "error", file: problem.path, line: problem.line, column: problem.column, endLine: problem.endLine, endColumn: problem.endColumn,
          title: "yosan (\(ConfigurationProblem.ruleID))", message: problem.message))
    }
    for problem in report.ioProblems {
      output.line("::error title=\(property("yosan"))::\(data("\(problem.path): \(problem.reason)"))")
    }
    for file in report.analysis.files {
      for d in file.diagnostics {
        let start = file.facts.position(of: d.range.start)
        let end = file.facts.position(of: d.range.end)
        output.line(
          command(
            level(d.severity), file: Paths.withoutDotSlash(file.facts.path), line: start.line, column: start.column, endLine: end.line,
            endColumn: end.column, title: "yosan (\(d.ruleID))", message: d.message))
      }
    }
  }

  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: return "error"
    case .warning: return "warning"
    case .info, .style: return "notice"
    }
  }

  static func command(_ level: String, file: String, line: Int, column: Int, endLine: Int, endColumn: Int, title: String, message: String)
    -> String
  {
    let properties = [
      "file=\(property(file))", "line=\(line)", "col=\(column)", "endLine=\(endLine)", "endColumn=\(endColumn)", "title=\(property(title))",
    ]
    return "::\(level) \(properties.joined(separator: ","))::\(data(message))"
  }

  /// A message: `%`, CR and LF escaped.
  static func data(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "%": out += "%25"
      case "\r": out += "%0D"
      case "\n": out += "%0A"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// A property value: as a message, and `:` and `,` escaped too.
  static func property(_ text: String) -> String {
    data(text).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
  }
}

extension String {
  /// The string with every `target` character replaced (no Foundation needed).
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for character in self {
      if character == target { out += replacement } else { out.append(character) }
    }
    return out
  }
}
