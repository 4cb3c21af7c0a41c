import YosanSyntax

/// The canonical layout of a `.yosan` file: what `yosan fmt` writes and what the editor's
/// "format document" applies.
///
/// The formatter only changes the blanks *between* tokens (and at the end of comments); every other token — keywords, ids,
/// titles, keys in the author's spelling (Japanese or alias), values, comments, punctuation
/// (full-width forms included), the byte order mark — is kept byte for byte, so the lowered
/// model cannot change. The layout:
///
/// - one statement per line, indented two spaces per block level;
/// - a block header reads `KEYWORD [id] ["title"] {`, its `}` on a line of its own;
/// - one space before `=` and after it, with the `=` of consecutive entries of a block aligned
///   (display width: a kanji is two columns); a blank line or a nested block starts a new group;
///   blanks inside a key or a value are kept as written. Alignment is bounded: the padding of a
///   group is never more than the group's lines unaligned (see `Layout.alignment`), so a key far
///   wider than the others is left out of the alignment rather than padding them all to it;
/// - a comment stays on the line it was on: after one space at the end of a line, or on its own
///   line at the indentation of the block it is in; blanks at its end go, like all trailing blanks;
/// - exactly one blank line before and after every `事業` and `分野` block and between top-level
///   blocks (before the comments directly above them), none after `{` or before `}`, at most one
///   elsewhere;
/// - the line break of the file's first line everywhere (LF, CRLF or CR), and one at the end.
///
/// A file with syntax errors is not formatted (nil): where its statements begin is not known.
public enum Formatter {
  /// The formatted text, or nil when the file has syntax errors. With `aligned` false, the same
  /// layout without the alignment of `=` (one space before each), against which the alignment's
  /// bound is stated: the formatted text is at most twice as long.
  public static func format(_ facts: FileFacts, aligned: Bool = true) -> [UInt8]? {
    guard let layout = Layout(facts, aligned: aligned) else { return nil }
    var output: [UInt8] = []
    output.reserveCapacity(facts.bytes.count + facts.bytes.count / 8)
    for (index, piece) in layout.pieces.enumerated() {
      output += layout.gaps[index]
      output += facts.bytes[piece.range.start..<piece.range.end]
    }
    output += layout.gaps[layout.pieces.count]
    return output
  }

  /// The edits that turn the file into its formatted text: for each stretch of blanks between two
  /// tokens that changes, the smallest replacement (what the old and the new blanks have in
  /// common at their start and end is left alone: padding one more space is one inserted space).
  /// With `range`, only the edits of the lines that `range` touches (an edit belongs to the line
  /// of the token after it). Nil when the file has syntax errors; empty when it is already
  /// formatted.
  public static func edits(_ facts: FileFacts, in range: TextRange? = nil) -> [TextEdit]? {
    guard let layout = Layout(facts) else { return nil }
    var edits: [TextEdit] = []
    var lines: ClosedRange<Int>?
    if let range {
      lines = facts.lineIndex.line(containing: range.start)...facts.lineIndex.line(containing: range.end)
    }
    for index in 0...layout.pieces.count {
      let gap = layout.gapRange(index, length: facts.bytes.count)
      let replacement = layout.gaps[index]
      let old = facts.bytes[gap.start..<gap.end]
      guard !old.elementsEqual(replacement) else { continue }
      // A gap belongs to the line of the token after it (its indentation, or its `=` padding).
      if let lines, !lines.contains(facts.lineIndex.line(containing: gap.end)) { continue }
      // Blanks are ASCII (spaces, tabs, line breaks) or U+3000, which is never cut: a common
      // start or end is counted in whole characters of the old text.
      var prefix = 0
      while prefix < old.count, prefix < replacement.count, old[gap.start + prefix] == replacement[prefix], old[gap.start + prefix] < 0x80 { prefix += 1 }
      var suffix = 0
      while suffix < old.count - prefix, suffix < replacement.count - prefix, old[gap.end - 1 - suffix] == replacement[replacement.count - 1 - suffix],
        old[gap.end - 1 - suffix] < 0x80
      {
        suffix += 1
      }
      // A CRLF is not split: an edit never starts between CR and LF.
      if prefix > 0, old[gap.start + prefix - 1] == 0x0D, prefix < old.count, old[gap.start + prefix] == 0x0A { prefix -= 1 }
      if suffix > 0, old[gap.end - suffix] == 0x0A, gap.end - suffix - 1 >= gap.start + prefix, old[gap.end - suffix - 1] == 0x0D { suffix -= 1 }
      let changed = TextRange(start: gap.start + prefix, end: gap.end - suffix)
      let text = replacement[prefix..<(replacement.count - suffix)]
      edits.append(TextEdit(range: changed, replacement: String(decoding: text, as: UTF8.self)))
    }
    return edits
  }

