import YosanSyntax

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Directives

/// A suppression comment: `# yosan: disable-next-line RULE-ID[, RULE-ID] -- reason`.
///
/// Three forms exist. `disable-next-line` suppresses the listed rules on the next line that holds
/// something other than blanks and comments (so several directives can be stacked above one line);
/// `disable-line`, written at the end of a line, suppresses them on that line; `disable-file`,
/// anywhere in the file, suppresses them in the whole file. A diagnostic is on the line where its
/// range starts. The reason after `--` is required (a suppression without one still works, and is
/// reported by `suppression-without-reason`).
public struct SuppressionDirective: Hashable, Sendable {
  public enum Kind: String, CaseIterable, Hashable, Sendable {
    case nextLine = "disable-next-line"
    case line = "disable-line"
    case file = "disable-file"
  }

  /// The directive words, for suggestions.
  static let kindSuggestions = SuggestionIndex(Kind.allCases.map(\.rawValue))

  /// One rule id in the directive's list.
  public struct RuleName: Hashable, Sendable {
    public var id: String
    public var range: TextRange
  }

  public var kind: Kind
  public var rules: [RuleName]
  /// The reason after `--`, trimmed; nil when there is none (or it is empty).
  public var reason: String?
  /// The whole comment, from `#` to the end of the line.
  public var commentRange: TextRange
  /// From the first rule id to the end of the last one (empty after the directive word when there is none).
  public var listRange: TextRange
  /// The zero-based line it applies to; nil for `disable-file`, and for a `disable-next-line` that
  /// no line follows.
  public var targetLine: Int?
  /// True when the comment is alone on its line.
  public var isOwnLine: Bool
  /// What to delete to remove the directive: its whole line when it is alone on it, otherwise the
  /// comment and the blanks before it.
  public var removalRange: TextRange
}

/// The suppression comments of one file, read from the tree's comment tokens.
public struct SuppressionComments: Hashable, Sendable {
  /// A `# yosan:` comment that is not a valid directive.
  public struct Problem: Hashable, Sendable {
    public var message: String
    public var range: TextRange
  }

  public var directives: [SuppressionDirective] = []
  public var problems: [Problem] = []

  public var isEmpty: Bool { directives.isEmpty && problems.isEmpty }

  public static let none = SuppressionComments()

  static let marker = Array("yosan:".utf8)

  /// Reads the directives of a file. Files without the text `yosan:` are skipped with one scan of
  /// the bytes, so the common case costs next to nothing.
  public static func read(tree: GreenNode, bytes: [UInt8], lineIndex: LineIndex) -> SuppressionComments {
    guard contains(bytes, marker) else { return .none }
    var comments: [TextRange] = []
    var contentLines: [Int] = []
    var previousSignificantEnd = -1
    var commentFollowsContent: [Bool] = []
    var lineOfPreviousSignificant = -1
    // Tokens come in order, so their lines are found by moving forward, not by searching.
    var lines = LineCursor(lineIndex)
    SyntaxNode(green: tree, offset: 0).forEachToken { token in
      switch token.kind {
      case .whitespace, .newline, .byteOrderMark:
        break
      case .comment:
        comments.append(token.range)
        let line = lines.line(containing: token.range.start)
        commentFollowsContent.append(previousSignificantEnd >= 0 && lineOfPreviousSignificant == line)
      default:
        let first = lines.line(containing: token.range.start)
        let last = lines.line(containing: Swift.max(token.range.start, token.range.end - 1))
        for line in first...last where contentLines.last != line { contentLines.append(line) }
        previousSignificantEnd = token.range.end
        lineOfPreviousSignificant = last
      }
    }
    var result = SuppressionComments()
    for (index, range) in comments.enumerated() {
      parse(
        comment: range, trailing: commentFollowsContent[index], bytes: bytes, lineIndex: lineIndex, contentLines: contentLines,
        into: &result)
    }
    return result
  }

  /// Lines of offsets asked in increasing order.
  struct LineCursor {
    let index: LineIndex
    var line = 0

    init(_ index: LineIndex) { self.index = index }

