import YosanSyntax

/// How the client counts characters in a `Position`: the one place that knows UTF-16.
///
/// The core works in UTF-8 byte offsets. LSP positions are (line, character) with `character`
/// counted in the negotiated encoding: UTF-16 code units by default, UTF-8 bytes or UTF-32 code
/// points when the client offers them.
public enum PositionEncoding: String, Sendable, CaseIterable {
  case utf8 = "utf-8"
  case utf16 = "utf-16"
  case utf32 = "utf-32"

  /// Picks the encoding from the client's `general.positionEncodings` (in its order of
  /// preference): UTF-8 when offered (no conversion needed), UTF-32 if the client lists it first,
  /// else UTF-16, which every client supports.
  public static func negotiate(_ offered: [String]) -> PositionEncoding {
    if offered.first == PositionEncoding.utf32.rawValue { return .utf32 }
    if offered.contains(PositionEncoding.utf8.rawValue) { return .utf8 }
    return .utf16
  }

  /// The units a scalar whose UTF-8 lead byte is `lead` takes in this encoding.
  @inline(__always)
  func units(forLead lead: UInt8) -> Int {
    switch self {
    case .utf8:
      if lead < 0x80 { return 1 }
      if lead < 0xE0 { return 2 }
      if lead < 0xF0 { return 3 }
      return 4
    case .utf16: return lead >= 0xF0 ? 2 : 1
    case .utf32: return 1
    }
  }

  /// Converts a byte offset to (line, character), both zero-based. Offsets past the end are
  /// clamped; an offset inside a multi-byte character counts that character as not yet passed.
  public func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineIndex) -> (line: Int, character: Int) {
    let offset = Swift.max(0, Swift.min(offset, bytes.count))
    let line = lineIndex.line(containing: offset)
    return (line, units(in: bytes, from: lineIndex.start(ofLine: line), to: offset))
  }

  /// The units taken by the characters in `from..<to` (on one line, or across lines: line breaks
  /// count one unit each). A character that starts before `to` but ends after it is not counted.
  public func units(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
    advance(in: bytes, from: from, to: to).units
  }

  /// Like `units`, also returning where counting stopped: `to`, or the start of the character
  /// that `to` falls inside.
  public func advance(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> (units: Int, end: Int) {
    var index = from
    var count = 0
    while index < to {
      let length = UTF8Validation.sequenceLength(bytes, at: index, end: bytes.count) ?? 1
      if index + length > to { break }
      count += length == 1 && bytes[index] >= 0x80 ? 1 : units(forLead: bytes[index])
      index += length
    }
    return (count, index)
  }

  /// Converts (line, character) to a byte offset. A line past the end clamps to the end of the
  /// text; a character past the end of its line clamps to the line's end (before its line break);
  /// a character in the middle of a surrogate pair rounds up to the end of that character.
  public func offset(line: Int, character: Int, in bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineIndex) -> Int {
    if line < 0 { return 0 }
    if line >= lineIndex.lineCount { return bytes.count }
    var index = lineIndex.start(ofLine: line)
    let lineEnd = lineIndex.end(ofLine: line)
    var contentEnd = lineEnd
    while contentEnd > index, bytes[contentEnd - 1] == 0x0A || bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
    var remaining = Swift.max(0, character)
    while remaining > 0, index < contentEnd {
      let length = UTF8Validation.sequenceLength(bytes, at: index, end: bytes.count) ?? 1
      remaining -= length == 1 && bytes[index] >= 0x80 ? 1 : units(forLead: bytes[index])
      index += length
    }
    return Swift.min(index, contentEnd)
  }
}

extension PositionEncoding {
  /// Checkpoints of the long lines of one text in one encoding, made when a conversion first
  /// needs them: with them, a conversion on a line of any length costs a binary search and at
  /// most `LineColumns.stride` bytes of counting (the plain `position` and `offset` above count
  /// from the line's start).
  public struct ColumnCache {
    var lines: [Int: LineColumns] = [:]

    public init() {}
  }

  /// `position(of:in:lineIndex:)`, from the nearest checkpoint on a long line.
  public func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineIndex, cache: inout ColumnCache) -> (
    line: Int, character: Int
  ) {
    let offset = Swift.max(0, Swift.min(offset, bytes.count))
    let line = lineIndex.line(containing: offset)
    let start = lineIndex.start(ofLine: line)
    guard offset - start > LineColumns.stride else { return (line, units(in: bytes, from: start, to: offset)) }
    let columns = self.columns(of: line, in: bytes, lineIndex: lineIndex, cache: &cache)
    let (from, before) = columns.checkpoint(atOrBefore: offset)
    return (line, before + units(in: bytes, from: from, to: offset))
  }

  /// `offset(line:character:in:lineIndex:)`, from the nearest checkpoint on a long line.
  public func offset(line: Int, character: Int, in bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineIndex, cache: inout ColumnCache) -> Int {
    guard line >= 0, line < lineIndex.lineCount, lineIndex.end(ofLine: line) - lineIndex.start(ofLine: line) > LineColumns.stride else {
      return offset(line: line, character: character, in: bytes, lineIndex: lineIndex)
    }
    let columns = self.columns(of: line, in: bytes, lineIndex: lineIndex, cache: &cache)
    let (from, before) = columns.checkpoint(atOrBeforeUnits: Swift.max(0, character))
    var index = from
    var remaining = Swift.max(0, character) - before
    while remaining > 0, index < columns.contentEnd {
      let length = UTF8Validation.sequenceLength(bytes, at: index, end: bytes.count) ?? 1
      remaining -= length == 1 && bytes[index] >= 0x80 ? 1 : units(forLead: bytes[index])
      index += length
    }
    return Swift.min(index, columns.contentEnd)
  }

  func columns(of line: Int, in bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineIndex, cache: inout ColumnCache) -> LineColumns {
    if let known = cache.lines[line] { return known }
    let made = LineColumns(bytes, start: lineIndex.start(ofLine: line), end: lineIndex.end(ofLine: line), encoding: self)
    cache.lines[line] = made
    return made
  }
}

/// One line's checkpoints in one encoding: about every `stride` bytes, the offset of a character
/// start and the units of the line before it.
struct LineColumns {
  static let stride = 256
  private(set) var offsets: [Int] = []
  private(set) var units: [Int] = []
  /// The end of the line's text, before its line break.
  let contentEnd: Int

  init(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, encoding: PositionEncoding) {
    var contentEnd = end
    while contentEnd > start, bytes[contentEnd - 1] == 0x0A || bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
    self.contentEnd = contentEnd
    var index = start
    var count = 0
    var last = start
    offsets.append(start)
    units.append(0)
    // The same walk as `PositionEncoding.advance`, so counting on from a checkpoint gives what
    // counting from the line's start would.
    while index < end {
      if index - last >= LineColumns.stride {
        offsets.append(index)
        units.append(count)
        last = index
      }
      let length = UTF8Validation.sequenceLength(bytes, at: index, end: bytes.count) ?? 1
      count += length == 1 && bytes[index] >= 0x80 ? 1 : encoding.units(forLead: bytes[index])
      index += length
    }
  }

  /// The last checkpoint at or before `offset`: its offset and the units before it.
  func checkpoint(atOrBefore offset: Int) -> (offset: Int, units: Int) {
    let index = LineIndex.lastIndex(in: offsets, atMost: offset)
    return (offsets[index], units[index])
  }

  /// The last checkpoint with at most `count` units before it.
  func checkpoint(atOrBeforeUnits count: Int) -> (offset: Int, units: Int) {
    let index = LineIndex.lastIndex(in: units, atMost: count)
    return (offsets[index], units[index])
  }
}
