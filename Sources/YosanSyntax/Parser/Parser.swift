/// Parses a `.yosan` document into a lossless green tree. Never fails, never stops early.
///
/// The grammar is line-oriented:
///
/// ```
/// File      = Statement*
/// Statement = Block | Entry | '}' (unmatched) | Error
/// Block     = Header '{' Statement* '}'
/// Header    = WORD WORD? STRING?            (the first WORD is a block keyword)
/// Entry     = Key '=' Value                 (to the end of the line, or to a '}')
/// ```
///
/// Errors are `error` nodes in the tree (with a `SyntaxErrorCode`), so the tree alone says what went
/// wrong and where; the core renders the messages.
///
/// Braces are paired before parsing, with the help of indentation: a `}` closes the innermost open
/// block whose header line is indented like the `}`'s line, so a forgotten `}` is reported on the
/// block that lacks it rather than at the end of the file. A block whose `}` never comes ends at
/// the first line indented no deeper than its header. A `}` indented deeper than the block it
/// closes is an extra one when that block's own `}` (indented like its header) comes later, with
/// no block opened in between at the header's level or less: the block is reopened, so that what
/// follows stays inside it, and the extra `}` is one error.
public enum Parser {
  /// Blocks nested deeper than this are not parsed further (reported as `nestingTooDeep`), which
  /// bounds the depth of every recursive walk over the tree.
  public static let maximumDepth = 64

  /// Block keywords in both spellings (`BlockKeywords`). The parser needs them only to recognise
  /// a header whose `{` is missing; their meaning belongs to the core.
  public static var blockKeywords: [String] { BlockKeywords.spellings }

  /// Parses `bytes` into a tree whose root is a `file` node.
  ///
  /// A large text is parsed on every core (`ParallelParser`); the tree is the same either way.
  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> GreenNode {
    let workers = ProcessorInfo.activeCores
    if workers > 1, bytes.count >= ParallelParser.minimumBytes {
      return ParallelParser(bytes: bytes, workers: workers).parse()
    }
    return parseSequentially(bytes)
  }

  /// Parses `bytes` on the calling thread only.
  public static func parseSequentially(_ bytes: UnsafeBufferPointer<UInt8>) -> GreenNode {
    let tokens = Lexer.tokenize(bytes)
    var parser = ParserState(bytes: bytes, tokens: tokens, baseOffset: 0)
    return parser.parseFile()
  }

  /// Parses `bytes`, given as any byte collection.
  public static func parse(_ bytes: [UInt8]) -> GreenNode {
    bytes.withUnsafeBufferPointer { parse($0) }
  }

  /// Parses `range` as statements of the file's top level, on their own: nil when a block it opens
  /// is still open at its end or a string in it is unterminated (in the whole text, either would
  /// reach past the range). `range` starts at a line start where no block is open.
  public static func parseTopLevelRegion(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> [GreenElement]? {
    let tokens = Lexer.tokenize(bytes, range: range)
    if tokens.contains(where: { $0.kind == .unterminatedString }) { return nil }
    var parser = ParserState(bytes: bytes, tokens: tokens, baseOffset: range.lowerBound)
    parser.regionLength = range.count
    // A block header at the region's first line, not indented, ends every block before the region
    // that a `}` in it could otherwise reopen.
    let first = parser.skipTrivia(from: 0)
    guard first < tokens.count, case .header = parser.shape(at: first), parser.indentOfLine(containing: first) == 0 else { return nil }
    parser.pairBraces()
    guard parser.openAtEnd == 0 else { return nil }
    parser.parseStatements(closer: nil, unclosedIndent: nil, depth: 0)
    return parser.stack
  }

  /// Parses the body of one block in isolation: the text strictly between its `{` and `}`.
  ///
  /// Used for incremental re-parsing. Returns nil when the region does not parse as a
  /// self-contained body (its braces do not balance, or a string runs off its end), in which case
  /// the caller re-parses the whole document.
  ///
  /// - Parameter enclosingIndents: the indentation of the header lines of the block and of every
  ///   block around it. A `}` less indented than its block closes the open block indented like it;
  ///   if that block is one of these, the region does not parse on its own. Unknown (nil): any such
  ///   `}` refuses the region.
  public static func parseBlockBody(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, depth: Int, enclosingIndents: Set<Int>? = nil) -> [GreenElement]? {
    let tokens = Lexer.tokenize(bytes, range: range)
    var parser = ParserState(bytes: bytes, tokens: tokens, baseOffset: range.lowerBound)
    parser.regionLength = range.count
    parser.isBody = true
    parser.enclosingIndents = enclosingIndents
    return parser.parseIsolatedBody(depth: depth)
  }
}

/// The blocks open while braces are paired, innermost last, with where each indentation's
/// innermost one is: a `}` indented like an outer block finds it without a search down the stack,
/// so pairing stays linear however many blocks are open (100,000 unclosed blocks, then 100,000
/// `}` indented like none of them).
struct OpenBlocks {
  /// The open blocks: the first token of the header, and the indentation of its line.
  private var blocks: [(header: Int, indent: Int)] = []
  /// For each indentation, the positions in `blocks` of the open blocks indented so, innermost last.
  private var byIndent: [Int: [Int]] = [:]

