import YosanCore
import YosanJSON
import YosanSyntax

/// A document the client has open: its text as the client has it, which overrides the file on disk.
struct OpenDocument {
  let uri: String
  /// The path the analysis knows it by.
  let path: String
  var version: Int
  var bytes: [UInt8]
  /// Kept up to date edit by edit (not rebuilt), so that applying a keystroke is cheap.
  var lines: LineIndex

  init(uri: String, version: Int, bytes: [UInt8]) {
    self.uri = uri
    self.path = DocumentURI.sessionPath(uri)
    self.version = version
    self.bytes = bytes
    self.lines = LineIndex(bytes)
  }

  /// Replaces `range` by `text`; returns the replaced range (in the old text).
  mutating func replace(_ range: TextRange, with text: String) {
    let inserted = Array(text.utf8)
    bytes.replaceSubrange(range.start..<range.end, with: inserted)
    bytes.withUnsafeBufferPointer { lines.applyEdit(replacing: range, insertedCount: inserted.count, in: $0) }
  }

  func view(_ encoding: PositionEncoding) -> TextView { TextView(bytes: bytes, lines: lines, encoding: encoding) }
}

extension LanguageServer {
  // MARK: - Document sync

  func didOpen(_ params: ParamReader) throws(ResponseError) {
    let item = params["textDocument"]
    let uri = try item["uri"].string()
    let text = try item["text"].string()
    let version = try item["version"].optionalInt() ?? 0
    var document = OpenDocument(uri: uri, version: version, bytes: Array(text.utf8))
    if let existing = openPaths[document.path], existing != uri {
      // The same file under a second URI: the newer one wins.
      documents[existing] = nil
    }
    document.version = version
    documents[uri] = document
    openPaths[document.path] = uri
    if LanguageServer.isConfigurationFile(document.path) {
      configurationChanged()
    } else {
      indexedPaths.remove(document.path)
      setFile(document.path, bytes: document.bytes)
    }
    documentsChanged([uri])
    if foldersOfOpenedFiles, DocumentURI.filePath(uri) != nil { indexFolder(ofOpened: document.path) }
  }

  func didChange(_ params: ParamReader) throws(ResponseError) {
    let uri = try params["textDocument"]["uri"].string()
    let version = try params["textDocument"]["version"].optionalInt()
    let changes = try params["contentChanges"].array()
    guard var document = documents[uri] else {
      throw .invalidParams("`\(uri)` is not open; send textDocument/didOpen before textDocument/didChange")
    }
    // Validate everything before applying anything, so a bad change (a negative position, a range
    // that ends before it starts) leaves the document as it was, and the session with it.
    typealias Position = (line: Int, character: Int)
    var edits: [(range: (start: Position, end: Position)?, text: String)] = []
    for change in changes {
      let text = try change["text"].string()
      edits.append((change["range"].isAbsent ? nil : try change["range"].range(), text))
    }
    let isConfiguration = LanguageServer.isConfigurationFile(document.path)
    for (given, text) in edits {
      if let given {
        let view = document.view(encoding)
        let range = view.range(given.start, given.end)
        document.replace(range, with: text)
      } else {
        document = OpenDocument(uri: uri, version: document.version, bytes: Array(text.utf8))
      }
    }
    if let version { document.version = version }
    documents[uri] = document
    // The session gets the text when something needs the analysis: a burst of changes is one
    // update (one re-parse of the region they changed, found by comparing the texts).
    if !isConfiguration { textChanged(uri) }
    if isConfiguration { configurationChanged() }
    documentsChanged([uri])
  }

  func didClose(_ params: ParamReader) throws(ResponseError) {
    let uri = try params["textDocument"]["uri"].string()
    guard let document = documents.removeValue(forKey: uri) else { return }
    openPaths[document.path] = nil
    unsynchronized.remove(uri)
    dirty.remove(uri)
    reported[uri] = nil
    semanticTokensCache[uri] = nil
    // The file on disk takes over again, if it is one of the workspace's budget files (a `.yosan`
    // regular file inside a folder); anything else the client opened leaves the index.
    if LanguageServer.isConfigurationFile(document.path) {
      configurationChanged()
    } else if document.path.hasSuffix(".yosan"), WorkspaceFiles.isInside(document.path, folders), shouldIndex(document.path),
      case .success(let bytes) = WorkspaceFiles.readFile(document.path)
    {
      setFile(document.path, bytes: bytes)
      indexedPaths.insert(document.path)
    } else {
      removeFile(document.path)
    }
    if !capabilities.pullDiagnostics {
      notify("textDocument/publishDiagnostics", .object([("uri", .string(uri)), ("diagnostics", .array([]))]))
    }
  }

