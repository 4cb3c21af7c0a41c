import YosanCore
import YosanJSON
import YosanSyntax

/// Configuration files (`yosan.config.yosan`) in the editor: each file's configuration comes from
/// the same resolver as the CLI's, reading only inside the workspace folders (an open
/// configuration document counts as written); a change to one re-configures every file and
/// re-validates what changed. An open configuration file gets its own problems as diagnostics.
extension LanguageServer {
  /// A resolver that reads configuration files from open documents first, then from disk inside
  /// the workspace folders (never outside).
  func makeResolver() -> ConfigurationResolver {
    ConfigurationResolver { [unowned self] path in
      if let uri = self.openPaths[path], let document = self.documents[uri] { return document.bytes }
      guard WorkspaceFiles.isInside(path, self.folders), case .success(let bytes) = WorkspaceFiles.readFile(path) else { return nil }
      return bytes
    }
  }

  /// The configuration that applies to a file.
  func configuration(for path: String) -> Configuration {
    resolver.configuration(forFile: path).0
  }

  static func isConfigurationFile(_ path: String) -> Bool { ConfigurationResolver.isConfigurationFile(path) }

  /// True when a file found in a workspace folder is a budget file to index: not a configuration
  /// file, and not left out by its configuration's `include`/`exclude`.
  func shouldIndex(_ path: String) -> Bool {
    !LanguageServer.isConfigurationFile(path) && configuration(for: path).excludingPattern(for: path) == nil
  }

  /// A configuration file changed (opened, edited, closed or changed on disk): every file is
  /// configured again, and the workspace's files are indexed again under the new patterns.
  func configurationChanged() {
    resolver = makeResolver()
    synchronizeDocuments()
    for path in session.paths {
      guard let bytes = session.bytes(of: path) else { continue }
      setFile(path, bytes: bytes)
    }
    startIndexing(progress: false)
    // Open configuration documents show their problems again.
    for (uri, document) in documents where LanguageServer.isConfigurationFile(document.path) { dirty.insert(uri) }
  }

  /// The problems of an open configuration document, as diagnostics.
  func configurationDiagnostics(_ document: OpenDocument) -> [JSON] {
    let folder = document.path.lastIndex(of: "/").map { String(document.path[..<$0]) } ?? ""
    let file = ConfigurationFile(path: document.path, bytes: document.bytes, folder: folder.isEmpty ? "/" : folder)
    let view = document.view(encoding)
    return file.problems.map { problem in
      .object([
        ("range", view.rangeJSON(problem.diagnostic.range)), ("severity", .int(1)), ("code", .string(ConfigurationProblem.ruleID)),
        ("source", .string("yosan")), ("message", .string(problem.message)),
      ])
    }
  }
}
