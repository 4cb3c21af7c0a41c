import YosanSyntax

/// How serious a finding is. Ordered from most to least serious.
public enum Severity: Int, Comparable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
  /// The data is wrong: a figure, a structure, a reference. `check` fails.
  case error = 0
  /// Probably wrong, or inconsistent; a person should look.
  case warning = 1
  /// Worth knowing, not wrong (a sum that cannot be verified, a large increase).
  case info = 2
  /// Notation that has one canonical form (full-width digits, dashes for なし); always fixable.
  case style = 3

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

  public var description: String {
    switch self {
    case .error: return "error"
    case .warning: return "warning"
    case .info: return "info"
    case .style: return "style"
    }
  }

  public init?(name: String) {
    guard let severity = Severity.allCases.first(where: { $0.description == name }) else { return nil }
    self = severity
  }
}

/// One replacement in a file.
public struct TextEdit: Hashable, Sendable {
  public var range: TextRange
  public var replacement: String

  public init(range: TextRange, replacement: String) {
    self.range = range
    self.replacement = replacement
  }
}

extension TextEdit {
  /// What to remove to remove `range` of `bytes`: its whole line, line break included, when
  /// nothing but blanks is on it; else `range` itself.
  public static func removal<Bytes: RandomAccessCollection>(of range: TextRange, in bytes: Bytes) -> TextRange
  where Bytes.Element == UInt8, Bytes.Index == Int {
    var start = range.start
    while start > bytes.startIndex, bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09 { start -= 1 }
    var end = range.end
    while end < bytes.endIndex, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
    guard start == bytes.startIndex || bytes[start - 1] == 0x0A || bytes[start - 1] == 0x0D else { return range }
    if end == bytes.endIndex { return TextRange(start: start, end: end) }
    guard bytes[end] == 0x0A || bytes[end] == 0x0D else { return range }
    if bytes[end] == 0x0D, end + 1 < bytes.endIndex, bytes[end + 1] == 0x0A { end += 1 }
    return TextRange(start: start, end: end + 1)
  }
}

/// A way to resolve a diagnostic.
public struct Fix: Hashable, Sendable {
  /// What the fix does, as an imperative: "replace full-width digits with ASCII digits".
  public var title: String
  public var edits: [TextEdit]
  /// A safe fix cannot change what any figure means; `check --fix` applies only safe fixes.
  public var isSafe: Bool

  public init(title: String, edits: [TextEdit], isSafe: Bool) {
    self.title = title
    self.edits = edits
    self.isSafe = isSafe
  }
}

/// Another place that explains a diagnostic: the rows of a failing sum, the first definition of a
/// duplicated id.
public struct RelatedLocation: Hashable, Sendable {
  /// The file, when it is not the diagnostic's own.
  public var path: String?
  public var range: TextRange
  public var message: String

  public init(path: String? = nil, range: TextRange, message: String) {
    self.path = path
    self.range = range
    self.message = message
  }
}

/// Extra meaning for editors.
public enum DiagnosticTag: Hashable, Sendable {
  /// The text does nothing (an unused suppression); editors fade it.
  case unnecessary
}

/// A finding: which rule, how serious, what, where, and how to fix it.
public struct Diagnostic: Hashable, Sendable {
  /// The stable kebab-case id of the rule that reported it.
  public var ruleID: String
  public var severity: Severity
  /// Lowercase start, no trailing period; names the offending thing.
  public var message: String
  public var range: TextRange
  public var related: [RelatedLocation]
  public var fixes: [Fix]
  public var tags: [DiagnosticTag]

  public init(ruleID: String, severity: Severity, message: String, range: TextRange, related: [RelatedLocation] = [], fixes: [Fix] = [], tags: [DiagnosticTag] = []) {
    self.ruleID = ruleID
    self.severity = severity
    self.message = message
    self.range = range
    self.related = related
    self.fixes = fixes
    self.tags = tags
  }
}

extension Diagnostic {
  /// The same diagnostic for text that moved `delta` bytes: its range, its related locations in
  /// the same file and its fixes' edits move with it.
  public func shifted(by delta: Int) -> Diagnostic {
    guard delta != 0 else { return self }
    var copy = self
    copy.range = range.shifted(by: delta)
    for index in copy.related.indices where copy.related[index].path == nil {
      copy.related[index].range = copy.related[index].range.shifted(by: delta)
    }
    for fix in copy.fixes.indices {
      for edit in copy.fixes[fix].edits.indices { copy.fixes[fix].edits[edit].range = copy.fixes[fix].edits[edit].range.shifted(by: delta) }
    }
    return copy
  }
}
