import YosanJSON
import YosanSyntax

/// A text with its line index, converting between the core's byte offsets and LSP positions in the
/// negotiated encoding (through `PositionEncoding`, the one place that counts UTF-16).
///
/// Conversions remember the last two positions they computed, so offsets visited in increasing
/// order (diagnostics, semantic tokens) cost time proportional to the distance walked, even on a
/// very long line.
final class TextView {
  let bytes: [UInt8]
  let lines: LineIndex
  let encoding: PositionEncoding
  private var cursor: PositionCursor
  /// Checkpoints of the long lines, made when first needed.
  private var columns = PositionEncoding.ColumnCache()

  init(bytes: [UInt8], lines: LineIndex, encoding: PositionEncoding) {
    self.bytes = bytes
    self.lines = lines
    self.encoding = encoding
    self.cursor = PositionCursor(lines: lines, encoding: encoding)
  }

  // MARK: - Offsets to positions

  /// Zero-based line and character of `offset` (clamped to the text): from where the last
  /// conversion left off when `offset` is a little further on the same line, else from the
  /// nearest checkpoint of its line.
  func position(_ offset: Int) -> (line: Int, character: Int) {
    bytes.withUnsafeBufferPointer { buffer in
      if cursor.isNear(offset) { return cursor.position(offset, in: buffer) }
      let result = encoding.position(of: offset, in: buffer, lineIndex: lines, cache: &columns)
      cursor.move(to: Swift.max(0, Swift.min(offset, buffer.count)), line: result.line, character: result.character, in: buffer)
      return result
    }
  }

  /// A cursor for converting many offsets in increasing order (semantic tokens).
  func makeCursor() -> PositionCursor { PositionCursor(lines: lines, encoding: encoding) }

  func positionJSON(_ offset: Int) -> JSON {
    let (line, character) = position(offset)
    return .object([("line", .int(line)), ("character", .int(character))])
  }

  func rangeJSON(_ range: TextRange) -> JSON {
    .object([("start", positionJSON(range.start)), ("end", positionJSON(range.end))])
  }

  // MARK: - Positions to offsets

  /// The byte offset of an LSP position; out-of-range positions are clamped.
  func offset(line: Int, character: Int) -> Int {
    bytes.withUnsafeBufferPointer { encoding.offset(line: line, character: character, in: $0, lineIndex: lines, cache: &columns) }
  }

  /// Reads `{line, character}`: unsigned integers (InvalidParams otherwise); a line or a character
  /// beyond the text is clamped, as LSP says.
  func offset(_ position: ParamReader) throws(ResponseError) -> Int {
    offset(line: try position["line"].uinteger(), character: try position["character"].uinteger())
  }

  /// Reads `{start, end}`: a range whose end comes before its start is InvalidParams.
  func range(_ range: ParamReader) throws(ResponseError) -> TextRange {
    let (start, end) = try range.range()
    return self.range(start, end)
  }

  /// The bytes of a range already read (see `ParamReader.range`).
  func range(_ start: (line: Int, character: Int), _ end: (line: Int, character: Int)) -> TextRange {
    let a = offset(line: start.line, character: start.character)
    let b = offset(line: end.line, character: end.character)
    return TextRange(start: a, end: Swift.max(a, b))
  }

  // MARK: - Text

  func text(_ range: TextRange) -> String {
    let start = Swift.max(0, Swift.min(range.start, bytes.count))
    let end = Swift.max(start, Swift.min(range.end, bytes.count))
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// The line break the text uses (its first one), for inserted lines.
  var lineBreak: String {
    guard lines.lineCount > 1 else { return "\n" }
    let end = lines.start(ofLine: 1)
    return end >= 2 && bytes[end - 2] == 0x0D && bytes[end - 1] == 0x0A ? "\r\n" : (bytes[end - 1] == 0x0D ? "\r" : "\n")
  }
}

/// Converts byte offsets to positions, remembering where it last was: offsets visited in
/// increasing order cost the distance walked (no search, no rescan of a long line).
struct PositionCursor {
  let lines: LineIndex
  let encoding: PositionEncoding
  private var line = 0
  private var offset = 0
  private var character = 0

  init(lines: LineIndex, encoding: PositionEncoding) {
    self.lines = lines
    self.encoding = encoding
  }

  /// True when `target` is on the cursor's line, at or after it and at most a checkpoint's
  /// stride further: counting on from the cursor is then the cheapest way.
  func isNear(_ target: Int) -> Bool {
    target >= offset && target - offset <= LineColumns.stride && target < lines.end(ofLine: line)
  }

  /// Puts the cursor at a position found another way (`offset`, a character start or the end).
  mutating func move(to offset: Int, line: Int, character: Int, in bytes: UnsafeBufferPointer<UInt8>) {
    // Only a character start is a place to count on from: a byte that is not a continuation byte
    // (a continuation byte may be inside a character).
    guard offset == bytes.count || bytes[offset] & 0xC0 != 0x80 else { return }
    self.line = line
    self.offset = offset
    self.character = character
  }

  mutating func position(_ target: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, character: Int) {
    let target = Swift.max(0, Swift.min(target, bytes.count))
    let lineStart = lines.start(ofLine: line)
    let lineEnd = lines.end(ofLine: line)
    if target >= lineStart && (target < lineEnd || line == lines.lineCount - 1) {
      // The same line: continue from the last offset, or start the line again.
      if target < offset {
        offset = lineStart
        character = 0
      }
    } else {
      // Walk a few lines forward, else search.
      var next = line + 1
      while next < lines.lineCount, next <= line + 8, lines.start(ofLine: next) <= target { next += 1 }
      line = target >= lineEnd && next <= line + 8 ? next - 1 : lines.line(containing: target)
      offset = lines.start(ofLine: line)
      character = 0
    }
    // An offset inside a multi-byte character counts it as not passed; the cursor stays before it.
    let (units, reached) = encoding.advance(in: bytes, from: offset, to: target)
    character += units
    offset = reached
    return (line, character)
  }
}
