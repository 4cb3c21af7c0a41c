import YosanSyntax

/// Markdown documentation of rules, generated from their descriptors: `Spec/rules.md`,
/// `yosan explain` and the editor's documentation links all use it.
public enum RuleDocumentation {
  /// The path of the rules documentation in the repository, and the base of rule links.
  public static let specPath = "Spec/rules.md"

  /// The project's home: the one place that says where the documentation is published. SARIF's
  /// `helpUri`, the JSON output's `url` and the editor's diagnostic links are built from it.
  public static let repositoryURL = "https://github.com/yosan-budget/yosan"

  /// The web address of a rule's section of `Spec/rules.md` (its heading's anchor is its id).
  public static func url(for ruleID: String) -> String {
    "\(repositoryURL)/blob/main/\(specPath)#\(ruleID)"
  }

  /// The whole of `Spec/rules.md`.
  public static func specDocument() -> String {
    var out = """
      <!-- Generated from the rule descriptors by `swift run yosan rules --markdown > Spec/rules.md`
           (or `UPDATE_GOLDEN=1 swift test`); do not edit. -->
      # Yosan rules

      Every diagnostic names the rule that reported it. Each rule has a stable id (used in
      configuration and in `# yosan: disable-next-line ID -- reason` comments), a default severity
      and examples that run as tests: a passing example produces no diagnostic from the rule, a
      failing one produces exactly the diagnostics marked `«like this»` (`«»` marks an empty
      range; `⟦FF⟧` stands for the single byte 0xFF; a line `--- NAME` starts another file).

      Severities: **error** (the data is wrong; `yosan check` exits 1), **warning** (probably wrong),
      **info** (worth knowing), **style** (a notation with one canonical form; always fixable).


      """
    for category in RuleCategory.allCases {
      let rules = RuleRegistry.descriptors.filter { $0.category == category }
      guard !rules.isEmpty else { continue }
      out += "## \(category.title)\n\n"
      out += "| id | severity | fix | summary |\n|---|---|---|---|\n"
      for rule in rules {
        out += "| [`\(rule.id)`](#\(rule.id)) | \(rule.defaultSeverity) | \(rule.fix == .none ? "" : rule.fix.rawValue) | \(rule.summary) |\n"
      }
      out += "\n"
      for rule in rules { out += markdown(for: rule, headingLevel: 3) + "\n" }
    }
    return out
  }

  /// One rule's section: heading (the anchor is the id), metadata, rationale, examples.
  public static func markdown(for rule: RuleDescriptor, headingLevel: Int) -> String {
    let hashes = String(repeating: "#", count: headingLevel)
    var out = "\(hashes) \(rule.id)\n\n"
    out += "\(rule.summary)\n\n"
    out += "- Default severity: **\(rule.defaultSeverity)**\n"
    out += "- Category: \(rule.category.title)\n"
    switch rule.fix {
    case .none: break
    case .safe: out += "- Fix: safe (applied by `yosan check --fix`)\n"
    case .unsafe: out += "- Fix: offered (in JSON, SARIF and the editor; never applied by `--fix`)\n"
    }
    out += "\n\(rule.rationale)\n\n"
    let passing = rule.examples.filter { $0.kind == .passing }
    let failing = rule.examples.filter { $0.kind == .failing }
    if !passing.isEmpty {
      out += "Passing:\n\n"
      for example in passing { out += fence(example) }
    }
    if !failing.isEmpty {
      out += "Failing:\n\n"
      for example in failing {
        out += fence(example)
        if !example.messages.isEmpty {
          out += example.messages.map { "> \($0)\n" }.joined() + "\n"
        }
      }
    }
    return out
  }

  static func fence(_ example: RuleExample) -> String {
    var text = example.source
    if !text.hasSuffix("\n") { text += "\n" }
    var settings = ""
    if !example.configuration.isEmpty {
      settings = "# configuration: " + example.configuration.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + "\n"
    }
    return "```yosan\n\(settings)\(text)```\n\n"
  }
}

/// A rule example turned into files to analyse and the ranges it expects.
public struct PreparedExample: Sendable {
  public struct File: Sendable {
    public var path: String
    public var bytes: [UInt8]
    /// Ranges marked with «…», in order.
    public var marked: [TextRange]
  }
  public var files: [File]