    mutating func line(containing offset: Int) -> Int {
      while line + 1 < index.lineCount, index.start(ofLine: line + 1) <= offset { line += 1 }
      return line
    }
  }

  /// Whether `needle` occurs in `bytes`: `memchr` finds each candidate first byte.
  static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { haystack in
      needle.withUnsafeBytes { pattern in
        guard !pattern.isEmpty, haystack.count >= pattern.count, let base = haystack.baseAddress else { return false }
        let last = haystack.count - pattern.count
        var from = 0
        while from <= last, let hit = memchr(base + from, Int32(pattern[0]), last - from + 1) {
          let at = base.distance(to: UnsafeRawPointer(hit))
          if memcmp(base + at, pattern.baseAddress!, pattern.count) == 0 { return true }
          from = at + 1
        }
        return false
      }
    }
  }

  // MARK: - Parsing one comment

  /// Parses `# yosan: KIND ids -- reason`; comments that do not start with `yosan:` are ignored.
  static func parse(
    comment: TextRange, trailing: Bool, bytes: [UInt8], lineIndex: LineIndex, contentLines: [Int], into result: inout SuppressionComments
  ) {
    var cursor = comment.start + (bytes[comment.start] == 0x23 ? 1 : 3)  // `#` or `＃`
    let end = comment.end
    cursor = skipBlanks(bytes, cursor, end)
    guard end - cursor >= marker.count, Array(bytes[cursor..<cursor + marker.count]) == marker else { return }
    cursor = skipBlanks(bytes, cursor + marker.count, end)
    let wordStart = cursor
    while cursor < end, isWordByte(bytes[cursor]) { cursor += 1 }
    let word = String(decoding: bytes[wordStart..<cursor], as: UTF8.self)
    guard let kind = SuppressionDirective.Kind(rawValue: word) else {
      let range = wordStart < cursor ? TextRange(start: wordStart, end: cursor) : comment
      let suggestion =
        SuppressionDirective.kindSuggestions.suggestion(for: word).map { "; did you mean `\($0)`?" }
        ?? "; use disable-next-line, disable-line or disable-file"
      let message =
        word.isEmpty
        ? "a `# yosan:` comment needs a directive: disable-next-line, disable-line or disable-file"
        : "unknown suppression directive `\(word)`\(suggestion)"
      result.problems.append(Problem(message: message, range: range))
      return
    }
    // The rule list runs to `--` (or `－－`, `——`; at the start or after a blank or a comma) or the
    // end of the comment.
    var separator: Range<Int>?
    var probe = cursor
    while probe + 1 < end {
      let length = reasonSeparatorLength(bytes, probe, end)
      if length > 0, probe == cursor || isBlankOrComma(bytes, before: probe) {
        separator = probe..<(probe + length)
        break
      }
      probe += 1
    }
    let listEnd = separator?.lowerBound ?? end
    var rules: [SuppressionDirective.RuleName] = []
    var index = cursor
    while index < listEnd {
      let skipped = separatorLength(bytes, index, listEnd)
      if skipped > 0 {
        index += skipped
        continue
      }
      let start = index
      while index < listEnd, separatorLength(bytes, index, listEnd) == 0 { index += 1 }
      rules.append(.init(id: String(decoding: bytes[start..<index], as: UTF8.self), range: TextRange(start: start, end: index)))
    }
    var reason: String?
    if let separator {
      let text = String(decoding: bytes[separator.upperBound..<end], as: UTF8.self)
      let trimmed = text.unicodeScalars.drop { isBlankScalar($0) }.reversed().drop { isBlankScalar($0) }.reversed()
      if !trimmed.isEmpty { reason = String(String.UnicodeScalarView(trimmed)) }
    }
    let line = lineIndex.line(containing: comment.start)
    var target: Int?
    switch kind {
    case .line: target = line
    case .nextLine: target = firstLine(after: line, in: contentLines)
    case .file: target = nil
    }
    let listRange = rules.isEmpty ? TextRange.empty(at: cursor) : TextRange(start: rules.first!.range.start, end: rules.last!.range.end)
    var removal: TextRange
    if trailing {
      var start = comment.start
      while start > 0, bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09 { start -= 1 }
      removal = TextRange(start: start, end: comment.end)
    } else {
      removal = TextRange(start: lineIndex.start(ofLine: line), end: lineIndex.end(ofLine: line))
    }
    if rules.isEmpty {
      result.problems.append(
        Problem(
          message: "`\(kind.rawValue)` needs the ids of the rules to suppress, like `# yosan: \(kind.rawValue) unit-spacing -- reason`",
          range: TextRange(start: wordStart, end: wordStart + word.utf8.count)))
      return
    }
    result.directives.append(
      SuppressionDirective(
        kind: kind, rules: rules, reason: reason, commentRange: comment, listRange: listRange, targetLine: target, isOwnLine: !trailing,
        removalRange: removal))
  }

  static func firstLine(after line: Int, in contentLines: [Int]) -> Int? {
    var low = 0
    var high = contentLines.count
    while low < high {
      let mid = (low + high) / 2
      if contentLines[mid] <= line { low = mid + 1 } else { high = mid }
    }
    return low < contentLines.count ? contentLines[low] : nil
  }

  static func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
  }

  /// Spaces, tabs and U+3000.
  static func skipBlanks(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
    var index = start
    while index < end {
      if bytes[index] == 0x20 || bytes[index] == 0x09 {
        index += 1
      } else if index + 2 < end, bytes[index] == 0xE3, bytes[index + 1] == 0x80, bytes[index + 2] == 0x80 {
        index += 3
      } else {
        break
      }
    }
    return index
  }

  /// The length of a list separator at `index`: blanks, `,`, `，` or `、`; 0 when there is none.
  static func separatorLength(_ bytes: [UInt8], _ index: Int, _ end: Int) -> Int {
    let b = bytes[index]
    if b == 0x20 || b == 0x09 || b == 0x2C { return 1 }
    if index + 2 < end, b == 0xE3, bytes[index + 1] == 0x80, bytes[index + 2] == 0x80 || bytes[index + 2] == 0x81 { return 3 }  // U+3000, 、
    if index + 2 < end, b == 0xEF, bytes[index + 1] == 0xBC, bytes[index + 2] == 0x8C { return 3 }  // ，
    return 0
  }

  /// The length of the separator before the reason at `index`: `--`, or the same typed with a
  /// Japanese input method, `－－` (full-width hyphen-minus) or `——` (em dashes); 0 when there is none.
  static func reasonSeparatorLength(_ bytes: [UInt8], _ index: Int, _ end: Int) -> Int {
    if index + 1 < end, bytes[index] == 0x2D, bytes[index + 1] == 0x2D { return 2 }
    guard index + 5 < end else { return 0 }
    for dash: [UInt8] in [[0xEF, 0xBC, 0x8D], [0xE2, 0x80, 0x94]]
    where bytes[index..<(index + 3)].elementsEqual(dash) && bytes[(index + 3)..<(index + 6)].elementsEqual(dash) {
      return 6
    }
    return 0
  }

  /// True when a blank or a list separator ends just before `index`.
  static func isBlankOrComma(_ bytes: [UInt8], before index: Int) -> Bool {
    let b = bytes[index - 1]
    if b == 0x20 || b == 0x09 || b == 0x2C { return true }
    return index >= 3 && separatorLength(bytes, index - 3, index) == 3
  }

  static func isBlankScalar(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\u{3000}" }
}