  func didSave(_ params: ParamReader) throws(ResponseError) {
    let uri = try params["textDocument"]["uri"].string()
    guard var document = documents[uri], let text = try params["text"].optionalString() else { return }
    let bytes = Array(text.utf8)
    guard bytes != document.bytes else { return }
    document = OpenDocument(uri: uri, version: document.version, bytes: bytes)
    documents[uri] = document
    if LanguageServer.isConfigurationFile(document.path) { configurationChanged() } else { setFile(document.path, bytes: bytes) }
    documentsChanged([uri])
  }

  /// Marks documents whose text changed: their diagnostics are published at the next flush.
  func documentsChanged(_ uris: [String]) {
    dirty.formUnion(uris)
  }

  // MARK: - Looking documents up

  /// The current analysis of a document the client named, with its text and positions. Throws
  /// ContentModified when a change to it is already waiting (the result would be stale). Without
  /// `model`, only its diagnostics, text and positions are current (see `currentDiagnostics`).
  func file(_ params: ParamReader, model: Bool = true) throws(ResponseError) -> FileContext {
    let uri = try params["textDocument"]["uri"].string()
    // Malformed params are InvalidParams whether or not the document is known.
    if !params["position"].isAbsent {
      _ = try params["position"]["line"].uinteger()
      _ = try params["position"]["character"].uinteger()
    }
    if !params["range"].isAbsent { _ = try params["range"].range() }
    requestDocument = uri
    if queue.hasPendingChange(uri) { throw .contentModified }
    if let document = documents[uri], LanguageServer.isConfigurationFile(document.path) {
      // A configuration file is Yosan text but no budget: the features that read only the text
      // (formatting, folding, semantic tokens) work on its syntax tree.
      let facts = Analyzer.parse(SourceFile(path: document.path, bytes: document.bytes))
      return FileContext(uri: uri, facts: facts, diagnostics: [], view: document.view(encoding), version: document.version)
    }
    let path = documents[uri]?.path ?? DocumentURI.sessionPath(uri)
    guard let context = model ? fileContext(path: path) : diagnosticsContext(path: path) else {
      throw .requestFailed("`\(uri)` is neither open nor a .yosan file of the workspace; open it first")
    }
    return context
  }

  /// The analysis of the document a request names, exact at its `position`: right after an edit,
  /// only the unit there is lowered again (see `AnalysisSession.analysis(of:exactIn:)`), so hover
  /// and completion do not wait for every unit the edit moved. Features that look further (ids
  /// across the workspace) still ask for the whole analysis.
  func file(_ params: ParamReader, exactAt position: String) throws(ResponseError) -> FileContext {
    let quick = try file(params, model: false)
    if let document = documents[quick.uri], LanguageServer.isConfigurationFile(document.path) { return quick }
    if heldAnalysis != nil, let full = fileContext(path: quick.path) { return full }
    let offset = try quick.view.offset(params[position])
    guard let analysis = session.analysis(of: quick.path, exactIn: TextRange.empty(at: offset)) else { return quick }
    return context(path: quick.path, analysis)
  }

  /// Gives up a long computation when an edit to its document arrived meanwhile: the result would
  /// be dropped as ContentModified anyway, and the edit should not wait for it.
  func abandonIfStale() throws(ResponseError) {
    if let uri = requestDocument, queue.hasPendingChange(uri) { throw .contentModified }
  }

  func fileContext(path: String) -> FileContext? {
    guard let analysis = currentAnalysis(of: path) else { return nil }
    return context(path: path, analysis)
  }

  /// `analysis` of `path` with the document's URI, text and positions.
  func context(path: String, _ analysis: FileAnalysis) -> FileContext {
    if let uri = openPaths[path], let document = documents[uri] {
      return FileContext(uri: uri, facts: analysis.facts, diagnostics: analysis.diagnostics, view: document.view(encoding), version: document.version)
    }
    let facts = analysis.facts
    return FileContext(
      uri: uri(ofPath: path), facts: facts, diagnostics: analysis.diagnostics, view: TextView(bytes: facts.bytes, lines: facts.lineIndex, encoding: encoding),
      version: nil)
  }

  /// The URI to show for a session path.
  func uri(ofPath path: String) -> String {
    if let uri = openPaths[path] { return uri }
    return path.hasPrefix("/") ? DocumentURI.fileURI(path) : path
  }

}

/// One analysed file as the features see it.
struct FileContext {
  let uri: String
  let facts: FileFacts
  let diagnostics: [Diagnostic]
  let view: TextView
  let version: Int?

  var document: Document { facts.document }
  var path: String { facts.path }
}
