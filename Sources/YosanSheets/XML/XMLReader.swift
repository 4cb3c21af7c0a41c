#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A problem in an XML text: what is wrong and where (1-based line and column, columns counted
/// in characters).
public struct XMLError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public var line: Int
  public var column: Int
  public var description: String { "\(line):\(column): \(message)" }
}

/// An element or attribute name: its namespace URI (empty for none) and its local name.
public struct XMLName: Hashable, Sendable, CustomStringConvertible {
  public var namespace: String
  public var local: String
  public init(_ namespace: String, _ local: String) {
    self.namespace = namespace
    self.local = local
  }
  public var description: String { namespace.isEmpty ? local : "{\(namespace)}\(local)" }
}

public struct XMLAttribute: Sendable, Equatable {
  public var name: XMLName
  public var value: String
}

/// What the reader reports, in document order. Character data between two tags comes as one
/// `text` call (references and CDATA sections resolved, line ends normalised to LF).
public protocol XMLHandler {
  mutating func start(_ name: XMLName, _ attributes: [XMLAttribute]) throws
  mutating func end(_ name: XMLName) throws
  mutating func text(_ text: String) throws
}

/// A tag as the reader meets it, for handlers that work on bytes (`XMLEventHandler`): the
/// element's resolved name, the UTF-8 of its local name, and its attributes (namespace
/// declarations left out) with their values as UTF-8, references resolved and normalised. The
/// buffers are valid only during the call that receives the tag. An end tag has no attributes.
public struct XMLTag {
  /// The names the reader has resolved so far; the tag's are among them.
  let names: UnsafeBufferPointer<XMLName>
  let nameIndex: Int
  /// The local name (after any prefix), as UTF-8.
  public let local: UnsafeBufferPointer<UInt8>
  let attributeList: UnsafeBufferPointer<XMLReader.Parser.RawAttribute>
  /// The input (where most values are) and the values that had to be rewritten.
  let input: UnsafeBufferPointer<UInt8>
  let values: UnsafeBufferPointer<UInt8>

  public var name: XMLName { names[nameIndex] }
  public var attributeCount: Int { attributeList.count }
  public func attributeName(_ index: Int) -> XMLName { names[attributeList[index].resolved] }
  /// The local name of attribute `index`, as UTF-8.
  public func attributeLocal(_ index: Int) -> UnsafeBufferPointer<UInt8> { attributeList[index].local }
  /// The value of attribute `index`, as UTF-8.
  @inline(__always) public func value(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    let attribute = attributeList[index]
    return UnsafeBufferPointer(rebasing: (attribute.valueInInput ? input : values)[attribute.valueStart..<attribute.valueEnd])
  }
  /// The attributes as `XMLHandler` receives them.
  public var attributes: [XMLAttribute] {
    (0..<attributeCount).map { XMLAttribute(name: attributeName($0), value: String(decoding: value($0), as: UTF8.self)) }
  }
}

/// What the reader reports, in document order, as bytes (no `String` per tag or attribute): for
/// the large parts of a package (a worksheet holds millions of tags). Character data between
/// two tags comes as one `text` call.
public protocol XMLEventHandler {
  mutating func start(_ tag: XMLTag) throws
  mutating func end(_ tag: XMLTag) throws
  mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws
}

extension UnsafeBufferPointer<UInt8> {
  /// Whether the bytes are those of `literal`.
  @inline(__always) public func equals(_ literal: StaticString) -> Bool {
    let n = literal.utf8CodeUnitCount
    guard count == n else { return false }
    return n == 0 || memcmp(baseAddress!, literal.utf8Start, n) == 0
  }
}

/// A reader for the XML that office documents are made of (XML 1.0 with namespaces): elements,
/// attributes, character and entity references, CDATA sections, comments and processing
/// instructions. A document type declaration is refused (an office document never has one, and
/// refusing it rules out entity expansion attacks); so is anything not well-formed: a tag that
/// does not match, an undeclared prefix, a duplicate attribute, a character XML does not allow,
/// bytes that are not UTF-8 (UTF-16 with a byte order mark is read too), more than
/// `maximumDepth` nested elements. Errors name the line and column.
public enum XMLReader {
  public static let maximumDepth = 256
  public static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

