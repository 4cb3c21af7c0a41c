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
  private var cursors: [(line: Int, offset: Int, character: Int)] = []

  init(bytes: [UInt8], lines: LineIndex, encoding: PositionEncoding) {
    self.bytes = bytes
    self.lines = lines
    self.encoding = encoding
  }

  // MARK: - Offsets to positions

  /// Zero-based line and character of `offset` (clamped to the text).
  func position(_ offset: Int) -> (line: Int, character: Int) {
    let offset = Swift.max(0, Swift.min(offset, bytes.count))
    let line = lines.line(containing: offset)
    var start = lines.start(ofLine: line)
    var character = 0
    var slot = -1
    for (i, cursor) in cursors.enumerated() where cursor.line == line && cursor.offset <= offset && cursor.offset >= start {
      start = cursor.offset
      character = cursor.character
      slot = i
    }
    character += bytes.withUnsafeBufferPointer { encoding.units(in: $0, from: start, to: offset) }
    // Keep the cursor we advanced and the other most recent one (only at character boundaries).
    guard offset == bytes.count || bytes[offset] & 0xC0 != 0x80 else { return (line, character) }
    let entry = (line: line, offset: offset, character: character)
    if slot >= 0 {
      cursors[slot] = entry
    } else {
      if cursors.count == 2 { cursors.removeFirst() }
      cursors.append(entry)
    }
    return (line, character)
  }

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
    bytes.withUnsafeBufferPointer { encoding.offset(line: line, character: character, in: $0, lineIndex: lines) }
  }

  /// Reads `{line, character}`.
  func offset(_ position: ParamReader) throws(ResponseError) -> Int {
    offset(line: try position["line"].int(), character: try position["character"].int())
  }

  /// Reads `{start, end}`; a reversed range is put in order.
  func range(_ range: ParamReader) throws(ResponseError) -> TextRange {
    let a = try offset(range["start"])
    let b = try offset(range["end"])
    return TextRange(start: Swift.min(a, b), end: Swift.max(a, b))
  }

  // MARK: - Text

  func text(_ range: TextRange) -> String {
    let start = Swift.max(0, Swift.min(range.start, bytes.count))
    let end = Swift.max(start, Swift.min(range.end, bytes.count))
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// The bytes of `line` without its line break.
  func lineContent(_ line: Int) -> TextRange {
    let start = lines.start(ofLine: line)
    var end = lines.end(ofLine: line)
    while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
    return TextRange(start: start, end: end)
  }

  /// The line break the text uses (its first one), for inserted lines.
  var lineBreak: String {
    guard lines.lineCount > 1 else { return "\n" }
    let end = lines.start(ofLine: 1)
    return end >= 2 && bytes[end - 2] == 0x0D && bytes[end - 1] == 0x0A ? "\r\n" : (bytes[end - 1] == 0x0D ? "\r" : "\n")
  }
}
