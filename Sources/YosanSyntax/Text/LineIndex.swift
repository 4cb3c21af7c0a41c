/// Maps UTF-8 byte offsets to lines and back.
///
/// Lines are separated by LF, CRLF or a lone CR. The index stores the byte offset at which each line
/// starts; a line's terminator belongs to the line it ends. For each line longer than `chunk`
/// bytes it also stores how many characters come before every `chunk` bytes of the line, so that
/// a character column costs a search for the line and at most `chunk` bytes of counting, however
/// long the line is (a one-line file of megabytes with thousands of diagnostics stays linear).
public struct LineIndex: Sendable {
  /// Byte offset of the start of each line. Always starts with 0.
  public private(set) var lineStarts: [Int]
  /// Total length of the text in bytes.
  public private(set) var length: Int
  /// The lines longer than `chunk` bytes, in order.
  public private(set) var longLines: [LongLine] = []

  /// A line longer than `chunk` bytes and its character counts.
  public struct LongLine: Sendable, Equatable {
    public var line: Int
    /// `counts[k]`: the characters (code points: bytes that are not UTF-8 continuation bytes) in
    /// the first `(k + 1) × chunk` bytes of the line.
    public var counts: [Int32]
  }

  /// The stride of the character counts of long lines, in bytes.
  public static let chunk = 256

  public init(_ bytes: [UInt8]) {
    self = bytes.withUnsafeBufferPointer { LineIndex($0) }
  }

  public init(_ bytes: UnsafeBufferPointer<UInt8>) {
    var starts = [0]
    starts.reserveCapacity(bytes.count / 32 + 1)
    let count = bytes.count
    var offset = 0
    while offset < count {
      let byte = bytes[offset]
      offset += 1
      // Bytes above CR are never line breaks: the common case is one comparison.
      if byte > 0x0D { continue }
      if byte == 0x0A {
        starts.append(offset)
      } else if byte == 0x0D {
        if offset < count, bytes[offset] == 0x0A { offset += 1 }
        starts.append(offset)
      }
    }
    self.lineStarts = starts
    self.length = count
    self.longLines = LineIndex.longLines(in: 0..<starts.count, starts: starts, length: count, bytes)
  }

