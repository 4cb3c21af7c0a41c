import YosanCore
import YosanSyntax
import YosanJSON

/// `--format json`: one document, schema in Spec/json-output.md. Field order is fixed.
enum JSONReporter {
  static let schemaVersion = 1

  static func report(_ analysis: WorkspaceAnalysis, to output: Output) {
    output.line(document(analysis).prettyPrinted())
  }

  static func document(_ analysis: WorkspaceAnalysis) -> JSON {
    var counts: [Severity: Int] = [:]
    var diagnostics: [JSON] = []
    for file in analysis.files {
      for d in file.diagnostics {
        counts[d.severity, default: 0] += 1
        diagnostics.append(json(d, in: file.facts, analysis: analysis))
      }
    }
    let c = analysis.counters
    return .object([
      ("version", .int(schemaVersion)),
      ("tool", .object([("name", .string("yosan")), ("version", .string(CommandLineTool.version))])),
      ("summary", .object([
        ("files", .int(analysis.files.count)), ("items", .int(c.items)), ("sums", .int(c.sums)), ("rates", .int(c.rates)),
        ("errors", .int(counts[.error] ?? 0)), ("warnings", .int(counts[.warning] ?? 0)),
        ("infos", .int(counts[.info] ?? 0)), ("styles", .int(counts[.style] ?? 0)),
      ])),
      ("diagnostics", .array(diagnostics)),
    ])
  }

  static func json(_ d: Diagnostic, in facts: FileFacts, analysis: WorkspaceAnalysis) -> JSON {
    var members: [(String, JSON)] = [("file", .string(facts.path))]
    members += position(d.range, in: facts)
    members += [
      ("severity", .string(d.severity.description)),
      ("rule", .string(d.ruleID)),
      ("message", .string(d.message)),
      ("related", .array(d.related.map { related in
        let target = related.path.flatMap { path in analysis.files.first { $0.facts.path == path }?.facts } ?? facts
        return .object([("file", .string(target.path))] + position(related.range, in: target) + [("message", .string(related.message))])
      })),
      ("fixes", .array(d.fixes.map { fix in
        .object([
          ("title", .string(fix.title)),
          ("safe", .bool(fix.isSafe)),
          ("edits", .array(fix.edits.map { edit in .object(position(edit.range, in: facts) + [("replacement", .string(edit.replacement))]) })),
        ])
      })),
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