  var isEmpty: Bool { blocks.isEmpty }
  var count: Int { blocks.count }
  /// The indentation of the innermost open block (there is one).
  var topIndent: Int { blocks[blocks.count - 1].indent }

  mutating func push(header: Int, indent: Int) {
    byIndent[indent, default: []].append(blocks.count)
    blocks.append((header, indent))
  }

  /// The innermost open block, if any.
  var last: (header: Int, indent: Int)? { blocks.last }

  /// Closes the innermost block; returns it.
  mutating func popBlock() -> (header: Int, indent: Int) {
    let block = blocks.removeLast()
    byIndent[block.indent]!.removeLast()
    return block
  }

  /// Closes the innermost block; returns its header.
  mutating func pop() -> Int { popBlock().header }

  /// Closes every block above position `position`.
  mutating func pop(above position: Int) {
    while blocks.count > position + 1 { _ = pop() }
  }

  /// The position of the innermost open block indented by `indent`, if any.
  func innermost(indentedBy indent: Int) -> Int? { byIndent[indent]?.last }
}

/// What a statement is, decided from its tokens up to the end of its line.
enum StatementShape {
  /// `key = value`; ends before `end`.
  case entry(end: Int)
  /// A block header; `opener` is the index of its `{`, or nil when the `{` is missing and the
  /// header ends before `end`.
  case header(opener: Int?, end: Int)
  /// A `}`.
  case closer
  /// Anything else, up to `end`.
  case other(end: Int)
}

struct ParserState {
  let bytes: UnsafeBufferPointer<UInt8>
  let tokens: [RawToken]
  /// Where the tokens start (the region's start when parsing a region).
  let baseOffset: Int
  /// The length of the region when parsing a region.
  var regionLength = 0
  /// Whether the tokens are a block's body, parsed on its own: its block's `}` follows them.
  var isBody = false
  /// For a body: the indentation of the headers of the blocks around it, if known.
  var enclosingIndents: Set<Int>?
  var position = 0
  /// The builder stack: children of the nodes being built, innermost last. A node takes the
  /// elements above its mark when it is finished.
  var stack: [GreenElement] = []

  /// For each header (by the index of its first token), the index of its matching `}`.
  var closerOfHeader: [Int: Int] = [:]
  /// Indexes of `}` tokens that match no header.
  var unmatchedClosers: Set<Int> = []
  /// Indexes of `}` tokens too many inside a block whose own `}` comes later (see `Parser`).
  var extraClosers: Set<Int> = []
  /// Blocks closed by a `}` indented deeper than their header, which a later `}` indented like the
  /// header may reopen; by the block's place in the pairing stack. An entry holds while the stack
  /// is at least that deep and no block is opened at that place indented like it or less.
  var reopenable: [(header: Int, indent: Int, closer: Int)?] = []
  /// How many headers never get their `}`.
  var unclosedHeaders = 0
  /// How many blocks are still open at the end of the tokens (without their `}`, not closed by a
  /// `}` indented like a block around them).
  var openAtEnd = 0
  /// Whether some `}` was less indented than the innermost open block and matched no open header's
  /// indentation. In a region parsed on its own this `}` might close a block outside the region.
  var dedentedCloser = false
  /// The last indentation answered: a token, its line's start, and the line's indentation.
  var indentCache: (index: Int, lineStart: Int, width: Int)?

  init(bytes: UnsafeBufferPointer<UInt8>, tokens: [RawToken], baseOffset: Int) {
    self.bytes = bytes
    self.tokens = tokens
    self.baseOffset = baseOffset
  }

