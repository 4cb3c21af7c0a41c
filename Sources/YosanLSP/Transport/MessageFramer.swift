/// Splits a byte stream into JSON-RPC message bodies framed by `Content-Length` headers.
///
/// A pure state machine: bytes go in (in pieces of any size, as `read` returns them), events come
/// out. It never holds more than one message body (bounded by `Limits.maximumMessageSize`) plus a
/// header: a larger message is read and discarded in chunks, keeping only its first bytes so that
/// its id can still be answered. After a malformed header it resynchronises on the next
/// `Content-Length:` in the stream, so one bad message never stops the server.
public struct MessageFramer {
  /// How much the framer accepts.
  public struct Limits: Sendable {
    /// The largest body accepted; larger ones are discarded (32 MiB: a 10,000-item document is about
    /// 4 MB).
    public var maximumMessageSize: Int
    /// The longest header block accepted.
    public var maximumHeaderSize: Int
    /// A `Content-Length` above this is not taken as a length at all (it would make the framer
    /// discard the rest of the stream): the header is reported and the framer resynchronises.
    public var maximumPlausibleLength: Int
    /// How many bytes of a discarded body are kept to find its id.
    public var keptPrefix: Int

    public init(maximumMessageSize: Int = 32 << 20, maximumHeaderSize: Int = 8 << 10, maximumPlausibleLength: Int = 1 << 30, keptPrefix: Int = 64 << 10) {
      self.maximumMessageSize = maximumMessageSize
      self.maximumHeaderSize = maximumHeaderSize
      self.maximumPlausibleLength = maximumPlausibleLength
      self.keptPrefix = keptPrefix
    }

    public static let standard = Limits()
  }

  /// What the framer found.
  public enum Event: Equatable, Sendable {
    /// A complete message body.
    case message([UInt8])
    /// A body longer than the limit, read and discarded; `prefix` is its beginning.
    case tooLarge(length: Int, prefix: [UInt8])
    /// A header that cannot be used; the framer skipped to the next `Content-Length:`.
    case badHeader(String)
  }

  enum State {
    /// Reading header lines into `header`.
    case header
    /// Reading a body of `length` bytes into `body`.
    case body(length: Int)
    /// Discarding `remaining` bytes of a body of `length` bytes, keeping a prefix in `body`.
    case discard(length: Int, remaining: Int)
    /// Skipping bytes until `content-length:`; `matched` bytes of it have been seen.
    case resync(matched: Int)
  }

  public let limits: Limits
  var state = State.header
  var header: [UInt8] = []
  var body: [UInt8] = []

  static let contentLength = Array("content-length:".utf8)

  public init(limits: Limits = .standard) {
    self.limits = limits
  }