  /// At most `limit` edits doing what `edits` (sorted, not overlapping, on `bytes`) do: runs of
  /// consecutive edits become one edit over their span, the text between them kept. So a file
  /// where every line changes is not sent as a million edits (each far longer as JSON than the
  /// text it changes); the result is at most the text of the spans plus `limit` edits.
  public static func coalesced(_ edits: [TextEdit], in bytes: [UInt8], limit: Int) -> [TextEdit] {
    guard edits.count > limit, limit > 0 else { return edits }
    let run = (edits.count + limit - 1) / limit
    var result: [TextEdit] = []
    result.reserveCapacity(limit)
    var first = 0
    while first < edits.count {
      let last = Swift.min(first + run, edits.count) - 1
      var text: [UInt8] = []
      for index in first...last {
        text += edits[index].replacement.utf8
        if index < last { text += bytes[edits[index].range.end..<edits[index + 1].range.start] }
      }
      result.append(TextEdit(range: TextRange(start: edits[first].range.start, end: edits[last].range.end), replacement: String(decoding: text, as: UTF8.self)))
      first = last + 1
    }
    return result
  }
}

/// The tokens that are kept (pieces) and the blanks to put between them (gaps).
struct Layout {
  enum Role: Equatable {
    case byteOrderMark
    case comment
    /// The first word of a block header; `separated` blocks get a blank line around them.
    case header(separated: Bool)
    case headerPart
    case open
    case close(separated: Bool)
    /// The first token of an entry's key; `keyEnd` is where the key ends.
    case key(keyEnd: Int)
    case keyPart
    case equals
    case value
    case valuePart
  }

  struct Piece {
    var range: TextRange
    var role: Role
    var depth: Int
  }

  let bytes: [UInt8]
  private(set) var pieces: [Piece] = []
  /// `gaps[i]` goes before piece `i`; the last one after the last piece.
  private(set) var gaps: [[UInt8]] = []

  init?(_ facts: FileFacts, aligned: Bool = true) {
    guard !facts.tree.containsError else { return nil }
    bytes = facts.bytes
    collect(facts.root, depth: 0)
    computeGaps(aligned: aligned)
  }

  /// The original blanks before piece `index` (after the last piece for `index == pieces.count`).
  func gapRange(_ index: Int, length: Int) -> TextRange {
    let start = index == 0 ? 0 : pieces[index - 1].range.end
    let end = index == pieces.count ? length : pieces[index].range.start
    return TextRange(start: start, end: end)
  }

  // MARK: - Pieces

  /// The statements of a body (the file, or a block after its `{`).
  private mutating func collect(_ node: SyntaxNode, depth: Int) {
    for child in node.children {
      switch child {
      case .token(let token): collectToken(token, depth: depth)
      case .node(let inner):
        switch inner.kind {
        case .block: collectBlock(inner, depth: depth)
        case .entry: collectEntry(inner, depth: depth)
        default: collect(inner, depth: depth)
        }
      }
    }
  }

  private mutating func collectToken(_ token: SyntaxToken, depth: Int) {
    switch token.kind {
    case .whitespace, .newline: break
    case .byteOrderMark: pieces.append(Piece(range: token.range, role: .byteOrderMark, depth: depth))
    default: pieces.append(Piece(range: withoutTrailingBlanks(token.range), role: .comment, depth: depth))
    }
  }

  /// A comment without the blanks at its end (they become part of the gap after it, and go).
  private func withoutTrailingBlanks(_ range: TextRange) -> TextRange {
    var end = range.end
    while end > range.start {
      if bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 {
        end -= 1
      } else if end - 3 >= range.start, bytes[end - 3] == 0xE3, bytes[end - 2] == 0x80, bytes[end - 1] == 0x80 {
        end -= 3
      } else {
        break
      }
    }
    return TextRange(start: range.start, end: end)
  }

