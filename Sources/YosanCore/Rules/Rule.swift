import YosanSyntax

/// A rule: metadata plus a check. Rules are stateless; the checks are static functions.
public protocol Rule: Sendable {
  static var descriptor: RuleDescriptor { get }
}

/// A rule that looks at a file's tree, lowering issues, header and sections. It runs once per part
/// of the file (`CheckPart`: the shell, then runs of units), and sees only that part's document and
/// syntax (`context.part`); together the parts' diagnostics are the whole file's.
public protocol FileRule: Rule {
  static func check(_ context: inout RuleContext)
  /// Whether, checking the shell, the rule reports places inside items (a section's members).
  /// The editor's session keeps items where they were lowered until a feature needs the model;
  /// for such a rule it puts them where they are now first. False unless a rule says so.
  static var reportsItemPlacesFromShell: Bool { get }
}

extension FileRule {
  public static var reportsItemPlacesFromShell: Bool { false }
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

  public static func - (a: CheckCounters, b: CheckCounters) -> CheckCounters {
    var c = a
    c.items -= b.items
    c.sums -= b.sums
    c.rates -= b.rates
    return c
  }

  public static func + (a: CheckCounters, b: CheckCounters) -> CheckCounters {
    var c = a
    c.items += b.items
    c.sums += b.sums
    c.rates += b.rates
    return c
  }
}

/// The part of a file that one run of the rules checks.
///
/// A file's diagnostics are those of its shell (the header, the sections and whatever lies
/// between blocks) and those of its units (the items that are members of the file or of a
/// section, sub-items included), each unit checked on its own. A unit's diagnostics depend only on
/// its text and the file's header, so the editor keeps them while the unit does not change.
///
/// A rule sees the part's document (`RuleContext.document`): for the shell, the header and the
/// sections with the shell's issues; for units, the header (to read the file's settings, not to
/// report on it) and the units' items with their issues. Rules that scan bytes or walk the tree
/// look only at the part (`ranges`, `isUnit`).
public struct CheckPart: Sendable {
  /// Whether this is the shell (else a run of units).
  public let isShell: Bool
  /// The unit nodes, in order: the ones checked, or for the shell the ones left out.
  public let units: [SyntaxNode]
  /// The length of the file.
  let fileLength: Int

  public init(isShell: Bool, units: [SyntaxNode], fileLength: Int) {
    self.isShell = isShell
    self.units = units
    self.fileLength = fileLength
    ranges = CheckPart.ranges(isShell: isShell, units: units, fileLength: fileLength)
  }

  /// The whole file as one part (for rules that run once all parts are checked).
  static func wholeFile(length: Int) -> CheckPart { CheckPart(isShell: true, units: [], fileLength: length) }

  /// The byte ranges of the part, in order: the units' ranges, or the non-empty gaps around them.
  public let ranges: [TextRange]

  static func ranges(isShell: Bool, units: [SyntaxNode], fileLength: Int) -> [TextRange] {
    guard isShell else { return units.map(\.range) }
    var result: [TextRange] = []
    var start = 0
    for unit in units {
      if unit.offset > start { result.append(TextRange(start: start, end: unit.offset)) }
      start = unit.range.end
    }
    if fileLength > start { result.append(TextRange(start: start, end: fileLength)) }
    return result
  }

  /// The index of the unit that contains byte `offset`, if any.
  func unitIndex(containing offset: Int) -> Int? {
    var low = 0
    var high = units.count
    while low < high {
      let mid = (low + high) / 2
      if units[mid].range.end <= offset { low = mid + 1 } else { high = mid }
    }
    return low < units.count && units[low].offset <= offset && offset < units[low].range.end ? low : nil
  }

  /// Whether byte `offset` of the file belongs to this part.
  public func covers(_ offset: Int) -> Bool { isShell == (unitIndex(containing: offset) == nil) }

  /// Whether `node` is one of `units` (the shell's walks skip them).
  public func isUnit(_ node: SyntaxNode) -> Bool {
    guard node.kind == .block, node.green.textLength > 0, let index = unitIndex(containing: node.offset) else { return false }
    return units[index].offset == node.offset && units[index].green.textLength == node.green.textLength
  }

  /// The nodes to walk to see the part's syntax: the units, or the root (skipping `isUnit` nodes).
  public func roots(_ root: SyntaxNode) -> [SyntaxNode] { isShell ? [root] : units }

