#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import YosanCore
import YosanJSON
import YosanSyntax

/// The Yosan language server: the lifecycle, the main loop and the dispatch of every message.
///
/// One thread (the caller of `run`) handles messages serially, in the order they arrived; the
/// transport's reader thread only reads, frames and classifies them. All analysis goes through
/// one `AnalysisSession`. Document changes are applied as they come, but analysis runs only when
/// the queue is empty or a request needs it, so a burst of keystrokes costs one analysis.
public final class LanguageServer {
  enum State { case uninitialized, running, shuttingDown }

  let queue: MessageQueue
  let sendMessage: (JSON) -> Void
  let version: String
  var state = State.uninitialized
  var capabilities = ClientCapabilities()
  var encoding = PositionEncoding.utf16
  /// The exit status once `exit` arrived or the input ended.
  var exitStatus: Int32?

  // MARK: Documents and workspace

  let session = AnalysisSession()
  /// Open documents by URI.
  var documents: [String: OpenDocument] = [:]
  /// The URI of each open document's session path.
  var openPaths: [String: String] = [:]
  var folders: [WorkspaceFiles.Folder] = []
  /// Files read from disk into the session (not open), by path.
  var indexedPaths: Set<String> = []
  /// The indexing in progress, if any (see `startIndexing`).
  var indexing: IndexingRun?
  var indexingProgress = IndexingProgress.none
  var indexingLimits = WorkspaceIndexer.Limits()
  /// True when the client named no workspace folder: the folders are those of the opened files
  /// (see `indexFolder(ofOpened:)`).
  var foldersOfOpenedFiles = false
  /// Open documents changed since diagnostics were last published for them.
  var dirty: Set<String> = []
  /// The last diagnostics published (push) or reported (pull) per URI, serialized, and the
  /// result id reported with them.
  var reported: [String: (bytes: [UInt8], resultID: String)] = [:]
  var nextResultID = 1
  /// Documents the client was asked to pull again (workspace/diagnostic/refresh) and has not yet.
  var awaitingPull: Set<String> = []
  /// Ids, references and names of each file, kept while the file is the same.
  var fileIndexes: [String: FileIndex] = [:]
  /// How many times each file was set in the session: the version the caches are keyed by.
  var fileGenerations: [String: Int] = [:]
  /// The analysis the server works with until the next change.
  var heldAnalysis: HeldAnalysis?
  /// The diagnostics of the current text, until the next change (see `currentDiagnostics`).
  var heldDiagnostics: HeldAnalysis?
  /// Counts changes to the session; diagnostics were last compared after `flushedChanges` of them.
  var changes = 0
  var flushedChanges = -1
  /// Finds each file's configuration; made again when a configuration file changes.
  lazy var resolver: ConfigurationResolver = makeResolver()

  // MARK: Requests to the client

  var nextServerRequest = 1
  var responseHandlers: [RequestID: (JSON?, JSON?) -> Void] = [:]
  /// The URI a request being handled is about, to drop its result if the document changes.
  var requestDocument: String?
  /// Previous semantic tokens per URI, for delta requests.
  var semanticTokensCache: [String: (resultID: String, data: [Int])] = [:]

  /// `YOSAN_LSP_TRACE=1` logs how long each request and each analysis took, on standard error.
  let trace = getenv("YOSAN_LSP_TRACE") != nil

  /// Whether workspace folders are read from disk. The fuzz target turns it off, so that a
  /// random `rootUri` cannot send it through the whole file system.
  let readsWorkspace: Bool
  /// Whether a replaced analysis is freed on a background thread (see `retireAnalysis`). The fuzz
  /// target frees in place, so that its leak checks never see a model still on its way out.
  let freesInBackground: Bool

  public init(queue: MessageQueue, version: String, readsWorkspace: Bool = true, freesInBackground: Bool = true, send: @escaping (JSON) -> Void) {
    self.queue = queue
    self.version = version
    self.readsWorkspace = readsWorkspace
    self.freesInBackground = freesInBackground
    self.sendMessage = send
  }

  /// Runs `yosan lsp` on standard input and output; returns the exit status.
  public static func runStdio(version: String) -> Int32 {
    let transport = StdioTransport()
    let server = LanguageServer(queue: transport.queue, version: version) { transport.send($0) }
    transport.start()
    return server.run()
  }

  // MARK: - Main loop

