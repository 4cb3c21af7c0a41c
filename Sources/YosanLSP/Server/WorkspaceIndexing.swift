import Dispatch
import YosanCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import YosanJSON

/// Reading the workspace's `.yosan` files into the analysis, and keeping them current.
enum WorkspaceIndexing {
  /// The files the server asks the client to watch.
  static let watchedPatterns = ["**/*.yosan"]

  static let progressToken = JSON.string("yosan-indexing")

  /// How long one step of indexing runs before the main loop looks for messages again.
  static let slice = 0.01

  /// Where indexed files are prepared: one at a time (each one's lowering and checks are
  /// parallel already), so that memory holds at most one file being prepared.
  static let preparation = DispatchQueue(label: "yosan.indexing.preparation", qos: .utility)
}

/// One run of the `WorkspaceIndexer` with what the server keeps of it: whether it reports
/// progress and what to log at the end.
final class IndexingRun {
  let indexer: WorkspaceIndexer
  /// The first indexing after `initialized` reports progress and logs its summary; later ones
  /// (after a configuration change) log only what went wrong.
  let reportsProgress: Bool
  var lastReport = 0.0
  var failures: [String] = []
  /// Files read and being parsed, lowered and checked on another thread: with the generation the
  /// server had for the path when it was read (a later change or open wins over the disk).
  var preparing: [String: Int?] = [:]
  let prepared = PreparedFiles()

  /// Whether all that is left is to wait for files being prepared (the main loop then waits for a
  /// message rather than calling again at once).
  var waitsForPreparation: Bool { indexer.isFinished && !preparing.isEmpty }

  init(indexer: WorkspaceIndexer, reportsProgress: Bool) {
    self.indexer = indexer
    self.reportsProgress = reportsProgress
  }
}

/// The files prepared on the preparation thread, waiting for the main loop to take them.
final class PreparedFiles: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private var files: [AnalysisSession.PreparedFile] = []

  init() { pthread_mutex_init(mutex, nil) }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  func add(_ file: AnalysisSession.PreparedFile) {
    pthread_mutex_lock(mutex)
    files.append(file)
    pthread_mutex_unlock(mutex)
  }

  /// The files prepared since the last call.
  func take() -> [AnalysisSession.PreparedFile] {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    let taken = files
    files = []
    return taken
  }
}

/// The state of the indexing progress report (`$/progress` with the server's one token).
enum IndexingProgress: Equatable {
  case none
  /// `window/workDoneProgress/create` was sent; `end` is the summary to send once the client
  /// has answered, when the run finished before that.
  case requested(end: String?)
  case begun
}

extension LanguageServer {
  /// Starts indexing the workspace folders in the background: the `.yosan` files they hold that
  /// the configuration includes (open documents aside: they override the disk). A run in progress
  /// is replaced (its progress report carries over). The main loop gives the run a slice of time
  /// whenever no message is waiting (`indexingStep`), so requests are answered meanwhile.
  func startIndexing(progress: Bool) {
    let previous = indexing
    indexing = nil
    let reports = progress || (previous?.reportsProgress ?? false)
    guard !folders.isEmpty else {
      for path in indexedPaths { removeFile(path) }
      indexedPaths = []
      if previous != nil { progressEnded("no workspace folder is indexed") }
      return
    }
    let run = IndexingRun(indexer: WorkspaceIndexer(folders: folders, limits: indexingLimits), reportsProgress: reports)
    indexing = run
    guard reports, indexingProgress == .none, capabilities.workDoneProgress else { return }
    // Progress needs a token the client has acknowledged: it begins when the answer comes.
    indexingProgress = .requested(end: nil)
    sendRequest("window/workDoneProgress/create", .object([("token", WorkspaceIndexing.progressToken)])) { [weak self] _, error in
      guard let self, case .requested(let end) = self.indexingProgress else { return }
      guard error == nil else {
        self.indexingProgress = .none
        return
      }
      self.indexingProgress = .begun
      let current = self.indexing
      current?.lastReport = Clock.now
      self.reportProgress(.object([
        ("kind", .string("begin")), ("title", .string("Indexing .yosan files")), ("cancellable", .bool(false)),
        ("message", .string(current.map(self.progressMessage) ?? "0 files")), ("percentage", .int(current.map(self.progressPercentage) ?? 0)),
      ]))
      if let end, current == nil { self.progressEnded(end) }
    }
  }

