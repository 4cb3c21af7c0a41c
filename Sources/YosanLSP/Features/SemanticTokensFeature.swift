import YosanCore
import YosanJSON
import YosanSyntax

/// Semantic tokens: what each word of a budget file is, for editors that color by meaning.
///
/// The legend (documented in the README):
///
/// | type | what |
/// |---|---|
/// | `keyword` | block keywords (`予算` `分野` `事業` `内訳` `うち` and their aliases) and value words (`内数`, `事項要求`, `なし`, `定額`, `以上`, `約`) |
/// | `property` | keys, and row labels in a 内訳 or うち |
/// | `variable` | item ids (modifier `declaration` where the item is defined, none in `内数(…)`) |
/// | `number` | the number of an amount; a rate or share fraction (modifier `rate`) |
/// | `type` | the unit of an amount (`億円`, `千円`, …) |
/// | `enumMember` | 区分, 端数, 単位 and 種別 values |
/// | `comment` | comments |
/// | `string` | quoted titles and values |
enum SemanticTokensFeature {
  static let tokenTypes = ["keyword", "property", "variable", "number", "type", "enumMember", "comment", "string"]
  static let tokenModifiers = ["declaration", "rate"]

  enum TokenType: Int { case keyword, property, variable, number, type, enumMember, comment, string }
  static let declaration = 1
  static let rate = 2

  static var legend: JSON {
    .object([
      ("tokenTypes", .array(tokenTypes.map(JSON.string))), ("tokenModifiers", .array(tokenModifiers.map(JSON.string))),
    ])
  }

  struct Token {
    var range: TextRange
    var type: TokenType
    var modifiers: Int
    /// Lower wins when two tokens overlap: values read by the model over syntax, syntax over strings.
    var priority: Int
  }

  /// The tokens of one value span.
  static func append(_ span: ValueSpan, bytes: [UInt8], into tokens: inout [Token]) {
    switch span {
    case .amount(let amount, _):
      let start = signStart(amount, in: bytes)
      if start < amount.numberRange.end { tokens.append(Token(range: TextRange(start: start, end: amount.numberRange.end), type: .number, modifiers: 0, priority: 0)) }
      if !amount.unitRange.isEmpty { tokens.append(Token(range: amount.unitRange, type: .type, modifiers: 0, priority: 0)) }
    case .fraction(let fraction, _):
      tokens.append(Token(range: fraction.range, type: .number, modifiers: rate, priority: 0))
    case .reference(let reference):
      tokens.append(Token(range: reference.range, type: .variable, modifiers: 0, priority: 0))
    case .valueKeyword(let range):
      tokens.append(Token(range: range, type: .keyword, modifiers: 0, priority: 0))
    case .enumValue(let range):
      tokens.append(Token(range: range, type: .enumMember, modifiers: 0, priority: 0))
    }
  }

  /// `tokens` sorted, without overlaps (the lower priority wins) and without empty ones.
  static func ordered(_ tokens: [Token]) -> [Token] {
    let sorted = tokens.sorted { $0.range.start != $1.range.start ? $0.range.start < $1.range.start : $0.priority < $1.priority }
    var result: [Token] = []
    result.reserveCapacity(sorted.count)
    var end = 0
    for token in sorted where token.range.start >= end && !token.range.isEmpty {
      result.append(token)
      end = token.range.end
    }
    return result
  }

  /// The tokens of one unit (`item` is its model where `node` stands), sorted and without
  /// overlaps. They lie inside the unit's range and depend only on its text, so they can be kept
  /// relative to its start.
  static func unitTokens(_ node: SyntaxNode, item: Item, facts: FileFacts) -> [Token] {
    var tokens: [Token] = []
    ModelWalker.walk(item, in: facts) { append($0, bytes: facts.bytes, into: &tokens) }
    facts.bytes.withUnsafeBufferPointer { bytes in
      blockTokens(node, bytes: bytes, into: &tokens)
      syntaxTokens(node, bytes: bytes, window: nil, skipping: [], into: &tokens)
    }
    return ordered(tokens)
  }

  /// The tokens outside the units that start at `units` (the header, sections, comments between
  /// blocks) overlapping `window` (all when nil), sorted and without overlaps.
  static func shellTokens(_ facts: FileFacts, skipping units: Set<Int>, window: TextRange?) -> [Token] {
    var tokens: [Token] = []
    ModelWalker.walkShell(facts, window: window) { append($0, bytes: facts.bytes, into: &tokens) }
    facts.bytes.withUnsafeBufferPointer { bytes in
      syntaxTokens(facts.root, bytes: bytes, window: window, skipping: units, into: &tokens)
    }
    return ordered(tokens)
  }

