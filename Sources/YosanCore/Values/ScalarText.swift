import YosanSyntax

/// The text of a value as Unicode scalars, each with its byte offset in the source, normalised so
/// that full-width forms read as ASCII (`１２` as `12`, `／` as `/`, U+3000 as a space).
///
/// Value grammars work on this view; ranges they report are source byte ranges, so diagnostics
/// point at what the author wrote.
public struct ScalarText: Sendable {
  /// Normalised scalars.
  public var scalars: [Unicode.Scalar]
  /// Scalars as written.
  public var original: [Unicode.Scalar]
  /// Byte offset of each scalar, plus the end offset: `offsets.count == scalars.count + 1`.
  public var offsets: [Int]

  public init(bytes: UnsafeBufferPointer<UInt8>, range: TextRange) {
    var scalars: [Unicode.Scalar] = []
    var original: [Unicode.Scalar] = []
    var offsets: [Int] = []
    scalars.reserveCapacity(range.length)
    var index = range.start
    while index < range.end {
      offsets.append(index)
      let length = UTF8Validation.sequenceLength(bytes, at: index, end: range.end) ?? 1
      let scalar: Unicode.Scalar
      if length == 1 {
        scalar = bytes[index] < 0x80 ? Unicode.Scalar(bytes[index]) : "\u{FFFD}"
      } else {
        var value: UInt32
        switch length {
        case 2: value = UInt32(bytes[index] & 0x1F)
        case 3: value = UInt32(bytes[index] & 0x0F)
        default: value = UInt32(bytes[index] & 0x07)
        }
        for i in 1..<length { value = value << 6 | UInt32(bytes[index + i] & 0x3F) }
        scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
      }
      original.append(scalar)
      scalars.append(ScalarText.normalize(scalar))
      index += length
    }
    offsets.append(range.end)
    self.scalars = scalars
    self.original = original
    self.offsets = offsets
  }

  /// Full-width ASCII variants to ASCII, ideographic space to space, minus and wave dashes.
  public static func normalize(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    let v = scalar.value
    if v >= 0xFF01 && v <= 0xFF5E { return Unicode.Scalar(v - 0xFEE0)! }
    switch v {
    case 0x3000, 0x00A0: return " "
    case 0x2212: return "-"  // − minus sign
    case 0x301C: return "~"  // 〜 wave dash
    case 0x3001: return ","  // 、
    default: return scalar
    }
  }

  /// True when `scalar` is a full-width form of an ASCII character (or U+3000).
  public static func isFullWidthASCII(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value >= 0xFF01 && scalar.value <= 0xFF5E) || scalar.value == 0x3000
  }

  public var count: Int { scalars.count }

  /// The source range of scalars `from..<to`.
  public func range(_ from: Int, _ to: Int) -> TextRange { TextRange(start: offsets[from], end: offsets[to]) }

  /// The original text of scalars `from..<to`.
  public func string(_ from: Int, _ to: Int) -> String {
    var s = String.UnicodeScalarView()
    s.append(contentsOf: original[from..<to])
    return String(s)
  }

  /// The normalised text of scalars `from..<to`.
  public func normalizedString(_ from: Int, _ to: Int) -> String {
    var s = String.UnicodeScalarView()
    s.append(contentsOf: scalars[from..<to])
    return String(s)
  }

  public func isSpace(_ i: Int) -> Bool { scalars[i] == " " || scalars[i] == "\t" }

  /// `from..<to` without leading and trailing spaces.
  public func trimmed(_ from: Int, _ to: Int) -> (Int, Int) {
    var a = from
    var b = to
    while a < b, isSpace(a) { a += 1 }
    while b > a, isSpace(b - 1) { b -= 1 }
    return (a, b)
  }

  /// True when scalars starting at `index` spell `literal` (normalised comparison).
  public func matches(_ literal: String, at index: Int) -> Bool {
    var i = index
    for scalar in literal.unicodeScalars {
      guard i < scalars.count, scalars[i] == scalar else { return false }
      i += 1
    }
    return true
  }

  public func isDigit(_ i: Int) -> Bool { i >= 0 && i < scalars.count && scalars[i].value >= 0x30 && scalars[i].value <= 0x39 }

  /// Splits `from..<to` at list separators (`,`, `，`, `、`) that are not inside parentheses or
  /// quotes. With `keepThousands`, a comma between a digit and exactly three digits is a
  /// thousands separator, not a list separator. Each part is trimmed; empty parts are kept.
  public func splitList(_ from: Int, _ to: Int, keepThousands: Bool) -> [(Int, Int)] {
    var parts: [(Int, Int)] = []
    var depth = 0
    var inQuote = false
    var start = from
    var i = from
    while i < to {
      let s = scalars[i]
      if s == "\"" {
        inQuote.toggle()
      } else if !inQuote {
        if s == "(" { depth += 1 } else if s == ")" { depth = Swift.max(0, depth - 1) } else if s == ",", depth == 0 {
          let isThousands =
            keepThousands && original[i] != "、" && isDigit(i - 1) && isDigit(i + 1) && isDigit(i + 2) && isDigit(i + 3) && !isDigit(i + 4)
          if !isThousands {
            parts.append(trimmed(start, i))
            start = i + 1
          }
        }
      }
      i += 1
    }
    parts.append(trimmed(start, to))
    return parts
  }
}
