import YosanCore
import YosanJSON

/// Reading the workspace's `.yosan` files into the analysis, and keeping them current.
enum WorkspaceIndexing {
  /// The files the server asks the client to watch.
  static let watchedPatterns = ["**/*.yosan"]

  static let progressToken = JSON.string("yosan-indexing")
}

extension LanguageServer {
  /// Makes the session hold exactly the `.yosan` files of the workspace folders that the
  /// configuration includes (open documents aside: they override the disk): reads them, drops
  /// those gone, analyses, and reports progress when the client supports it and `progress` is set.
  func synchronizeIndex(progress wantsProgress: Bool) {
    let started = Clock.now
    var paths: [String] = []
    for folder in folders { paths += WorkspaceFiles.yosanFiles(in: folder) }
    paths = paths.filter(shouldIndex)
    let wanted = Set(paths)
    for path in indexedPaths where !wanted.contains(path) {
      indexedPaths.remove(path)
      removeFile(path)
    }
    guard !folders.isEmpty else { return }
    // Progress needs a token the client has acknowledged; clients answer at once, so wait briefly.
    let progress =
      wantsProgress && capabilities.workDoneProgress
      && sendRequestAndWait("window/workDoneProgress/create", .object([("token", WorkspaceIndexing.progressToken)]), timeout: 1)
    if progress {
      reportProgress(.object([
        ("kind", .string("begin")), ("title", .string("Indexing .yosan files")), ("cancellable", .bool(false)),
        ("message", .string("0/\(paths.count) files")), ("percentage", .int(0)),
      ]))
    }
    var lastReport = Clock.now
    var failures: [String] = []
    for (index, path) in paths.enumerated() {
      if openPaths[path] == nil {
        switch WorkspaceFiles.readFile(path) {
        case .success(let bytes):
          setFile(path, bytes: bytes)
          indexedPaths.insert(path)
        case .failure(let error):
          failures.append(error.description)
        }
      }
      if progress, Clock.now - lastReport > 0.1 {
        lastReport = Clock.now
        reportProgress(.object([
          ("kind", .string("report")), ("message", .string("\(index + 1)/\(paths.count) files")),
          ("percentage", .int((index + 1) * 90 / Swift.max(1, paths.count))),
        ]))
      }
    }
    if progress {
      reportProgress(.object([("kind", .string("report")), ("message", .string("checking")), ("percentage", .int(90))]))
    }
    let analysis = currentDiagnostics()
    let milliseconds = Int((Clock.now - started) * 1000)
    let summary = "indexed \(paths.count) .yosan file\(paths.count == 1 ? "" : "s") (\(analysis.counters.items) items) in \(milliseconds) ms"
    for failure in failures {
      Log.error("not indexed: \(failure)")
      logToClient("not indexed: \(failure)", type: 2)
    }
    // The first indexing is logged; later ones (after a configuration change) only when they fail.
    if wantsProgress {
      Log.info(summary)
      logToClient(summary, type: 3)
    }
    if progress {
      reportProgress(.object([("kind", .string("end")), ("message", .string(summary))]))
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
}
