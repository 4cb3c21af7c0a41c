import YosanCore
import YosanSyntax

/// The default output: `path:line:column: severity: message [rule-id]`.
enum TextReporter {
  static func report(_ analysis: WorkspaceAnalysis, to output: Output) {
    for file in analysis.files {
      for diagnostic in file.diagnostics {
        output.line(line(for: diagnostic, in: file.facts))
      }
    }
  }

  static func line(for diagnostic: Diagnostic, in facts: FileFacts) -> String {
    let (line, column) = facts.position(of: diagnostic.range.start)
    return "\(facts.path):\(line):\(column): \(diagnostic.severity): \(diagnostic.message) [\(diagnostic.ruleID)]"
  }

  /// `2 errors, 1 warning in 12 files (340 items, 85 sums, 120 rates checked)`.
  static func summary(_ analysis: WorkspaceAnalysis) -> String {
    var counts: [Severity: Int] = [:]
    for file in analysis.files { for d in file.diagnostics { counts[d.severity, default: 0] += 1 } }
    var parts = [plural(counts[.error] ?? 0, "error"), plural(counts[.warning] ?? 0, "warning")]
    if let infos = counts[.info] { parts.append(plural(infos, "info", "infos")) }
    if let styles = counts[.style] { parts.append(plural(styles, "style note")) }
    let c = analysis.counters
    return "\(parts.joined(separator: ", ")) in \(plural(analysis.files.count, "file")) (\(plural(c.items, "item")), \(plural(c.sums, "sum")), \(plural(c.rates, "rate")) checked)"
  }

  static func plural(_ n: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : pluralForm ?? singular + "s")"
  }
}