  /// Splits at `--- NAME` lines, removes «» markers recording their ranges, and turns `⟦XX⟧`
  /// into the raw byte 0xXX (for examples of invalid UTF-8).
  public init(_ source: String) {
    var files: [File] = []
    var name = "example.yosan"
    var current: [UInt8] = []
    var marked: [TextRange] = []
    var open: [Int] = []
    func finish() {
      files.append(File(path: name, bytes: current, marked: marked))
      current = []
      marked = []
      open = []
    }
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, line) in lines.enumerated() {
      if line.hasPrefix("--- ") {
        if !current.isEmpty || !files.isEmpty || index > 0 { finish() }
        name = String(line.dropFirst(4))
        continue
      }
      var scalars = Substring(line).unicodeScalars[...]
      while let scalar = scalars.first {
        scalars = scalars.dropFirst()
        switch scalar {
        case "«": open.append(current.count)
        case "»": marked.append(TextRange(start: open.popLast() ?? current.count, end: current.count))
        case "⟦":
          let hex = String(String.UnicodeScalarView(scalars.prefix(2)))
          scalars = scalars.dropFirst(3)
          current.append(UInt8(hex, radix: 16) ?? 0x3F)
        default:
          current.append(contentsOf: String(scalar).utf8)
        }
      }
      if index < lines.count - 1 { current.append(0x0A) }
    }
    finish()
    self.files = files
  }
}

/// Markdown tables generated from the key catalogue and the vocabulary, for `Spec/language.md`.
public enum KeyDocumentation {
  public static let beginMarker = "<!-- BEGIN GENERATED KEYS"
  public static let endMarker = "<!-- END GENERATED KEYS -->"
  public static let wordsBeginMarker = "<!-- BEGIN GENERATED WORDS"
  public static let wordsEndMarker = "<!-- END GENERATED WORDS -->"

  public static func table() -> String {
    var out = "| key | alias | value | blocks | meaning |\n|---|---|---|---|---|\n"
    for key in Catalog.keys {
      let blocks = BlockKind.allCases.filter { key.blocks.contains($0) }.map(\.japanese).joined(separator: ", ")
      let repeatable = key.repeatable ? " (repeatable)" : ""
      out += "| `\(key.japanese)` | `\(key.alias)` | \(key.valueKind.rawValue) | \(blocks) | \(key.meaningEnglish)\(repeatable); e.g. `\(key.example)` |\n"
    }
    return out
  }

  /// The words of values, one row each: the words of 種別, 区分, 端数 and 単位, and the value words.
  public static func wordTable() -> String {
    var out = "| value of | word | alias | also read | meaning |\n|---|---|---|---|---|\n"
    func rows<Value>(_ of: String, _ table: WordTable<Value>) {
      for word in table.words {
        let alias = word.alias.map { "`\($0)`" } ?? ""
        let synonyms = word.synonyms.map { "`\($0)`" }.joined(separator: ", ")
        out += "| \(of) | `\(word.canonical)` | \(alias) | \(synonyms) | \(word.meaningEnglish) |\n"
      }
    }
    rows("`種別`", Vocabulary.tags)
    rows("`区分`", Vocabulary.documentKinds)
    rows("`端数`", Vocabulary.roundingModes)
    rows("`単位`, amounts", Vocabulary.units)
    rows("amounts, rates", Vocabulary.valueWords)
    return out
  }

  /// `document` with the text between each pair of markers replaced by a fresh table; nil when a
  /// marker is missing.
  public static func updating(_ document: String) -> String? {
    guard let keys = replacing(document, begin: beginMarker, end: endMarker, with: table()) else { return nil }
    return replacing(keys, begin: wordsBeginMarker, end: wordsEndMarker, with: wordTable())
  }

  static func replacing(_ document: String, begin beginMarker: String, end endMarker: String, with table: String) -> String? {
    guard let begin = document.firstRange(of: beginMarker), let end = document.firstRange(of: endMarker) else { return nil }
    let lineEnd = document[begin.upperBound...].firstIndex(of: "\n").map { document.index(after: $0) } ?? begin.upperBound
    return String(document[..<lineEnd]) + table + String(document[end.lowerBound...])
  }
}