  /// Handles messages until `exit` or the end of input. When no message is waiting, background
  /// work (indexing the workspace) gets a slice of time; a message that arrives meanwhile waits at
  /// most one slice. While indexed files are prepared on another thread, the loop waits for a
  /// message a slice at a time and takes the prepared files in between.
  public func run() -> Int32 {
    while exitStatus == nil {
      var wait: Double?
      if indexing != nil, queue.isEmpty {
        indexingStep()
        if indexing == nil, queue.isEmpty { flushDiagnostics() }
        guard let run = indexing, run.waitsForPreparation else { continue }
        wait = WorkspaceIndexing.slice
      }
      guard let item = nextItem(timeout: wait) else { continue }
      process(item)
      if exitStatus == nil, queue.isEmpty { flushDiagnostics() }
    }
    return exitStatus!
  }

  func nextItem(timeout: Double? = nil) -> MessageQueue.Item? {
    return queue.pop(timeout: timeout)
  }

  func process(_ item: MessageQueue.Item) {
    switch item {
    case .endOfInput(let unfinished):
      if let unfinished { Log.error(unfinished) }
      if state != .shuttingDown { Log.error("the input ended without `shutdown` and `exit`; exiting with status 1") }
      exitStatus = state == .shuttingDown ? 0 : 1
    case .framingError(let id, let error):
      Log.error(error.message)
      logToClient(error.message, type: 1)
      send(Outgoing.error(id: id, error))
      if let id { queue.answered(id) }
    case .message(let message):
      handle(message)
    }
  }

  func handle(_ message: IncomingMessage) {
    switch message {
    case .invalid(let id, let error):
      Log.error(error.message)
      send(Outgoing.error(id: id, error))
      if let id { queue.answered(id) }
    case .invalidNotification(let method, let error):
      // A notification is never answered (JSON-RPC 2.0): the log says what was wrong.
      let message = "ignored `\(method)`: \(error.message)"
      Log.error(message)
      logToClient(message, type: 1)
    case .response(let id, let result, let error):
      if let id, let handler = responseHandlers.removeValue(forKey: id) { handler(result, error) }
    case .notification(let method, let params):
      handleNotification(method, ParamReader(params))
    case .request(let id, let method, let params):
      handleRequest(id: id, method: method, params: ParamReader(params))
    }
  }

  // MARK: - Requests

  func handleRequest(id: RequestID, method: String, params: ParamReader) {
    defer { queue.answered(id) }
    if queue.isCancelled(id) {
      send(Outgoing.error(id: id, .requestCancelled))
      return
    }
    switch state {
    case .uninitialized where method != "initialize":
      send(Outgoing.error(id: id, .serverNotInitialized))
      return
    case .shuttingDown:
      send(Outgoing.error(id: id, .invalidRequest("the server is shutting down after `shutdown`; only `exit` is accepted")))
      return
    case .running where method == "initialize":
      send(Outgoing.error(id: id, .invalidRequest("the server is already initialized; `initialize` may be sent only once")))
      return
    default:
      break
    }
    requestDocument = nil
    // On a configuration file only the features that read the text apply; the others find nothing.
    if let uri = params["textDocument"]["uri"].value?.stringValue, let document = documents[uri],
      LanguageServer.isConfigurationFile(document.path), !LanguageServer.configurationMethods.contains(method), method.hasPrefix("textDocument/")
    {
      send(Outgoing.response(id: id, result: .null))
      return
    }
    // Pushed diagnostics of an edit go out before requests queued behind it: the analysis is
    // needed for the request anyway, and the editor shows the diagnostics sooner.
    if !dirty.isEmpty && !capabilities.pullDiagnostics { flushDiagnostics() }
    let started = trace ? Clock.now : 0
    defer { if trace { Log.info("\(method) \(id): \(Clock.milliseconds(since: started))") } }
    let result: Result<JSON, ResponseError>
    do throws(ResponseError) {
      result = .success(try dispatch(method, params))
    } catch {
      result = .failure(error)
    }
    if queue.isCancelled(id) {
      send(Outgoing.error(id: id, .requestCancelled))
    } else if let uri = requestDocument, queue.hasPendingChange(uri) {
      send(Outgoing.error(id: id, .contentModified))
    } else {
      switch result {
      case .success(let value): send(Outgoing.response(id: id, result: value))
      case .failure(let error): send(Outgoing.error(id: id, error))
      }
    }
  }