// MARK: - Writing one

extension SuppressionComments {
  /// The edit that suppresses `diagnostic` with a `# yosan: disable-next-line` comment on a line
  /// of its own above the diagnostic's line, indented like it, ending with the line break that
  /// line uses; for the editor's "suppress this finding" action. `reason` follows `--`.
  public static func suppressionEdit(for diagnostic: Diagnostic, in facts: FileFacts, reason: String) -> TextEdit {
    let line = facts.lineIndex.line(containing: diagnostic.range.start)
    let start = facts.lineIndex.start(ofLine: line)
    let end = facts.lineIndex.end(ofLine: line)
    let bytes = facts.bytes
    let indentStart = start == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : start
    let indentEnd = skipBlanks(bytes, indentStart, end)
    var lineBreak = "\n"
    if end >= start + 2, bytes[end - 2] == 0x0D, bytes[end - 1] == 0x0A {
      lineBreak = "\r\n"
    } else if end > start, bytes[end - 1] == 0x0D {
      lineBreak = "\r"
    }
    let indent = String(decoding: bytes[indentStart..<indentEnd], as: UTF8.self)
    let text = "\(indent)# yosan: disable-next-line \(diagnostic.ruleID) -- \(reason)\(lineBreak)"
    return TextEdit(range: TextRange.empty(at: indentStart), replacement: text)
  }
}

