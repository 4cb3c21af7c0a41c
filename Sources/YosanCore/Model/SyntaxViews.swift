import YosanSyntax

/// A typed view of a `block` node: keyword, id, title and body. All parts are optional, since
/// the tree may come from broken text.
public struct BlockSyntax {
  public let node: SyntaxNode
  let bytes: UnsafeBufferPointer<UInt8>
  public private(set) var keywordRange: TextRange
  /// Where the id is written, if there is one.
  public private(set) var identifierRange: TextRange?
  /// Where the title is written (quotes included), if there is one.
  public private(set) var titleRange: TextRange?
  /// True when the title's closing quote is missing.
  private var titleIsUnterminated = false
  private var hasKeyword = false
  /// Index of the first body child (after `{` or the missing-`{` error).
  private var bodyStart: Int

  public init(node: SyntaxNode, bytes: UnsafeBufferPointer<UInt8>) {
    self.node = node
    self.bytes = bytes
    keywordRange = TextRange.empty(at: node.offset)
    let green = node.green
    let count = green.childCount
    bodyStart = count
    var words = 0
    var offset = node.offset
    for position in 0..<count {
      let child = green.slot(position)
      let start = offset
      offset += child.textLength
      let index = position + 1
      if child.isNode {
        let code = child.errorCode
        if code == .missingLeftBrace {
          bodyStart = index
        } else if code == .unterminatedString, let inner = child.node,
          let token = SyntaxNode(green: inner, offset: start).children.first(where: { $0.kind == .unterminatedString })
        {
          titleRange = token.range
          titleIsUnterminated = true
        }
      } else {
        let range = TextRange(start: start, end: offset)
        switch child.kind {
        case .leftBrace:
          bodyStart = index
        case .word where words == 0:
          keywordRange = range
          hasKeyword = true
          words += 1
        case .word where words == 1:
          identifierRange = range
          words += 1
        case .string:
          titleRange = range
        default:
          break
        }
      }
      if bodyStart == index { break }
    }
  }

  public var range: TextRange { node.range }

  /// The keyword as written.
  public var keyword: String? { hasKeyword ? BlockSyntax.string(bytes, keywordRange) : nil }

  /// The id as written.
  public var identifier: TextValue? { identifierRange.map { TextValue(BlockSyntax.string(bytes, $0), $0) } }

  /// The title without its quotes (`"…"`, `「…」` or `“…”`), escapes of `"…"` resolved.
  public var title: TextValue? {
    guard let range = titleRange else { return nil }
    let quote = JapaneseQuotes.openingLength(bytes, at: range.start)
    let inner = TextRange(start: range.start + quote, end: titleIsUnterminated ? range.end : range.end - quote)
    let text = BlockSyntax.string(bytes, inner)
    return TextValue(titleIsUnterminated || quote > 1 ? text : ValueParser.unescape(text), range)
  }

  /// What the block is, if its keyword is known (compared as bytes, without making a string).
  public var blockKind: BlockKind? {
    hasKeyword ? BlockSyntax.kind(spelled: keywordRange, in: bytes) : nil
  }

  /// What the block `node` is, read from its keyword alone (without making a view of it): the
  /// same answer as `BlockSyntax(node:bytes:).blockKind`, for walks that only classify blocks.
  public static func kind(of node: SyntaxNode, bytes: UnsafeBufferPointer<UInt8>) -> BlockKind? {
    let green = node.green
    var offset = node.offset
    for index in 0..<green.childCount {
      let child = green.slot(index)
      if child.isNode {
        if child.errorCode == .missingLeftBrace { return nil }
      } else {
        let kind = child.kind
        if kind == .leftBrace { return nil }
        if kind == .word { return BlockSyntax.kind(spelled: TextRange(start: offset, length: child.textLength), in: bytes) }
      }
      offset += child.textLength
    }
    return nil
  }

  /// The block kind whose keyword is the text of `range`, if any.
  static func kind(spelled range: TextRange, in bytes: UnsafeBufferPointer<UInt8>) -> BlockKind? {
    let word = UnsafeBufferPointer(rebasing: bytes[range.start..<range.end])
    for spelling in BlockKind.spellings where spelling.bytes.count == word.count && Catalog.sameBytes(spelling.bytes, word) {
      return spelling.kind
    }
    return nil
  }

  /// Entries and nested blocks of the body, in order. Trivia and error nodes are left out.
  public var body: [BodyElement] {
    var result: [BodyElement] = []
    result.reserveCapacity(node.green.childCount / 3)
    for child in bodyNodes {
      if let element = element(child) { result.append(element) }
    }
    return result
  }

  /// The node children of the body, in order (views are made of them by `element`), read as
  /// they are iterated: no array is made.
  public var bodyNodes: BodyNodes { BodyNodes(green: node.green, index: bodyStart, offset: node.offset + bodyOffset) }

  /// The node children of a block's body.
  public struct BodyNodes: Sequence, IteratorProtocol {
    let green: GreenNode
    var index: Int
    var offset: Int

    public mutating func next() -> SyntaxNode? {
      let count = green.childCount
      while index < count {
        let child = green.slot(index)
        let start = offset
        index += 1
        offset += child.textLength
        if child.isNode { return SyntaxNode(green: child.node!, offset: start) }
      }
      return nil
    }
  }

  /// The byte length of the children before the body.
  var bodyOffset: Int {
    var length = 0
    for index in 0..<bodyStart { length += node.green.slot(index).textLength }
    return length
  }