  // MARK: - Entry points

  /// The whole file; `paired` when `pairBraces` has run already.
  mutating func parseFile(paired: Bool = false) -> GreenNode {
    if !paired { pairBraces() }
    position = 0
    stack.removeAll()
    stack.reserveCapacity(256)
    parseStatements(closer: nil, unclosedIndent: nil, depth: 0)
    precondition(position == tokens.count, "the parser must consume every token")
    return GreenNode.make(kind: .file, children: stack)
  }

  mutating func parseIsolatedBody(depth: Int) -> [GreenElement]? {
    if tokens.contains(where: { $0.kind == .unterminatedString }) { return nil }
    // A comment or string that runs to the region's end would, in the whole text, run on past it.
    if let last = tokens.last, last.end == baseOffset + regionLength, last.kind == .comment || last.kind == .string { return nil }
    pairBraces()
    // Unbalanced braces inside the region change how the rest of the document pairs; so does a
    // block a `}` after the region could reopen.
    if !unmatchedClosers.isEmpty || unclosedHeaders > 0 || dedentedCloser || mayReopenAfterTheEnd { return nil }
    parseStatements(closer: nil, unclosedIndent: nil, depth: depth)
    return stack
  }

  // MARK: - Brace pairing

  /// Pairs every header with its `}` using a stack and indentation (see `Parser`).
  mutating func pairBraces() {
    var stack = OpenBlocks()
    var headerCount = 0
    var index = 0
    /// Forgets the reopenable blocks deeper than the stack now is.
    func trim() {
      if reopenable.count > stack.count + 1 { reopenable.removeLast(reopenable.count - stack.count - 1) }
    }
    while index < tokens.count {
      index = skipTrivia(from: index)
      guard index < tokens.count else { break }
      switch shape(at: index) {
      case .header(let opener, let end):
        headerCount += 1
        let indent = indentOfLine(containing: index)
        // A block opened where a closed one stood, indented like it or less, follows it: that
        // block was closed for good.
        if stack.count < reopenable.count, let closed = reopenable[stack.count], indent <= closed.indent {
          reopenable[stack.count] = nil
        }
        stack.push(header: index, indent: indent)
        index = opener.map { $0 + 1 } ?? end
      case .closer:
        let indent = indentOfLine(containing: index)
        let depth = stack.count
        if depth < reopenable.count, let closed = reopenable[depth], closed.indent == indent,
          stack.last.map({ $0.indent < indent }) ?? true
        {
          // The `}` of a block closed too early by a deeper one: that one was extra. (At the top of
          // a block's body, whether it is depends on the block's own indentation: the region
          // does not parse on its own.)
          if isBody && stack.isEmpty { dedentedCloser = true }
          extraClosers.insert(closed.closer)
          closerOfHeader[closed.header] = index
          reopenable[depth] = nil
        } else if stack.isEmpty {
          unmatchedClosers.insert(index)
        } else if stack.topIndent > indent, let match = stack.innermost(indentedBy: indent) {
          // The blocks above `match` never got their `}`.
          stack.pop(above: match)
          closerOfHeader[stack.pop()] = index
          trim()
        } else {
          // In the whole text this `}` could close a block around the region indented like it.
          if stack.topIndent > indent, enclosingIndents?.contains(indent) ?? true { dedentedCloser = true }
          let closed = stack.popBlock()
          closerOfHeader[closed.header] = index
          trim()
          if closed.indent < indent {
            // Indented deeper than its block: perhaps an extra `}`, if the block's own comes.
            while reopenable.count <= stack.count { reopenable.append(nil) }
            reopenable[stack.count] = (closed.header, closed.indent, index)
          }
        }
        index += 1
      case .entry(let end), .other(let end):
        index = Swift.max(end, index + 1)
      }
      // Each case above moves `index` past at least the statement's first token.
    }
    unclosedHeaders = closerOfHeader.count < headerCount ? headerCount - closerOfHeader.count : 0
    openAtEnd = stack.count
  }

  /// Whether a block closed by a deeper `}` could still be reopened by a `}` after the tokens
  /// (at the level of the tokens' first statement): then a region parsed on its own might pair
  /// differently in the whole text.
  var mayReopenAfterTheEnd: Bool { reopenable.first.map { $0 != nil } ?? false }

  // MARK: - Statements

