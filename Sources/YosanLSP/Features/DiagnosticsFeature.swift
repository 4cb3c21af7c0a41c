import YosanCore
import YosanJSON
import YosanSyntax

extension LanguageServer {
  // MARK: - Conversion

  /// An LSP diagnostic: rule id as `code`, a link to its section of `Spec/rules.md` (the one URL the
  /// CLI's SARIF output uses too), `source: "yosan"`, related
  /// locations (in other files too) and tags.
  func lspDiagnostic(_ diagnostic: Diagnostic, in file: FileContext) -> JSON {
    var members: [(String, JSON)] = [
      ("range", file.view.rangeJSON(diagnostic.range)),
      ("severity", .int(LanguageServer.severity(diagnostic.severity))),
      ("code", .string(diagnostic.ruleID)),
      ("codeDescription", .object([("href", .string(RuleDocumentation.url(for: diagnostic.ruleID)))])),
      ("source", .string("yosan")),
      ("message", .string(diagnostic.message)),
    ]
    if !diagnostic.related.isEmpty {
      var related: [JSON] = []
      for location in diagnostic.related {
        let target = location.path.flatMap { $0 == file.path ? nil : diagnosticsContext(path: $0) }
        let targetURI = target?.uri ?? location.path.map { self.uri(ofPath: $0) } ?? file.uri
        let view = target?.view ?? file.view
        related.append(.object([
          ("location", .object([("uri", .string(targetURI)), ("range", view.rangeJSON(location.range))])),
          ("message", .string(location.message)),
        ]))
      }
      members.append(("relatedInformation", .array(related)))
    }
    if diagnostic.tags.contains(.unnecessary) { members.append(("tags", .array([.int(1)]))) }
    return .object(members)
  }

  /// LSP severities: error 1, warning 2, information 3, hint 4 (Yosan's style findings).
  static func severity(_ severity: Severity) -> Int {
    switch severity {
    case .error: return 1
    case .warning: return 2
    case .info: return 3
    case .style: return 4
    }
  }

  func diagnosticsJSON(_ file: FileContext) -> [JSON] {
    file.diagnostics.map { lspDiagnostic($0, in: file) }
  }

  // MARK: - Push

  /// Analyses what changed and tells the client: pushes diagnostics for the documents that changed
  /// (always, with their version) and for other open documents whose diagnostics changed; a client
  /// that pulls is asked to pull again when a document it did not change has new diagnostics.
  func flushDiagnostics() {
    guard state == .running, !documents.isEmpty else { return }
    // Nothing changed since the last comparison: nothing to tell.
    guard changes != flushedChanges || !dirty.isEmpty else { return }
    flushedChanges = changes
    let started = trace ? Clock.now : 0
    if trace {
      _ = currentDiagnostics()
      Log.info("analysis: \(Clock.milliseconds(since: started))")
    }
    defer { if trace { Log.info("diagnostics published: \(Clock.milliseconds(since: started))") } }
    var refresh = false
    for (uri, document) in documents.sorted(by: { $0.key < $1.key }) where !queue.hasPendingChange(uri) {
      let diagnostics: [JSON]
      if LanguageServer.isConfigurationFile(document.path) {
        diagnostics = configurationDiagnostics(document)
      } else if let file = diagnosticsContext(path: document.path) {
        diagnostics = diagnosticsJSON(file)
      } else {
        continue
      }
      let bytes = JSON.array(diagnostics).serializedBytes()
      let changed = reported[uri]?.bytes != bytes
      if capabilities.pullDiagnostics {
        if changed && !dirty.contains(uri) && reported[uri] != nil && awaitingPull.insert(uri).inserted { refresh = true }
      } else if changed || dirty.contains(uri) {
        notify("textDocument/publishDiagnostics", .object([
          ("uri", .string(uri)), ("version", .int(document.version)), ("diagnostics", .array(diagnostics)),
        ]))
        reported[uri] = (bytes, reported[uri]?.resultID ?? "")
      }
      dirty.remove(uri)
    }
    if refresh && capabilities.diagnosticRefresh {
      sendRequest("workspace/diagnostic/refresh", .null) { _, _ in }
    }
  }

  // MARK: - Pull

  /// A report for one file: `unchanged` when the client already has these diagnostics.
  func report(uri: String, diagnostics: [JSON], previousResultID: String?) -> (kind: String, resultID: String, items: [JSON]?) {
    // The client now has this document's current diagnostics: a later change elsewhere that
    // changes them must make the server ask it to pull again.
    awaitingPull.remove(uri)
    dirty.remove(uri)
    let bytes = JSON.array(diagnostics).serializedBytes()
    let resultID: String
    if let last = reported[uri], last.bytes == bytes, !last.resultID.isEmpty {
      resultID = last.resultID
    } else {
      resultID = String(nextResultID)
      nextResultID += 1
      reported[uri] = (bytes, resultID)
    }
    if previousResultID == resultID { return ("unchanged", resultID, nil) }
    return ("full", resultID, diagnostics)
  }

  func documentDiagnostic(_ params: ParamReader) throws(ResponseError) -> JSON {
    let uri = try params["textDocument"]["uri"].string()
    let previous = try params["previousResultId"].optionalString()
    let report: (kind: String, resultID: String, items: [JSON]?)
    if let document = documents[uri], LanguageServer.isConfigurationFile(document.path) {
      requestDocument = uri
      report = self.report(uri: uri, diagnostics: configurationDiagnostics(document), previousResultID: previous)
    } else {
      let file = try file(params, model: false)
      report = self.report(uri: file.uri, diagnostics: diagnosticsJSON(file), previousResultID: previous)
    }
    var members: [(String, JSON)] = [("kind", .string(report.kind)), ("resultId", .string(report.resultID))]
    if let items = report.items { members.append(("items", .array(items))) }
    return .object(members)
  }

  /// Every file of the workspace: open documents with their version, indexed files without.
  func workspaceDiagnostic(_ params: ParamReader) throws(ResponseError) -> JSON {
    var previous: [String: String] = [:]
    for entry in try params["previousResultIds"].optionalArray() ?? [] {
      previous[try entry["uri"].string()] = try entry["value"].string()
    }
    var items: [JSON] = []
    for path in session.paths {
      guard let file = diagnosticsContext(path: path) else { continue }
      let report = report(uri: file.uri, diagnostics: diagnosticsJSON(file), previousResultID: previous[file.uri])
      var members: [(String, JSON)] = [
        ("uri", .string(file.uri)), ("version", file.version.map(JSON.int) ?? .null), ("kind", .string(report.kind)),
        ("resultId", .string(report.resultID)),
      ]
      if let diagnostics = report.items { members.append(("items", .array(diagnostics))) }
      items.append(.object(members))
    }
    return .object([("items", .array(items))])
  }
}
