/// Character columns on long lines without counting from the start of the line each time.
///
/// The column of an offset in characters (Unicode code points) is the count of the bytes before
/// it on its line that do not continue a multi-byte sequence: proportional to the offset's
/// distance from the line's start. On a line of many megabytes with a finding every hundred bytes,
/// counting from the start per finding is quadratic. So for every line longer than `longLine`
/// bytes this keeps the count at each multiple of `stride` bytes from the line's start, and a
/// column costs at most `stride` bytes of counting. Lines of ordinary length keep nothing.
public struct CharacterColumns: Sendable {
  /// Bytes between two kept counts.
  public static let stride = 256
  /// Lines at least this long (terminator included) keep their counts.
  public static let longLine = 1024

  /// For each long line (by zero-based number), the characters before each multiple of `stride`
  /// bytes from its start: `counts[k]` is the count in `start ..< start + k * stride`.
  private let counts: [Int: [Int]]

  /// The lines that keep counts (for tests).
  var keptLines: [Int] { counts.keys.sorted() }

  public init(_ bytes: UnsafeBufferPointer<UInt8>, lines: LineIndex) {
    var counts: [Int: [Int]] = [:]
    for line in 0..<lines.lineCount {
      let start = lines.start(ofLine: line)
      let end = Swift.min(lines.end(ofLine: line), bytes.count)
      guard end - start >= CharacterColumns.longLine else { continue }
      var row = [0]
      row.reserveCapacity((end - start) / CharacterColumns.stride + 1)
      var characters = 0
      var index = start
      while index + CharacterColumns.stride <= end {
        characters += CharacterColumns.characters(in: bytes, from: index, to: index + CharacterColumns.stride)
        index += CharacterColumns.stride
        row.append(characters)
      }
      counts[line] = row
    }
    self.counts = counts
  }

  /// The zero-based line and the zero-based column in Unicode code points of `offset`: the same
  /// as `LineIndex.lineAndCharacterColumn`, found with at most `stride` bytes counted.
  public func lineAndCharacterColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, lines: LineIndex) -> (line: Int, column: Int) {
    guard !counts.isEmpty else { return lines.lineAndCharacterColumn(of: offset, in: bytes) }
    let (line, byteColumn) = lines.lineAndByteColumn(of: offset)
    guard let row = counts[line] else { return lines.lineAndCharacterColumn(of: offset, in: bytes) }
    let start = lines.start(ofLine: line)
    let kept = Swift.min(byteColumn / CharacterColumns.stride, row.count - 1)
    let from = start + kept * CharacterColumns.stride
    return (line, row[kept] + CharacterColumns.characters(in: bytes, from: from, to: start + byteColumn))
  }

  /// The bytes in `from..<to` that start a character (any byte but a continuation byte).
  static func characters(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
    var count = 0
    var index = from
    while index < to {
      if bytes[index] & 0xC0 != 0x80 { count += 1 }
      index += 1
    }
    return count
  }
}