  /// Parses statements until the block's `closer`, the end of an unclosed block, or `limit` (a
  /// token index where a statement starts: the end of a range parsed on its own thread).
  mutating func parseStatements(closer: Int?, unclosedIndent: Int?, depth: Int, limit: Int? = nil) {
    let limit = limit ?? tokens.count
    while position < limit {
      // Every iteration either consumes at least one token or returns: checked at its end.
      let start = position
      let token = tokens[position]
      if token.kind.isTrivia {
        stack.append(tokenElement(position))
        position += 1
        continue
      }
      if token.kind == .controlCharacters {
        stack.append(errorNode(.controlCharacters, from: position, to: position + 1))
        position += 1
        continue
      }
      if let closer, position == closer { return }
      if let unclosedIndent, startsLine(position), indentOfLine(containing: position) <= unclosedIndent { return }
      switch shape(at: position) {
      case .closer:
        if unmatchedClosers.contains(position) {
          var end = position + 1
          // One error for a run of unmatched `}` separated only by trivia.
          var probe = skipTrivia(from: end)
          while probe < tokens.count, unmatchedClosers.contains(probe) {
            end = probe + 1
            probe = skipTrivia(from: end)
          }
          stack.append(errorNode(.unmatchedRightBrace, from: position, to: end))
          position = end
        } else if extraClosers.contains(position) {
          stack.append(errorNode(.extraRightBrace, from: position, to: position + 1))
          position += 1
        } else {
          // This `}` closes an enclosing block: the current one was never closed.
          return
        }
      case .entry(let end):
        parseEntry(end: end)
      case .header(let opener, let end):
        parseBlock(opener: opener, end: end, depth: depth + 1)
      case .other(let end):
        let stop = Swift.max(end, position + 1)
        let unterminated = (position..<stop).contains { tokens[$0].kind == .unterminatedString }
        stack.append(errorNode(unterminated ? .unterminatedString : .expectedEntry, from: position, to: stop))
        position = stop
      }
      precondition(position > start, "the parser must consume at least one token per statement")
    }
  }

  /// Decides what the statement starting at significant token `index` is.
  func shape(at index: Int) -> StatementShape {
    let first = tokens[index].kind
    if first == .rightBrace { return .closer }
    var sawEquals = false
    var cursor = index
    while cursor < tokens.count {
      let kind = tokens[cursor].kind
      if kind == .newline || kind == .rightBrace { break }
      if kind == .equals { sawEquals = true }
      if kind == .leftBrace, !sawEquals { return .header(opener: cursor, end: cursor + 1) }
      cursor += 1
    }
    if sawEquals { return .entry(end: cursor) }
    if first == .word, isBlockKeyword(index) { return .header(opener: nil, end: trimTrailingTrivia(from: index, to: cursor)) }
    return .other(end: trimTrailingTrivia(from: index, to: cursor))
  }

  // MARK: - Blocks

  mutating func parseBlock(opener: Int?, end: Int, depth: Int) {
    let headerStart = position
    let mark = parseBlockHead(opener: opener, end: end)
    let closer = closerOfHeader[headerStart]
    if depth > Parser.maximumDepth {
      // Too deep: keep the rest of the block as flat text in one error node.
      let stop = closer.map { $0 + 1 } ?? tokens.count
      if position < stop { stack.append(errorNode(.nestingTooDeep, from: position, to: stop)) }
      position = stop
      finish(.block, from: mark)
      return
    }
    if let closer {
      parseStatements(closer: closer, unclosedIndent: nil, depth: depth)
      // `parseStatements` stops at the closer (it cannot run past it: pairs nest).
      closeBlock(closer: closer, from: mark)
    } else {
      parseStatements(closer: nil, unclosedIndent: indentOfLine(containing: headerStart), depth: depth)
      // Trailing trivia belong to the parent; the missing `}` goes right after the last content.
      var trailing = stack.count
      while trailing > mark, case .token(let token) = stack[trailing - 1], token.kind.isTrivia { trailing -= 1 }
      let trivia = Array(stack[trailing...])
      stack.removeSubrange(trailing...)
      if opener != nil {
        stack.append(.node(GreenNode.make(kind: .error, children: [], errorCode: .missingRightBrace)))
      }
      finish(.block, from: mark)
      stack.append(contentsOf: trivia)
    }
  }