  public static func parse<Handler: XMLHandler>(_ input: [UInt8], into handler: inout Handler) throws {
    var events = StringEvents(handler: handler)
    defer { handler = events.handler }
    try parse(input, events: &events)
  }

  /// Reads `input`, reporting bytes to `handler`.
  public static func parse<Handler: XMLEventHandler>(_ input: [UInt8], events handler: inout Handler) throws {
    let bytes = try utf8(input)
    try bytes.withUnsafeBufferPointer { buffer in
      var parser = Parser(bytes: buffer)
      try parser.run(&handler)
    }
  }

  /// An `XMLHandler` fed from the byte events.
  struct StringEvents<Handler: XMLHandler>: XMLEventHandler {
    var handler: Handler
    mutating func start(_ tag: XMLTag) throws { try handler.start(tag.name, tag.attributes) }
    mutating func end(_ tag: XMLTag) throws { try handler.end(tag.name) }
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws { try handler.text(String(decoding: bytes, as: UTF8.self)) }
  }

  /// The text as UTF-8 without a byte order mark: UTF-16 (with its mark) is converted, anything
  /// that is not valid UTF-8 is an error at its position.
  static func utf8(_ input: [UInt8]) throws -> [UInt8] {
    let utf16 = input.count >= 2 && ((input[0] == 0xFF && input[1] == 0xFE) || (input[0] == 0xFE && input[1] == 0xFF))
    do {
      return try TextDecoding.decode(input, as: utf16 ? .utf16 : .utf8).text
    } catch let error as TextDecodingError {
      throw XMLError(message: error.message, line: error.line, column: error.column)
    }
  }

  struct Scope {
    var prefix: String
    var namespace: String
  }

  /// The bytes of a name of up to 16 bytes, packed.
  struct NameKey: Equatable {
    var low: UInt64
    var high: UInt64
    var length: Int
  }

  /// A few names and what they stand for (an index in the reader's names): a small hash
  /// table of the packed names (documents use a few dozen names; hashing two words is cheaper
  /// than hashing text, or than comparing with every name). Full at 64 names (the rest go
  /// uncached); 128 slots, so a search always meets an empty one.
  struct NameCache {
    static let empty = NameKey(low: 0, high: 0, length: -1)
    var keys = [NameKey](repeating: NameCache.empty, count: 128)
    var values = [Int](repeating: 0, count: 128)
    var count = 0

    @inline(__always) static func slot(_ key: NameKey) -> Int {
      let mixed = (key.low ^ (key.high &* 0x100_0000_01B3) ^ UInt64(truncatingIfNeeded: key.length)) &* 0x9E37_79B9_7F4A_7C15
      return Int(truncatingIfNeeded: mixed >> 57)
    }

    @inline(__always) func value(_ key: NameKey) -> Int? {
      var slot = NameCache.slot(key)
      while true {
        let found = keys[slot]
        if found.length < 0 { return nil }
        if found == key { return values[slot] }
        slot = (slot + 1) & 127
      }
    }

    mutating func store(_ key: NameKey, _ value: Int) {
      guard count < 64 else { return }
      var slot = NameCache.slot(key)
      while keys[slot].length >= 0 {
        if keys[slot] == key { return }
        slot = (slot + 1) & 127
      }
      keys[slot] = key
      values[slot] = value
      count += 1
    }

    mutating func removeAll() {
      guard count > 0 else { return }
      for slot in keys.indices { keys[slot] = NameCache.empty }
      count = 0
    }

    var isEmpty: Bool { count == 0 }
  }

  struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    /// The open elements: where their qualified name is (to match the end tag's bytes), where
    /// its local part starts, the name, and how many namespace bindings each added.
    var open: [OpenElement] = []
    /// Scratch space reused by every tag.
    var rawAttributes: [RawAttribute] = []
    /// Every name resolved so far (tags refer to them by index, so that nothing is retained per
    /// tag), and the index of each.
    var names: [XMLName] = []
    var nameIndices: [XMLName: Int] = [:]
    /// Names met before, by their bytes (up to 16), and how they resolve while the namespace
    /// declarations stay as they are (a sheet repeats a few names a million times).
    var elementNames = NameCache()
    var attributeNames = NameCache()
    /// The attributes reported (declarations left out), and the values that had to be
    /// rewritten (references, line ends), as UTF-8.
    var attributes: [RawAttribute] = []
    var values: [UInt8] = []
    var scopes: [Scope] = [Scope(prefix: "xml", namespace: XMLReader.xmlNamespace)]
    /// The character data collected since the last tag: a run of the input (`direct`), until
    /// something else comes, then copied into `text`.
    var text: [UInt8] = []
    var direct: Range<Int>? = nil
    var sawRoot = false

    /// An open element (a struct of plain values: the array is copied without reference
    /// counting).
    struct OpenElement {
      var start: Int
      var length: Int
      var local: Int
      var name: Int
      var bindings: Int
    }