// MARK: - Applying them

/// What became of each rule id of each directive once the file's diagnostics were filtered.
public struct SuppressionOutcome: Sendable {
  public enum Status: Hashable, Sendable {
    /// It suppressed at least one diagnostic.
    case used
    /// Nothing it names was reported where it applies.
    case unused
    /// No rule has this id.
    case unknown
    /// The id names a rule of the suppression category, which comments cannot suppress.
    case notSuppressible
  }

  public struct Entry: Sendable {
    public var directive: SuppressionDirective
    /// One status per rule id, in the order of `directive.rules`.
    public var statuses: [Status]
  }

  public var entries: [Entry]
  public var problems: [SuppressionComments.Problem]
}

extension Analyzer {
  /// Removes the diagnostics that a file's suppression comments suppress, then runs the
  /// suppression rules (unused, reasonless and invalid suppressions). Runs once per file after
  /// every other rule, including the rules across files; diagnostics of the suppression rules
  /// themselves cannot be suppressed by comments.
  static func applySuppressions(_ file: inout FileAnalysis) {
    let comments = file.facts.suppressions
    guard !comments.isEmpty else { return }
    let facts = file.facts
    var statuses: [[SuppressionOutcome.Status]] = comments.directives.map { directive in
      directive.rules.map { rule in
        guard let descriptor = RuleRegistry.descriptor(id: rule.id) else { return .unknown }
        return descriptor.category == .suppression ? .notSuppressible : .unused
      }
    }
    // Directives by the line they apply to, and the file-wide ones.
    var byLine: [Int: [Int]] = [:]
    var fileWide: [Int] = []
    for (index, directive) in comments.directives.enumerated() {
      if directive.kind == .file {
        fileWide.append(index)
      } else if let line = directive.targetLine {
        byLine[line, default: []].append(index)
      }
    }
    // Whether the directives that apply on a line (nil: file-wide ones) suppress a rule, decided
    // (and their mentions of it marked used) for the first diagnostic that asks: a file with a
    // directive per item and a diagnostic per item is not checked in items² steps.
    struct Question: Hashable {
      var line: Int?
      var rule: String
    }
    var answers: [Question: Bool] = [:]
    func suppresses(_ directives: [Int], _ question: Question) -> Bool {
      if let known = answers[question] { return known }
      var suppressed = false
      for index in directives {
        for (position, rule) in comments.directives[index].rules.enumerated()
        where rule.id == question.rule && statuses[index][position] != .notSuppressible {
          statuses[index][position] = .used
          suppressed = true
        }
      }
      answers[question] = suppressed
      return suppressed
    }
    file.diagnostics.removeAll { diagnostic in
      let line = facts.lineIndex.line(containing: diagnostic.range.start)
      // Both are asked: each marks the directives it applies.
      let onLine = byLine[line].map { suppresses($0, Question(line: line, rule: diagnostic.ruleID)) } ?? false
      let inFile = !fileWide.isEmpty && suppresses(fileWide, Question(line: nil, rule: diagnostic.ruleID))
      return onLine || inFile
    }
    let outcome = SuppressionOutcome(
      entries: zip(comments.directives, statuses).map { SuppressionOutcome.Entry(directive: $0, statuses: $1) },
      problems: comments.problems)
    for rule in RuleRegistry.suppressionRules {
      guard let severity = facts.configuration.severity(of: rule.descriptor) else { continue }
      var context = RuleContext(file: facts, part: .wholeFile(length: facts.bytes.count), descriptor: rule.descriptor, severity: severity)
      rule.check(outcome, &context)
      file.diagnostics += context.diagnostics
    }
  }
}