  /// The header of the block whose first token is at `position`, and its `{` (or the error
  /// for a missing one). Returns the builder mark of the block.
  mutating func parseBlockHead(opener: Int?, end: Int) -> Int {
    let mark = stack.count
    parseHeader(to: opener ?? end)
    if opener != nil {
      stack.append(tokenElement(position))
      position += 1
    } else {
      stack.append(.node(GreenNode.make(kind: .error, children: [], errorCode: .missingLeftBrace)))
    }
    return mark
  }

  /// Ends a block whose body has been parsed: its `}` when the body stopped there.
  mutating func closeBlock(closer: Int, from mark: Int) {
    if position == closer {
      stack.append(tokenElement(position))
      position += 1
    }
    finish(.block, from: mark)
  }

  /// Replaces the elements above `mark` with one node made of them.
  mutating func finish(_ kind: SyntaxKind, from mark: Int) {
    let node = GreenNode.make(kind: kind, children: stack[mark...])
    stack.removeSubrange(mark...)
    stack.append(.node(node))
  }

  /// Header = WORD WORD? STRING? — anything else before the `{` is an error.
  mutating func parseHeader(to end: Int) {
    var words = 0
    var sawString = false
    while position < end {
      let kind = tokens[position].kind
      switch kind {
      case .whitespace, .comment:
        stack.append(tokenElement(position))
        position += 1
      case .word where words < 2 && !sawString:
        words += 1
        stack.append(tokenElement(position))
        position += 1
      case .string where !sawString:
        sawString = true
        stack.append(tokenElement(position))
        position += 1
      case .unterminatedString where !sawString:
        sawString = true
        stack.append(errorNode(.unterminatedString, from: position, to: position + 1))
        position += 1
      case .controlCharacters:
        stack.append(errorNode(.controlCharacters, from: position, to: position + 1))
        position += 1
      default:
        // Everything up to the `{` (less trailing whitespace) is unexpected.
        let stop = trimTrailingTrivia(from: position, to: end)
        stack.append(errorNode(.unexpectedInHeader, from: position, to: Swift.max(stop, position + 1)))
        position = Swift.max(stop, position + 1)
      }
    }
  }

  // MARK: - Entries

  /// An entry: key tokens, `=`, value tokens, trailing comment; up to `end` (a newline or `}`).
  mutating func parseEntry(end: Int) {
    let mark = stack.count
    var sawEquals = false
    var sawKey = false
    // Trailing whitespace before the `}` or newline stays outside the entry only if a `}` follows.
    // (A block's body parsed on its own ends where its block's `}` follows.)
    let followedByBrace = end < tokens.count ? tokens[end].kind == .rightBrace : isBody
    let stop = followedByBrace ? trimTrailingTrivia(from: position, to: end) : end
    while position < stop {
      let kind = tokens[position].kind
      switch kind {
      case .equals where !sawEquals:
        if !sawKey { stack.append(.node(GreenNode.make(kind: .error, children: [], errorCode: .missingKey))) }
        sawEquals = true
        stack.append(tokenElement(position))
      case .unterminatedString:
        stack.append(errorNode(.unterminatedString, from: position, to: position + 1))
      case .leftBrace:
        stack.append(errorNode(.strayLeftBrace, from: position, to: position + 1))
      case .controlCharacters:
        stack.append(errorNode(.controlCharacters, from: position, to: position + 1))
      default:
        if !kind.isTrivia, !sawEquals { sawKey = true }
        stack.append(tokenElement(position))
      }
      position += 1
    }
    finish(.entry, from: mark)
  }

  // MARK: - Helpers

  func tokenElement(_ index: Int) -> GreenElement {
    .token(GreenToken(kind: tokens[index].kind, length: tokens[index].length))
  }

  func errorNode(_ code: SyntaxErrorCode, from start: Int, to end: Int) -> GreenElement {
    var children: [GreenElement] = []
    children.reserveCapacity(end - start)
    for index in start..<end { children.append(tokenElement(index)) }
    return .node(GreenNode.make(kind: .error, children: children, errorCode: code))
  }

  func skipTrivia(from index: Int) -> Int {
    var index = index
    while index < tokens.count, tokens[index].kind.isTrivia || tokens[index].kind == .controlCharacters { index += 1 }
    return index
  }

  /// The end of `start..<end` without its trailing whitespace and comments.
  func trimTrailingTrivia(from start: Int, to end: Int) -> Int {
    var end = end
    while end > start, tokens[end - 1].kind == .whitespace || tokens[end - 1].kind == .comment { end -= 1 }
    return end
  }

