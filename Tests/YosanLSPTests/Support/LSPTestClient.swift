import Foundation
#if canImport(Glibc)
  import Glibc
#endif
import YosanJSON
import YosanLSP
import YosanTestSupport

/// A minimal language client for tests: it starts the built `yosan lsp` as a child process, talks
/// to it over pipes with `Content-Length` framing, numbers its requests, answers the server's own
/// requests, and waits for answers and notifications with a timeout, so that a hang fails the test
/// instead of blocking it.
final class LSPTestClient: @unchecked Sendable {
  enum Failure: Error, CustomStringConvertible {
    case timeout(String)
    case exited(String)
    case unexpected(String)

    var description: String {
      switch self {
      case .timeout(let what): return "timed out waiting for \(what)"
      case .exited(let what): return "the server exited while waiting for \(what)"
      case .unexpected(let what): return what
      }
    }
  }

  let process = Process()
  let stdinPipe = Pipe()
  let stdoutPipe = Pipe()
  let stderrPipe = Pipe()
  private let lock = NSCondition()
  private var inbox: [JSON] = []
  private var closed = false
  private var errorText = Data()
  /// True once standard error reached its end (the server exited and everything was read).
  private var errorClosed = false
  private var nextID = 1
  /// What the client answers to the server's requests (by method); `null` when not listed.
  var replies: [String: JSON] = [:]
  /// Every message received, in order (also those already taken by a wait).
  private(set) var received: [JSON] = []
  /// The bodies as they came, for checks of the exact bytes.
  private var rawInbox: [[UInt8]] = []
  let timeout: TimeInterval

  init(timeout: TimeInterval = 20, directory: URL? = nil) throws {
    self.timeout = timeout
    // A server that exits must not kill the test run when the client writes to it.
    signal(SIGPIPE, SIG_IGN)
    process.executableURL = YosanBinary.url
    process.arguments = ["lsp"]
    process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
    process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    process.standardInput = stdinPipe
    process.standardOutput = stdoutPipe
    process.standardError = stderrPipe
    try process.run()
    let reader = Thread { [self] in readLoop() }
    reader.start()
    let errorReader = Thread { [self] in
      LSPTestClient.readUntilEnd(stderrPipe.fileHandleForReading.fileDescriptor) { bytes in
        lock.lock()
        errorText.append(contentsOf: bytes)
        lock.unlock()
      }
      lock.lock()
      errorClosed = true
      lock.broadcast()
      lock.unlock()
    }
    errorReader.start()
  }

  deinit {
    if process.isRunning { process.terminate() }
  }