  /// The long lines among `lines` (numbers in `starts`), with their counts.
  static func longLines(in lines: Range<Int>, starts: [Int], length: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> [LongLine] {
    var result: [LongLine] = []
    for line in lines {
      let start = starts[line]
      let end = line + 1 < starts.count ? starts[line + 1] : length
      guard end - start > chunk else { continue }
      var counts: [Int32] = []
      counts.reserveCapacity((end - start) / chunk)
      var total: Int32 = 0
      var offset = start
      while offset + chunk <= end {
        for index in offset..<(offset + chunk) where bytes[index] & 0xC0 != 0x80 { total += 1 }
        counts.append(total)
        offset += chunk
      }
      result.append(LongLine(line: line, counts: counts))
    }
    return result
  }

  /// Updates the index after the bytes of `range` (in the old text) were replaced by
  /// `insertedCount` bytes; `newBytes` is the whole new text. Lines before the edit are kept,
  /// lines after it are shifted, and only the edited stretch is scanned again, so an editor's
  /// keystroke costs time proportional to the lines after it, not to the text.
  public mutating func applyEdit(replacing range: TextRange, insertedCount: Int, in newBytes: UnsafeBufferPointer<UInt8>) {
    precondition(range.start >= 0 && range.end <= length && newBytes.count == length - range.length + insertedCount)
    let delta = insertedCount - range.length
    let newEnd = range.start + insertedCount
    // A line start `q` depends only on bytes q-1 and q. Starts at or before the start of the line
    // holding `range.start - 1` see no edited byte; starts after `range.end` see only shifted ones.
    let keepLine = line(containing: Swift.max(0, range.start - 1))
    let scanFrom = lineStarts[keepLine]
    var inserted: [Int] = []
    if scanFrom < newEnd {
      for q in (scanFrom + 1)...newEnd {
        let previous = newBytes[q - 1]
        if previous == 0x0A || (previous == 0x0D && (q == newBytes.count || newBytes[q] != 0x0A)) { inserted.append(q) }
      }
    }
    var firstShifted = keepLine + 1
    while firstShifted < lineStarts.count, lineStarts[firstShifted] <= range.end { firstShifted += 1 }
    lineStarts.replaceSubrange((keepLine + 1)..<firstShifted, with: inserted)
    if delta != 0 {
      for index in (keepLine + 1 + inserted.count)..<lineStarts.count { lineStarts[index] += delta }
    }
    length = newBytes.count
    // Long lines: those of the edited stretch are counted again; those after it keep their counts
    // (their text only moved) under their new numbers.
    let lineDelta = inserted.count - (firstShifted - keepLine - 1)
    let firstKept = longLines.firstIndex { $0.line >= firstShifted } ?? longLines.count
    let lastBefore = longLines.firstIndex { $0.line >= keepLine } ?? longLines.count
    var after = Array(longLines[firstKept...])
    if lineDelta != 0 { for index in after.indices { after[index].line += lineDelta } }
    let recounted = LineIndex.longLines(in: keepLine..<(keepLine + inserted.count + 1), starts: lineStarts, length: length, newBytes)
    longLines = Array(longLines[..<lastBefore]) + recounted + after
  }

  public var lineCount: Int { lineStarts.count }

  /// The zero-based line that contains `offset` (clamped to the text).
  public func line(containing offset: Int) -> Int {
    LineIndex.lastIndex(in: lineStarts, atMost: Swift.max(0, Swift.min(offset, length)))
  }

  /// The last index of `values` (increasing, not empty, its first value at most `limit`) whose
  /// value is at most `limit`: a binary search.
  public static func lastIndex(in values: [Int], atMost limit: Int) -> Int {
    var low = 0
    var high = values.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if values[mid] <= limit { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// The byte offset where zero-based `line` starts (clamped).
  public func start(ofLine line: Int) -> Int {
    if line < 0 { return 0 }
    if line >= lineStarts.count { return length }
    return lineStarts[line]
  }

  /// The byte offset just after the last byte of `line`, terminator included.
  public func end(ofLine line: Int) -> Int {
    line + 1 < lineStarts.count ? lineStarts[line + 1] : length
  }

  /// The zero-based line and the zero-based column in UTF-8 bytes of `offset`.
  public func lineAndByteColumn(of offset: Int) -> (line: Int, column: Int) {
    let offset = Swift.max(0, Swift.min(offset, length))
    let line = line(containing: offset)
    return (line, offset - lineStarts[line])
  }

  /// The zero-based line and the zero-based column in Unicode code points of `offset`.
  ///
  /// Continuation bytes of a multi-byte sequence are not counted; an offset inside a sequence
  /// counts as the character it belongs to. Invalid bytes count as one character each.
  ///
  /// Costs a search for the line and at most `chunk` bytes of counting (from the nearest count of
  /// a long line).
  public func lineAndCharacterColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
    let (line, byteColumn) = lineAndByteColumn(of: offset)
    let start = lineStarts[line]
    var column = 0
    var index = start
    let chunks = byteColumn / LineIndex.chunk
    if chunks > 0, let long = longLine(line) {
      column = Int(long.counts[chunks - 1])
      index = start + chunks * LineIndex.chunk
    }
    while index < start + byteColumn {
      if bytes[index] & 0xC0 != 0x80 { column += 1 }
      index += 1
    }
    return (line, column)
  }

  /// The counts of `line`, when it is a long line.
  public func longLine(_ line: Int) -> LongLine? {
    var low = 0
    var high = longLines.count
    while low < high {
      let mid = (low + high) / 2
      if longLines[mid].line < line { low = mid + 1 } else { high = mid }
    }
    return low < longLines.count && longLines[low].line == line ? longLines[low] : nil
  }
}
