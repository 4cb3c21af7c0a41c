import YosanCore

/// Everything a reporter shows: the analysis, and the problems that are not diagnostics of a
/// budget file (configuration mistakes, unreadable files).
struct Report {
  var analysis: WorkspaceAnalysis
  var configurationProblems: [ConfigurationProblem] = []
  var ioProblems: [IOError] = []
  /// Fixes applied by `--fix`, and to how many files.
  var fixesApplied = 0
  var filesFixed = 0
  /// For SARIF's base URI.
  var workingDirectory = "/"
  /// Fixed files that could not be written back (each is also in `ioProblems`).
  var filesNotWritten = 0

  /// Configuration or I/O problems: exit status 2.
  var hasProblems: Bool { !ioProblems.isEmpty || !configurationProblems.isEmpty }

  /// Diagnostics of each severity.
  var counts: [Severity: Int] {
    var counts: [Severity: Int] = [:]
    for file in analysis.files { for d in file.diagnostics { counts[d.severity, default: 0] += 1 } }
    return counts
  }

  /// The facts of the file a related location points into.
  func facts(for related: RelatedLocation, in facts: FileFacts) -> FileFacts {
    related.path.flatMap { path in analysis.files.first { $0.facts.path == path }?.facts } ?? facts
  }
}
