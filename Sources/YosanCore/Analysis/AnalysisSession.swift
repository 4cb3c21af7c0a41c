import YosanSyntax

/// A set of files analysed together that changes over time: the editor's workspace.
///
/// The language server keeps one session. It tells the session what changed (`update`,
/// `remove`) and asks for results (`analyze`); the session re-parses and re-checks only files that
/// changed, then re-runs the rules that look across files. All analysis for the editor goes
/// through this type, so that making it more incremental changes nothing for its callers.
public final class AnalysisSession: @unchecked Sendable {
  struct FileState {
    var source: SourceFile
    var configuration: Configuration
    var result: (facts: FileFacts, diagnostics: [Diagnostic], counters: CheckCounters)?
  }

  private var files: [String: FileState] = [:]
  private var order: [String] = []
  private var lastAnalysis: WorkspaceAnalysis?

  public init() {}

  /// The paths in the session, in the order they were first added.
  public var paths: [String] { order }

  /// The current bytes of `path`, if it is in the session.
  public func bytes(of path: String) -> [UInt8]? { files[path]?.source.bytes }

  /// Sets the contents (and configuration) of a file; adds it if it is new.
  ///
  /// - Parameter changed: the byte range of the old text that was replaced, when the caller
  ///   knows it (an editor's incremental change). A hint only; results never depend on it.
  public func update(path: String, bytes: [UInt8], configuration: Configuration = .default, changed: TextRange? = nil) {
    if files[path] == nil { order.append(path) }
    if let existing = files[path], existing.source.bytes == bytes, existing.configuration == configuration { return }
    files[path] = FileState(source: SourceFile(path: path, bytes: bytes), configuration: configuration, result: nil)
    lastAnalysis = nil
  }

  /// Removes a file from the session.
  public func remove(path: String) {
    guard files.removeValue(forKey: path) != nil else { return }
    order.removeAll { $0 == path }
    lastAnalysis = nil
  }

  /// Analyses every file that changed since the last call, then the rules across files.
  public func analyze() -> WorkspaceAnalysis {
    if let lastAnalysis { return lastAnalysis }
    for path in order where files[path]?.result == nil {
      let state = files[path]!
      files[path]!.result = Analyzer.analyzeFile(state.source, configuration: state.configuration)
    }
    var analyses: [FileAnalysis] = []
    var counters = CheckCounters()
    for path in order {
      let result = files[path]!.result!
      analyses.append(FileAnalysis(facts: result.facts, diagnostics: result.diagnostics))
      counters = counters + result.counters
    }
    Analyzer.runWorkspaceRules(&analyses)
    for index in analyses.indices {
      Analyzer.applySuppressions(&analyses[index])
      analyses[index].diagnostics.sort(by: Analyzer.order)
    }
    let analysis = WorkspaceAnalysis(files: analyses, counters: counters)
    lastAnalysis = analysis
    return analysis
  }

  /// The analysis of one file (with the rules across files applied), if it is in the session.
  public func analysis(of path: String) -> FileAnalysis? {
    analyze().files.first { $0.facts.path == path }
  }
}
