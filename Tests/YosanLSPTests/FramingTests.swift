import Testing
import YosanJSON
@testable import YosanLSP

/// The `Content-Length` framer, in process: bytes split anywhere, several messages per read,
/// multi-byte bodies, malformed headers and oversized messages.
struct FramingTests {
  static func frame(_ body: String, header: String? = nil) -> [UInt8] {
    let bytes = Array(body.utf8)
    return Array((header ?? "Content-Length: \(bytes.count)\r\n\r\n").utf8) + bytes
  }

  static func messages(_ events: [MessageFramer.Event]) -> [String] {
    events.compactMap { if case .message(let body) = $0 { return String(decoding: body, as: UTF8.self) } else { return nil } }
  }

  @Test func splitAtEveryByteGivesTheSameMessages() {
    let stream = Self.frame(#"{"a":"予算"}"#) + Self.frame(#"{"b":"𠮷"}"#)
    for split in 0...stream.count {
      var framer = MessageFramer()
      let events = framer.feed(Array(stream[..<split])) + framer.feed(Array(stream[split...]))
      #expect(Self.messages(events) == [#"{"a":"予算"}"#, #"{"b":"𠮷"}"#], "split at \(split)")
    }
  }

  @Test func byteByByte() {
    let stream = Self.frame(#"{"x":1}"#) + Self.frame(#"{"y":"２"}"#)
    var framer = MessageFramer()
    var events: [MessageFramer.Event] = []
    for byte in stream { events += framer.feed([byte]) }
    #expect(Self.messages(events) == [#"{"x":1}"#, #"{"y":"２"}"#])
    #expect(framer.unfinished == nil)
  }

  @Test func severalMessagesInOneRead() {
    var framer = MessageFramer()
    let bodies = (0..<50).map { #"{"n":\#($0),"text":"第\#($0)号"}"# }
    let events = framer.feed(bodies.flatMap { Self.frame($0) })
    #expect(Self.messages(events) == bodies)
  }

  @Test func lengthCountsBytesNotCharacters() {
    // 予算 is 2 characters, 6 bytes; 😀 is 1 character, 2 UTF-16 units, 4 bytes.
    let body = #"{"t":"予算😀"}"#
    #expect(body.utf8.count == 18)
    var framer = MessageFramer()
    let events = framer.feed(Array("Content-Length: 18\r\n\r\n".utf8) + Array(body.utf8) + Self.frame("{}"))
    #expect(Self.messages(events) == [body, "{}"])
  }

  @Test func headersAreCaseInsensitiveAndOthersIgnored() {
    var framer = MessageFramer()
    let header = "content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:   2 \r\nX-Other: 1\r\n\r\n"
    #expect(Self.messages(framer.feed(Self.frame("{}", header: header))) == ["{}"])
  }

  @Test func missingLengthIsReportedAndTheNextMessageStillArrives() {
    var framer = MessageFramer()
    let events = framer.feed(Self.frame(#"{"lost":1}"#, header: "Content-Type: x\r\n\r\n") + Self.frame(#"{"ok":1}"#))
    #expect(events.count == 2)
    #expect(events.first.map { if case .badHeader(let m) = $0 { m.contains("missing `Content-Length`") } else { false } } == true)
    #expect(Self.messages(events) == [#"{"ok":1}"#])
  }

  @Test(arguments: ["-5", "abc", "1.5", "", "99999999999999999999999"])
  func invalidLengthsAreReported(_ value: String) {
    var framer = MessageFramer()
    let events = framer.feed(Self.frame("{}", header: "Content-Length: \(value)\r\n\r\n") + Self.frame(#"{"ok":1}"#))
    #expect(events.contains { if case .badHeader = $0 { true } else { false } })
    #expect(Self.messages(events) == [#"{"ok":1}"#])
  }

  @Test func conflictingLengthsAreReportedButEqualOnesAccepted() {
    var framer = MessageFramer()
    #expect(Self.messages(framer.feed(Self.frame("{}", header: "Content-Length: 2\r\nContent-Length: 2\r\n\r\n"))) == ["{}"])
    let events = framer.feed(Self.frame("{}", header: "Content-Length: 2\r\nContent-Length: 3\r\n\r\n") + Self.frame("[]"))
    #expect(events.first.map { if case .badHeader(let m) = $0 { m.contains("conflicting") } else { false } } == true)
    #expect(Self.messages(events) == ["[]"])
  }

  @Test func junkBeforeAHeaderIsSkipped() {
    var framer = MessageFramer()
    let events = framer.feed(Array(#"{"no":"header"}"#.utf8) + Self.frame(#"{"ok":1}"#))
    #expect(events.count == 2)
    #expect(Self.messages(events) == [#"{"ok":1}"#])
  }

  @Test func oversizedBodyIsDiscardedInChunksKeepingItsStart() {
    var framer = MessageFramer(limits: .init(maximumMessageSize: 100, keptPrefix: 20))
    let big = #"{"jsonrpc":"2.0","id":7,"method":"x","params":""# + String(repeating: "a", count: 1_000) + #""}"#
    var events: [MessageFramer.Event] = []
    let stream = Self.frame(big) + Self.frame(#"{"ok":1}"#)
    for start in stride(from: 0, to: stream.count, by: 37) { events += framer.feed(Array(stream[start..<min(start + 37, stream.count)])) }
    guard case .tooLarge(let length, let prefix) = events.first else {
      Issue.record("expected tooLarge, got \(events)")
      return
    }
    #expect(length == big.utf8.count)
    #expect(prefix == Array(big.utf8.prefix(20)))
    #expect(Self.messages(events) == [#"{"ok":1}"#])
    #expect(framer.body.capacity < 1_000)
  }

  @Test func truncatedBodyIsReportedAtTheEnd() {
    var framer = MessageFramer()
    #expect(framer.feed(Array("Content-Length: 10\r\n\r\n{\"a\"".utf8)).isEmpty)
    #expect(framer.unfinished == "input ended 4 bytes into a message of 10 bytes")
  }

  /// Streams made of header and body fragments: the framer never traps, ends in a known state,
  /// and every message it yields classifies without trapping.
  @Test("5,000 random streams of header and body fragments")
  func randomStreams() {
    var random = RandomMessageTests.Random(state: 99)
    let fragments = [
      "Content-Length: ", "content-length:", "Content-Type: x", "12", "2", "0", "-1", "99999999999999999999", "\r\n", "\n", ":", "{",
      "}", "[", "\"", "\"jsonrpc\":\"2.0\"", ",\"id\":1", ",\"method\":\"m\"", "予算", "\u{0}", "\\", "null", " ",
    ].map { Array($0.utf8) } + [[0xFF], [0xE3, 0x81]]
    var messages = 0
    for _ in 0..<5_000 {
      var framer = MessageFramer(limits: .init(maximumMessageSize: 64, maximumHeaderSize: 128, keptPrefix: 16))
      var stream: [UInt8] = []
      for _ in 0..<random.below(40) { stream += fragments[random.below(fragments.count)] }
      var start = 0
      while start < stream.count {
        let end = min(stream.count, start + 1 + random.below(16))
        for event in framer.feed(Array(stream[start..<end])) {
          if case .message(let body) = event {
            messages += 1
            _ = IncomingMessage.classify(body)
          }
        }
        start = end
      }
      _ = framer.unfinished
    }
    #expect(messages > 0)
  }

  @Test func idAndMethodAreReadFromAPrefix() {
    let (id, hasID, method) = MessagePrefix.idAndMethod(Array(#"{"jsonrpc":"2.0","params":{"id":9,"x":[1,{"id":3}]},"id":42,"method":"textDocument/didOpen","more":"#.utf8))
    #expect(id == .number("42"))
    #expect(hasID)
    #expect(method == "textDocument/didOpen")
    #expect(MessagePrefix.idAndMethod(Array(#"{"id":"abc","method":"m"#.utf8)).id == .string("abc"))
    // Escapes are read as JSON reads them (they were kept raw: `a\u0042` became `au0042`).
    #expect(MessagePrefix.idAndMethod(Array(#"{"id":"a\u0042\"c","method":"m"}"#.utf8)).id == .string("aB\"c"))
    // A lone surrogate is kept as written.
    #expect(MessagePrefix.idAndMethod(Array(#"{"id":"x\ud800","method":"m"}"#.utf8)).id == .literal(#""x\ud800""#))
    // A number cut off at the end of the prefix is not taken for the id; a null id is an id.
    #expect(MessagePrefix.idAndMethod(Array(#"{"method":"m","id":12"#.utf8)).id == nil)
    let null = MessagePrefix.idAndMethod(Array(#"{"method":"m","id":null,"params":{}}"#.utf8))
    #expect(null.id == nil && null.hasID)
    #expect(!MessagePrefix.idAndMethod(Array(#"{"method":"m","params":{}}"#.utf8)).hasID)
  }
}

/// Classification of messages into requests, notifications, responses and errors.
struct MessageClassificationTests {
  func classify(_ text: String) -> IncomingMessage { IncomingMessage.classify(Array(text.utf8)) }

  func error(_ text: String) -> (RequestID?, Int)? {
    if case .invalid(let id, let error) = classify(text) { return (id, error.code) }
    return nil
  }

  @Test func kinds() {
    if case .request(let id, let method, _) = classify(#"{"jsonrpc":"2.0","id":1,"method":"m","params":{}}"#) {
      #expect(id == .number("1"))
      #expect(method == "m")
    } else {
      Issue.record("not a request")
    }
    if case .notification("n", _) = classify(#"{"jsonrpc":"2.0","method":"n"}"#) {} else { Issue.record("not a notification") }
    if case .response(.string("s"), .some, nil) = classify(#"{"jsonrpc":"2.0","id":"s","result":null}"#) {} else {
      Issue.record("not a response")
    }
  }

  @Test func errors() {
    #expect(error("{") .map { $0.1 } == -32700)
    #expect(error(#"[{"jsonrpc":"2.0","id":1,"method":"m"}]"#).map { $0.1 } == -32600)
    #expect(error(#"{"jsonrpc":"1.0","id":1,"method":"m"}"#).map { $0.0 } == .number("1"))
    #expect(error(#"{"jsonrpc":"1.0","id":1,"method":"m"}"#).map { $0.1 } == -32600)
    #expect(error(#"{"jsonrpc":"2.0","id":true,"method":"m"}"#).map { $0.1 } == -32600)
    #expect(error(#"{"jsonrpc":"2.0","id":null,"method":"m"}"#).map { $0.1 } == -32600)
    #expect(error(#"{"jsonrpc":"2.0","id":1,"method":5}"#).map { $0.1 } == -32600)
    #expect(error(#"{"jsonrpc":"2.0","id":1,"method":"m","params":3}"#).map { $0.1 } == -32602)
    #expect(error("42").map { $0.1 } == -32600)
  }
}
