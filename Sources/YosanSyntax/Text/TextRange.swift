/// A half-open range of UTF-8 byte offsets into a document.
///
/// Every position below the language server is a UTF-8 byte offset; conversion to lines and
/// columns happens in `LineIndex`, and to UTF-16 only in the LSP target.
public struct TextRange: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var start: Int
  public var end: Int

  @inlinable
  public init(start: Int, end: Int) {
    precondition(start <= end, "TextRange start must not exceed end")
    self.start = start
    self.end = end
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
