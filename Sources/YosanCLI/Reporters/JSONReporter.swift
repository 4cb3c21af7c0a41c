import YosanCore
import YosanJSON
import YosanSyntax

/// `--format json`: one document, schema in Spec/json-output.md. Field order is fixed.
enum JSONReporter {
  /// Version 2 added `url` and `tags` to diagnostics, `problems`, and `summary.fixed`.
  static let schemaVersion = 2

  static func report(_ report: Report, to output: Output) {
    output.json(document(report))
  }

  static func document(_ report: Report) -> JSON {
    let counts = report.counts
    var diagnostics: [JSON] = []
    for file in report.analysis.files {
      for d in file.diagnostics { diagnostics.append(json(d, in: file.facts, report: report)) }
    }
    var problems: [JSON] = report.configurationProblems.map { problem in
      .object([
        ("kind", .string("configuration")), ("file", .string(problem.path)),
        ("line", .int(problem.line)), ("column", .int(problem.column)), ("endLine", .int(problem.endLine)),
        ("endColumn", .int(problem.endColumn)),
        ("message", .string(problem.message)),
      ])
    }
    problems += report.ioProblems.map { .object([("kind", .string("io")), ("file", .string($0.path)), ("message", .string($0.reason))]) }
    let c = report.analysis.counters
    return .object([
      ("version", .int(schemaVersion)),
      ("tool", .object([("name", .string("yosan")), ("version", .string(CommandLineTool.version))])),
      (
        "summary",
        .object([
          ("files", .int(report.analysis.files.count)), ("items", .int(c.items)), ("sums", .int(c.sums)), ("rates", .int(c.rates)),
          ("errors", .int(counts[.error] ?? 0)), ("warnings", .int(counts[.warning] ?? 0)),
          ("infos", .int(counts[.info] ?? 0)), ("styles", .int(counts[.style] ?? 0)), ("fixed", .int(report.fixesApplied)),
        ])
      ),
      ("diagnostics", .array(diagnostics)),
      ("problems", .array(problems)),
    ])
  }

  static func json(_ d: Diagnostic, in facts: FileFacts, report: Report) -> JSON {
    var members: [(String, JSON)] = [("file", .string(facts.path))]
    members += position(d.range, in: facts)
    members += [
      ("severity", .string(d.severity.description)),
      ("rule", .string(d.ruleID)),
      ("url", .string(RuleDocumentation.url(for: d.ruleID))),
      ("message", .string(d.message)),
      (
        "tags",
        .array(
          d.tags.map { tag in
            switch tag {
            case .unnecessary: return .string("unnecessary")
            }
          })
      ),
      (
        "related",
        .array(
          d.related.map { related in
            let target = report.facts(for: related, in: facts)
            return .object([("file", .string(target.path))] + position(related.range, in: target) + [("message", .string(related.message))])
          })
      ),
      (
        "fixes",
        .array(
          d.fixes.map { fix in
            .object([
              ("title", .string(fix.title)),
              ("safe", .bool(fix.isSafe)),
              (
                "edits",
                .array(fix.edits.map { edit in .object(position(edit.range, in: facts) + [("replacement", .string(edit.replacement))]) })
              ),
            ])
          })
      ),
    ]
    return .object(members)
  }

  /// `line`, `column`, `endLine`, `endColumn`: 1-based, columns in characters.
  static func position(_ range: TextRange, in facts: FileFacts) -> [(String, JSON)] {
    let start = facts.position(of: range.start)
    let end = facts.position(of: range.end)
    return [("line", .int(start.line)), ("column", .int(start.column)), ("endLine", .int(end.line)), ("endColumn", .int(end.column))]
  }
}
