/// A half-open range of UTF-8 byte offsets into a document.
///
/// Every position below the language server is a UTF-8 byte offset; conversion to lines and
/// columns happens in `LineIndex`, and to UTF-16 only in the LSP target.
///
/// Offsets are stored in 32 bits (the model holds a few hundred ranges per budget item, so this
/// halves much of its memory); documents are limited to 2 GiB, which the readers check.
public struct TextRange: Hashable, Sendable, Comparable, CustomStringConvertible {
  @usableFromInline var storedStart: Int32
  @usableFromInline var storedEnd: Int32

  /// The largest document size whose offsets a range can hold.
  public static let maximumOffset = Int(Int32.max)

  @inlinable
  public var start: Int {
    get { Int(storedStart) }
    set { storedStart = Int32(newValue) }
  }

  @inlinable
  public var end: Int {
    get { Int(storedEnd) }
    set { storedEnd = Int32(newValue) }
  }

  @inlinable
  public init(start: Int, end: Int) {
    precondition(start <= end, "TextRange start must not exceed end")
    storedStart = Int32(start)
    storedEnd = Int32(end)
  }

  @inlinable
  public init(start: Int, length: Int) {
    self.init(start: start, end: start + length)
  }

  /// An empty range at `offset`.
  @inlinable
  public static func empty(at offset: Int) -> TextRange {
    TextRange(start: offset, end: offset)
  }

  @inlinable public var length: Int { end - start }
  @inlinable public var isEmpty: Bool { start == end }

  @inlinable
  public func contains(_ offset: Int) -> Bool { offset >= start && offset < end }

  /// True when `offset` lies inside the range or at its end (a cursor touching the range).
  @inlinable
  public func touches(_ offset: Int) -> Bool { offset >= start && offset <= end }

  @inlinable
  public func contains(_ other: TextRange) -> Bool { other.start >= start && other.end <= end }

  @inlinable
  public func shifted(by delta: Int) -> TextRange { TextRange(start: start + delta, end: end + delta) }

  /// The smallest range that covers both.
  @inlinable
  public func union(_ other: TextRange) -> TextRange {
    TextRange(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
  }

  public static func < (lhs: TextRange, rhs: TextRange) -> Bool {
    lhs.start != rhs.start ? lhs.start < rhs.start : lhs.end < rhs.end
  }

  public var description: String { "\(start)..<\(end)" }
}