    /// An attribute of the tag being read: plain values only (no `String`), where its name and
    /// value are, and, once resolved, the index of its name.
    struct RawAttribute {
      var nameStart: Int
      var nameEnd: Int
      /// Where the value is: in the input (`valueInInput`), else in `values`.
      var valueStart: Int
      var valueEnd: Int
      var valueInInput: Bool
      var offset: Int
      var key: NameKey?
      /// `xmlns` or `xmlns:…`.
      var isDeclaration: Bool
      /// The local name, in the input.
      var local: UnsafeBufferPointer<UInt8>
      var resolved: Int = -1
    }

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ message: String, at offset: Int? = nil) -> XMLError {
      let (line, column) = TextDecoding.position(of: offset ?? i, in: bytes, cp932: false)
      return XMLError(message: message, line: line, column: column)
    }

    @inline(__always) func at(_ k: Int) -> UInt8 { k < bytes.count ? bytes[k] : 0 }

    func starts(with literal: StaticString, at k: Int) -> Bool {
      let n = literal.utf8CodeUnitCount
      guard k + n <= bytes.count else { return false }
      let p = literal.utf8Start
      for j in 0..<n where bytes[k + j] != p[j] { return false }
      return true
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// Bytes XML 1.0 does not allow: control characters but tab and line ends (U+FFFE and
    /// U+FFFF, EF BF BE/BF, too).
    @inline(__always) func checkCharacter(_ k: Int) throws {
      let c = bytes[k]
      if c < 0x20, c != 0x09, c != 0x0A, c != 0x0D {
        throw error("the character U+\(String(format4(Int(c)))) is not allowed in XML", at: k)
      }
      if c == 0xEF, at(k + 1) == 0xBF, at(k + 2) == 0xBE || at(k + 2) == 0xBF {
        throw error("the character U+FFF\(at(k + 2) == 0xBE ? "E" : "F") is not allowed in XML", at: k)
      }
    }

    func format4(_ value: Int) -> String {
      let hex = String(value, radix: 16, uppercase: true)
      return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Whether a byte of text needs no second look: not `<`, `&`, `]`, CR, a control
    /// character or 0xEF (which may start U+FFFE or U+FFFF).
    @inline(__always) static func isPlainText(_ c: UInt8) -> Bool {
      c >= 0x20 && c != 0x3C && c != 0x26 && c != 0x5D && c != 0xEF
    }

    /// Moves the run of input collected as text into `text`, before something is added to it.
    @inline(__always) mutating func materializeText() {
      guard let run = direct else { return }
      text.append(contentsOf: slice(run.lowerBound, run.upperBound))
      direct = nil
    }

    mutating func run<Handler: XMLEventHandler>(_ handler: inout Handler) throws {
      while i < bytes.count {
        let c = bytes[i]
        // A run of plain text inside an element: reported from the input when nothing else
        // joins it (a cell's value), else copied.
        if !open.isEmpty, Parser.isPlainText(c) {
          let start = i
          i += 1
          while i < bytes.count, Parser.isPlainText(bytes[i]) { i += 1 }
          if direct == nil, text.isEmpty {
            direct = start..<i
          } else {
            materializeText()
            text.append(contentsOf: slice(start, i))
          }
          continue
        }
        if c != 0x3C {  // text
          materializeText()
          if c == 0x26 {
            try reference()
            continue
          }
          try checkCharacter(i)
          if c == 0x0D {
            text.append(0x0A)
            i += 1
            if at(i) == 0x0A { i += 1 }
            continue
          }
          if open.isEmpty, !Parser.isSpace(c) { throw error(sawRoot ? "text after the root element" : "text before the root element") }
          if c == 0x5D, at(i + 1) == 0x5D, at(i + 2) == 0x3E { throw error("`]]>` outside a CDATA section") }
          text.append(c)
          i += 1
          continue
        }
        if at(i + 1) == 0x21 {  // <!
          if starts(with: "<!--", at: i) {
            try skip(past: "-->", what: "a comment", from: i + 4, opening: i)
            continue
          }
          if starts(with: "<![CDATA[", at: i) {
            guard !open.isEmpty else { throw error("a CDATA section outside the root element") }
            materializeText()
            let start = i + 9
            var k = start
            while k + 2 < bytes.count, !(bytes[k] == 0x5D && bytes[k + 1] == 0x5D && bytes[k + 2] == 0x3E) {
              try checkCharacter(k)
              k += 1
            }
            guard k + 2 < bytes.count else { throw error("a CDATA section without its end `]]>`") }
            var j = start
            while j < k {
              if bytes[j] == 0x0D {
                text.append(0x0A)
                if j + 1 < k, bytes[j + 1] == 0x0A { j += 1 }
              } else {
                text.append(bytes[j])
              }
              j += 1
            }
            i = k + 3
            continue
          }
          throw error(starts(with: "<!DOCTYPE", at: i) ? "a document type declaration, which office documents never have" : "an unknown markup declaration")
        }
        if at(i + 1) == 0x3F {  // <?
          try declaration()
          continue
        }
        try flushText(&handler)
        if at(i + 1) == 0x2F {
          try endTag(&handler)
        } else {
          try startTag(&handler)
        }
      }
      if let last = open.last { throw error("the element `\(qualifiedName(last.start, last.length))` is not closed") }
      if !sawRoot { throw error("no root element") }
    }

    /// Moves past the next `end` after `start`; an error at `opening` when there is none.
    mutating func skip(past end: StaticString, what: String, from start: Int, opening: Int) throws {
      var k = start
      while k < bytes.count {
        if starts(with: end, at: k) {
          i = k + end.utf8CodeUnitCount
          return
        }
        try checkCharacter(k)
        k += 1
      }
      throw error("\(what) without its end `\(end)`", at: opening)
    }

    /// `<?xml …?>` (only UTF-8 and UTF-16 are read) or another processing instruction (skipped).
    mutating func declaration() throws {
      let start = i
      try skip(past: "?>", what: "a processing instruction", from: i + 2, opening: i)
      let body = String(decoding: bytes[(start + 2)..<(i - 2)], as: UTF8.self)
      guard body.hasPrefix("xml"), body.count == 3 || Parser.isSpace(Array(body.utf8)[3]) else { return }
      if let range = body.firstRange(of: "encoding") {
        let rest = body[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        let name = rest.prefix { $0 != "\"" && $0 != "'" && $0 != " " }.lowercased()
        guard ["utf-8", "utf8", "utf-16", "utf16"].contains(name) else {
          throw error("the XML declares the encoding `\(name)`; only UTF-8 and UTF-16 are read", at: start)
        }
      }
    }

    mutating func flushText<Handler: XMLEventHandler>(_ handler: inout Handler) throws {
      if let run = direct {
        direct = nil
        if !open.isEmpty { try handler.text(slice(run.lowerBound, run.upperBound)) }
        return
      }
      guard !text.isEmpty else { return }
      if !open.isEmpty { try text.withUnsafeBufferPointer { try handler.text($0) } }
      text.removeAll(keepingCapacity: true)
    }

    /// `&name;` or `&#N;` / `&#xN;`, appended to the text being collected.
    mutating func reference() throws {
      guard !open.isEmpty else { throw error("a reference outside the root element") }
      var collected: [UInt8] = []
      swap(&collected, &text)
      defer { swap(&collected, &text) }
      try referenceScalar(into: &collected)
    }

    /// Reads the reference at `i` and appends its character's UTF-8 to `output`.
    mutating func referenceScalar(into output: inout [UInt8]) throws {
      let start = i
      var k = i + 1
      while k < bytes.count, bytes[k] != 0x3B, k - start < 16 { k += 1 }
      guard k < bytes.count, bytes[k] == 0x3B else { throw error("`&` that does not start a reference; write `&amp;`") }
      let name = String(decoding: bytes[(start + 1)..<k], as: UTF8.self)
      i = k + 1
      switch name {
      case "lt": output.append(0x3C)
      case "gt": output.append(0x3E)
      case "amp": output.append(0x26)
      case "quot": output.append(0x22)
      case "apos": output.append(0x27)
      default:
        guard name.hasPrefix("#") else { throw error("the unknown entity `&\(name);`", at: start) }
        let hex = name.hasPrefix("#x")
        let digits = name.dropFirst(hex ? 2 : 1)
        guard !digits.isEmpty, let value = UInt32(digits, radix: hex ? 16 : 10), let scalar = Unicode.Scalar(value),
          value == 0x09 || value == 0x0A || value == 0x0D || (value >= 0x20 && value != 0xFFFE && value != 0xFFFF)
        else { throw error("the character reference `&\(name);` is not a character XML allows", at: start) }
        output.append(contentsOf: UTF8.encode(scalar)!)
      }
    }

    /// Moves past a name and returns where it starts.
    @inline(__always) mutating func nameRange() throws -> Int {
      let start = i
      while i < bytes.count {
        let c = bytes[i]
        if Parser.isSpace(c) || c == 0x2F || c == 0x3E || c == 0x3D || c == 0x3C || c == 0x22 || c == 0x27 { break }
        i += 1
      }
      guard i > start else { throw error("a name was expected") }
      return start
    }

    func qualifiedName(_ start: Int, _ length: Int) -> String {
      String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<start + length]), as: UTF8.self)
    }

    /// The bytes of a name of up to 16 bytes, packed into two words.
    @inline(__always) func key(_ start: Int, _ length: Int) -> NameKey? {
      guard length <= 16 else { return nil }
      var low: UInt64 = 0
      var high: UInt64 = 0
      if start + 16 <= bytes.count {
        // Two unaligned loads, masked to the name's length (little-endian: the first byte lowest).
        let base = UnsafeRawPointer(bytes.baseAddress! + start)
        let first = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        let second = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        low = length >= 8 ? first : first & ((1 << UInt64(8 * length)) - 1)
        high = length >= 16 ? second : length <= 8 ? 0 : second & ((1 << UInt64(8 * (length - 8))) - 1)
      } else {
        for k in 0..<length {
          let byte = UInt64(bytes[start + k])
          if k < 8 { low |= byte << UInt64(8 * k) } else { high |= byte << UInt64(8 * (k - 8)) }
        }
      }
      return NameKey(low: low, high: high, length: length)
    }

    /// Forgets the resolved names: a namespace declaration came or went.
    mutating func scopesChanged() {
      if !elementNames.isEmpty { elementNames.removeAll() }
      if !attributeNames.isEmpty { attributeNames.removeAll() }
    }

    mutating func skipSpace() {
      while i < bytes.count, Parser.isSpace(bytes[i]) { i += 1 }
    }

    /// The index of `name` in `names`, added if new.
    mutating func intern(_ name: XMLName) -> Int {
      if let known = nameIndices[name] { return known }
      names.append(name)
      nameIndices[name] = names.count - 1
      return names.count - 1
    }

    /// The name at `start` resolved against the namespaces in scope, as an index in `names`;
    /// known names of up to 16 bytes come from `cache`.
    mutating func resolvedName(_ start: Int, _ length: Int, key: NameKey?, isAttribute: Bool, at offset: Int) throws -> Int {
      if let key, let known = isAttribute ? attributeNames.value(key) : elementNames.value(key) { return known }
      let index = intern(try resolve(qualifiedName(start, length), isAttribute: isAttribute, at: offset))
      if let key {
        if isAttribute { attributeNames.store(key, index) } else { elementNames.store(key, index) }
      }
      return index
    }

    func resolve(_ qualified: String, isAttribute: Bool, at offset: Int) throws -> XMLName {
      guard let colonByte = qualified.utf8.firstIndex(of: 0x3A) else {
        if isAttribute { return XMLName("", qualified) }
        for scope in scopes.reversed() where scope.prefix.isEmpty { return XMLName(scope.namespace, qualified) }
        return XMLName("", qualified)
      }
      let colon = String.Index(colonByte, within: qualified) ?? qualified.startIndex
      let prefix = String(qualified[..<colon])
      let local = String(qualified[qualified.index(after: colon)...])
      for scope in scopes.reversed() where scope.prefix == prefix { return XMLName(scope.namespace, local) }
      throw error("the namespace prefix `\(prefix)` is not declared", at: offset)
    }

    /// Where the local part of the name at `start` begins (after the first `:`, if any).
    @inline(__always) func localStart(_ start: Int, _ length: Int) -> Int {
      for k in start..<start + length where bytes[k] == 0x3A { return k + 1 }
      return start
    }

    /// The bytes of the input from `start` to `end`.
    @inline(__always) func slice(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Whether the names at `a` and `b` (of `length` bytes) are the same bytes.
    @inline(__always) func sameBytes(_ a: Int, _ b: Int, _ length: Int) -> Bool {
      memcmp(bytes.baseAddress! + a, bytes.baseAddress! + b, length) == 0
    }

    /// Reads an attribute value from after its opening quote to past its closing one: where
    /// the value is plain text it stays in the input; else it is rewritten into `values`.
    mutating func attributeValue(quote: UInt8, name: (Int, Int), attributeStart: Int) throws -> (start: Int, end: Int, inInput: Bool) {
      let start = i
      while i < bytes.count, Parser.isPlainText(bytes[i]), bytes[i] != quote { i += 1 }
      if i < bytes.count, bytes[i] == quote {
        i += 1
        return (start, i - 1, true)
      }
      var collected: [UInt8] = []
      swap(&collected, &values)
      defer { swap(&collected, &values) }
      let valueStart = collected.count
      collected.append(contentsOf: slice(start, i))
      let attribute = { [self] in qualifiedName(name.0, name.1 - name.0) }
      while true {
        guard i < bytes.count else { throw error("the value of `\(attribute())` is not closed", at: attributeStart) }
        let c = bytes[i]
        if Parser.isPlainText(c), c != quote {
          let start = i
          i += 1
          while i < bytes.count, Parser.isPlainText(bytes[i]), bytes[i] != quote { i += 1 }
          collected.append(contentsOf: slice(start, i))
          continue
        }
        if c == quote {
          i += 1
          break
        }
        if c == 0x3C { throw error("`<` in the value of `\(attribute())`; write `&lt;`") }
        if c == 0x26 {
          try referenceScalar(into: &collected)
          continue
        }
        try checkCharacter(i)
        // Attribute-value normalisation: each literal line end or tab is a space.
        if c == 0x0D {
          collected.append(0x20)
          i += 1
          if at(i) == 0x0A { i += 1 }
          continue
        }
        collected.append(c == 0x09 || c == 0x0A ? 0x20 : c)
        i += 1
      }
      return (valueStart, collected.count, false)
    }

    mutating func startTag<Handler: XMLEventHandler>(_ handler: inout Handler) throws {
      let tagStart = i
      if open.isEmpty, sawRoot { throw error("a second root element") }
      i += 1
      let nameStart = try nameRange()
      let nameLength = i - nameStart
      if !rawAttributes.isEmpty { rawAttributes.removeAll(keepingCapacity: true) }
      if !values.isEmpty { values.removeAll(keepingCapacity: true) }
      var selfClosing = false
      var declarations = 0
      while true {
        let before = i
        skipSpace()
        guard i < bytes.count else { throw error("the tag `<\(qualifiedName(nameStart, nameLength))` is not closed", at: tagStart) }
        if bytes[i] == 0x3E {
          i += 1
          break
        }
        if bytes[i] == 0x2F {
          guard at(i + 1) == 0x3E else { throw error("`/` in a tag must be followed by `>`") }
          i += 2
          selfClosing = true
          break
        }
        guard i > before else { throw error("whitespace was expected between attributes") }
        let attributeStart = i
        let attributeNameStart = try nameRange()
        let attributeNameEnd = i
        let attributeLength = attributeNameEnd - attributeNameStart
        let attributeKey = key(attributeNameStart, attributeLength)
        skipSpace()
        guard at(i) == 0x3D else { throw error("the attribute `\(qualifiedName(attributeNameStart, attributeLength))` has no `=`") }
        i += 1
        skipSpace()
        let quote = at(i)
        guard quote == 0x22 || quote == 0x27 else { throw error("the value of `\(qualifiedName(attributeNameStart, attributeLength))` is not quoted") }
        i += 1
        let value = try attributeValue(quote: quote, name: (attributeNameStart, attributeNameEnd), attributeStart: attributeStart)
        for other in rawAttributes where other.nameEnd - other.nameStart == attributeLength {
          let same = attributeKey != nil ? other.key == attributeKey : sameBytes(other.nameStart, attributeNameStart, attributeLength)
          if same { throw error("the attribute `\(qualifiedName(attributeNameStart, attributeLength))` is given twice", at: attributeStart) }
        }
        let isDeclaration =
          bytes[attributeNameStart] == 0x78 && attributeLength >= 5 && starts(with: "xmlns", at: attributeNameStart)
          && (attributeLength == 5 || bytes[attributeNameStart + 5] == 0x3A)
        if isDeclaration { declarations += 1 }
        rawAttributes.append(
          RawAttribute(
            nameStart: attributeNameStart, nameEnd: attributeNameEnd, valueStart: value.start, valueEnd: value.end, valueInInput: value.inInput,
            offset: attributeStart, key: attributeKey, isDeclaration: isDeclaration,
            local: slice(localStart(attributeNameStart, attributeLength), attributeNameEnd)))
      }
      var bindings = 0
      if declarations > 0 {
        for attribute in rawAttributes where attribute.isDeclaration {
          let namespace =
            attribute.valueInInput
            ? String(decoding: slice(attribute.valueStart, attribute.valueEnd), as: UTF8.self)
            : String(decoding: values[attribute.valueStart..<attribute.valueEnd], as: UTF8.self)
          let length = attribute.nameEnd - attribute.nameStart
          scopes.append(Scope(prefix: length == 5 ? "" : qualifiedName(attribute.nameStart + 6, length - 6), namespace: namespace))
          bindings += 1
        }
        scopesChanged()
      }
      let name = try resolvedName(nameStart, nameLength, key: key(nameStart, nameLength), isAttribute: false, at: tagStart)
      for index in rawAttributes.indices where !rawAttributes[index].isDeclaration {
        let attribute = rawAttributes[index]
        rawAttributes[index].resolved = try resolvedName(
          attribute.nameStart, attribute.nameEnd - attribute.nameStart, key: attribute.key, isAttribute: true, at: attribute.offset)
      }
      // The attributes reported: all of them, unless some were declarations.
      var reported = rawAttributes
      if declarations > 0 {
        if !attributes.isEmpty { attributes.removeAll(keepingCapacity: true) }
        for attribute in rawAttributes where !attribute.isDeclaration { attributes.append(attribute) }
        swap(&reported, &attributes)
      }
      defer { if declarations > 0 { swap(&reported, &attributes) } }
      guard open.count < XMLReader.maximumDepth else { throw error("elements nested more than \(XMLReader.maximumDepth) deep", at: tagStart) }
      sawRoot = true
      let local = localStart(nameStart, nameLength)
      try names.withUnsafeBufferPointer { names in
        try reported.withUnsafeBufferPointer { list in
          try values.withUnsafeBufferPointer { values in
            try handler.start(XMLTag(names: names, nameIndex: name, local: slice(local, nameStart + nameLength), attributeList: list, input: bytes, values: values))
          }
        }
        if selfClosing {
          try handler.end(
            XMLTag(
              names: names, nameIndex: name, local: slice(local, nameStart + nameLength), attributeList: UnsafeBufferPointer(start: nil, count: 0),
              input: bytes, values: UnsafeBufferPointer(start: nil, count: 0)))
        }
      }
      if selfClosing {
        scopes.removeLast(bindings)
        if bindings > 0 { scopesChanged() }
      } else {
        open.append(OpenElement(start: nameStart, length: nameLength, local: local, name: name, bindings: bindings))
      }
    }

    mutating func endTag<Handler: XMLEventHandler>(_ handler: inout Handler) throws {
      let tagStart = i
      i += 2
      let start = try nameRange()
      let length = i - start
      skipSpace()
      guard at(i) == 0x3E else { throw error("the end tag `</\(qualifiedName(start, length))` is not closed", at: tagStart) }
      i += 1
      guard !open.isEmpty else { throw error("the end tag `</\(qualifiedName(start, length))>` closes nothing", at: tagStart) }
      let last = open.removeLast()
      guard last.length == length, sameBytes(last.start, start, length) else {
        throw error("the end tag `</\(qualifiedName(start, length))>` does not match `<\(qualifiedName(last.start, last.length))>`", at: tagStart)
      }
      try names.withUnsafeBufferPointer { names in
        try handler.end(
          XMLTag(
            names: names, nameIndex: last.name, local: slice(last.local, last.start + last.length), attributeList: UnsafeBufferPointer(start: nil, count: 0),
            input: bytes, values: UnsafeBufferPointer(start: nil, count: 0)))
      }
      scopes.removeLast(last.bindings)
      if last.bindings > 0 { scopesChanged() }
    }
  }
}