  /// Feeds the next bytes of the stream; returns what they completed, in order.
  public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) -> [Event] {
    var events: [Event] = []
    var index = 0
    while index < bytes.count {
      switch state {
      case .header:
        let byte = bytes[index]
        index += 1
        // Blank lines between messages are tolerated.
        if header.isEmpty, byte == 0x0D || byte == 0x0A { continue }
        if header.isEmpty, !MessageFramer.isTokenByte(byte) {
          events.append(.badHeader("expected a `Content-Length` header, found \(MessageFramer.describe(byte)); skipping to the next header"))
          state = .resync(matched: 0)
          index -= 1
          continue
        }
        header.append(byte)
        if header.count > limits.maximumHeaderSize {
          events.append(.badHeader("header longer than \(limits.maximumHeaderSize) bytes; skipping to the next header"))
          header.removeAll(keepingCapacity: true)
          state = .resync(matched: 0)
          continue
        }
        if byte == 0x0A, header.count >= 2, MessageFramer.endsHeader(header) {
          let parsed = parseHeader()
          header.removeAll(keepingCapacity: true)
          switch parsed {
          case .failure(let error):
            events.append(.badHeader(error.message + "; skipping to the next header"))
            state = .resync(matched: 0)
          case .success(let length) where length > limits.maximumMessageSize:
            body.removeAll(keepingCapacity: false)
            state = .discard(length: length, remaining: length)
          case .success(let length):
            body.removeAll(keepingCapacity: true)
            body.reserveCapacity(length)
            state = .body(length: length)
            if length == 0 {
              events.append(.message([]))
              state = .header
            }
          }
        }
      case .body(let length):
        let take = Swift.min(length - body.count, bytes.count - index)
        body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + take)]))
        index += take
        if body.count == length {
          events.append(.message(body))
          body = []
          state = .header
        }
      case .discard(let length, let remaining):
        let take = Swift.min(remaining, bytes.count - index)
        let keep = Swift.min(take, limits.keptPrefix - body.count)
        if keep > 0 { body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + keep)])) }
        index += take
        if remaining - take == 0 {
          events.append(.tooLarge(length: length, prefix: body))
          body = []
          state = .header
        } else {
          state = .discard(length: length, remaining: remaining - take)
        }
      case .resync(var matched):
        while index < bytes.count {
          let lowered = MessageFramer.lowercased(bytes[index])
          index += 1
          if lowered == MessageFramer.contentLength[matched] {
            matched += 1
            if matched == MessageFramer.contentLength.count { break }
          } else {
            matched = lowered == MessageFramer.contentLength[0] ? 1 : 0
          }
        }
        if matched == MessageFramer.contentLength.count {
          header = Array("Content-Length:".utf8)
          state = .header
        } else {
          state = .resync(matched: matched)
        }
      }
    }
    return events
  }

  /// Feeds bytes from an array (tests and tools).
  public mutating func feed(_ bytes: [UInt8]) -> [Event] {
    bytes.withUnsafeBufferPointer { feed($0) }
  }

  /// What was left unfinished when the input ended, if anything: a message to log.
  public var unfinished: String? {
    switch state {
    case .header: return header.isEmpty ? nil : "input ended inside a message header"
    case .body(let length): return "input ended \(body.count) bytes into a message of \(length) bytes"
    case .discard(let length, let remaining): return "input ended \(length - remaining) bytes into a discarded message of \(length) bytes"
    case .resync: return nil
    }
  }

  // MARK: - Headers

  /// Reads `Content-Length` from the header block; other headers (`Content-Type`) are ignored.
  func parseHeader() -> Result<Int, HeaderError> {
    var length: Int?
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    for (i, byte) in header.enumerated() where byte == 0x0A {
      var end = i
      if end > start, header[end - 1] == 0x0D { end -= 1 }
      if end > start { lines.append(header[start..<end]) }
      start = i + 1
    }
    for line in lines {
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
        return .failure(HeaderError("malformed header line `\(MessageFramer.excerpt(line))`"))
      }
      let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
      guard name == "content-length" else { continue }
      let value = line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
      guard !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
        return .failure(HeaderError("`Content-Length: \(MessageFramer.excerpt(ArraySlice(value)))` is not a length in bytes"))
      }
      var parsed = 0
      for digit in value {
        let (m, o1) = parsed.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(Int(digit - 0x30))
        if o1 || o2 || s > limits.maximumPlausibleLength {
          return .failure(HeaderError("`Content-Length: \(MessageFramer.excerpt(ArraySlice(value)))` is not a plausible length"))
        }
        parsed = s
      }
      if let length, length != parsed {
        return .failure(HeaderError("conflicting `Content-Length` headers (\(length) and \(parsed))"))
      }
      length = parsed
    }
    guard let length else { return .failure(HeaderError("missing `Content-Length` header")) }
    return .success(length)
  }

  struct HeaderError: Error {
    var message: String
    init(_ message: String) { self.message = message }
  }

  /// True when the header ends with an empty line (`\r\n\r\n`, or `\n\n` from lenient clients).
  static func endsHeader(_ header: [UInt8]) -> Bool {
    let n = header.count
    if header[n - 2] == 0x0A { return true }
    return n >= 4 && header[n - 2] == 0x0D && header[n - 3] == 0x0A && header[n - 4] == 0x0D
  }

  /// Letters, digits and `-`: what a header name starts with.
  static func isTokenByte(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
  }

  static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

  static func describe(_ byte: UInt8) -> String {
    byte >= 0x20 && byte < 0x7F ? "`\(Character(Unicode.Scalar(byte)))`" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
  }

  static func excerpt(_ bytes: ArraySlice<UInt8>) -> String {
    let text = String(decoding: bytes.prefix(60), as: UTF8.self)
    return bytes.count > 60 ? text + "…" : text
  }
}
