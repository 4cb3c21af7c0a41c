import YosanSyntax

/// The text of a value as Unicode scalars, each with its byte offset in the source, normalised so
/// that full-width forms read as ASCII (`１２` as `12`, `／` as `/`, U+3000 as a space).
///
/// Value grammars work on this view; ranges they report are source byte ranges, so diagnostics
/// point at what the author wrote.
///
/// `load(_:)` reuses its storage for another range of the same source, so lowering allocates no
/// arrays per value.
public struct ScalarText: @unchecked Sendable {
  /// Normalised scalars.
  public var scalars: ScalarColumn { ScalarColumn(storage: storage, base: storage.scalars, count: count) }
  /// Scalars as written.
  public var original: ScalarColumn { ScalarColumn(storage: storage, base: storage.original, count: count) }
  /// Byte offset of each scalar, plus the end offset: `offsets.count == scalars.count + 1`.
  public var offsets: OffsetColumn { OffsetColumn(storage: storage, base: storage.offsets, count: count + 1) }
  /// How many scalars the text has.
  public private(set) var count = 0
  /// The whole source the offsets point into (shared, not copied).
  public let source: [UInt8]
  private var storage: Storage

  public init(source: [UInt8], range: TextRange) {
    self.source = source
    storage = Storage(capacity: range.length)
    load(range)
  }

  /// An empty text over `source`, to `load` ranges into.
  public init(source: [UInt8]) {
    self.source = source
    storage = Storage(capacity: 64)
  }

  /// Makes this the text of `range` of the source, reusing the storage when no other copy of
  /// this text holds it.
  public mutating func load(_ range: TextRange) {
    if !isKnownUniquelyReferenced(&storage) || storage.capacity < range.length {
      storage = Storage(capacity: Swift.max(range.length, storage.capacity))
    }
    let storage = self.storage
    count = source.withUnsafeBufferPointer { bytes in
      var count = 0
      var index = range.start
      while index < range.end {
        storage.offsets[count] = index
        let lead = bytes[index]
        if lead < 0x80 {
          let scalar = Unicode.Scalar(lead)
          storage.original[count] = scalar
          storage.scalars[count] = scalar
          index += 1
          count += 1
          continue
        }
        let length = UTF8Validation.sequenceLength(bytes, at: index, end: range.end) ?? 1
        var scalar: Unicode.Scalar = "\u{FFFD}"
        if length > 1 {
          var value: UInt32
          switch length {
          case 2: value = UInt32(lead & 0x1F)
          case 3: value = UInt32(lead & 0x0F)
          default: value = UInt32(lead & 0x07)
          }
          for i in 1..<length { value = value << 6 | UInt32(bytes[index + i] & 0x3F) }
          scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        }
        storage.original[count] = scalar
        storage.scalars[count] = ScalarText.normalize(scalar)
        index += length
        count += 1
      }
      storage.offsets[count] = range.end
      return count
    }
  }

  /// The buffers of a text: one allocation each, reused by `load`.
  final class Storage {
    let capacity: Int
    let scalars: UnsafeMutablePointer<Unicode.Scalar>
    let original: UnsafeMutablePointer<Unicode.Scalar>
    let offsets: UnsafeMutablePointer<Int>

    init(capacity: Int) {
      self.capacity = Swift.max(capacity, 1)
      scalars = .allocate(capacity: self.capacity)
      original = .allocate(capacity: self.capacity)
      offsets = .allocate(capacity: self.capacity + 1)
      scalars.initialize(repeating: " ", count: self.capacity)
      original.initialize(repeating: " ", count: self.capacity)
      offsets.initialize(repeating: 0, count: self.capacity + 1)
    }

    deinit {
      scalars.deallocate()
      original.deallocate()
      offsets.deallocate()
    }
  }

  /// A read-only column of scalars of a text's storage (which it keeps alive).
  public struct ScalarColumn: RandomAccessCollection {
    let storage: Storage
    let base: UnsafeMutablePointer<Unicode.Scalar>
    public let count: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inline(__always)
    public subscript(position: Int) -> Unicode.Scalar {
      precondition(position >= 0 && position < count, "index out of range")
      return base[position]
    }
  }

  /// A read-only column of byte offsets of a text's storage (which it keeps alive).
  public struct OffsetColumn: RandomAccessCollection {
    let storage: Storage
    let base: UnsafeMutablePointer<Int>
    public let count: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inline(__always)
    public subscript(position: Int) -> Int {
      precondition(position >= 0 && position < count, "index out of range")
      return base[position]
    }
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


  /// The source range of scalars `from..<to`.
  public func range(_ from: Int, _ to: Int) -> TextRange { TextRange(start: offsets[from], end: offsets[to]) }

  /// The original text of scalars `from..<to`, as written in the source.
  public func string(_ from: Int, _ to: Int) -> String {
    String(decoding: source[offsets[from]..<offsets[to]], as: UTF8.self)
  }