  /// Indexing limits from `initializationOptions.indexing` (`maxFiles`, `maxBytes`, `maxDepth`,
  /// `maxSeconds`); a value that is not a positive number is ignored, with a line in the log.
  func readIndexingLimits(_ options: ParamReader) {
    var limits = WorkspaceIndexer.Limits()
    let indexing = options["indexing"]
    guard !indexing.isAbsent else { return }
    func positive(_ key: String) -> Double? {
      guard let value = indexing.value?[key], !value.isNull else { return nil }
      if case .number(let text) = value, let number = Double(text), number > 0 { return number }
      let message = "ignored initializationOptions.indexing.\(key): it must be a positive number"
      Log.error(message)
      return nil
    }
    if let files = positive("maxFiles") { limits.files = Int(Swift.min(files, 1e9)) }
    if let bytes = positive("maxBytes") { limits.bytes = Int(Swift.min(bytes, 1e15)) }
    if let depth = positive("maxDepth") { limits.depth = Int(Swift.min(depth, 1e6)) }
    if let seconds = positive("maxSeconds") { limits.seconds = seconds }
    indexingLimits = limits
  }

  /// One slice of indexing: called by the main loop when no message is waiting. Files read are
  /// parsed, lowered and checked on the preparation thread (`AnalysisSession.prepare`) and taken
  /// into the session here when ready, so that a large file delays no request; the run ends when
  /// every file read has been taken.
  func indexingStep() {
    guard let run = indexing else { return }
    if !run.indexer.isFinished {
      let output = run.indexer.step(until: Clock.now + WorkspaceIndexing.slice, wanted: { shouldIndex($0) }, isOpen: { openPaths[$0] != nil })
      for (path, bytes) in output.files {
        indexedPaths.insert(path)
        let configuration = configuration(for: path)
        if session.holds(path: path, bytes: bytes, configuration: configuration) { continue }
        run.preparing[path] = fileGenerations[path]
        let prepared = run.prepared
        WorkspaceIndexing.preparation.async { prepared.add(AnalysisSession.prepare(path: path, bytes: bytes, configuration: configuration)) }
      }
      run.failures += output.failures
    }
    for file in run.prepared.take() {
      guard let generation = run.preparing.removeValue(forKey: file.path) else { continue }
      // Opened or changed since it was read: the editor's text or the newer change stands.
      guard openPaths[file.path] == nil, fileGenerations[file.path] == generation, indexedPaths.contains(file.path) else { continue }
      adoptFile(file)
    }
    if run.indexer.isFinished, run.preparing.isEmpty {
      finishIndexing(run)
    } else if indexingProgress == .begun, Clock.now - run.lastReport > 0.1 {
      run.lastReport = Clock.now
      reportProgress(.object([
        ("kind", .string("report")), ("message", .string(progressMessage(run))), ("percentage", .int(progressPercentage(run))),
      ]))
    }
  }

  func progressMessage(_ run: IndexingRun) -> String {
    let indexer = run.indexer
    switch indexer.phase {
    case .walking: return "\(indexer.found.count) .yosan file\(indexer.found.count == 1 ? "" : "s") found"
    case .reading, .finished: return "\(indexer.nextToRead)/\(indexer.found.count) files"
    }
  }

  /// Reading is the part whose end is known: 0 while walking, then up to 100.
  func progressPercentage(_ run: IndexingRun) -> Int {
    let indexer = run.indexer
    guard indexer.phase != .walking else { return 0 }
    return indexer.nextToRead * 100 / Swift.max(1, indexer.found.count)
  }

  /// The end of a run: files no longer wanted leave the index (when the run saw everything), and
  /// the log and the progress report say what was indexed and which limit, if any, stopped it.
  func finishIndexing(_ run: IndexingRun) {
    indexing = nil
    let indexer = run.indexer
    if indexer.isComplete {
      let wanted = Set(indexer.taken)
      for path in indexedPaths where !wanted.contains(path) {
        indexedPaths.remove(path)
        removeFile(path)
      }
    }
    let count = indexer.taken.count
    var summary =
      "indexed \(count) .yosan file\(count == 1 ? "" : "s") (\(WorkspaceIndexer.size(indexer.bytesRead))) in \(indexer.elapsedMilliseconds) ms"
    var limits: [String] = []
    if let stopped = indexer.stopped { limits.append("indexing stopped early: \(stopped); the other files are not indexed") }
    if indexer.tooDeep > 0 {
      limits.append(
        "\(indexer.tooDeep) folder\(indexer.tooDeep == 1 ? "" : "s") more than \(indexer.limits.depth) levels below a workspace folder not entered")
    }
    if !limits.isEmpty { summary += "; " + limits.joined(separator: "; ") + " (see initializationOptions.indexing in the README)" }
    for failure in run.failures {
      Log.error("not indexed: \(failure)")
      logToClient("not indexed: \(failure)", type: 2)
    }
    // The first indexing is logged; later ones (after a configuration change) only when a limit
    // stopped them.
    // The summary goes to the client's log (window/logMessage). Standard error, which clients
    // show as the server's errors (Neovim logs it at ERROR), hears of it only when a limit
    // stopped the run.
    if run.reportsProgress || !limits.isEmpty {
      if !limits.isEmpty { Log.info(summary) }
      logToClient(summary, type: limits.isEmpty ? 3 : 2)
    }
    progressEnded(summary)
  }

