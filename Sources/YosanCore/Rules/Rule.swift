import YosanSyntax

/// A rule: metadata plus a check. Rules are stateless; the checks are static functions.
public protocol Rule: Sendable {
  static var descriptor: RuleDescriptor { get }
}

/// A rule that looks at one file as a whole (its tree, its lowering issues, its header and sections).
public protocol FileRule: Rule {
  static func check(_ context: inout RuleContext)
}

/// A rule that looks at one item at a time (with its ancestors). Item rules depend only on the
/// item and the file's settings, so the editor can keep their results for items that did not change.
///
/// One walk over the items runs every item rule, so a rule that looks at every item should be an
/// item rule rather than walk the document itself. A rule that also looks at the header, the
/// sections or the lowering issues is both a `FileRule` and an `ItemRule`: it is listed in both
/// lists of the registry, and its two checks report under its one descriptor.
public protocol ItemRule: Rule {
  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext)
}

/// A rule that looks across every file checked together (item ids, references).
public protocol WorkspaceRule: Rule {
  static func check(_ workspace: Workspace, _ context: inout WorkspaceRuleContext)
}

/// A rule about suppression comments (`# yosan: disable-line …`). It runs once per file after
/// every other rule, when it is known which comments suppressed something.
public protocol SuppressionRule: Rule {
  static func check(_ outcome: SuppressionOutcome, _ context: inout RuleContext)
}

/// Counts of what was checked, for the summary line.
public struct CheckCounters: Sendable, Hashable {
  public var items = 0
  public var sums = 0
  public var rates = 0

  public init() {}

  public static func + (a: CheckCounters, b: CheckCounters) -> CheckCounters {
    var c = a
    c.items += b.items
    c.sums += b.sums
    c.rates += b.rates
    return c
  }
}

/// What a rule sees of a file, and where it reports.
public struct RuleContext {
  public let file: FileFacts
  public let descriptor: RuleDescriptor
  public let severity: Severity
  public internal(set) var diagnostics: [Diagnostic] = []
  public internal(set) var counters = CheckCounters()
  /// What several item rules compute about the item being checked, computed once per item.
  let scratch: ItemScratch

  init(file: FileFacts, descriptor: RuleDescriptor, severity: Severity, scratch: ItemScratch = ItemScratch()) {
    self.file = file
    self.descriptor = descriptor
    self.severity = severity
    self.scratch = scratch
  }

  public var document: Document { file.document }

  public mutating func report(_ message: String, at range: TextRange, related: [RelatedLocation] = [], fixes: [Fix] = [], tags: [DiagnosticTag] = []) {
    diagnostics.append(Diagnostic(ruleID: descriptor.id, severity: severity, message: message, range: range, related: related, fixes: fixes, tags: tags))
  }

  /// Records that a sum was checked (for the summary).
  public mutating func countSum() { counters.sums += 1 }
  /// Records that a rate or a set of shares was checked.
  public mutating func countRate() { counters.rates += 1 }

  /// The source text of `range`.
  public func text(_ range: TextRange) -> String { file.text(range) }
}

/// What a workspace rule sees, and where it reports (per file).
public struct WorkspaceRuleContext {
  public let descriptor: RuleDescriptor
  let severityOfFile: [Severity?]
  public internal(set) var diagnostics: [(file: Int, diagnostic: Diagnostic)] = []

  /// Reports in file `file` (an index into the workspace's files), unless the rule is off there.
  public mutating func report(file: Int, _ message: String, at range: TextRange, related: [RelatedLocation] = [], fixes: [Fix] = []) {
    guard let severity = severityOfFile[file] else { return }
    diagnostics.append((file, Diagnostic(ruleID: descriptor.id, severity: severity, message: message, range: range, related: related, fixes: fixes)))
  }
}

/// Everything known about one file once it is parsed and lowered.
public struct FileFacts: Sendable {
  public let path: String
  public let bytes: [UInt8]
  public let tree: GreenNode
  public let lineIndex: LineIndex
  public let document: Document
  public let configuration: Configuration
  /// The file's `# yosan:` suppression comments.
  public let suppressions: SuppressionComments

  public init(path: String, bytes: [UInt8], tree: GreenNode, lineIndex: LineIndex, document: Document, configuration: Configuration) {
    self.path = path
    self.bytes = bytes
    self.tree = tree
    self.lineIndex = lineIndex
    self.document = document
    self.configuration = configuration
    self.suppressions = SuppressionComments.read(tree: tree, bytes: bytes, lineIndex: lineIndex)
  }

  public var root: SyntaxNode { SyntaxNode(green: tree, offset: 0) }

  /// The rounding mode of the document: its `端数`, else the configuration's, else 四捨五入.
  public var roundingMode: RoundingMode {
    document.header?.rounding?.value ?? configuration.rounding ?? .round
  }

  public func text(_ range: TextRange) -> String {
    let start = Swift.max(0, Swift.min(range.start, bytes.count))
    let end = Swift.max(start, Swift.min(range.end, bytes.count))
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// 1-based line and 1-based column counted in characters (Unicode code points) of `offset`.
  public func position(of offset: Int) -> (line: Int, column: Int) {
    let (line, column) = bytes.withUnsafeBufferPointer { lineIndex.lineAndCharacterColumn(of: offset, in: $0) }
    return (line + 1, column + 1)
  }

  /// 1-based line number of `offset`.
  public func lineNumber(_ offset: Int) -> Int { lineIndex.line(containing: offset) + 1 }
}

/// The files checked together, with an index of item ids.
public struct Workspace: Sendable {
  public let files: [FileFacts]
  /// Every item with an id: id → definitions (file index, item), in file and position order.
  public let definitions: [String: [(file: Int, item: Item)]]

  public init(files: [FileFacts]) {
    self.files = files
    var definitions: [String: [(file: Int, item: Item)]] = [:]
    for (index, file) in files.enumerated() {
      file.document.forEachItem { item in
        if let id = item.id?.id { definitions[id, default: []].append((index, item)) }
      }
    }
    self.definitions = definitions
  }
}