  /// Where an amount's number starts, its sign (`△`, `▲`, `-`) included.
  static func signStart(_ amount: Amount, in bytes: [UInt8]) -> Int {
    let start = amount.numberRange.start
    if start >= 1, bytes[start - 1] == UInt8(ascii: "-") { return start - 1 }
    if start >= 3, bytes[start - 3] == 0xE2, bytes[start - 2] == 0x96, bytes[start - 1] == 0xB3 || bytes[start - 1] == 0xB2 { return start - 3 }
    return start
  }

  /// Keywords, ids, keys, comments and strings, from the syntax tree.
  /// The keyword of a block and, for an item, its id.
  static func blockTokens(_ block: SyntaxNode, bytes: UnsafeBufferPointer<UInt8>, into tokens: inout [Token]) {
    let syntax = BlockSyntax(node: block, bytes: bytes)
    guard let kind = syntax.blockKind else { return }
    tokens.append(Token(range: syntax.keywordRange, type: .keyword, modifiers: 0, priority: 1))
    if kind == .item, let id = syntax.identifier {
      tokens.append(Token(range: id.range, type: .variable, modifiers: declaration, priority: 1))
    }
  }

  /// Keywords, ids, keys, comments and strings inside `node`, from the syntax tree; blocks that
  /// start at an offset in `skipping` (units, whose tokens are kept apart) are left out.
  static func syntaxTokens(
    _ node: SyntaxNode, bytes: UnsafeBufferPointer<UInt8>, window: TextRange?, skipping: Set<Int>, into tokens: inout [Token]
  ) {
    func overlaps(_ range: TextRange) -> Bool {
      guard let window else { return true }
      return range.start <= window.end && range.end >= window.start
    }
    for child in node.children where overlaps(child.range) {
      switch child {
      case .token(let token):
        switch token.kind {
        case .comment: tokens.append(Token(range: token.range, type: .comment, modifiers: 0, priority: 3))
        case .string, .unterminatedString: tokens.append(Token(range: token.range, type: .string, modifiers: 0, priority: 2))
        default: break
        }
      case .node(let inner):
        if inner.kind == .block {
          if skipping.contains(inner.offset) { continue }
          blockTokens(inner, bytes: bytes, into: &tokens)
        } else if inner.kind == .entry {
          let entry = EntrySyntax(node: inner, bytes: bytes)
          if !entry.keyRange.isEmpty { tokens.append(Token(range: entry.keyRange, type: .property, modifiers: 0, priority: 1)) }
        }
        syntaxTokens(inner, bytes: bytes, window: window, skipping: skipping, into: &tokens)
      }
    }
  }

  /// `data` as a JSON array, written at once: a large document has millions of integers, which as
  /// JSON values would take longer to build and write than the tokens take to find.
  static func json(_ data: some Collection<Int>) -> JSON {
    var text: [UInt8] = [UInt8(ascii: "[")]
    text.reserveCapacity(data.count * 3 + 2)
    var digits: [UInt8] = []
    for (index, value) in data.enumerated() {
      if index > 0 { text.append(UInt8(ascii: ",")) }
      var rest = value.magnitude
      if value < 0 { text.append(UInt8(ascii: "-")) }
      digits.removeAll(keepingCapacity: true)
      repeat {
        digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
        rest /= 10
      } while rest > 0
      text.append(contentsOf: digits.reversed())
    }
    text.append(UInt8(ascii: "]"))
    return .verbatim(String(decoding: text, as: UTF8.self))
  }

