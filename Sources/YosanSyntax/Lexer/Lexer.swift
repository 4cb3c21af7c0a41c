/// One token: a kind, its byte offset and its length. Tokens tile the input without gaps or overlap.
/// Offsets are 32-bit: a document is at most 2 GiB (`TextRange.maximumOffset`; callers refuse
/// larger input before lexing).
public struct RawToken: Hashable, Sendable {
  public var kind: SyntaxKind
  @usableFromInline var storedLength: UInt32
  @usableFromInline var storedStart: UInt32

  @inlinable
  public init(kind: SyntaxKind, start: Int, length: Int) {
    self.kind = kind
    self.storedStart = UInt32(start)
    self.storedLength = UInt32(length)
  }

  @inlinable public var start: Int { Int(storedStart) }
  @inlinable public var length: Int { Int(storedLength) }
  @inlinable public var end: Int { Int(storedStart) + Int(storedLength) }
}

/// Splits UTF-8 bytes into tokens. Never fails: every byte ends up in exactly one token.
///
/// The lexer knows the punctuation of the format (ASCII and full-width forms), quoted strings and
/// comments. It knows no keywords or value grammars; those belong to the parser and the core.
///
/// A quoted string that starts after `=` on its line (a value) may span lines; any other string
/// ends on its line. A string that does not close properly is an `unterminatedString` that ends at
/// the end of its first line, so one missing quote cannot swallow the rest of the file.
public struct Lexer {
  private let bytes: UnsafeBufferPointer<UInt8>
  private let end: Int
  private var position: Int
  /// True after an `=` on the current line: a string here is a value and may span lines.
  private var inValue = false

  /// Lexes `bytes[range]`. Offsets inside the lexer are absolute offsets into `bytes`.
  public init(bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, startsInValue: Bool = false) {
    precondition(bytes.count <= TextRange.maximumOffset, "documents larger than 2 GiB are refused before lexing")
    self.bytes = bytes
    self.end = range.upperBound
    self.position = range.lowerBound
    self.inValue = startsInValue
  }

