/// Families of rules; each rule's file lives in the folder of its category.
public enum RuleCategory: String, CaseIterable, Sendable {
  case syntax, structure, values, sums, rates, tags, years, references, notation, suppression

  public var title: String {
    switch self {
    case .syntax: return "Syntax"
    case .structure: return "Structure"
    case .values: return "Values"
    case .sums: return "Sums"
    case .rates: return "Rates and shares"
    case .tags: return "Tags and amounts"
    case .years: return "Years"
    case .references: return "References"
    case .notation: return "Notation"
    case .suppression: return "Suppressions"
    }
  }
}

/// Whether a rule's diagnostics carry fixes, and of which kind.
public enum FixAvailability: String, Sendable {
  case none
  /// Fixes that cannot change a figure's meaning; `check --fix` applies them.
  case safe
  /// Fixes that change figures; offered in JSON, SARIF and the editor, never applied by `--fix`.
  case unsafe
}

/// A rule's metadata, declared once in the rule's own file. Everything else — the registry, the
/// CLI's `rules` and `explain`, the editor's documentation links and `Spec/rules.md` — reads it.
public struct RuleDescriptor: Sendable {
  /// Stable kebab-case id: the documentation anchor and the suppression key. Never reused.
  public var id: String
  public var category: RuleCategory
  public var defaultSeverity: Severity
  /// One sentence, ending with a period.
  public var summary: String
  /// Why the rule exists (Markdown).
  public var rationale: String
  public var fix: FixAvailability
  /// Passing and failing examples; each runs as a test.
  public var examples: [RuleExample]

  public init(id: String, category: RuleCategory, defaultSeverity: Severity, summary: String, rationale: String, fix: FixAvailability = .none, examples: [RuleExample]) {
    self.id = id
    self.category = category
    self.defaultSeverity = defaultSeverity
    self.summary = summary
    self.rationale = rationale
    self.fix = fix
    self.examples = examples
  }
}

/// A rule example. In failing examples, `«` and `»` mark the range of each expected diagnostic
/// (`«»` marks an empty range). A line `--- FILE` starts another file, for rules that look across
/// files. The markers are removed before the example is parsed.
public struct RuleExample: Sendable {
  public enum Kind: Sendable { case passing, failing }
  public var kind: Kind
  public var source: String
  /// Expected messages of a failing example, in order of position (optional).
  public var messages: [String]
  /// Configuration entries (`rule-id = severity` and settings) applied while the example runs.
  public var configuration: [String: String]
  /// Where the example is written, so that a failing test points at it.
  public var file: String
  public var line: Int

  public static func passing(_ source: String, configuration: [String: String] = [:], file: String = #filePath, line: Int = #line) -> RuleExample {
    RuleExample(kind: .passing, source: source, messages: [], configuration: configuration, file: file, line: line)
  }

  public static func failing(_ source: String, messages: [String] = [], configuration: [String: String] = [:], file: String = #filePath, line: Int = #line) -> RuleExample {
    RuleExample(kind: .failing, source: source, messages: messages, configuration: configuration, file: file, line: line)
  }
}
