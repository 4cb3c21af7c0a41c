#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import YosanJSON

/// The server's side of standard input and output: a reader thread that frames and classifies
/// messages into a `MessageQueue`, and whole-message writes to standard output. Nothing else ever
/// writes to standard output; logs go to standard error.
public final class StdioTransport: @unchecked Sendable {
  public let queue = MessageQueue()
  let input: Int32
  let output: Int32
  let limits: MessageFramer.Limits
  private var outputClosed = false

  public init(input: Int32 = 0, output: Int32 = 1, limits: MessageFramer.Limits = .standard) {
    self.input = input
    self.output = output
    self.limits = limits
  }

  /// Starts the reader thread.
  public func start() {
    // A client that goes away must not kill the server with SIGPIPE; the write fails instead.
    signal(SIGPIPE, SIG_IGN)
    let box = Unmanaged.passRetained(self).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, { argument in
      let transport = Unmanaged<StdioTransport>.fromOpaque(argument!).takeRetainedValue()
      transport.readLoop()
      return nil
    }, box)
    if status != 0 {
      Log.error("cannot start the reader thread (error \(status))")
      queue.push([.endOfInput(unfinished: nil)])
    } else {
      pthread_detach(thread)
    }
  }

  /// Reads until end of input, pushing one batch per `read`.
  func readLoop() {
    var framer = MessageFramer(limits: limits)
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        Log.error("reading standard input failed: \(String(cString: strerror(errno)))")
        break
      }
      if count == 0 { break }
      let events = chunk.withUnsafeBufferPointer { framer.feed(UnsafeBufferPointer(rebasing: $0[0..<count])) }
      queue.push(events.map { StdioTransport.item($0, limit: limits.maximumMessageSize) })
    }
    queue.push([.endOfInput(unfinished: framer.unfinished)])
  }

  /// Turns a framing event into a queue item (parsing JSON here, off the main loop).
  public static func item(_ event: MessageFramer.Event, limit: Int) -> MessageQueue.Item {
    switch event {
    case .message(let body):
      return .message(IncomingMessage.classify(body))
    case .badHeader(let message):
      return .framingError(id: nil, .parseError("invalid message header: \(message)"))
    case .tooLarge(let length, let prefix):
      let (id, _, method) = MessagePrefix.idAndMethod(prefix)
      let what = method.map { "`\($0)` message" } ?? "message"
      return .framingError(
        id: id,
        .invalidRequest("the \(what) of \(length) bytes is larger than the limit of \(MessagePrefix.megabytes(limit)); it was discarded"))
    }
  }

  /// Writes one framed message whole. Returns false when standard output is closed.
  @discardableResult
  public func send(_ message: JSON) -> Bool {
    let bytes = Outgoing.frame(message)
    return writeAll(bytes)
  }

  func writeAll(_ bytes: [UInt8]) -> Bool {
    guard !outputClosed else { return false }
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { write(output, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 {
        if errno == EINTR { continue }
        Log.error("writing standard output failed: \(String(cString: strerror(errno)))")
        outputClosed = true
        return false
      }
      offset += written
    }
    return true
  }
}

/// Reads the `id` and `method` of a message without parsing the rest: from the first bytes of a
/// message too large to read, or from a message nested too deeply for the reader. Only the
/// top-level members count; nesting is counted, never followed, so any depth is fine. The id is
/// read exactly (a string with its escapes; see `RequestID.init(_:text:)`).
enum MessagePrefix {
  /// The id (nil when absent or not a valid id), whether an `id` member was there at all, and the
  /// method.
  static func idAndMethod(_ prefix: [UInt8]) -> (id: RequestID?, hasID: Bool, method: String?) {
    var id: RequestID?
    var hasID = false
    var method: String?
    var depth = 0
    var index = 0
    var lastKey: String?
    var expectingKey = false
    func value(_ start: Int, _ end: Int) -> JSON? { try? JSON.parse(Array(prefix[start..<end])) }
    while index < prefix.count {
      let byte = prefix[index]
      switch byte {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        if depth == 1, lastKey == "id" {
          hasID = true
          lastKey = nil
        }
        depth += 1
        expectingKey = byte == UInt8(ascii: "{") && depth == 1
        index += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        index += 1
      case UInt8(ascii: ","):
        expectingKey = depth == 1
        index += 1
      case UInt8(ascii: "\""):
        guard let end = stringEnd(prefix, from: index) else { return (id, hasID, method) }
        if depth == 1 && expectingKey {
          lastKey = value(index, end)?.stringValue
          expectingKey = false
        } else if depth == 1, let key = lastKey {
          if key == "id", let read = value(index, end) {
            hasID = true
            id = RequestID(read, text: Array(prefix[index..<end]))
          }
          if key == "method" { method = value(index, end)?.stringValue }
          lastKey = nil
        }
        index = end
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
        // A number or a literal: up to the next delimiter.
        let start = index
        while index < prefix.count, !Self.delimiters.contains(prefix[index]) { index += 1 }
        if depth == 1, lastKey == "id", index < prefix.count {
          hasID = true
          id = value(start, index).flatMap { RequestID($0) }
        }
        lastKey = nil
      default:
        index += 1
      }
    }
    return (id, hasID, method)
  }

  static let delimiters: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D]

  /// The index after the JSON string starting at `start` (a quote), or nil when it is cut off.
  static func stringEnd(_ bytes: [UInt8], from start: Int) -> Int? {
    var index = start + 1
    while index < bytes.count {
      switch bytes[index] {
      case UInt8(ascii: "\\"): index += 2
      case UInt8(ascii: "\""): return index + 1
      default: index += 1
      }
    }
    return nil
  }

  static func megabytes(_ bytes: Int) -> String { "\(bytes >> 20) MiB" }
}

/// Logging to standard error (never standard output, which carries the protocol).
public enum Log {
  /// Off in tests that run the server in process and feed it broken input on purpose.
  nonisolated(unsafe) public static var isEnabled = true

  public static func error(_ message: String) { emit("yosan lsp: error: \(message)\n") }
  public static func info(_ message: String) { emit("yosan lsp: \(message)\n") }

  static func emit(_ text: String) {
    guard isEnabled else { return }
    var text = text
    text.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let n = write(2, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
      }
    }
  }
}