  /// Lexes all of `bytes[range]` into an array of tokens.
  public static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil) -> [RawToken] {
    var lexer = Lexer(bytes: bytes, range: range ?? 0..<bytes.count)
    var tokens: [RawToken] = []
    tokens.reserveCapacity((range?.count ?? bytes.count) / 4)
    while let token = lexer.next() { tokens.append(token) }
    return tokens
  }

  /// Lexes from `start`, which must be a line start, until a token starts at or after `stop`. The
  /// last token may run past `stop` (a quoted value that spans lines); the lexer sees the text
  /// to its end, so the tokens are those of lexing the whole text.
  static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, until stop: Int) -> [RawToken] {
    var lexer = Lexer(bytes: bytes, range: start..<bytes.count)
    var tokens: [RawToken] = []
    tokens.reserveCapacity((stop - start) / 4)
    while lexer.position < stop, let token = lexer.next() { tokens.append(token) }
    return tokens
  }

  /// The next token, or nil at the end of the range.
  public mutating func next() -> RawToken? {
    guard position < end else { return nil }
    let start = position
    let kind = lexOne()
    precondition(position > start, "lexer must consume at least one byte per token")
    return RawToken(kind: kind, start: start, length: position - start)
  }

  // MARK: - Scanning

  private mutating func lexOne() -> SyntaxKind {
    let byte = bytes[position]
    if byte < 0x80 {
      switch byte {
      case 0x0A:
        position += 1
        inValue = false
        return .newline
      case 0x0D:
        position += 1
        if position < end, bytes[position] == 0x0A { position += 1 }
        inValue = false
        return .newline
      case 0x22:  // "
        return lexString()
      case 0x20, 0x09:
        position += 1
        skipWhitespace()
        return .whitespace
      case 0x7B, 0x7D, 0x3D, 0x2C, 0x28, 0x29, 0x23:
        return lexPunctuation()
      default:
        if isControl(byte) {
          while position < end, isControl(bytes[position]) { position += 1 }
          return .controlCharacters
        }
        position += 1
        return lexWord()
      }
    }
    if position == 0, byte == 0xEF, matches(0xEF, 0xBB, 0xBF, at: 0) {
      position += 3
      return .byteOrderMark
    }
    if byte == 0xEF || byte == 0xE3, punctuationKind(at: position) != nil { return lexPunctuation() }
    if !inValue, let close = japaneseQuoteEnd(at: position) {
      position = close
      return .string
    }
    if whitespaceLength(at: position) > 0 {
      skipWhitespace()
      return .whitespace
    }
    return lexWord()
  }

  /// The punctuation at `position` (a comment runs to the end of its line).
  private mutating func lexPunctuation() -> SyntaxKind {
    let punctuation = punctuationKind(at: position)!
    position += punctuation.length
    if punctuation.kind == .comment {
      skipToEndOfLine()
    } else if punctuation.kind == .equals {
      inValue = true
    }
    return punctuation.kind
  }

  private mutating func skipWhitespace() {
    while position < end {
      let b = bytes[position]
      if b == 0x20 || b == 0x09 {
        position += 1
        continue
      }
      let length = whitespaceLength(at: position)
      if length == 0 { break }
      position += length
    }
  }

  /// A word: everything up to the next delimiter.
  private mutating func lexWord() -> SyntaxKind {
    while position < end {
      let b = bytes[position]
      if b < 0x80 {
        if isWordDelimiterASCII(b) { break }
        position += 1
        continue
      }
      // Most of a Japanese word: a valid three-byte sequence that is neither punctuation nor
      // whitespace (those start with E3 80 or EF), as the general path below would find.
      if b >= 0xE1, b <= 0xEE, b != 0xED, position + 2 < end, bytes[position + 1] & 0xC0 == 0x80,
        bytes[position + 2] & 0xC0 == 0x80, b != 0xE3 || bytes[position + 1] != 0x80
      {
        position += 3
        continue
      }
      if punctuationKind(at: position) != nil || whitespaceLength(at: position) > 0 { break }
      position += sequenceLength(at: position)
    }
    return .word
  }

  private mutating func lexString() -> SyntaxKind {
    let start = position
    let multiline = inValue
    position += 1
    while position < end {
      let b = bytes[position]
      if b == 0x5C, position + 1 < end, bytes[position + 1] == 0x22 || bytes[position + 1] == 0x5C {
        position += 2
        continue
      }
      if b == 0x22 {
        position += 1
        if spansLines(from: start, to: position), !closesCleanly(at: position) { break }
        return .string
      }
      if b == 0x0A || b == 0x0D, !multiline { break }
      position += 1
    }
    // Unterminated: end at the end of the first line, leaving a trailing `{` for the header.
    position = start + 1
    skipToEndOfLine()
    if !multiline {
      var trimmed = position
      while trimmed > start + 1, whitespaceBefore(trimmed) > 0 { trimmed -= whitespaceBefore(trimmed) }
      if trimmed > start + 1, let brace = punctuationBefore(trimmed), brace.kind == .leftBrace {
        position = trimmed - brace.length
        while position > start + 1, whitespaceBefore(position) > 0 { position -= whitespaceBefore(position) }
      }
    }
    return .unterminatedString
  }

  /// Where a title in Japanese quotation marks that opens at `offset` ends (after its closing
  /// mark): `「…」` or `“…”`, closed on the same line. Nil when no such title opens there (an
  /// opening mark without its closing one on the line is part of a word, as it always was).
  private func japaneseQuoteEnd(at offset: Int) -> Int? {
    guard let close = JapaneseQuotes.closing(bytes, at: offset, end: end) else { return nil }
    var index = offset + 3
    while index + 2 < end {
      let b = bytes[index]
      if b == 0x0A || b == 0x0D { return nil }
      if b == close.0, bytes[index + 1] == close.1, bytes[index + 2] == close.2 { return index + 3 }
      index += 1
    }
    return nil
  }

  private func spansLines(from start: Int, to stop: Int) -> Bool {
    var index = start
    while index < stop {
      if bytes[index] == 0x0A || bytes[index] == 0x0D { return true }
      index += 1
    }
    return false
  }

  /// After a multi-line string closes, the rest of its line must be empty, a comment, or a separator.
  private func closesCleanly(at offset: Int) -> Bool {
    var index = offset
    while index < end, whitespaceLength(at: index) > 0 { index += whitespaceLength(at: index) }
    if index >= end { return true }
    let b = bytes[index]
    if b == 0x0A || b == 0x0D { return true }
    guard let punctuation = punctuationKind(at: index) else { return false }
    switch punctuation.kind {
    case .comment, .comma, .rightBrace, .rightParen: return true
    default: return false
    }
  }

  private mutating func skipToEndOfLine() {
    while position < end, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
  }

  // MARK: - Character classes

  private func matches(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, at offset: Int) -> Bool {
    offset + 2 < end && bytes[offset] == b0 && bytes[offset + 1] == b1 && bytes[offset + 2] == b2
  }

  private func isControl(_ byte: UInt8) -> Bool {
    (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
  }

  private func isWordDelimiterASCII(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x20, 0x09, 0x0A, 0x0D, 0x22, 0x23, 0x28, 0x29, 0x2C, 0x3D, 0x7B, 0x7D: return true
    default: return isControl(byte)
    }
  }

  /// Punctuation (and comment starts) at `offset`, ASCII or full-width.
  private func punctuationKind(at offset: Int) -> (kind: SyntaxKind, length: Int)? {
    let b = bytes[offset]
    switch b {
    case 0x7B: return (.leftBrace, 1)
    case 0x7D: return (.rightBrace, 1)
    case 0x3D: return (.equals, 1)
    case 0x2C: return (.comma, 1)
    case 0x28: return (.leftParen, 1)
    case 0x29: return (.rightParen, 1)
    case 0x23: return (.comment, 1)
    case 0xEF:
      guard offset + 2 < end else { return nil }
      let b1 = bytes[offset + 1]
      let b2 = bytes[offset + 2]
      if b1 == 0xBD {
        if b2 == 0x9B { return (.leftBrace, 3) }  // ｛
        if b2 == 0x9D { return (.rightBrace, 3) }  // ｝
      } else if b1 == 0xBC {
        switch b2 {
        case 0x9D: return (.equals, 3)  // ＝
        case 0x8C: return (.comma, 3)  // ，
        case 0x88: return (.leftParen, 3)  // （
        case 0x89: return (.rightParen, 3)  // ）
        case 0x83: return (.comment, 3)  // ＃
        default: return nil
        }
      }
      return nil
    case 0xE3:
      if matches(0xE3, 0x80, 0x81, at: offset) { return (.comma, 3) }  // 、
      return nil
    default:
      return nil
    }
  }

  private func punctuationBefore(_ offset: Int) -> (kind: SyntaxKind, length: Int)? {
    if offset >= 1, let p = punctuationKind(at: offset - 1), p.length == 1 { return p }
    if offset >= 3, let p = punctuationKind(at: offset - 3), p.length == 3 { return p }
    return nil
  }

  /// Length of the whitespace character at `offset`, or 0.
  private func whitespaceLength(at offset: Int) -> Int {
    let b = bytes[offset]
    if b == 0x20 || b == 0x09 { return 1 }
    if b == 0xC2, offset + 1 < end, bytes[offset + 1] == 0xA0 { return 2 }  // U+00A0
    if b == 0xE3, matches(0xE3, 0x80, 0x80, at: offset) { return 3 }  // U+3000
    return 0
  }

  private func whitespaceBefore(_ offset: Int) -> Int {
    if offset >= 1, bytes[offset - 1] == 0x20 || bytes[offset - 1] == 0x09 { return 1 }
    if offset >= 2, bytes[offset - 2] == 0xC2, bytes[offset - 1] == 0xA0 { return 2 }
    if offset >= 3, bytes[offset - 3] == 0xE3, bytes[offset - 2] == 0x80, bytes[offset - 1] == 0x80 { return 3 }
    return 0
  }

  /// Length of the UTF-8 sequence at `offset`; 1 for a byte that does not start a valid sequence.
  private func sequenceLength(at offset: Int) -> Int {
    UTF8Validation.sequenceLength(bytes, at: offset, end: end) ?? 1
  }
}