  /// For each of `offsets` (ascending, in the part), the token containing it and the node that
  /// holds the token, found in one walk over the part's tree: rules that find places by scanning
  /// bytes ask for all their tokens at once, so that a thousand findings in one unit (or between
  /// the blocks of the shell) do not each search the tree from the top.
  public func tokens(containing offsets: [Int], root: SyntaxNode) -> [(token: SyntaxToken, parent: SyntaxNode)?] {
    guard !offsets.isEmpty else { return [] }
    var result: [(token: SyntaxToken, parent: SyntaxNode)?] = []
    result.reserveCapacity(offsets.count)
    var start = 0
    for node in roots(root) {
      var end = start
      while end < offsets.count, offsets[end] < node.range.end { end += 1 }
      result += node.tokens(containing: Array(offsets[start..<end]))
      start = end
    }
    result += [(token: SyntaxToken, parent: SyntaxNode)?](repeating: nil, count: offsets.count - start)
    return result
  }

  /// The smallest node known to contain byte `offset` of the part: its unit, or the root.
  public func node(containing offset: Int, root: SyntaxNode) -> SyntaxNode {
    if !isShell, let index = unitIndex(containing: offset) { return units[index] }
    return root
  }
}

/// What a rule sees of a file, and where it reports.
public struct RuleContext {
  public let file: FileFacts
  /// The part of the file being checked; `file.document` is the part's document.
  public let part: CheckPart
  public let descriptor: RuleDescriptor
  public let severity: Severity
  public internal(set) var diagnostics: [Diagnostic] = []
  public internal(set) var counters = CheckCounters()
  /// What several item rules compute about the item being checked, computed once per item.
  let scratch: ItemScratch

  init(file: FileFacts, part: CheckPart, descriptor: RuleDescriptor, severity: Severity, scratch: ItemScratch = ItemScratch()) {
    self.file = file
    self.part = part
    self.descriptor = descriptor
    self.severity = severity
    self.scratch = scratch
  }

  public var document: Document { file.document }

  public mutating func report(_ message: String, at range: TextRange, related: [RelatedLocation] = [], fixes: [Fix] = [], tags: [DiagnosticTag] = []) {
    diagnostics.append(
      Diagnostic(
        ruleID: descriptor.id, severity: severity, message: Diagnostic.escapingControlCharacters(message), range: range, related: related, fixes: fixes,
        tags: tags))
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
    diagnostics.append(
      (file, Diagnostic(ruleID: descriptor.id, severity: severity, message: Diagnostic.escapingControlCharacters(message), range: range, related: related, fixes: fixes)))
  }
}

/// Everything known about one file once it is parsed and lowered. A class: every rule's context
/// holds it, and a reference is cheaper to hand around than its many parts.
public final class FileFacts: Sendable {
  public let path: String
  public let bytes: [UInt8]
  public let tree: GreenNode
  public let lineIndex: LineIndex
  public let document: Document
  public let configuration: Configuration
  /// The file's `# yosan:` suppression comments.
  public let suppressions: SuppressionComments
  /// Where the bytes are not UTF-8 (the first bad sequence and how many runs), if anywhere.
  public let invalidUTF8: InvalidUTF8?
  /// The bytes are not UTF-8 but read as Shift_JIS (CP932) from start to end: the file was saved
  /// in the wrong encoding. Read as UTF-8 it is nonsense, so only that is reported (the document
  /// is left empty), never a cascade of findings in garbled text.
  public let isShiftJIS: Bool

  /// The first bad sequence of a file that is not UTF-8, and how many separate runs of bad bytes.
  public struct InvalidUTF8: Hashable, Sendable {
    public var offset: Int
    public var length: Int
    public var runs: Int
  }

  public convenience init(path: String, bytes: [UInt8], tree: GreenNode, lineIndex: LineIndex, document: Document, configuration: Configuration) {
    let invalid = FileFacts.invalidUTF8(of: bytes)
    self.init(
      path: path, bytes: bytes, tree: tree, lineIndex: lineIndex, document: document, configuration: configuration,
      suppressions: SuppressionComments.read(tree: tree, bytes: bytes, lineIndex: lineIndex), invalidUTF8: invalid,
      isShiftJIS: FileFacts.isShiftJIS(bytes, invalid: invalid))
  }

