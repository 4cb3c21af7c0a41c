#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

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

  /// What `apply` knows, for suggestions.
  static let settingSuggestions = SuggestionIndex(RuleRegistry.descriptors.map(\.id) + ["rounding", "growth-threshold"])

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
        let suggestion = Configuration.settingSuggestions.suggestion(for: key)
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
    // The path is split once for all the patterns (nested configurations may give many).
    let candidate = PathPattern.Candidate(path)
    if let excluded = exclude.first(where: { $0.matches(candidate) }) { return excluded }
    if let include, !include.isEmpty, !include.contains(where: { $0.matches(candidate) }) { return include[0] }
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
///
/// Matching takes time proportional to the pattern's segments times the path's (each pair
/// compared once, runs of `**` counted as one), however many `**` the pattern has: the segments
/// are matched by a set of positions in the pattern, not by trying every split of the path.
public struct PathPattern: Hashable, Sendable, CustomStringConvertible {
  /// One segment of a pattern: `**`, or a name with `*` and `?`.
  enum Segment: Hashable, Sendable {
    case anyFolders
    case name([Unicode.Scalar])
  }

  /// The pattern as written.
  public let pattern: String
  /// The folder it is relative to, without a trailing `/` (`""` for the current folder).
  public let base: String
  /// The segments, runs of `**` collapsed (`**/**` is `**`).
  let segments: [Segment]
  /// True when the pattern has a `/`: it is matched from the base, not against any name.
  let anchored: Bool
  /// The number of components of `base`.
  let baseDepth: Int

  public init(_ pattern: String, base: String) {
    self.pattern = pattern
    self.base = base.count > 1 && base.hasSuffix("/") ? String(base.dropLast()) : base
    baseDepth = self.base.split(separator: "/").count
    var text = pattern
    while text.hasSuffix("/") { text.removeLast() }
    anchored = text.contains("/")
    var segments: [Segment] = []
    for part in text.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "**" {
        if segments.last != .anyFolders { segments.append(.anyFolders) }
      } else {
        segments.append(.name(Array(part.unicodeScalars)))
      }
    }
    self.segments = segments
  }

  public static func == (lhs: PathPattern, rhs: PathPattern) -> Bool { lhs.pattern == rhs.pattern && lhs.base == rhs.base }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(pattern)
    hasher.combine(base)
  }

  public var description: String { pattern }

  /// A path to match, split into components once for any number of patterns.
  public struct Candidate {
    let text: String
    /// The components (empty ones and a leading `./` dropped).
    let components: [[Unicode.Scalar]]

    public init(_ path: String) {
      var path = path
      while path.hasPrefix("./") { path.removeFirst(2) }
      text = path
      components = path.split(separator: "/").map { Array($0.unicodeScalars) }
    }
  }

  /// True when `path` (in the same form as `base`: both absolute, or both relative) matches.
  public func matches(_ path: String) -> Bool { matches(Candidate(path)) }

  public func matches(_ candidate: Candidate) -> Bool {
    var comparisons = 0
    return match(candidate, comparisons: &comparisons)
  }

  /// How many times matching `path` compares a path component with a pattern segment: at most
  /// their numbers multiplied (for the tests of the matcher's cost).
  public func comparisons(_ path: String) -> Int {
    var comparisons = 0
    _ = match(Candidate(path), comparisons: &comparisons)
    return comparisons
  }

  func match(_ candidate: Candidate, comparisons: inout Int) -> Bool {
    guard !segments.isEmpty, let skip = baseComponents(candidate.text) else { return false }
    let components = candidate.components[skip...]
    guard !components.isEmpty else { return false }
    if !anchored {
      // A name: any file or folder of that name.
      switch segments[0] {
      case .anyFolders: return true
      case .name(let name):
        comparisons += components.count
        return components.contains { PathPattern.matchSegment(name, $0) }
      }
    }
    // Anchored: the path itself or one of its folders.
    return PathPattern.matchesAPrefix(segments, components, comparisons: &comparisons)
  }

  /// How many leading components of `path` (without a leading `./`) are `base`'s, or nil when
  /// the path is not inside `base`.
  func baseComponents(_ path: String) -> Int? {
    if base.isEmpty || base == "." { return path.hasPrefix("/") || path.hasPrefix("../") ? nil : 0 }
    if base == "/" { return path.hasPrefix("/") ? 0 : nil }
    // `path` starts with `base` and a `/`: compared as bytes, at once.
    var path = path
    var base = base
    let inside = path.withUTF8 { path in
      base.withUTF8 { base in
        path.count > base.count && path[base.count] == UInt8(ascii: "/") && memcmp(path.baseAddress!, base.baseAddress!, base.count) == 0
      }
    }
    return inside ? baseDepth : nil
  }

  /// True when the segments match `components[0..<k]` for some k ≥ 1. The positions the pattern
  /// can be at after each component are kept as a set (a nondeterministic automaton whose states
  /// are the segments): each component is compared with each segment at most once, which
  /// `comparisons` counts.
  static func matchesAPrefix(_ segments: [Segment], _ components: ArraySlice<[Unicode.Scalar]>, comparisons: inout Int) -> Bool {
    let end = segments.count
    // `**` matches no folder too: a position before it is also a position after it.
    func close(_ states: inout [Bool]) {
      for index in 0..<end where states[index] && segments[index] == .anyFolders { states[index + 1] = true }
    }
    var current = [Bool](repeating: false, count: end + 1)
    current[0] = true
    close(&current)
    var next = current
    for component in components {
      for index in next.indices { next[index] = false }
      var alive = false
      for index in 0..<end where current[index] {
        switch segments[index] {
        case .anyFolders:
          next[index] = true
          alive = true
        case .name(let name):
          comparisons += 1
          if matchSegment(name, component) {
            next[index + 1] = true
            alive = true
          }
        }
      }
      guard alive else { return false }
      close(&next)
      // The pattern is used up: it matched this folder (or the path), and so everything in it.
      if next[end] { return true }
      swap(&current, &next)
    }
    return false
  }

  /// `*` and `?` within one segment (iterative, with backtracking to the last `*`): time at most
  /// the pattern's length times the name's.
  static func matchSegment(_ p: [Unicode.Scalar], _ t: [Unicode.Scalar]) -> Bool {
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