  /// The requests a configuration document answers (the others answer null on it).
  static let configurationMethods: Set<String> = [
    "textDocument/formatting", "textDocument/rangeFormatting", "textDocument/foldingRange", "textDocument/semanticTokens/full",
    "textDocument/semanticTokens/full/delta", "textDocument/semanticTokens/range", "textDocument/diagnostic",
  ]

  /// One line per request.
  func dispatch(_ method: String, _ params: ParamReader) throws(ResponseError) -> JSON {
    switch method {
    case "initialize": return try initialize(params)
    case "shutdown":
      state = .shuttingDown
      return .null
    case "textDocument/diagnostic": return try documentDiagnostic(params)
    case "workspace/diagnostic": return try workspaceDiagnostic(params)
    case "textDocument/hover": return try hover(params)
    case "textDocument/completion": return try completion(params)
    case "textDocument/definition": return try definition(params)
    case "textDocument/references": return try references(params)
    case "textDocument/documentHighlight": return try documentHighlight(params)
    case "textDocument/prepareRename": return try prepareRename(params)
    case "textDocument/rename": return try rename(params)
    case "textDocument/documentSymbol": return try documentSymbols(params)
    case "workspace/symbol": return try workspaceSymbols(params)
    case "textDocument/foldingRange": return try foldingRanges(params)
    case "textDocument/formatting": return try formatting(params)
    case "textDocument/rangeFormatting": return try rangeFormatting(params)
    case "textDocument/codeAction": return try codeActions(params)
    case "textDocument/semanticTokens/full": return try semanticTokensFull(params)
    case "textDocument/semanticTokens/full/delta": return try semanticTokensDelta(params)
    case "textDocument/semanticTokens/range": return try semanticTokensRange(params)
    case "textDocument/inlayHint": return try inlayHints(params)
    default: throw .methodNotFound(method)
    }
  }

  // MARK: - Notifications

  func handleNotification(_ method: String, _ params: ParamReader) {
    if method == "exit" {
      exitStatus = state == .shuttingDown ? 0 : 1
      return
    }
    // Before `initialize` and after `shutdown`, notifications other than `exit` are dropped.
    guard state == .running else { return }
    let started = trace ? Clock.now : 0
    defer { if trace { Log.info("\(method): \(Clock.milliseconds(since: started))") } }
    do throws(ResponseError) {
      switch method {
      case "initialized": initialized()
      case "textDocument/didOpen": try didOpen(params)
      case "textDocument/didChange": try didChange(params)
      case "textDocument/didClose": try didClose(params)
      case "textDocument/didSave": try didSave(params)
      case "workspace/didChangeWatchedFiles": try didChangeWatchedFiles(params)
      case "workspace/didChangeWorkspaceFolders": try didChangeWorkspaceFolders(params)
      default: break  // Unknown notifications and `$/…` ones are ignored, as the protocol asks.
      }
    } catch {
      // A notification has no answer: say what was wrong in the log and in the client's log.
      let message = "ignored `\(method)`: \(error.message)"
      Log.error(message)
      logToClient(message, type: 1)
    }
  }

  // MARK: - Lifecycle

  func initialize(_ params: ParamReader) throws(ResponseError) -> JSON {
    if !params["capabilities"].isAbsent { _ = try params["capabilities"].object() }
    capabilities = ClientCapabilities(params["capabilities"].value)
    encoding = PositionEncoding.negotiate(capabilities.positionEncodings)
    // A client that counts in bytes (or code points) without saying so can ask for it:
    // `initializationOptions: {"positionEncoding": "utf-8"}` (Vim's ALE, whose columns are bytes).
    if let asked = try params["initializationOptions"]["positionEncoding"].optionalString() {
      guard let chosen = PositionEncoding(rawValue: asked) else {
        throw .invalidParams("initializationOptions.positionEncoding `\(asked)` is not one of utf-8, utf-16, utf-32")
      }
      encoding = chosen
    }
    var uris: [String] = []
    if let workspaceFolders = try params["workspaceFolders"].optionalArray() {
      for folder in workspaceFolders { uris.append(try folder["uri"].string()) }
    } else if let rootURI = try params["rootUri"].optionalString() {
      uris.append(rootURI)
    } else if let rootPath = try params["rootPath"].optionalString() {
      uris.append(DocumentURI.fileURI(rootPath))
    }
    folders = []
    readIndexingLimits(params["initializationOptions"])
    if !readsWorkspace { uris = [] }
    if readsWorkspace && uris.isEmpty {
      foldersOfOpenedFiles = true
      if params["initializationOptions"]["indexing"].isAbsent { indexingLimits = .folderless }
    }
    for uri in uris {
      if let folder = WorkspaceFiles.folder(uri: uri) {
        folders.append(folder)
      } else {
        Log.error("workspace folder `\(uri)` is not a local folder; it is not indexed")
      }
    }
    state = .running
    return .object([
      ("capabilities", serverCapabilities()),
      ("serverInfo", .object([("name", .string("yosan")), ("version", .string(version))])),
    ])
  }