  /// Where `bytes` are not UTF-8, if anywhere.
  static func invalidUTF8(of bytes: [UInt8]) -> InvalidUTF8? {
    bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid($0) }.map { InvalidUTF8(offset: $0.offset, length: $0.length, runs: $0.runs) }
  }

  /// Whether `bytes`, not UTF-8 (`invalid` is where not), are Shift_JIS (CP932) text.
  static func isShiftJIS(_ bytes: [UInt8], invalid: InvalidUTF8?) -> Bool {
    invalid != nil && CP932.looksLikeCP932(bytes)
  }

  init(
    path: String, bytes: [UInt8], tree: GreenNode, lineIndex: LineIndex, document: Document, configuration: Configuration,
    suppressions: SuppressionComments, invalidUTF8: InvalidUTF8?, isShiftJIS: Bool = false
  ) {
    self.isShiftJIS = isShiftJIS
    self.path = path
    self.bytes = bytes
    self.tree = tree
    self.lineIndex = lineIndex
    self.document = document
    self.configuration = configuration
    self.suppressions = suppressions
    self.invalidUTF8 = invalidUTF8
  }

  /// The same file with what is known of its bad bytes.
  func with(invalidUTF8: InvalidUTF8?, isShiftJIS: Bool = false) -> FileFacts {
    FileFacts(
      path: path, bytes: bytes, tree: tree, lineIndex: lineIndex, document: document, configuration: configuration, suppressions: suppressions,
      invalidUTF8: invalidUTF8, isShiftJIS: isShiftJIS)
  }

  /// The same file seen with another document (a part's).
  func with(document: Document) -> FileFacts {
    FileFacts(
      path: path, bytes: bytes, tree: tree, lineIndex: lineIndex, document: document, configuration: configuration, suppressions: suppressions,
      invalidUTF8: invalidUTF8, isShiftJIS: isShiftJIS)
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
///
/// Rules across files see each item through its `Definition` (its id, where it starts, what its
/// amounts are 内数 of) and each file's references, not through the model: the editor's session
/// keeps these per unit and moves them with the text, without lowering again.
public struct Workspace: Sendable {
  /// An item with an id, as the rules across files see it.
  public struct Definition: Sendable {
    /// The id and where it is written.
    public var id: Reference
    /// The item's first byte.
    public var start: Int
    /// The item whose part the 要求額 (or 予算額) is: `内数(ID)`.
    public var requestPartOf: Reference?
    /// The item whose part the 前年度 is.
    public var previousPartOf: Reference?

    /// The definition of `item`, if it has an id.
    public init?(_ item: Item) {
      guard let id = item.id else { return nil }
      self.id = id
      start = item.range.start
      if case .partOf(let part)? = item.request?.value { requestPartOf = part.reference }
      if case .partOf(let part)? = item.previous?.value { previousPartOf = part.reference }
    }

    /// The same definition `delta` bytes further on.
    public func shifted(by delta: Int) -> Definition {
      var copy = self
      copy.id = id.shifted(by: delta)
      copy.start += delta
      copy.requestPartOf = requestPartOf?.shifted(by: delta)
      copy.previousPartOf = previousPartOf?.shifted(by: delta)
      return copy
    }

    /// The definitions of `item` and its sub-items, in order.
    public static func all(in item: Item) -> [Definition] {
      var result: [Definition] = []
      Document.forEachItem(in: [item]) { if let definition = Definition($0) { result.append(definition) } }
      return result
    }
  }

  /// The files, for their paths and line numbers.
  public let files: [FileFacts]
  /// Every item with an id: id → definitions (file index, definition), in file and position order.
  public let definitions: [String: [(file: Int, definition: Definition)]]
  /// Every `内数(ID)` reference of each file, in order.
  public let references: [[Reference]]
  /// The ids of `definitions`, for suggestions, when the caller keeps them (the editor's session
  /// does, across edits); otherwise the rules make the index when they first need it.
  public let idSuggestions: SuggestionIndex?

  /// The workspace of lowered files.
  public init(files: [FileFacts]) {
    var definitions: [[Definition]] = []
    for file in files {
      var found: [Definition] = []
      file.document.forEachItem { if let definition = Definition($0) { found.append(definition) } }
      definitions.append(found)
    }
    self.init(files: files, definitions: definitions, references: files.map(\.document.references))
  }

  /// The workspace of files whose definitions and references are known (in file order each);
  /// `idSuggestions`, if given, holds the ids of `perFile` (in `.alphabetical` order).
  public init(files: [FileFacts], definitions perFile: [[Definition]], references: [[Reference]], idSuggestions: SuggestionIndex? = nil) {
    self.files = files
    self.idSuggestions = idSuggestions
    var definitions: [String: [(file: Int, definition: Definition)]] = [:]
    for (index, found) in perFile.enumerated() {
      for definition in found { definitions[definition.id.id, default: []].append((index, definition)) }
    }
    self.definitions = definitions
    self.references = references
  }
}

extension Diagnostic {
  /// `message` with the control characters it quotes from the input (NUL, ESC, DEL, C1 and the
  /// like) written as `\u{1B}`: a message is one line of plain text, whatever the input holds.
  public static func escapingControlCharacters(_ message: String) -> String {
    guard message.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return message }
    var out = ""
    out.reserveCapacity(message.utf8.count + 8)
    for scalar in message.unicodeScalars {
      if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
        out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
