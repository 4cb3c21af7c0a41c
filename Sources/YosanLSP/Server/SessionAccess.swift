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

  /// Removes a file from the session.
  func removeFile(_ path: String) {
    changes += 1
    retireAnalysis()
    session.remove(path: path)
    fileGenerations[path] = nil
    fileIndexes[path] = nil
  }

  /// The current analysis of every file.
  func currentAnalysis() -> WorkspaceAnalysis {
    if let held = heldAnalysis { return held.analysis }
    let analysis = session.analyze()
    var positions: [String: Int] = [:]
    for (index, file) in analysis.files.enumerated() { positions[file.facts.path] = index }
    heldAnalysis = HeldAnalysis(analysis: analysis, positions: positions)
    return analysis
  }

  /// The current analysis of one file.
  func currentAnalysis(of path: String) -> FileAnalysis? {
    let analysis = currentAnalysis()
    return heldAnalysis?.positions[path].map { analysis.files[$0] }
  }

  /// Lets go of the analysis the server holds; if it was the last holder, the model is freed on
  /// another thread.
  func retireAnalysis() {
    guard let retired = heldAnalysis else { return }
    heldAnalysis = nil
    guard freesInBackground else { return }
    DispatchQueue.global(qos: .utility).async { withExtendedLifetime(retired) {} }
  }
}

/// An analysis and where each path is in it.
struct HeldAnalysis: Sendable {
  let analysis: WorkspaceAnalysis
  let positions: [String: Int]
}
