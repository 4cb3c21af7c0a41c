/// Settings that change what the rules report and which files are checked. `ConfigurationResolver`
/// reads them from configuration files (`yosan.config.yosan`) for the CLI and the language server.
public struct Configuration: Sendable, Hashable {
  /// Per-rule severity; a nil value turns the rule off.
  public var severities: [String: Severity?] = [:]
  /// The rounding mode of documents that declare no `端数`.
  public var rounding: RoundingMode?
  /// A request more than this many times the previous year without 拡充 is reported.
  public var growthThreshold: Rational = Rational(2, 1)!
  /// When set, only files matching one of these patterns are checked (when found in a folder).
  public var include: [PathPattern]?
  /// Files matching any of these patterns are not checked.
  public var exclude: [PathPattern] = []

  public init() {}

  public static let `default` = Configuration()

  /// Applies one setting: a rule id with `off`, `style`, `info`, `warning` or `error`;
  /// `rounding` with any spelling of a 端数 (`Vocabulary.roundingModes`); `growth-threshold`
  /// with a positive number. Returns a message when the setting is not valid.
  public mutating func apply(_ key: String, _ value: String) -> String? {
    switch key {
    case "rounding":
      // Every spelling a budget's 端数 takes (`Vocabulary.roundingModes`).
      guard let mode = Vocabulary.roundingModes.value(spelled: value.trimmingSpaces()) else {
        let table = Vocabulary.roundingModes
        return "unknown rounding `\(value)`; " + (table.suggestion(for: value).map { "did you mean `\($0)`?" } ?? "use \(table.choices)")
      }
      rounding = mode
    case "growth-threshold":
      guard let decimal = ExactDecimal(value), !decimal.isNegative, !decimal.isZero, let rational = Rational(decimal) else {
        return "growth-threshold must be a positive number, like 2 or 1.5"
      }
      growthThreshold = rational
    default:
      guard RuleRegistry.descriptor(id: key) != nil else {
        let suggestion = Catalog.suggestion(for: key, among: RuleRegistry.descriptors.map(\.id) + ["rounding", "growth-threshold"])
        return "unknown rule or setting `\(key)`" + (suggestion.map { "; did you mean `\($0)`?" } ?? "")
      }
      if value == "off" {
        severities[key] = .some(nil)
      } else if let severity = Severity(name: value) {
        severities[key] = severity
      } else {
        return "unknown severity `\(value)`; use off, style, info, warning or error"
      }
    }
    return nil
  }

  /// True when the configuration lets `path` be checked: it matches an `include` pattern (when
  /// there are any) and no `exclude` pattern. `path` must be in the same form as the patterns'
  /// folders (the CLI uses absolute paths).
  public func includes(path: String) -> Bool {
    excludingPattern(for: path) == nil
  }

  /// The pattern that keeps `path` from being checked: the first matching `exclude` pattern, or,
  /// when no `include` pattern matches, the first `include` pattern; nil when it is checked.
  public func excludingPattern(for path: String) -> PathPattern? {
    if let excluded = exclude.first(where: { $0.matches(path) }) { return excluded }
    if let include, !include.isEmpty, !include.contains(where: { $0.matches(path) }) { return include[0] }
    return nil
  }

  /// The severity `rule` reports at, or nil when it is off.
  public func severity(of rule: RuleDescriptor) -> Severity? {
    if let configured = severities[rule.id] { return configured }
    return rule.defaultSeverity
  }
}

/// A file pattern of a configuration's `include` or `exclude`, relative to the folder of the
/// configuration file that declares it.
///
/// Paths and patterns use `/`. `*` matches any characters except `/`, `?` one character except
/// `/`, and `**` as a whole segment any number of folders (none included): `**/old-*.yosan`,
/// `drafts/**`. A pattern without `/` (`*.draft.yosan`, `drafts`) matches a file or folder name
/// anywhere below the configuration's folder; a pattern with `/` (`budgets/drafts`, `/x.yosan`)
/// is anchored at that folder. A pattern that matches a folder matches everything in it.
public struct PathPattern: Hashable, Sendable, CustomStringConvertible {
  /// The pattern as written.
  public var pattern: String
  /// The folder it is relative to, without a trailing `/` (`""` for the current folder).
  public var base: String

  public init(_ pattern: String, base: String) {
    self.pattern = pattern
    self.base = base.count > 1 && base.hasSuffix("/") ? String(base.dropLast()) : base
  }

  public var description: String { pattern }

  /// True when `path` (in the same form as `base`: both absolute, or both relative) matches.
  public func matches(_ path: String) -> Bool {
    guard let relative = PathPattern.relative(path, to: base) else { return false }
    let components = relative.split(separator: "/").map { Array($0.unicodeScalars) }
    guard !components.isEmpty else { return false }
    var text = pattern
    while text.hasSuffix("/") { text.removeLast() }
    let anchored = text.contains("/")
    while text.hasPrefix("/") { text.removeFirst() }
    let segments = text.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
    guard !segments.isEmpty else { return false }
    if !anchored {
      // A name: any file or folder of that name.
      return components.contains { PathPattern.matchSegment(segments[0][...], $0[...]) }
    }
    // Anchored: the path itself or one of its folders.
    for count in 1...components.count where PathPattern.matchSegments(segments[...], components[0..<count]) { return true }
    return false
  }

  /// `path` relative to `base`, or nil when it is not inside it.
  static func relative(_ path: String, to base: String) -> String? {
    var path = path
    while path.hasPrefix("./") { path.removeFirst(2) }
    if base.isEmpty || base == "." { return path.hasPrefix("/") || path.hasPrefix("../") ? nil : path }
    if base == "/" { return path.hasPrefix("/") ? String(path.dropFirst()) : nil }
    guard path.hasPrefix(base + "/") else { return nil }
    return String(path.dropFirst(base.count + 1))
  }

  static func matchSegments(_ pattern: ArraySlice<[Unicode.Scalar]>, _ path: ArraySlice<[Unicode.Scalar]>) -> Bool {
    guard let first = pattern.first else { return path.isEmpty }
    if first == ["*", "*"] {
      // `**`: zero or more whole segments.
      var rest = path
      while true {
        if matchSegments(pattern.dropFirst(), rest) { return true }
        guard !rest.isEmpty else { return false }
        rest = rest.dropFirst()
      }
    }
    guard let segment = path.first, matchSegment(first[...], segment[...]) else { return false }
    return matchSegments(pattern.dropFirst(), path.dropFirst())
  }

  /// `*` and `?` within one segment (iterative, with backtracking to the last `*`).
  static func matchSegment(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
    let p = Array(pattern)
    let t = Array(text)
    var pi = 0
    var ti = 0
    var star: Int?
    var resume = 0
    while ti < t.count {
      if pi < p.count, p[pi] == "?" || p[pi] == t[ti], p[pi] != "*" {
        pi += 1
        ti += 1
      } else if pi < p.count, p[pi] == "*" {
        star = pi
        resume = ti
        pi += 1
      } else if let star {
        pi = star + 1
        resume += 1
        ti = resume
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
  }
}