  private mutating func collectBlock(_ block: SyntaxNode, depth: Int) {
    var inBody = false
    var sawKeyword = false
    var separated = depth == 0
    for child in block.children {
      switch child {
      case .token(let token):
        if token.kind == .whitespace || token.kind == .newline { continue }
        if !inBody {
          if token.kind == .leftBrace {
            // A block without a keyword (an error the parser recovers from) starts with its `{`:
            // the brace stays at the start of its line, or it would join the line before it.
            pieces.append(Piece(range: token.range, role: sawKeyword ? .open : .header(separated: separated), depth: depth))
            inBody = true
          } else if token.kind == .comment {
            pieces.append(Piece(range: withoutTrailingBlanks(token.range), role: .comment, depth: depth))
          } else if !sawKeyword {
            sawKeyword = true
            let text = String(decoding: bytes[token.range.start..<token.range.end], as: UTF8.self)
            if let kind = BlockKind(spelling: text), kind == .item || kind == .section { separated = true }
            pieces.append(Piece(range: token.range, role: .header(separated: separated), depth: depth))
          } else {
            pieces.append(Piece(range: token.range, role: .headerPart, depth: depth))
          }
        } else if token.kind == .rightBrace {
          pieces.append(Piece(range: token.range, role: .close(separated: separated), depth: depth))
        } else {
          collectToken(token, depth: depth + 1)
        }
      case .node(let inner):
        switch inner.kind {
        case .block: collectBlock(inner, depth: depth + 1)
        case .entry: collectEntry(inner, depth: depth + 1)
        default: collect(inner, depth: depth + 1)
        }
      }
    }
  }

  private mutating func collectEntry(_ entry: SyntaxNode, depth: Int) {
    var keyIndex: Int?
    var keyEnd = entry.offset
    var sawEquals = false
    var sawValue = false
    for child in entry.children {
      let kind = child.kind
      if kind == .whitespace || kind == .newline { continue }
      if kind == .comment {
        pieces.append(Piece(range: withoutTrailingBlanks(child.range), role: .comment, depth: depth))
        continue
      }
      if !sawEquals {
        if kind == .equals {
          sawEquals = true
          if let keyIndex { pieces[keyIndex].role = .key(keyEnd: keyEnd) }
          pieces.append(Piece(range: child.range, role: .equals, depth: depth))
        } else if keyIndex == nil {
          keyIndex = pieces.count
          keyEnd = child.range.end
          pieces.append(Piece(range: child.range, role: .key(keyEnd: keyEnd), depth: depth))
        } else {
          keyEnd = child.range.end
          pieces.append(Piece(range: child.range, role: .keyPart, depth: depth))
        }
      } else {
        pieces.append(Piece(range: child.range, role: sawValue ? .valuePart : .value, depth: depth))
        sawValue = true
      }
    }
  }

  // MARK: - Gaps

  private mutating func computeGaps(aligned: Bool) {
    let newline = Layout.lineBreak(of: bytes)
    let count = pieces.count
    gaps = Array(repeating: [], count: count + 1)
    // Whether each piece starts a line, and the original blank lines before it.
    var startsLine = [Bool](repeating: false, count: count)
    var originalBlanks = [Int](repeating: 0, count: count)
    for index in 0..<count {
      let gap = gapRange(index, length: bytes.count)
      let breaks = Layout.lineBreaks(in: bytes, gap)
      originalBlanks[index] = Swift.max(0, breaks - 1)
      switch pieces[index].role {
      case .header, .key, .close: startsLine[index] = true
      case .comment: startsLine[index] = index == 0 || breaks > 0 || pieces[index - 1].role == .byteOrderMark
      default: startsLine[index] = false
      }
    }
    let lineStarts = (0..<count).filter { startsLine[$0] && pieces[$0].role != .byteOrderMark }
    // Blank lines before each line start.
    var blanks: [Int: Int] = [:]
    for (position, index) in lineStarts.enumerated() {
      let previousLineEnd = Layout.lastNonTrailing(before: index, pieces: pieces, startsLine: startsLine)
      if position == 0 || previousLineEnd == nil {
        blanks[index] = 0
        continue
      }
      if case .close = pieces[index].role {
        blanks[index] = 0
        continue
      }
      let previous = pieces[previousLineEnd!].role
      if previous == .open {
        blanks[index] = 0
        continue
      }
      if case .close(true) = previous {
        blanks[index] = 1
        continue
      }
      blanks[index] = Swift.min(originalBlanks[index], 1)
    }
    // A separated block gets a blank line before it, above the comments attached to it.
    for (position, index) in lineStarts.enumerated() {
      guard case .header(true) = pieces[index].role else { continue }
      var head = position
      while head > 0, originalBlanks[lineStarts[head]] == 0, pieces[lineStarts[head - 1]].role == .comment { head -= 1 }
      let headIndex = lineStarts[head]
      guard head > 0, let previousEnd = Layout.lastNonTrailing(before: headIndex, pieces: pieces, startsLine: startsLine),
        pieces[previousEnd].role != .open
      else { continue }
      blanks[headIndex] = 1
    }
    // Alignment of `=` in groups of consecutive entries, within the bound (see `alignment`).
    var padding: [Int: Int] = [:]
    var group: [(key: Int, width: Int, size: Int)] = []
    func closeGroup() {
      let column = aligned ? Layout.alignment(widths: group.map(\.width), budget: group.reduce(0) { $0 + $1.size }) : 0
      for member in group { padding[member.key] = member.width <= column ? column - member.width + 1 : 1 }
      group = []
    }
    for index in lineStarts {
      if blanks[index, default: 0] > 0 { closeGroup() }
      switch pieces[index].role {
      case .key(let keyEnd):
        group.append((index, DisplayWidth.of(utf8: bytes[pieces[index].range.start..<keyEnd]), unalignedSize(ofEntryAt: index, newline: newline)))
      case .comment:
        break
      default:
        closeGroup()
      }
    }
    closeGroup()

    var currentKey = 0
    for index in 0..<count {
      let piece = pieces[index]
      let original = Array(bytes[gapRange(index, length: bytes.count).start..<piece.range.start])
      if case .key = piece.role { currentKey = index }
      if startsLine[index] {
        if index == 0 || piece.role == .byteOrderMark || (index == 1 && pieces[0].role == .byteOrderMark) {
          gaps[index] = []
        } else {
          var gap: [UInt8] = []
          for _ in 0...(blanks[index] ?? 0) { gap += newline }
          gap += [UInt8](repeating: 0x20, count: 2 * piece.depth)
          gaps[index] = gap
        }
        continue
      }
      switch piece.role {
      case .byteOrderMark: gaps[index] = []
      case .keyPart, .valuePart: gaps[index] = original
      case .equals: gaps[index] = [UInt8](repeating: 0x20, count: padding[currentKey] ?? 1)
      default: gaps[index] = [0x20]
      }
    }
    let onlyMark = pieces.allSatisfy { $0.role == .byteOrderMark }
    gaps[count] = onlyMark ? [] : newline
  }