  /// True when token `index` is the first non-whitespace token of its line.
  func startsLine(_ index: Int) -> Bool {
    var cursor = index - 1
    while cursor >= 0 {
      switch tokens[cursor].kind {
      case .newline, .byteOrderMark: return true
      case .whitespace: cursor -= 1
      default: return false
      }
    }
    // The first line of an isolated region starts after a `{`, not at a line start.
    return baseOffset == 0 || precededByNewline(baseOffset)
  }

  func precededByNewline(_ offset: Int) -> Bool {
    var cursor = offset - 1
    while cursor >= 0 {
      let b = bytes[cursor]
      if b == 0x0A || b == 0x0D { return true }
      if b != 0x20 && b != 0x09 { return false }
      cursor -= 1
    }
    return true
  }

  /// Indentation of the line containing token `index`, in columns (tab = 4, U+3000 = 2).
  mutating func indentOfLine(containing index: Int) -> Int {
    let start = lineStart(ofToken: index)
    if let cache = indentCache, cache.lineStart == start {
      indentCache = (index, start, cache.width)
      return cache.width
    }
    let width = indentWidth(fromLineStart: start)
    indentCache = (index, start, width)
    return width
  }

  /// Where the line of token `index` starts. Walks back through the tokens to the previous line
  /// break (a newline token, or the last one inside a multi-line string), stopping early at the
  /// last token asked about: queries move forward, so a line of 100,000 braces costs linear
  /// time, not quadratic.
  mutating func lineStart(ofToken index: Int) -> Int {
    var cursor = index
    while cursor > 0 {
      if let cache = indentCache, cache.index == cursor { return cache.lineStart }
      let previous = tokens[cursor - 1]
      if previous.kind == .newline { return previous.end }
      if previous.kind == .string || previous.kind == .unterminatedString {
        var byte = previous.end
        while byte > previous.start {
          if bytes[byte - 1] == 0x0A || bytes[byte - 1] == 0x0D { return byte }
          byte -= 1
        }
      }
      cursor -= 1
    }
    // The first token: its line may begin before an isolated region.
    var start = tokens.isEmpty ? baseOffset : tokens[0].start
    while start > 0, bytes[start - 1] != 0x0A, bytes[start - 1] != 0x0D { start -= 1 }
    return start
  }

  func indentWidth(fromLineStart lineStart: Int) -> Int {
    Parser.indentWidth(bytes, fromLineStart: lineStart)
  }

  func isBlockKeyword(_ index: Int) -> Bool {
    let start = tokens[index].start
    let length = tokens[index].length
    for keyword in Parser.keywordBytes where keyword.count == length {
      var equal = true
      for i in 0..<length where bytes[start + i] != keyword[i] {
        equal = false
        break
      }
      if equal { return true }
    }
    return false
  }
}

extension Parser {
  static let keywordBytes: [[UInt8]] = blockKeywords.map { Array($0.utf8) }

  /// Indentation of the line starting at `lineStart`, in columns (tab = 4, U+3000 = 2, U+00A0 = 1),
  /// a byte order mark at the start of the text not counted.
  static func indentWidth(_ bytes: UnsafeBufferPointer<UInt8>, fromLineStart lineStart: Int) -> Int {
    var width = 0
    var cursor = lineStart
    let end = bytes.count
    if cursor == 0, end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { cursor = 3 }
    while cursor < end {
      let b = bytes[cursor]
      if b == 0x20 {
        width += 1
        cursor += 1
      } else if b == 0x09 {
        width += 4
        cursor += 1
      } else if b == 0xE3, cursor + 2 < end, bytes[cursor + 1] == 0x80, bytes[cursor + 2] == 0x80 {
        width += 2
        cursor += 3
      } else if b == 0xC2, cursor + 1 < end, bytes[cursor + 1] == 0xA0 {
        width += 1
        cursor += 2
      } else {
        break
      }
    }
    return width
  }

  /// Indentation of the line that holds byte `offset`.
  static func indentWidth(_ bytes: UnsafeBufferPointer<UInt8>, ofLineAt offset: Int) -> Int {
    var start = offset
    while start > 0, bytes[start - 1] != 0x0A, bytes[start - 1] != 0x0D { start -= 1 }
    return indentWidth(bytes, fromLineStart: start)
  }
}
