import YosanJSON
import YosanLSP

/// The language server's reader and dispatcher fed arbitrary bytes, as the LSP fuzz target and its
/// regression tests run them: framed in two reads split where the first byte says, queued, and
/// handled to the end of input without reading the disk. Every request the framer delivered
/// must be answered at most once, and the server must stop.
public enum LSPFuzzCheck {
  public static func run(_ bytes: [UInt8]) -> String? {
    var framer = MessageFramer(limits: MessageFramer.Limits(maximumMessageSize: 1 << 20))
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    var events = framer.feed(Array(bytes[..<split]))
    events += framer.feed(Array(bytes[split...]))
    var items = events.map { StdioTransport.item($0, limit: 1 << 20) }
    items.append(.endOfInput(unfinished: framer.unfinished))
    // Every message that carries an id may be answered once: requests, and invalid messages or
    // oversized frames whose id could be read.
    var requests: [RequestID: Int] = [:]
    for item in items {
      switch item {
      case .message(.request(let id, _, _)), .message(.invalid(let id?, _)), .framingError(let id?, _): requests[id, default: 0] += 1
      default: break
      }
    }
    var answers: [RequestID: Int] = [:]
    var unexpected: String?
    let queue = MessageQueue()
    queue.push(items)
    let server = LanguageServer(queue: queue, version: "fuzz", readsWorkspace: false, freesInBackground: false) { message in
      guard message["method"] == nil, let id = message["id"].flatMap(RequestID.init) else { return }
      answers[id, default: 0] += 1
      if answers[id]! > (requests[id] ?? 0) { unexpected = "request \(id) answered \(answers[id]!) times" }
    }
    Log.isEnabled = false
    defer { Log.isEnabled = true }
    let status = server.run()
    guard status == 0 || status == 1 else { return "exit status \(status)" }
    return unexpected
  }
}