  /// What the server offers. Pull diagnostics are offered only to clients that can pull; others get
  /// pushed diagnostics.
  func serverCapabilities() -> JSON {
    var members: [(String, JSON)] = [
      ("positionEncoding", .string(encoding.rawValue)),
      (
        "textDocumentSync",
        .object([("openClose", .bool(true)), ("change", .int(2)), ("save", .object([("includeText", .bool(false))]))])
      ),
      ("hoverProvider", .bool(true)),
      (
        "completionProvider",
        .object([
          ("triggerCharacters", .array(CompletionFeature.triggerCharacters.map(JSON.string))),
          ("resolveProvider", .bool(false)),
        ])
      ),
      ("definitionProvider", .bool(true)),
      ("referencesProvider", .bool(true)),
      ("documentHighlightProvider", .bool(true)),
      ("renameProvider", .object([("prepareProvider", .bool(true))])),
      ("documentSymbolProvider", .bool(true)),
      ("workspaceSymbolProvider", .bool(true)),
      ("foldingRangeProvider", .bool(true)),
      ("documentFormattingProvider", .bool(true)),
      ("documentRangeFormattingProvider", .bool(true)),
      (
        // The kinds may be listed only to a client that takes code action literals (LSP 3.17).
        "codeActionProvider",
        capabilities.codeActionLiterals
          ? .object([("codeActionKinds", .array(CodeActionFeature.kinds.map(JSON.string))), ("resolveProvider", .bool(false))])
          : .bool(false)
      ),
      (
        "semanticTokensProvider",
        .object([
          ("legend", SemanticTokensFeature.legend),
          ("full", .object([("delta", .bool(true))])),
          ("range", .bool(true)),
        ])
      ),
      ("inlayHintProvider", .bool(true)),
      (
        "workspace",
        .object([("workspaceFolders", .object([("supported", .bool(true)), ("changeNotifications", .bool(true))]))])
      ),
    ]
    if capabilities.pullDiagnostics {
      members.append((
        "diagnosticProvider",
        .object([
          ("identifier", .string("yosan")), ("interFileDependencies", .bool(true)), ("workspaceDiagnostics", .bool(true)),
        ])
      ))
    }
    return .object(members)
  }

  /// After `initialized`: watch the workspace's files and index them.
  func initialized() {
    if capabilities.watchedFilesRegistration {
      let watchers: [JSON] = WorkspaceIndexing.watchedPatterns.map { .object([("globPattern", .string($0))]) }
      let registration: JSON = .object([
        ("id", .string("yosan-watched-files")), ("method", .string("workspace/didChangeWatchedFiles")),
        ("registerOptions", .object([("watchers", .array(watchers))])),
      ])
      sendRequest("client/registerCapability", .object([("registrations", .array([registration]))])) { _, _ in }
    }
    startIndexing(progress: true)
  }

  // MARK: - Sending

  func send(_ message: JSON) { sendMessage(message) }

  func notify(_ method: String, _ params: JSON) { send(Outgoing.notification(method, params)) }

  /// Sends a request to the client; `handler` runs when its answer arrives.
  @discardableResult
  func sendRequest(_ method: String, _ params: JSON, handler: @escaping (JSON?, JSON?) -> Void) -> RequestID {
    let id = RequestID.string("yosan-\(nextServerRequest)")
    nextServerRequest += 1
    responseHandlers[id] = handler
    send(Outgoing.request(id: id, method, params))
    return id
  }

  /// A message in the client's log (`window/logMessage`; type 1 error, 3 info).
  func logToClient(_ message: String, type: Int) {
    guard state != .uninitialized else { return }
    notify("window/logMessage", .object([("type", .int(type)), ("message", .string(message))]))
  }
}

/// Monotonic time in seconds.
enum Clock {
  static var now: Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }

  /// `12.3 ms`: the time since `start`, for logs.
  static func milliseconds(since start: Double) -> String {
    let tenths = Int(((now - start) * 10_000).rounded())
    return "\(tenths / 10).\(tenths % 10) ms"
  }
}