  /// The body element of a node of the body: an entry, a block, or a broken line; nil for other
  /// error nodes.
  public func element(_ child: SyntaxNode) -> BodyElement? {
    switch child.kind {
    case .entry: return .entry(EntrySyntax(node: child, bytes: bytes))
    case .block: return .block(BlockSyntax(node: child, bytes: bytes))
    default:
      guard let (word, range) = BlockSyntax.brokenLine(child, bytes: bytes) else { return nil }
      return .broken(firstWord: word, range: range)
    }
  }

  /// The first word of a line that is not an entry (it may be a key written without `=`), and
  /// where it is; nil for other nodes.
  static func brokenLine(_ node: SyntaxNode, bytes: UnsafeBufferPointer<UInt8>) -> (word: String, range: TextRange)? {
    guard node.kind == .error, node.green.errorCode == .expectedEntry,
      let word = node.children.first(where: { $0.kind == .word })
    else { return nil }
    let text = BlockSyntax.string(bytes, word.range)
    // `年度：令和7年度` is the key 年度 written with a colon for `=`.
    if let (key, _) = BlockSyntax.splitAtColon(text) {
      return (key, TextRange(start: word.range.start, length: key.utf8.count))
    }
    return (text, word.range)
  }

  /// `key：value` or `key: value` split at its first colon (ASCII or full-width), when there is
  /// text before it: what was meant is `key = value`.
  public static func splitAtColon(_ word: String) -> (key: String, rest: String)? {
    guard let colon = word.firstIndex(where: { $0 == ":" || $0 == "：" }), colon != word.startIndex else { return nil }
    return (String(word[..<colon]), String(word[word.index(after: colon)...]))
  }

  public enum BodyElement {
    case entry(EntrySyntax)
    case block(BlockSyntax)
    /// A line that is not an entry (a syntax error); its first word, which may be a key, and where
    /// that word is.
    case broken(firstWord: String, range: TextRange)
  }

  static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: TextRange) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range.start..<range.end]), as: UTF8.self)
  }
}

/// A typed view of an `entry` node: `key = value`.
public struct EntrySyntax {
  public let node: SyntaxNode
  let bytes: UnsafeBufferPointer<UInt8>
  public private(set) var keyRange: TextRange
  /// The key's text (a quoted key without its quotes).
  /// True when the key is one quoted string (`"a = b" = 1億円`).
  public private(set) var isKeyQuoted = false
  /// The value from its first to its last significant token; empty when there is no value.
  public private(set) var rawValueRange: TextRange
  /// True when the value is exactly one quoted string.
  public private(set) var isQuoted = false
  /// True when the value contains a syntax error (reported by the syntax rule).
  public private(set) var hasSyntaxError = false

  public init(node: SyntaxNode, bytes: UnsafeBufferPointer<UInt8>) {
    self.node = node
    self.bytes = bytes
    var keyStart: Int?
    var keyEnd = node.offset
    var valueStart: Int?
    var valueEnd = node.offset
    var sawEquals = false
    var significantValueTokens = 0
    var quotedKey = false
    var keyTokens = 0
    let green = node.green
    var offset = node.offset
    for index in 0..<green.childCount {
      let child = green.slot(index)
      let start = offset
      let length = child.textLength
      offset += length
      let kind = child.kind
      if kind == .equals, !sawEquals {
        sawEquals = true
        valueEnd = offset
        continue
      }
      if kind == .error {
        if sawEquals { hasSyntaxError = true }
        continue
      }
      if kind.isTrivia { continue }
      if !sawEquals {
        if keyStart == nil { keyStart = start }
        keyEnd = offset
        keyTokens += 1
        quotedKey = kind == .string
      } else {
        if valueStart == nil { valueStart = start }
        valueEnd = offset
        significantValueTokens += 1
        isQuoted = kind == .string
      }
    }
    keyRange = TextRange(start: keyStart ?? node.offset, end: keyStart == nil ? node.offset : keyEnd)
    // Only `"` quotes a key: `「…」` at the start of a line is a row label as written.
    isKeyQuoted = quotedKey && keyTokens == 1 && keyRange.length >= 2 && bytes[keyRange.start] == 0x22
    rawValueRange = TextRange(start: valueStart ?? valueEnd, end: valueEnd)
    if significantValueTokens != 1 { isQuoted = false }
  }


  public var range: TextRange { node.range }

  /// The key's text (a quoted key without its quotes and with its escapes resolved).
  public var keyText: String {
    isKeyQuoted
      ? ValueParser.unescape(BlockSyntax.string(bytes, TextRange(start: keyRange.start + 1, end: keyRange.end - 1)))
      : BlockSyntax.string(bytes, keyRange)
  }

  /// The format's key this entry's key spells, found from its bytes without making a string.
  public var knownKey: KeyDescriptor? {
    isKeyQuoted ? Catalog.key(spelled: keyText) : Catalog.key(bytes: UnsafeBufferPointer(rebasing: bytes[keyRange.start..<keyRange.end]))
  }

  public var location: EntryLocation { EntryLocation(range: range, keyRange: keyRange, valueRange: rawValueRange) }

  /// The value's range, or nil when it is empty or broken.
  public var valueRange: TextRange? { rawValueRange.isEmpty || hasSyntaxError ? nil : rawValueRange }

  /// The range to hand to a value grammar: inside the quotes of a quoted value.
  public func parseRange(of value: TextRange) -> TextRange {
    isQuoted && value.length >= 2 ? TextRange(start: value.start + 1, end: value.end - 1) : value
  }

  /// The value as text: a quoted value unescaped, otherwise as written.
  public func text(of value: TextRange) -> String {
    let inner = parseRange(of: value)
    let s = BlockSyntax.string(bytes, inner)
    return isQuoted ? ValueParser.unescape(s) : s
  }
}
