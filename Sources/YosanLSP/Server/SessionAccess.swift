import Dispatch
import YosanCore
import YosanSyntax

/// Every use of the analysis session goes through here: it counts each file's versions (for the
/// caches of derived indexes), keeps the current analysis with a path lookup, and releases a
/// replaced analysis on a background thread, so that freeing a large model never delays an edit.
extension LanguageServer {
  /// Sets a file's text in the session (its configuration looked up for it).
  func setFile(_ path: String, bytes: [UInt8], changed: TextRange? = nil) {
    changes += 1
    retireAnalysis()
    session.update(path: path, bytes: bytes, configuration: configuration(for: path), changed: changed)
    fileGenerations[path, default: 0] += 1
  }

  /// Sets a file to one prepared on another thread (as `setFile` with its bytes would).
  func adoptFile(_ prepared: AnalysisSession.PreparedFile) {
    changes += 1
    retireAnalysis()
    session.adopt(prepared)
    fileGenerations[prepared.path, default: 0] += 1
  }

  /// Removes a file from the session.
  func removeFile(_ path: String) {
    changes += 1
    retireAnalysis()
    session.remove(path: path)
    fileGenerations[path] = nil
    fileIndexes[path] = nil
  }

  /// The current analysis of every file, with exact models (for the features that read them).
  func currentAnalysis() -> WorkspaceAnalysis {
    if let held = heldAnalysis { return held.analysis }
    let analysis = session.analyze()
    heldAnalysis = HeldAnalysis(analysis)
    heldDiagnostics = heldAnalysis
    return analysis
  }

  /// The current analysis of one file.
  func currentAnalysis(of path: String) -> FileAnalysis? {
    let analysis = currentAnalysis()
    return heldAnalysis?.positions[path].map { analysis.files[$0] }
  }

  /// The current diagnostics of every file, without making the models exact: what publishing
  /// diagnostics after an edit needs, at a cost proportional to the edit. The files' text and line
  /// index are current; their documents are not for the features to read.
  func currentDiagnostics() -> WorkspaceAnalysis {
    if let held = heldDiagnostics { return held.analysis }
    let analysis = session.diagnostics()
    heldDiagnostics = HeldAnalysis(analysis)
    return analysis
  }

  /// The current diagnostics of one file, with its text and positions (see `currentDiagnostics`).
  func diagnosticsContext(path: String) -> FileContext? {
    let analysis = currentDiagnostics()
    guard let index = heldDiagnostics?.positions[path] else { return nil }
    return context(path: path, analysis.files[index])
  }

  /// Lets go of the analysis the server holds; if it was the last holder, the model is freed on
  /// another thread.
  func retireAnalysis() {
    let retired = (heldAnalysis, heldDiagnostics)
    heldAnalysis = nil
    heldDiagnostics = nil
    guard freesInBackground, retired.0 != nil || retired.1 != nil else { return }
    DispatchQueue.global(qos: .utility).async { withExtendedLifetime(retired) {} }
  }
}

/// An analysis and where each path is in it.
struct HeldAnalysis: Sendable {
  let analysis: WorkspaceAnalysis
  let positions: [String: Int]

  init(_ analysis: WorkspaceAnalysis) {
    self.analysis = analysis
    var positions: [String: Int] = [:]
    for (index, file) in analysis.files.enumerated() { positions[file.facts.path] = index }
    self.positions = positions
  }
}