  /// The LSP encoding: five integers per token, positions relative to the previous token. A token
  /// that spans lines is split at each line break.
  static func encode(_ tokens: [Token], view: TextView) -> [Int] {
    var data: [Int] = []
    data.reserveCapacity(tokens.count * 5)
    var previousLine = 0
    var previousCharacter = 0
    var cursor = view.makeCursor()
    let lines = view.lines
    let encoding = view.encoding
    view.bytes.withUnsafeBufferPointer { bytes in
      for token in tokens {
        var start = token.range.start
        while start < token.range.end {
          let (line, character) = cursor.position(start, in: bytes)
          let next = lines.end(ofLine: line)
          var contentEnd = Swift.min(next, token.range.end)
          while contentEnd > start, bytes[contentEnd - 1] == 0x0A || bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
          let length = encoding.units(in: bytes, from: start, to: contentEnd)
          if length > 0 {
            data.append(line - previousLine)
            data.append(line == previousLine ? character - previousCharacter : character)
            data.append(length)
            data.append(token.type.rawValue)
            data.append(token.modifiers)
            previousLine = line
            previousCharacter = character
          }
          if next <= start { break }
          start = next
        }
      }
    }
    return data
  }
}

extension LanguageServer {
  /// The tokens of a document overlapping `window` (all when nil), in order: the shell's found
  /// now, each unit's kept while the unit is the same (computed for the units an edit made).
  func tokens(_ units: FileUnits, window: TextRange?) throws(ResponseError) -> [SemanticTokensFeature.Token] {
    let file = units.file
    let shell = SemanticTokensFeature.shellTokens(file.facts, skipping: units.starts, window: window)
    let inWindow = window.map { units.units(meeting: $0) } ?? units.units[...]
    var result: [SemanticTokensFeature.Token] = []
    result.reserveCapacity(shell.count + inWindow.count * 24)
    var nextShell = 0
    for (index, unit) in inWindow.enumerated() {
      try checkStale(index)
      let start = unit.node.offset
      while nextShell < shell.count, shell[nextShell].range.start < start {
        result.append(shell[nextShell])
        nextShell += 1
      }
      result += kept(unit, path: file.path, \.tokens) { token, delta in
        var moved = token
        moved.range = token.range.shifted(by: delta)
        return moved
      } compute: { item in
        SemanticTokensFeature.unitTokens(unit.node, item: item, facts: file.facts)
      }
    }
    result += shell[nextShell...]
    pruneUnitCache(units, whole: window == nil)
    guard let window else { return result }
    return result.filter { !($0.range.end < window.start || $0.range.start > window.end) }
  }

  /// The tokens of a document, encoded; gives up between phases when the document changed meanwhile.
  func encodedTokens(_ units: FileUnits, window: TextRange?) throws(ResponseError) -> [Int] {
    let tokens = try tokens(units, window: window)
    try abandonIfStale()
    return SemanticTokensFeature.encode(tokens, view: units.file.view)
  }

  func semanticTokensFull(_ params: ParamReader) throws(ResponseError) -> JSON {
    let units = try fileUnits(params)
    let file = units.file
    let data = try encodedTokens(units, window: nil)
    let resultID = String(nextResultID)
    nextResultID += 1
    semanticTokensCache[file.uri] = (resultID, data)
    return .object([("resultId", .string(resultID)), ("data", SemanticTokensFeature.json(data))])
  }

  /// The change from the previous result: one edit covering what differs between the two.
  func semanticTokensDelta(_ params: ParamReader) throws(ResponseError) -> JSON {
    let units = try fileUnits(params)
    let file = units.file
    let previousID = try params["previousResultId"].string()
    let data = try encodedTokens(units, window: nil)
    let resultID = String(nextResultID)
    nextResultID += 1
    defer { semanticTokensCache[file.uri] = (resultID, data) }
    guard let previous = semanticTokensCache[file.uri], previous.resultID == previousID else {
      return .object([("resultId", .string(resultID)), ("data", SemanticTokensFeature.json(data))])
    }
    let old = previous.data
    var prefix = 0
    while prefix < old.count, prefix < data.count, old[prefix] == data[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < old.count - prefix, suffix < data.count - prefix, old[old.count - 1 - suffix] == data[data.count - 1 - suffix] { suffix += 1 }
    var edits: [JSON] = []
    if prefix != old.count || old.count != data.count {
      edits.append(.object([
        ("start", .int(prefix)), ("deleteCount", .int(old.count - prefix - suffix)),
        ("data", SemanticTokensFeature.json(data[prefix..<(data.count - suffix)])),
      ]))
    }
    return .object([("resultId", .string(resultID)), ("edits", .array(edits))])
  }

  func semanticTokensRange(_ params: ParamReader) throws(ResponseError) -> JSON {
    let units = try fileUnits(params)
    let window = try units.file.view.range(params["range"])
    let data = try encodedTokens(units, window: window)
    return .object([("data", SemanticTokensFeature.json(data))])
  }
}