  /// The column (display width of the keys) at which a group's `=` are aligned: the widest key's,
  /// unless padding every narrower key to it would add more blanks than `budget` (the group's
  /// lines unaligned, in bytes); then the widest keys are left out one width at a time (each of
  /// them keeps one space before its `=`) until the padding fits. So alignment never makes a
  /// group of entries more than twice as long as it is unaligned, and one very long key does not
  /// pad all the others to it.
  static func alignment(widths: [Int], budget: Int) -> Int {
    let sorted = widths.sorted()
    var best = sorted.first ?? 0
    var narrower = 0
    var sum = 0
    for (index, width) in sorted.enumerated() {
      narrower = index + 1
      sum += width
      // Padding all keys up to this width, this one included: width × count − their widths.
      if width * narrower - sum <= budget { best = width } else { break }
    }
    return best
  }

  /// The bytes of an entry's line laid out without alignment: indentation, key, ` = `, value and
  /// line break (a comment at its end aside).
  private func unalignedSize(ofEntryAt key: Int, newline: [UInt8]) -> Int {
    guard case .key(let keyEnd) = pieces[key].role else { return 0 }
    var size = 2 * pieces[key].depth + (keyEnd - pieces[key].range.start) + 2 + newline.count
    var index = key + 1
    while index < pieces.count, pieces[index].role == .keyPart { index += 1 }
    guard index < pieces.count, pieces[index].role == .equals else { return size }
    size += pieces[index].range.length
    index += 1
    guard index < pieces.count, pieces[index].role == .value else { return size }
    let valueStart = pieces[index].range.start
    var valueEnd = pieces[index].range.end
    index += 1
    while index < pieces.count, pieces[index].role == .valuePart {
      valueEnd = pieces[index].range.end
      index += 1
    }
    return size + valueEnd - valueStart
  }

  /// The last piece before `index` that is not a comment at the end of a line: what the previous
  /// line holds.
  private static func lastNonTrailing(before index: Int, pieces: [Piece], startsLine: [Bool]) -> Int? {
    var cursor = index - 1
    while cursor >= 0 {
      if pieces[cursor].role == .byteOrderMark { return nil }
      if pieces[cursor].role != .comment || startsLine[cursor] { return cursor }
      cursor -= 1
    }
    return nil
  }

  /// The file's first line break (LF when it has none).
  static func lineBreak(of bytes: [UInt8]) -> [UInt8] {
    for (index, byte) in bytes.enumerated() {
      if byte == 0x0A { return [0x0A] }
      if byte == 0x0D { return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? [0x0D, 0x0A] : [0x0D] }
    }
    return [0x0A]
  }

  /// The number of line breaks in `range` (CRLF counts once).
  static func lineBreaks(in bytes: [UInt8], _ range: TextRange) -> Int {
    var count = 0
    var index = range.start
    while index < range.end {
      if bytes[index] == 0x0A {
        count += 1
      } else if bytes[index] == 0x0D {
        count += 1
        if index + 1 < range.end, bytes[index + 1] == 0x0A { index += 1 }
      }
      index += 1
    }
    return count
  }
}