/// An element with its attributes and children: for the small parts of a package (relationships,
/// the workbook, styles), read whole.
public final class XMLElement: Sendable {
  public let name: XMLName
  public let attributes: [XMLAttribute]
  public let children: [XMLElement]
  /// The text directly inside the element (not inside its children), concatenated.
  public let text: String

  init(name: XMLName, attributes: [XMLAttribute], children: [XMLElement], text: String) {
    self.name = name
    self.attributes = attributes
    self.children = children
    self.text = text
  }

  /// The value of the attribute of that local name (in no namespace, or in `namespace`).
  public func attribute(_ local: String, namespace: String? = nil) -> String? {
    attributes.first { $0.name.local == local && (namespace == nil ? $0.name.namespace.isEmpty : $0.name.namespace == namespace) }?.value
  }

  /// The value of the attribute of that local name in any namespace but none.
  public func qualifiedAttribute(_ local: String) -> String? {
    attributes.first { $0.name.local == local && !$0.name.namespace.isEmpty }?.value
  }

  public func children(_ local: String) -> [XMLElement] { children.filter { $0.name.local == local } }
  public func child(_ local: String) -> XMLElement? { children.first { $0.name.local == local } }

  /// Reads a whole document.
  public static func parse(_ bytes: [UInt8]) throws -> XMLElement {
    var builder = Builder()
    try XMLReader.parse(bytes, into: &builder)
    return builder.root!
  }

  struct Builder: XMLHandler {
    var stack: [(XMLName, [XMLAttribute], [XMLElement], String)] = []
    var root: XMLElement?

    mutating func start(_ name: XMLName, _ attributes: [XMLAttribute]) throws { stack.append((name, attributes, [], "")) }

    mutating func end(_ name: XMLName) throws {
      let (name, attributes, children, text) = stack.removeLast()
      let element = XMLElement(name: name, attributes: attributes, children: children, text: text)
      if stack.isEmpty { root = element } else { stack[stack.count - 1].2.append(element) }
    }

    mutating func text(_ text: String) throws { stack[stack.count - 1].3 += text }
  }
}
