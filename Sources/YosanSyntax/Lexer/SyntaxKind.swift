/// The kind of a token or a node in the syntax tree.
///
/// The tree is untyped: a node is a kind plus children. `SyntaxKind` is shared by tokens and nodes,
/// as in rust-analyzer, so that a tree dump reads as one list of kinds.
public enum SyntaxKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
  // MARK: Trivia tokens
  /// Spaces, tabs, U+3000 ideographic spaces and U+00A0 no-break spaces.
  case whitespace
  /// LF, CRLF or a lone CR.
  case newline
  /// `#` or `＃` to the end of the line.
  case comment
  /// The UTF-8 byte order mark, only at offset 0.
  case byteOrderMark

  // MARK: Punctuation tokens (ASCII or full-width)
  case leftBrace, rightBrace, equals, comma, leftParen, rightParen

  // MARK: Content tokens
  /// A run of characters that are not whitespace, punctuation, quotes or comment starts.
  case word
  /// A quoted string, quotes included.
  case string
  /// A quoted string without its closing quote; it ends at the end of its line.
  case unterminatedString
  /// A run of control characters (U+0000–U+001F other than tab and line breaks, and U+007F).
  case controlCharacters

  // MARK: Nodes
  /// The root: everything in the file.
  case file
  /// `KEYWORD [id] ["title"] { … }`.
  case block
  /// `key = value`, with its trailing comment.
  case entry
  /// Text the parser could not place, or an empty node where something is missing.
  case error

  public var isTrivia: Bool {
    switch self {
    case .whitespace, .newline, .comment, .byteOrderMark: return true
    default: return false
    }
  }

  public var isToken: Bool { rawValue < SyntaxKind.file.rawValue }

  public var description: String {
    switch self {
    case .whitespace: return "WHITESPACE"
    case .newline: return "NEWLINE"
    case .comment: return "COMMENT"
    case .byteOrderMark: return "BOM"
    case .leftBrace: return "L_BRACE"
    case .rightBrace: return "R_BRACE"
    case .equals: return "EQUALS"
    case .comma: return "COMMA"
    case .leftParen: return "L_PAREN"
    case .rightParen: return "R_PAREN"
    case .word: return "WORD"
    case .string: return "STRING"
    case .unterminatedString: return "UNTERMINATED_STRING"
    case .controlCharacters: return "CONTROL_CHARACTERS"
    case .file: return "FILE"
    case .block: return "BLOCK"
    case .entry: return "ENTRY"
    case .error: return "ERROR"
    }
  }
}