  /// What the server wrote to standard error so far (complete once it exited).
  var stderr: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: errorText, as: UTF8.self)
  }

  // MARK: - Reading

  /// Calls `body` with each chunk read from `fd` until end of file.
  static func readUntilEnd(_ fd: Int32, _ body: (ArraySlice<UInt8>) -> Void) {
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { return }
      body(chunk[0..<count])
    }
  }

  private func readLoop() {
    var framer = MessageFramer()
    LSPTestClient.readUntilEnd(stdoutPipe.fileHandleForReading.fileDescriptor) { bytes in
      for event in framer.feed(Array(bytes)) {
        guard case .message(let body) = event, let message = try? JSON.parse(body) else { continue }
        // Answer the server's requests at once.
        if let method = message["method"]?.stringValue, let id = message["id"] {
          send(.object([("jsonrpc", .string("2.0")), ("id", id), ("result", replies[method] ?? .null)]))
        }
        lock.lock()
        inbox.append(message)
        received.append(message)
        rawInbox.append(body)
        lock.broadcast()
        lock.unlock()
      }
    }
    lock.lock()
    closed = true
    lock.broadcast()
    lock.unlock()
  }

  /// Takes the first message that satisfies `predicate`, waiting for it.
  func take(_ what: String, timeout: TimeInterval? = nil, where predicate: (JSON) -> Bool) throws -> JSON {
    let deadline = Date().addingTimeInterval(timeout ?? self.timeout)
    lock.lock()
    defer { lock.unlock() }
    while true {
      if let index = inbox.firstIndex(where: predicate) { return inbox.remove(at: index) }
      if closed { throw Failure.exited(what) }
      if !lock.wait(until: deadline) { throw Failure.timeout(what) }
    }
  }

  /// Takes the first body (as the bytes that came) that satisfies `predicate`, waiting for it.
  func takeRaw(_ what: String, timeout: TimeInterval? = nil, where predicate: ([UInt8]) -> Bool) throws -> [UInt8] {
    let deadline = Date().addingTimeInterval(timeout ?? self.timeout)
    lock.lock()
    defer { lock.unlock() }
    while true {
      if let index = rawInbox.firstIndex(where: predicate) { return rawInbox.remove(at: index) }
      if closed { throw Failure.exited(what) }
      if !lock.wait(until: deadline) { throw Failure.timeout(what) }
    }
  }

  /// The messages received so far that satisfy `predicate`, without removing them.
  func peek(where predicate: (JSON) -> Bool) -> [JSON] {
    lock.lock()
    defer { lock.unlock() }
    return inbox.filter(predicate)
  }

  /// Forgets the messages received so far that satisfy `predicate`.
  func discard(where predicate: (JSON) -> Bool) {
    lock.lock()
    inbox.removeAll(where: predicate)
    lock.unlock()
  }

  // MARK: - Writing

  /// Writes bytes whole (one `write` call for small messages, so the server reads them together).
  func sendRaw(_ bytes: [UInt8]) {
    let fd = stdinPipe.fileHandleForWriting.fileDescriptor
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 && errno == EINTR { continue }
      if written <= 0 { return }
      offset += written
    }
  }

  func send(_ message: JSON) { sendRaw(Outgoing.frame(message)) }

  /// Several messages in one write, so the server reads them together.
  func sendTogether(_ messages: [JSON]) { sendRaw(messages.flatMap(Outgoing.frame)) }

  func closeInput() { close(stdinPipe.fileHandleForWriting.fileDescriptor) }

  func requestMessage(_ method: String, _ params: JSON) -> (Int, JSON) {
    lock.lock()
    let id = nextID
    nextID += 1
    lock.unlock()
    return (id, .object([("jsonrpc", .string("2.0")), ("id", .int(id)), ("method", .string(method)), ("params", params)]))
  }

  func notificationMessage(_ method: String, _ params: JSON) -> JSON {
    .object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)])
  }

  @discardableResult
  func request(_ method: String, _ params: JSON) -> Int {
    let (id, message) = requestMessage(method, params)
    send(message)
    return id
  }

  func notify(_ method: String, _ params: JSON) { send(notificationMessage(method, params)) }

  /// The whole answer to request `id`.
  func response(_ id: Int) throws -> JSON {
    try take("the answer to request \(id)") { $0["method"] == nil && $0["id"] == .int(id) }
  }

  /// Sends a request and returns its `result`; fails on an error answer.
  func call(_ method: String, _ params: JSON) throws -> JSON {
    let answer = try response(request(method, params))
    if let error = answer["error"] { throw Failure.unexpected("\(method) failed: \(error.serialized())") }
    return answer["result"] ?? .null
  }

  /// Sends a request and returns its error (code, message); fails on a result.
  func callExpectingError(_ method: String, _ params: JSON) throws -> (code: Int, message: String) {
    let answer = try response(request(method, params))
    guard let error = answer["error"], let code = error["code"]?.intValue else {
      throw Failure.unexpected("\(method) answered \(answer.serialized()) instead of an error")
    }
    return (code, error["message"]?.stringValue ?? "")
  }

  /// Waits for a notification.
  func notification(_ method: String, where predicate: (JSON) -> Bool = { _ in true }) throws -> JSON {
    try take("`\(method)`") { $0["method"]?.stringValue == method && $0["id"] == nil && predicate($0) }
  }

  /// The next `publishDiagnostics` for `uri`.
  func diagnostics(for uri: String) throws -> JSON {
    try notification("textDocument/publishDiagnostics") { $0["params"]?["uri"]?.stringValue == uri }
  }

  // MARK: - Lifecycle

  /// Capabilities of a client that supports everything the server uses (UTF-16 only by default).
  static func capabilities(encodings: [String] = ["utf-16"], pull: Bool = false, progress: Bool = false) -> JSON {
    var textDocument: [(String, JSON)] = [
      ("hover", .object([("contentFormat", .array([.string("markdown"), .string("plaintext")]))])),
      (
        "completion",
        .object([("completionItem", .object([("snippetSupport", .bool(true)), ("documentationFormat", .array([.string("markdown")]))]))])
      ),
      ("documentSymbol", .object([("hierarchicalDocumentSymbolSupport", .bool(true))])),
      ("codeAction", .object([("codeActionLiteralSupport", .object([("codeActionKind", .object([("valueSet", .array([]))]))]))])),
      ("publishDiagnostics", .object([("relatedInformation", .bool(true)), ("versionSupport", .bool(true))])),
    ]
    if pull { textDocument.append(("diagnostic", .object([("dynamicRegistration", .bool(false))]))) }
    return .object([
      ("general", .object([("positionEncodings", .array(encodings.map(JSON.string)))])),
      ("textDocument", .object(textDocument)),
      (
        "workspace",
        .object([
          ("diagnostics", .object([("refreshSupport", .bool(true))])),
          ("didChangeWatchedFiles", .object([("dynamicRegistration", .bool(true))])),
        ])
      ),
      ("window", .object([("workDoneProgress", .bool(progress))])),
    ])
  }

  /// `initialize` and `initialized`; returns the initialize result.
  @discardableResult
  func initialize(capabilities: JSON = LSPTestClient.capabilities(), workspace: URL? = nil, options: JSON? = nil) throws -> JSON {
    var params: [(String, JSON)] = [("processId", .null), ("capabilities", capabilities)]
    if let options { params.append(("initializationOptions", options)) }
    if let workspace {
      params.append(("workspaceFolders", .array([.object([("uri", .string(workspace.absoluteURL.absoluteString)), ("name", .string("test"))])])))
    } else {
      params.append(("rootUri", .null))
    }
    let result = try call("initialize", .object(params))
    notify("initialized", .object([]))
    if workspace != nil {
      // Indexing ends with a log line; wait for it so that tests see the whole workspace.
      _ = try notification("window/logMessage") { $0["params"]?["message"]?.stringValue?.hasPrefix("indexed") == true }
    }
    return result
  }

  func open(_ uri: String, _ text: String, version: Int = 1) {
    notify(
      "textDocument/didOpen",
      .object([
        ("textDocument", .object([("uri", .string(uri)), ("languageId", .string("yosan")), ("version", .int(version)), ("text", .string(text))]))
      ]))
  }

  func changeMessage(_ uri: String, version: Int, range: JSON?, text: String) -> JSON {
    var change: [(String, JSON)] = []
    if let range { change.append(("range", range)) }
    change.append(("text", .string(text)))
    return notificationMessage(
      "textDocument/didChange",
      .object([
        ("textDocument", .object([("uri", .string(uri)), ("version", .int(version))])), ("contentChanges", .array([.object(change)])),
      ]))
  }

  func change(_ uri: String, version: Int, range: JSON?, text: String) { send(changeMessage(uri, version: version, range: range, text: text)) }

  /// `shutdown`, `exit`, and the exit status.
  func shutdownAndExit() throws -> Int32 {
    _ = try call("shutdown", .null)
    notify("exit", .null)
    return try waitForExit()
  }

  /// Waits for the server to exit and for its output and error streams to be read to the end,
  /// so that `stderr` and the received messages are complete.
  func waitForExit() throws -> Int32 {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
      if Date() > deadline { throw Failure.timeout("the server to exit") }
      Thread.sleep(forTimeInterval: 0.01)
    }
    lock.lock()
    defer { lock.unlock() }
    while !(closed && errorClosed) {
      if !lock.wait(until: deadline) { throw Failure.timeout("the server's output to end") }
    }
    return process.terminationStatus
  }
}