/// The Japanese quotation marks a title may be written in, besides `"`: `「…」` and `“…”`. Each
/// mark is three bytes of UTF-8.
public enum JapaneseQuotes {
  /// The closing mark's bytes when an opening mark starts at `offset`.
  @inlinable
  public static func closing(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, end: Int) -> (UInt8, UInt8, UInt8)? {
    guard offset + 2 < end else { return nil }
    let (b0, b1, b2) = (bytes[offset], bytes[offset + 1], bytes[offset + 2])
    if b0 == 0xE3, b1 == 0x80, b2 == 0x8C { return (0xE3, 0x80, 0x8D) }  // 「 」
    if b0 == 0xE2, b1 == 0x80, b2 == 0x9C { return (0xE2, 0x80, 0x9D) }  // “ ”
    return nil
  }

  /// The byte length of the quotation mark that opens a string token at `offset`: 1 for `"`,
  /// 3 for `「` and `“`.
  @inlinable
  public static func openingLength(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
    closing(bytes, at: offset, end: bytes.count) == nil ? 1 : 3
  }
}

/// Strict UTF-8 validation helpers (no overlong forms, no surrogates, nothing above U+10FFFF).
public enum UTF8Validation {
  /// The length of the valid UTF-8 sequence starting at `offset`, or nil if none starts there.
  @inlinable
  public static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, end: Int) -> Int? {
    let b0 = bytes[offset]
    if b0 < 0x80 { return 1 }
    func continuation(_ i: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
      i < end && bytes[i] >= low && bytes[i] <= high
    }
    switch b0 {
    case 0xC2...0xDF:
      return continuation(offset + 1) ? 2 : nil
    case 0xE0:
      return continuation(offset + 1, 0xA0, 0xBF) && continuation(offset + 2) ? 3 : nil
    case 0xE1...0xEC, 0xEE...0xEF:
      return continuation(offset + 1) && continuation(offset + 2) ? 3 : nil
    case 0xED:
      return continuation(offset + 1, 0x80, 0x9F) && continuation(offset + 2) ? 3 : nil
    case 0xF0:
      return continuation(offset + 1, 0x90, 0xBF) && continuation(offset + 2) && continuation(offset + 3) ? 4 : nil
    case 0xF1...0xF3:
      return continuation(offset + 1) && continuation(offset + 2) && continuation(offset + 3) ? 4 : nil
    case 0xF4:
      return continuation(offset + 1, 0x80, 0x8F) && continuation(offset + 2) && continuation(offset + 3) ? 4 : nil
    default:
      return nil
    }
  }

  /// Where the bytes are not valid UTF-8: the first invalid offset and how many separate runs of
  /// invalid bytes there are. Nil when the bytes are valid.
  public static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> (offset: Int, length: Int, runs: Int)? {
    firstInvalid(bytes, in: 0..<bytes.count)
  }

  /// `firstInvalid` for the bytes in `range` only (sequences are not read past its end). Over
  /// ranges that split no sequence, the runs of a whole add up from the runs of its parts.
  public static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> (offset: Int, length: Int, runs: Int)? {
    var offset = range.lowerBound
    var first: (Int, Int)?
    var runs = 0
    var inRun = false
    let end = range.upperBound
    while offset < end {
      if bytes[offset] < 0x80 {
        offset += 1
        inRun = false
        continue
      }
      if let length = sequenceLength(bytes, at: offset, end: end) {
        offset += length
        inRun = false
      } else {
        if !inRun {
          runs += 1
          inRun = true
          if first == nil { first = (offset, 1) }
        } else if let f = first, runs == 1 {
          first = (f.0, f.1 + 1)
        }
        offset += 1
      }
    }
    guard let first else { return nil }
    return (first.0, first.1, runs)
  }
}
