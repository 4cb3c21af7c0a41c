import YosanCore
import YosanLSP
import YosanSyntax

/// The properties of the glob matcher and the column index (issue 16 §8, §9), for the fuzz
/// targets `glob` and `columns` and the property tests.
extension FuzzChecks {
  // MARK: - Globs

  /// The pattern and the path that `bytes` stand for: bytes before the first 0xFF spell the
  /// pattern from a small alphabet (`a`, `b`, `*`, `?`, `/`, `**`), the bytes after it the path
  /// (`a`, `b`, `/`, without a leading `/`), each at most 24 tokens long.
  public static func globCase(_ bytes: [UInt8]) -> (pattern: String, path: String) {
    let split = bytes.firstIndex(of: 0xFF) ?? bytes.count
    let patternAlphabet = ["a", "b", "*", "?", "/", "**"]
    let pathAlphabet = ["a", "b", "/"]
    let pattern = bytes[..<split].prefix(24).map { patternAlphabet[Int($0) % patternAlphabet.count] }.joined()
    var path = bytes[split...].dropFirst().prefix(24).map { pathAlphabet[Int($0) % pathAlphabet.count] }.joined()
    // Relative to the pattern's base: no leading `/`.
    while path.hasPrefix("/") { path.removeFirst() }
    return (pattern, path)
  }

  /// The matcher agrees with a plain recursive definition of the patterns, and compares each
  /// component with each segment at most once.
  public static func glob(_ bytes: [UInt8]) -> String? {
    let (pattern, path) = globCase(bytes)
    return glob(pattern: pattern, path: path)
  }

  public static func glob(pattern: String, path: String) -> String? {
    let matcher = PathPattern(pattern, base: "")
    let expected = ReferenceGlob.matches(pattern: pattern, path: path)
    let actual = matcher.matches(path)
    if actual != expected { return "`\(pattern)` against `\(path)`: \(actual), but the definition says \(expected)" }
    let components = path.split(separator: "/").count
    let segments = pattern.split(separator: "/").count
    let comparisons = matcher.comparisons(path)
    if comparisons > Swift.max(1, segments) * components {
      return "`\(pattern)` against `\(path)`: \(comparisons) comparisons for \(segments) segments and \(components) components"
    }
    return nil
  }

  // MARK: - Columns

  /// The column index agrees with counting from the line's start, for about 150 offsets spread
  /// over the text (every one in a short text) and as many positions, in the core's characters
  /// and in each LSP encoding both ways; and an index updated by an edit (read from the first
  /// bytes) equals a rebuilt one.
  public static func columns(_ bytes: [UInt8]) -> String? {
    if let failure = columnsAgree(bytes) { return failure }
    guard bytes.count >= 4 else { return nil }
    let a = Int(bytes[0]) * bytes.count / 256
    let b = Swift.min(bytes.count, a + Int(bytes[1]) * 4)
    let insertion = Array(bytes[2..<Swift.min(bytes.count, 2 + Int(bytes[3]) % 8)]) + (bytes[3] > 200 ? Array(repeating: UInt8(0x61), count: 300) : [])
    var edited = bytes
    edited.replaceSubrange(a..<b, with: insertion)
    var index = LineIndex(bytes)
    edited.withUnsafeBufferPointer { index.applyEdit(replacing: TextRange(start: a, end: b), insertedCount: insertion.count, in: $0) }
    let rebuilt = LineIndex(edited)
    if index.lineStarts != rebuilt.lineStarts { return "line starts differ after replacing \(a)..<\(b)" }
    if index.longLines != rebuilt.longLines { return "long lines differ after replacing \(a)..<\(b)" }
    return columnsAgree(edited, index: index)
  }

  static func columnsAgree(_ bytes: [UInt8], index given: LineIndex? = nil) -> String? {
    let index = given ?? LineIndex(bytes)
    // An odd step, so that offsets fall at every place in a character and in a chunk.
    let step = Swift.max(1, bytes.count / 150) | 1
    return bytes.withUnsafeBufferPointer { buffer -> String? in
      for offset in stride(from: 0, through: bytes.count, by: step) {
        let (line, column) = index.lineAndCharacterColumn(of: offset, in: buffer)
        let start = index.start(ofLine: line)
        let naive = buffer[start..<offset].reduce(0) { $1 & 0xC0 != 0x80 ? $0 + 1 : $0 }
        if column != naive { return "character column of \(offset): \(column), counted \(naive)" }
      }
      for encoding in PositionEncoding.allCases {
        var cache = PositionEncoding.ColumnCache()
        for offset in stride(from: 0, through: bytes.count, by: step) {
          let indexed = encoding.position(of: offset, in: buffer, lineIndex: index, cache: &cache)
          let plain = encoding.position(of: offset, in: buffer, lineIndex: index)
          if indexed != plain { return "\(encoding.rawValue) position of \(offset): \(indexed), counted \(plain)" }
        }
        for line in stride(from: 0, to: index.lineCount, by: Swift.max(1, index.lineCount / 30)) {
          let length = index.end(ofLine: line) - index.start(ofLine: line)
          for character in stride(from: 0, through: length + 2, by: Swift.max(1, length / 20) | 1) {
            let indexed = encoding.offset(line: line, character: character, in: buffer, lineIndex: index, cache: &cache)
            let plain = encoding.offset(line: line, character: character, in: buffer, lineIndex: index)
            if indexed != plain { return "\(encoding.rawValue) offset of \(line):\(character): \(indexed), counted \(plain)" }
          }
        }
      }
      return nil
    }
  }
}

/// The patterns' meaning, written as directly as possible (memoised recursion on segments and
/// characters): the reference the matcher is compared with.
enum ReferenceGlob {
  static func matches(pattern: String, path: String) -> Bool {
    var text = pattern
    while text.hasSuffix("/") { text.removeLast() }
    let anchored = text.contains("/")
    let segments = text.split(separator: "/").map(String.init)
    let components = path.split(separator: "/").map(String.init)
    guard !segments.isEmpty, !components.isEmpty else { return false }
    if !anchored { return components.contains { segment(Array(segments[0].unicodeScalars), Array($0.unicodeScalars)) } }
    var memo: [Int: Bool] = [:]
    // Segments from i on against components from j to k (exclusive).
    func match(_ i: Int, _ j: Int, _ k: Int) -> Bool {
      let key = (i * 64 + j) * 64 + k
      if let known = memo[key] { return known }
      let result: Bool
      if i == segments.count {
        result = j == k
      } else if segments[i] == "**" {
        result = (j...k).contains { match(i + 1, $0, k) }
      } else {
        result = j < k && segment(Array(segments[i].unicodeScalars), Array(components[j].unicodeScalars)) && match(i + 1, j + 1, k)
      }
      memo[key] = result
      return result
    }
    return (1...components.count).contains { match(0, 0, $0) }
  }

  /// `*` any characters, `?` one, others themselves.
  static func segment(_ p: [Unicode.Scalar], _ t: [Unicode.Scalar]) -> Bool {
    var memo: [Int: Bool] = [:]
    func match(_ i: Int, _ j: Int) -> Bool {
      if let known = memo[i * 1024 + j] { return known }
      let result: Bool
      if i == p.count {
        result = j == t.count
      } else if p[i] == "*" {
        result = match(i + 1, j) || (j < t.count && match(i, j + 1))
      } else {
        result = j < t.count && (p[i] == "?" || p[i] == t[j]) && match(i + 1, j + 1)
      }
      memo[i * 1024 + j] = result
      return result
    }
    return match(0, 0)
  }
}
