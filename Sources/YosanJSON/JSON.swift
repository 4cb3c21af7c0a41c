/// A JSON value. Objects keep their keys in insertion order so that output is stable and
/// documents read in the order they are written. Numbers keep their literal text, so integers of
/// any size (exact yen) survive a round trip.
public enum JSON: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([JSON])
  case object([(String, JSON)])
  /// JSON text written exactly as it is: for a value the other cases cannot hold, such as a
  /// string with a lone UTF-16 surrogate escape (`"\ud800"`) that must be echoed byte for byte.
  /// The reader never produces it; whoever makes one vouches that the text is valid JSON.
  case verbatim(String)

  public static func == (lhs: JSON, rhs: JSON) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b || Double(a) == Double(b)
    case (.string(let a), .string(let b)): return a == b
    case (.verbatim(let a), .verbatim(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)):
      guard a.count == b.count else { return false }
      for (key, value) in a { guard let other = b.first(where: { $0.0 == key }), other.1 == value else { return false } }
      return true
    default: return false
    }
  }

  public static func int(_ value: Int) -> JSON { .number(String(value)) }

  // MARK: - Access

  public subscript(key: String) -> JSON? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  public subscript(index: Int) -> JSON? {
    guard case .array(let elements) = self, index >= 0, index < elements.count else { return nil }
    return elements[index]
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The value as an integer, if it is a number without a fraction that fits in `Int`.
  public var intValue: Int? {
    guard case .number(let text) = self else { return nil }
    if let i = Int(text) { return i }
    if let d = Double(text), d == d.rounded(), abs(d) < 9.0e15 { return Int(d) }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var arrayValue: [JSON]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectValue: [(String, JSON)]? {
    if case .object(let o) = self { return o }
    return nil
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  // MARK: - Writing

  /// Compact JSON text (no spaces, no newlines): one line, as JSON-RPC and JSON Lines want.
  public func serialized() -> String { String(decoding: serializedBytes(), as: UTF8.self) }

  /// Compact JSON as UTF-8 bytes, ready to be written (the language server's messages).
  public func serializedBytes() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(128)
    write(into: &out, indent: nil, level: 0)
    return out
  }

  /// Indented JSON text with two-space indentation.
  public func prettyPrinted() -> String {
    var out: [UInt8] = []
    write(into: &out, indent: 2, level: 0)
    return String(decoding: out, as: UTF8.self)
  }

  /// Indented JSON, as `prettyPrinted` makes it, handed to `sink` in pieces: each time more than
  /// `chunk` bytes are waiting (between two values), and the rest at the end. A large document
  /// is written as it is made, never held whole as text. `sink` takes the bytes and may empty
  /// the array.
  public func writePrettyPrinted(chunk: Int = 1 << 16, to sink: @escaping (inout [UInt8]) -> Void) {
    var out: [UInt8] = []
    out.reserveCapacity(chunk + 1024)
    write(into: &out, indent: 2, level: 0, sink: Sink(chunk: chunk, take: sink))
    sink(&out)
  }

  /// Where `writePrettyPrinted` sends its pieces.
  final class Sink {
    let chunk: Int
    let take: (inout [UInt8]) -> Void

    init(chunk: Int, take: @escaping (inout [UInt8]) -> Void) {
      self.chunk = chunk
      self.take = take
    }
  }

  func write(into out: inout [UInt8], indent: Int?, level: Int, sink: Sink? = nil) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let n), .verbatim(let n): out.append(contentsOf: n.utf8)
    case .string(let s): JSON.writeString(s, into: &out)
    case .array(let elements):
      if elements.isEmpty {
        out.append(contentsOf: "[]".utf8)
        return
      }
      out.append(UInt8(ascii: "["))
      // Elements are borrowed through the buffer, not copied (no reference counting per element).
      elements.withUnsafeBufferPointer { buffer in
        for i in buffer.indices {
          if i > 0 { out.append(UInt8(ascii: ",")) }
          newline(&out, indent, level + 1)
          buffer[i].write(into: &out, indent: indent, level: level + 1, sink: sink)
          if let sink, out.count >= sink.chunk { sink.take(&out) }
        }
      }
      newline(&out, indent, level)
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      if members.isEmpty {
        out.append(contentsOf: "{}".utf8)
        return
      }
      out.append(UInt8(ascii: "{"))
      members.withUnsafeBufferPointer { buffer in
        for i in buffer.indices {
          if i > 0 { out.append(UInt8(ascii: ",")) }
          newline(&out, indent, level + 1)
          JSON.writeString(buffer[i].0, into: &out)
          out.append(UInt8(ascii: ":"))
          if indent != nil { out.append(UInt8(ascii: " ")) }
          buffer[i].1.write(into: &out, indent: indent, level: level + 1, sink: sink)
          if let sink, out.count >= sink.chunk { sink.take(&out) }
        }
      }
      newline(&out, indent, level)
      out.append(UInt8(ascii: "}"))
    }
  }

  private func newline(_ out: inout [UInt8], _ indent: Int?, _ level: Int) {
    guard let indent else { return }
    out.append(0x0A)
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
  }

  static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// True when one of the eight bytes of `word` may need escaping: below 0x20, `"`, `\`, 0x7F,
  /// or 0xE2 (the lead byte of U+2028 and U+2029), and with `forScript` `&`, `<` and `>`. Eight
  /// bytes at a time, so that the common text (Japanese, ASCII) is copied in runs without looking
  /// at each character.
  @inline(__always)
  static func mayNeedEscaping(_ word: UInt64, forScript: Bool) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
    func has(_ byte: UInt64) -> Bool { hasZero(word ^ (ones &* byte)) }
    let below = (word &- ones &* 0x20) & ~word & highs != 0
    if below || has(0x22) || has(0x5C) || has(0x7F) || has(0xE2) { return true }
    return forScript && (has(0x26) || has(0x3C) || has(0x3E))
  }

  /// `s` as a JSON string literal. `forScript`: also `<`, `>` and `&` as `\u` escapes, so that the
  /// JSON can stand in an HTML `<script>` element (no text can end it or start a comment).
  public static func writeString(_ s: String, into out: inout [UInt8], forScript: Bool = false) {
    out.append(UInt8(ascii: "\""))
    var s = s
    s.withUTF8 { bytes in
      var runStart = 0
      var index = 0
      func escape(_ replacement: [UInt8], skipping count: Int) {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        out.append(contentsOf: replacement)
        index += count
        runStart = index
      }
      let raw = UnsafeRawBufferPointer(bytes)
      while index < bytes.count {
        // Skip eight bytes at a time while none of them can need an escape.
        while index + 8 <= bytes.count, !mayNeedEscaping(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)), forScript: forScript) {
          index += 8
        }
        guard index < bytes.count else { break }
        let b = bytes[index]
        switch b {
        case 0x22: escape([0x5C, 0x22], skipping: 1)
        case 0x5C: escape([0x5C, 0x5C], skipping: 1)
        case 0x0A: escape([0x5C, UInt8(ascii: "n")], skipping: 1)
        case 0x0D: escape([0x5C, UInt8(ascii: "r")], skipping: 1)
        case 0x09: escape([0x5C, UInt8(ascii: "t")], skipping: 1)
        case 0x00..<0x20, 0x7F:
          escape([0x5C, UInt8(ascii: "u"), 0x30, 0x30, JSON.hexDigits[Int(b >> 4)], JSON.hexDigits[Int(b & 0xF)]], skipping: 1)
        case 0x26, 0x3C, 0x3E:
          if forScript {
            escape([0x5C, UInt8(ascii: "u"), 0x30, 0x30, JSON.hexDigits[Int(b >> 4)], JSON.hexDigits[Int(b & 0xF)]], skipping: 1)
          } else {
            index += 1
          }
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
          // U+2028 and U+2029 are valid in JSON but not in JavaScript source; escape them.
          escape(Array("\\u202".utf8) + [bytes[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")], skipping: 3)
        default:
          index += 1
        }
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }
    out.append(UInt8(ascii: "\""))
  }
}

// MARK: - Reading

/// Why a text is not JSON, with the byte offset of the problem.
public struct JSONError: Error, Equatable, CustomStringConvertible {
  public var message: String
  public var offset: Int
  public var description: String { "\(message) at byte \(offset)" }

  /// The message of a value nested deeper than `JSON.maximumDepth` (valid JSON the reader refuses).
  public static let tooDeep = "JSON nested too deeply"
}

extension JSON {
  /// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
  public static let maximumDepth = 512

  /// Parses UTF-8 JSON text (RFC 8259). Whitespace may surround the value; nothing else may.
  public static func parse(_ bytes: [UInt8]) throws -> JSON {
    try bytes.withUnsafeBufferPointer { buffer in
      var reader = Reader(bytes: buffer)
      reader.skipWhitespace()
      let value = try reader.value(depth: 0)
      reader.skipWhitespace()
      guard reader.position == buffer.count else { throw JSONError(message: "unexpected text after the JSON value", offset: reader.position) }
      return value
    }
  }

  public static func parse(_ text: String) throws -> JSON { try parse(Array(text.utf8)) }

  /// True when `bytes` are one JSON value (RFC 8259), at any depth: containers are counted on a
  /// stack of their kinds, not followed by recursion. For telling a message nested too deeply
  /// for `parse` from one that is not JSON at all.
  public static func isValid(_ bytes: [UInt8]) -> Bool {
    // A member's key and its colon.
    func key(_ reader: inout Reader) -> Bool {
      guard reader.position < reader.bytes.count, reader.bytes[reader.position] == 0x22, (try? reader.string()) != nil else { return false }
      reader.skipWhitespace()
      guard reader.position < reader.bytes.count, reader.bytes[reader.position] == 0x3A else { return false }
      reader.position += 1
      return true
    }
    return bytes.withUnsafeBufferPointer { buffer in
      var reader = Reader(bytes: buffer)
      // What each open container expects next, `[` or `{`.
      var open: [UInt8] = []
      reader.skipWhitespace()
      while true {
        // A value.
        guard reader.position < buffer.count else { return false }
        switch buffer[reader.position] {
        case 0x7B, 0x5B:
          let kind = buffer[reader.position]
          reader.position += 1
          reader.skipWhitespace()
          if reader.position < buffer.count, buffer[reader.position] == (kind == 0x7B ? 0x7D : 0x5D) {
            reader.position += 1
            break
          }
          open.append(kind)
          if kind == 0x7B, !key(&reader) { return false }
          reader.skipWhitespace()
          continue
        case 0x22: guard (try? reader.string()) != nil else { return false }
        case 0x74: guard (try? reader.literal("true")) != nil else { return false }
        case 0x66: guard (try? reader.literal("false")) != nil else { return false }
        case 0x6E: guard (try? reader.literal("null")) != nil else { return false }
        case 0x2D, 0x30...0x39: guard (try? reader.number()) != nil else { return false }
        default: return false
        }
        // After a value: a comma (then, in an object, a key) or the end of containers.
        while true {
          reader.skipWhitespace()
          guard let kind = open.last else {
            return reader.position == buffer.count
          }
          guard reader.position < buffer.count else { return false }
          let byte = buffer[reader.position]
          if byte == 0x2C {
            reader.position += 1
            reader.skipWhitespace()
            if kind == 0x7B, !key(&reader) { return false }
            reader.skipWhitespace()
            break
          }
          guard byte == (kind == 0x7B ? 0x7D : 0x5D) else { return false }
          reader.position += 1
          open.removeLast()
        }
      }
    }
  }

  struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    mutating func skipWhitespace() {
      while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0A || bytes[position] == 0x0D { position += 1 }
    }

    func fail(_ message: String) -> JSONError { JSONError(message: message, offset: position) }

    mutating func value(depth: Int) throws -> JSON {
      guard depth < JSON.maximumDepth else { throw fail(JSONError.tooDeep) }
      guard position < bytes.count else { throw fail("unexpected end of JSON") }
      switch bytes[position] {
      case 0x7B: return try object(depth: depth)
      case 0x5B: return try array(depth: depth)
      case 0x22: return .string(try string())
      case 0x74: try literal("true"); return .bool(true)
      case 0x66: try literal("false"); return .bool(false)
      case 0x6E: try literal("null"); return .null
      case 0x2D, 0x30...0x39: return .number(try number())
      default: throw fail("unexpected character in JSON")
      }
    }

    mutating func literal(_ word: String) throws {
      for byte in word.utf8 {
        guard position < bytes.count, bytes[position] == byte else { throw fail("invalid literal") }
        position += 1
      }
    }

    mutating func object(depth: Int) throws -> JSON {
      position += 1
      var members: [(String, JSON)] = []
      skipWhitespace()
      if position < bytes.count, bytes[position] == 0x7D {
        position += 1
        return .object(members)
      }
      while true {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == 0x22 else { throw fail("expected a string key") }
        let key = try string()
        skipWhitespace()
        guard position < bytes.count, bytes[position] == 0x3A else { throw fail("expected ':'") }
        position += 1
        skipWhitespace()
        members.append((key, try value(depth: depth + 1)))
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end of JSON in an object") }
        if bytes[position] == 0x2C {
          position += 1
          continue
        }
        if bytes[position] == 0x7D {
          position += 1
          return .object(members)
        }
        throw fail("expected ',' or '}'")
      }
    }

    mutating func array(depth: Int) throws -> JSON {
      position += 1
      var elements: [JSON] = []
      skipWhitespace()
      if position < bytes.count, bytes[position] == 0x5D {
        position += 1
        return .array(elements)
      }
      while true {
        skipWhitespace()
        elements.append(try value(depth: depth + 1))
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end of JSON in an array") }
        if bytes[position] == 0x2C {
          position += 1
          continue
        }
        if bytes[position] == 0x5D {
          position += 1
          return .array(elements)
        }
        throw fail("expected ',' or ']'")
      }
    }

    mutating func number() throws -> String {
      let start = position
      if bytes[position] == 0x2D { position += 1 }
      guard position < bytes.count, isDigit(bytes[position]) else { throw fail("invalid number") }
      if bytes[position] == 0x30 {
        position += 1
      } else {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
      }
      if position < bytes.count, bytes[position] == 0x2E {
        position += 1
        guard position < bytes.count, isDigit(bytes[position]) else { throw fail("invalid number") }
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
      }
      if position < bytes.count, bytes[position] == 0x65 || bytes[position] == 0x45 {
        position += 1
        if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw fail("invalid number") }
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
      }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    mutating func string() throws -> String {
      position += 1
      let contentStart = position
      // Fast path: no escapes, decoded in one go (bytes that are not UTF-8 become U+FFFD).
      while position < bytes.count {
        let b = bytes[position]
        if b == 0x22 {
          let result = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]), as: UTF8.self)
          position += 1
          return result
        }
        if b == 0x5C { break }
        if b < 0x20 { throw fail("control character in a string") }
        position += 1
      }
      var buffer: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<position]))
      func append(_ scalar: Unicode.Scalar) { buffer.append(contentsOf: String(scalar).utf8) }
      while true {
        guard position < bytes.count else { throw fail("unterminated string") }
        let b = bytes[position]
        if b == 0x22 {
          position += 1
          return String(decoding: buffer, as: UTF8.self)
        }
        if b < 0x20 { throw fail("control character in a string") }
        guard b == 0x5C else {
          buffer.append(b)
          position += 1
          continue
        }
        position += 1
        guard position < bytes.count else { throw fail("unterminated escape") }
        let e = bytes[position]
        position += 1
        switch e {
        case 0x22: buffer.append(0x22)
        case 0x5C: buffer.append(0x5C)
        case 0x2F: buffer.append(0x2F)
        case 0x62: buffer.append(0x08)
        case 0x66: buffer.append(0x0C)
        case 0x6E: buffer.append(0x0A)
        case 0x72: buffer.append(0x0D)
        case 0x74: buffer.append(0x09)
        case 0x75:
          var code = try hex4()
          if code >= 0xD800 && code < 0xDC00 {
            // A surrogate pair: \uD83D\uDE00.
            if position + 1 < bytes.count, bytes[position] == 0x5C, bytes[position + 1] == 0x75 {
              position += 2
              let low = try hex4()
              if low >= 0xDC00 && low < 0xE000 {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
              } else {
                append("\u{FFFD}")
                code = low
              }
            }
          }
          append(Unicode.Scalar(code) ?? "\u{FFFD}")
        default:
          throw fail("invalid escape")
        }
      }
    }

    mutating func hex4() throws -> UInt32 {
      guard position + 4 <= bytes.count else { throw fail("short \\u escape") }
      var value: UInt32 = 0
      for _ in 0..<4 {
        let b = bytes[position]
        let digit: UInt32
        switch b {
        case 0x30...0x39: digit = UInt32(b - 0x30)
        case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
        case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
        default: throw fail("invalid \\u escape")
        }
        value = value << 4 | digit
        position += 1
      }
      return value
    }
  }
}