  /// The normalised text of scalars `from..<to`.
  public func normalizedString(_ from: Int, _ to: Int) -> String {
    guard from < to else { return "" }
    precondition(from >= 0 && to <= count, "range out of the text")
    let base = storage.scalars
    // Encoded directly: appending a slice of scalars to a string runs the standard library's
    // generic code, hundreds of instructions per scalar.
    return String(unsafeUninitializedCapacity: (to - from) * 4) { buffer in
      var n = 0
      for index in from..<to {
        let v = base[index].value
        if v < 0x80 {
          buffer[n] = UInt8(v)
          n += 1
        } else if v < 0x800 {
          buffer[n] = UInt8(0xC0 | v >> 6)
          buffer[n + 1] = UInt8(0x80 | v & 0x3F)
          n += 2
        } else if v < 0x1_0000 {
          buffer[n] = UInt8(0xE0 | v >> 12)
          buffer[n + 1] = UInt8(0x80 | v >> 6 & 0x3F)
          buffer[n + 2] = UInt8(0x80 | v & 0x3F)
          n += 3
        } else {
          buffer[n] = UInt8(0xF0 | v >> 18)
          buffer[n + 1] = UInt8(0x80 | v >> 12 & 0x3F)
          buffer[n + 2] = UInt8(0x80 | v >> 6 & 0x3F)
          buffer[n + 3] = UInt8(0x80 | v & 0x3F)
          n += 4
        }
      }
      return n
    }
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

  /// True when scalars `from..<to` are exactly `spelling` (normalised comparison): for words
  /// whose scalars are known ahead (`WordTable`), without decoding a string.
  public func equals(_ from: Int, _ to: Int, scalars spelling: [Unicode.Scalar]) -> Bool {
    guard to - from == spelling.count else { return false }
    var index = from
    for scalar in spelling {
      if scalars[index] != scalar { return false }
      index += 1
    }
    return true
  }

  /// True when scalars `from..<to` spell exactly `literal` (normalised comparison).
  public func equals(_ from: Int, _ to: Int, _ literal: String) -> Bool {
    ScalarText.compare(literal, with: scalars, at: from, limit: to) == to
  }

  /// Where a match of `literal` at `index` ends (a scalar index), or -1. Decodes the literal's
  /// UTF-8 directly: these checks run for every value, and a string's scalar view is slow.
  static func compare(_ literal: String, with scalars: ScalarColumn, at index: Int, limit: Int) -> Int {
    var literal = literal
    return literal.withUTF8 { utf8 in
      var i = index
      var p = 0
      while p < utf8.count {
        guard i < limit else { return -1 }
        let lead = utf8[p]
        var value: UInt32
        var length: Int
        if lead < 0x80 {
          value = UInt32(lead)
          length = 1
        } else if lead < 0xE0 {
          value = UInt32(lead & 0x1F)
          length = 2
        } else if lead < 0xF0 {
          value = UInt32(lead & 0x0F)
          length = 3
        } else {
          value = UInt32(lead & 0x07)
          length = 4
        }
        for k in 1..<length { value = value << 6 | UInt32(utf8[p + k] & 0x3F) }
        guard scalars[i].value == value else { return -1 }
        p += length
        i += 1
      }
      return i
    }
  }

  /// The exact decimal that scalars `from..<to` spell (`-12.50`), or nil.
  public func decimal(_ from: Int, _ to: Int) -> ExactDecimal? {
    var i = from
    var negative = false
    if i < to, scalars[i] == "-" {
      negative = true
      i += 1
    }
    var significand: Int128 = 0
    var places = 0
    var sawPoint = false
    var sawDigit = false
    while i < to {
      let v = scalars[i].value
      if v == 0x2E {
        if sawPoint { return nil }
        sawPoint = true
      } else if v >= 0x30 && v <= 0x39 {
        let (m, o1) = significand.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int128(v - 0x30))
        if o1 || o2 { return nil }
        significand = a
        sawDigit = true
        if sawPoint { places += 1 }
      } else {
        return nil
      }
      i += 1
    }
    guard sawDigit else { return nil }
    return ExactDecimal(significand: negative ? -significand : significand, exponent: -places)
  }

  /// True when scalars starting at `index` spell `literal` (normalised comparison).
  public func matches(_ literal: String, at index: Int) -> Bool {
    index >= 0 && ScalarText.compare(literal, with: scalars, at: index, limit: scalars.count) >= 0
  }

  /// True when scalars starting at `index` are `spelling` (normalised comparison).
  public func matches(scalars spelling: [Unicode.Scalar], at index: Int) -> Bool {
    guard index >= 0, index + spelling.count <= count else { return false }
    var i = index
    for scalar in spelling {
      if scalars[i] != scalar { return false }
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