  /// Ends the progress report with `message`, or keeps the message for when it begins.
  func progressEnded(_ message: String) {
    switch indexingProgress {
    case .none: break
    case .requested: indexingProgress = .requested(end: message)
    case .begun:
      reportProgress(.object([("kind", .string("end")), ("message", .string(message))]))
      indexingProgress = .none
    }
  }

  func reportProgress(_ value: JSON) {
    notify("$/progress", .object([("token", WorkspaceIndexing.progressToken), ("value", value)]))
  }

  // MARK: - Changes on disk

  func didChangeWatchedFiles(_ params: ParamReader) throws(ResponseError) {
    var configurationTouched = false
    for change in try params["changes"].array() {
      let uri = try change["uri"].string()
      let type = try change["type"].int()
      guard let path = DocumentURI.filePath(uri), path.hasSuffix(".yosan") else { continue }
      // Open documents override the disk; files outside the workspace are never read.
      guard openPaths[path] == nil else { continue }
      if LanguageServer.isConfigurationFile(path) {
        configurationTouched = true
        continue
      }
      if type == 3 {
        if indexedPaths.remove(path) != nil { removeFile(path) }
        continue
      }
      guard WorkspaceFiles.isInside(path, folders), shouldIndex(path) else { continue }
      switch WorkspaceFiles.readFile(path) {
      case .success(let bytes):
        setFile(path, bytes: bytes)
        indexedPaths.insert(path)
      case .failure(let error):
        if indexedPaths.remove(path) != nil { removeFile(path) }
        Log.error("cannot read a changed file: \(error)")
      }
    }
    if configurationTouched { configurationChanged() }
  }

  func didChangeWorkspaceFolders(_ params: ParamReader) throws(ResponseError) {
    let event = params["event"]
    // Folders the client names replace those taken from opened files.
    if foldersOfOpenedFiles {
      foldersOfOpenedFiles = false
      folders = []
      indexingLimits = WorkspaceIndexer.Limits()
    }
    for folder in try event["removed"].array() {
      let uri = try folder["uri"].string()
      folders.removeAll { $0.uri == uri }
    }
    for folder in try event["added"].array() {
      let uri = try folder["uri"].string()
      guard !folders.contains(where: { $0.uri == uri }), let resolved = WorkspaceFiles.folder(uri: uri) else { continue }
      folders.append(resolved)
    }
    configurationChanged()
  }

  // MARK: - No workspace folder

  /// With no workspace folder (the editor found no `.git` or `yosan.config.yosan` above the file),
  /// the folder of each opened file is indexed, within `WorkspaceIndexer.Limits.folderless`, so
  /// that ids defined in sibling files resolve as `yosan check .` resolves them there. Not the
  /// root folder; not a folder already inside one indexed.
  func indexFolder(ofOpened path: String) {
    guard foldersOfOpenedFiles, !WorkspaceFiles.isInside(path, folders),
      let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
    else { return }
    let folderPath = String(path[..<slash])
    guard !folderPath.isEmpty, let folder = WorkspaceFiles.folder(uri: DocumentURI.fileURI(folderPath)), folder.realPath != "/" else {
      return
    }
    folders.append(folder)
    let limits = indexingLimits
    logToClient(
      "no workspace folder: indexing `\(folderPath)`, the folder of the opened file (at most \(WorkspaceIndexer.number(limits.files)) files, "
        + "\(WorkspaceIndexer.size(limits.bytes)), \(limits.depth) levels below it)", type: 3)
    startIndexing(progress: true)
  }
}