// MARK: - Building params

enum LSP {
  static func position(_ line: Int, _ character: Int) -> JSON { .object([("line", .int(line)), ("character", .int(character))]) }

  static func range(_ startLine: Int, _ startCharacter: Int, _ endLine: Int, _ endCharacter: Int) -> JSON {
    .object([("start", position(startLine, startCharacter)), ("end", position(endLine, endCharacter))])
  }

  static func document(_ uri: String) -> JSON { .object([("textDocument", .object([("uri", .string(uri))]))]) }

  static func at(_ uri: String, _ line: Int, _ character: Int, _ extra: [(String, JSON)] = []) -> JSON {
    .object([("textDocument", .object([("uri", .string(uri))])), ("position", position(line, character))] + extra)
  }

  /// `[startLine, startCharacter, endLine, endCharacter]` of a range.
  static func bounds(_ range: JSON?) -> [Int] {
    [range?["start"]?["line"], range?["start"]?["character"], range?["end"]?["line"], range?["end"]?["character"]].map { $0?.intValue ?? -1 }
  }
}

/// A temporary folder of files, removed at the end.
final class TemporaryWorkspace {
  let url: URL

  init(_ files: [String: String]) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("yosan-lsp-\(UUID().uuidString)").resolvingSymlinksInPath()
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files { try write(name, text) }
  }

  func write(_ name: String, _ text: String) throws {
    let file = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
  }

  func uri(_ name: String) -> String { url.appendingPathComponent(name).absoluteURL.absoluteString }

  deinit { try? FileManager.default.removeItem(at: url) }
}
