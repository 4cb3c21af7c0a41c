import YosanSyntax

/// Fiscal years written inside free text (titles, labels): `令和6年度`, `令和元年度`, `平成30年度`,
/// `R6年度`, `2024年度`. Full-width digits count. Only a year followed by 年度 is a mention.
struct YearMentions {
  /// The text scanned, as scalars.
  let text: ScalarText
  /// Each mention: the year and the scalar index just after its `年度`.
  let mentions: [(year: FiscalYear, end: Int)]

  /// The mentions in `range` of `file`, or nil when the text has no `年度` at all (the common
  /// case, found without decoding anything).
  init?(_ range: TextRange, in file: FileFacts) {
    guard YearMentions.contains年度(file.bytes, range) else { return nil }
    text = ScalarText(source: file.bytes, range: range)
    var found: [(FiscalYear, Int)] = []
    let parser = ValueParser(text: text)
    var i = 0
    while i < text.count {
      guard let (start, end) = YearMentions.mention(at: i, in: text) else {
        i += 1
        continue
      }
      if case .success(let year) = parser.fiscalYear(start, end) { found.append((year, end)) }
      i = end
    }
    mentions = found
  }

  /// The scalar range of a year written at `i` (through its 年度), if one is.
  static func mention(at i: Int, in text: ScalarText) -> (Int, Int)? {
    var j = i
    if text.matches("令和", at: i) || text.matches("平成", at: i) {
      j += 2
      if j < text.count, text.scalars[j] == "元" {
        j += 1
      } else {
        let digits = j
        while j < text.count, text.isDigit(j), j - digits < 3 { j += 1 }
        guard j > digits, !text.isDigit(j) else { return nil }
      }
    } else if (text.scalars[i] == "R" || text.scalars[i] == "H"), i == 0 || !isASCIILetter(text.scalars[i - 1]) {
      j += 1
      let digits = j
      while j < text.count, text.isDigit(j), j - digits < 3 { j += 1 }
      guard j > digits, !text.isDigit(j) else { return nil }
    } else if text.isDigit(i), !text.isDigit(i - 1) {
      while j < text.count, text.isDigit(j) { j += 1 }
      guard j - i == 4 else { return nil }
    } else {
      return nil
    }
    return text.matches("年度", at: j) ? (i, j + 2) : nil
  }

  static func isASCIILetter(_ s: Unicode.Scalar) -> Bool { (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") }

  /// True when the bytes of `range` contain 年度 (E5 B9 B4 E5 BA A6).
  static func contains年度(_ bytes: [UInt8], _ range: TextRange) -> Bool {
    var i = range.start
    let end = Swift.min(range.end, bytes.count) - 5
    while i < end {
      if bytes[i] == 0xE5, bytes[i + 1] == 0xB9, bytes[i + 2] == 0xB4, bytes[i + 3] == 0xE5, bytes[i + 4] == 0xBA, bytes[i + 5] == 0xA6 {
        return true
      }
      i += 1
    }
    return false
  }
}
