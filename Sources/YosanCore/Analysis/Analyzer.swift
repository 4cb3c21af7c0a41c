import Dispatch
import YosanSyntax

/// A file to analyse: a path (for messages and configuration lookup) and its bytes.
public struct SourceFile: Sendable {
  public var path: String
  public var bytes: [UInt8]

  public init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
  }

  public init(path: String, text: String) {
    self.init(path: path, bytes: Array(text.utf8))
  }
}

/// One analysed file: its facts and its diagnostics, sorted by position.
public struct FileAnalysis: Sendable {
  public let facts: FileFacts
  public var diagnostics: [Diagnostic]
}

/// The result of analysing files together.
public struct WorkspaceAnalysis: Sendable {
  public var files: [FileAnalysis]
  public var counters: CheckCounters

  public init(files: [FileAnalysis], counters: CheckCounters) {
    self.files = files
    self.counters = counters
  }

  /// No files.
  public static let empty = WorkspaceAnalysis(files: [], counters: CheckCounters())
}

/// The façade of the core: parse, lower and check files, all problems in one run.
public enum Analyzer {
  /// Analyses `sources` together (item ids are shared across them).
  ///
  /// First every file is parsed and lowered (files in parallel; a large file's parts are parsed
  /// and lowered in parallel too). Then one set of tasks runs on every core: the rules across
  /// files, and for each file its file rules and its items in chunks.
  public static func analyze(_ sources: [SourceFile], configuration: @Sendable (String) -> Configuration = { _ in .default }) -> WorkspaceAnalysis {
    var parsed = [FileFacts?](repeating: nil, count: sources.count)
    if sources.count > 1 {
      parsed.withUnsafeMutableBufferPointer { buffer in
        let results = UnsafeMutableSendableBuffer(buffer)
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
          let source = sources[index]
          results.buffer[index] = parse(source, configuration: configuration(source.path))
        }
      }
    } else {
      for (index, source) in sources.enumerated() { parsed[index] = parse(source, configuration: configuration(source.path)) }
    }
    let facts = parsed.map { $0! }
    // The tasks: the rules across files first (the longest single task), then each file's.
    var planned: [CheckTask] = [.workspace]
    for (index, file) in facts.enumerated() { planned += CheckTask.tasks(of: file, index: index, parallel: true) }
    let tasks = planned
    var results = [CheckTask.Result](repeating: CheckTask.Result(), count: tasks.count)
    results.withUnsafeMutableBufferPointer { buffer in
      let output = UnsafeMutableSendableBuffer(buffer)
      DispatchQueue.concurrentPerform(iterations: tasks.count) { index in
        output.buffer[index] = tasks[index].run(facts)
      }
    }
    var files = facts.map { FileAnalysis(facts: $0, diagnostics: []) }
    var counters = CheckCounters()
    for (task, result) in zip(tasks, results) {
      counters = counters + result.counters
      switch task {
      case .workspace: continue
      case .shell(let file, _), .units(let file, _, _): files[file].diagnostics += result.diagnostics
      }
    }
    // The rules across files report after each file's own diagnostics.
    for (file, diagnostic) in results[0].workspaceDiagnostics { files[file].diagnostics.append(diagnostic) }
    for index in files.indices {
      applySuppressions(&files[index])
      files[index].diagnostics.sort(by: Analyzer.order)
    }
    return WorkspaceAnalysis(files: files, counters: counters)
  }

  /// Parses and lowers `sources` as `analyze` does, but runs only the rules on unreadable text
  /// (`syntax-error`, `invalid-utf8`), each over the whole file: for commands that read the
  /// model and only need to know what it leaves out (`yosan export`), not the checks. The
  /// diagnostics are those `analyze` gives for these two rules (suppressions applied).
  public static func analyzeSyntax(_ sources: [SourceFile], configuration: @Sendable (String) -> Configuration = { _ in .default }) -> WorkspaceAnalysis {
    var parsed = [FileFacts?](repeating: nil, count: sources.count)
    parsed.withUnsafeMutableBufferPointer { buffer in
      let results = UnsafeMutableSendableBuffer(buffer)
      let work: @Sendable (Int) -> Void = { index in results.buffer[index] = parse(sources[index], configuration: configuration(sources[index].path)) }
      if sources.count > 1 { DispatchQueue.concurrentPerform(iterations: sources.count, execute: work) } else { sources.indices.forEach(work) }
    }
    let rules: [any FileRule.Type] = [SyntaxErrorRule.self, InvalidUTF8Rule.self]
    let ids: Set<String> = [SyntaxErrorRule.descriptor.id, InvalidUTF8Rule.descriptor.id]
    var counters = CheckCounters()
    let files = parsed.map { facts in
      var file = FileAnalysis(facts: facts!, diagnostics: [])
      runFileRules(file.facts, part: .wholeFile(length: file.facts.bytes.count), rules: file.facts.isShiftJIS ? [InvalidUTF8Rule.self] : rules, into: &file.diagnostics, counters: &counters)
      applySuppressions(&file)
      file.diagnostics.removeAll { !ids.contains($0.ruleID) }
      file.diagnostics.sort(by: Analyzer.order)
      return file
    }
    return WorkspaceAnalysis(files: files, counters: counters)
  }

  /// Runs the file and item rules on a parsed and lowered file (not the rules across files).
  ///
  /// The file is checked in parts (see `CheckPart`): its shell, and its units in runs, so a large
  /// file's units are checked on every core. The editor's session checks the same parts one unit at
  /// a time; either way the diagnostics are the same.
  public static func check(_ facts: FileFacts, parallel: Bool = true) -> (diagnostics: [Diagnostic], counters: CheckCounters) {
    let tasks = CheckTask.tasks(of: facts, index: 0, parallel: parallel)
    var results = [CheckTask.Result](repeating: CheckTask.Result(), count: tasks.count)
    results.withUnsafeMutableBufferPointer { buffer in
      let output = UnsafeMutableSendableBuffer(buffer)
      let work: @Sendable (Int) -> Void = { index in output.buffer[index] = tasks[index].run([facts]) }
      if parallel { DispatchQueue.concurrentPerform(iterations: tasks.count, execute: work) } else { tasks.indices.forEach(work) }
    }
    var diagnostics: [Diagnostic] = []
    var counters = CheckCounters()
    for result in results {
      diagnostics += result.diagnostics
      counters = counters + result.counters
    }
    return (diagnostics, counters)
  }

  /// A part of checking that runs on one thread.
  enum CheckTask: Sendable {
    /// The rules across files.
    case workspace
    /// The file rules on the shell of file `file` (see `checkShell`); `nodes` are its units' nodes.
    case shell(file: Int, nodes: [SyntaxNode])
    /// The file and item rules on a run of units of file `file` (see `checkUnits`).
    case units(file: Int, units: ArraySlice<DocumentUnit>, nodes: [SyntaxNode])

    struct Result: Sendable {
      var diagnostics: [Diagnostic] = []
      var workspaceDiagnostics: [(file: Int, diagnostic: Diagnostic)] = []
      var counters = CheckCounters()
    }

    /// The tasks of one file: its shell, and its units in one run, or, for a large file, in
    /// several runs per core (a thread that finishes early takes the next).
    static func tasks(of facts: FileFacts, index: Int, parallel: Bool) -> [CheckTask] {
      let units = facts.document.units
      let nodes = unitNodes(facts)
      let count = units.count
      let chunks = parallel && count >= Lowering.parallelThreshold ? Swift.min(ProcessorInfo.activeCores * 4, count / 32) : 1
      return [.shell(file: index, nodes: nodes)]
        + (0..<chunks).map { chunk in
          let range = (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
          return .units(file: index, units: units[range], nodes: Array(nodes[range]))
        }
    }

    func run(_ files: [FileFacts]) -> Result {
      var result = Result()
      switch self {
      case .workspace:
        var analyses = files.map { FileAnalysis(facts: $0, diagnostics: []) }
        runWorkspaceRules(&analyses)
        for (index, analysis) in analyses.enumerated() {
          for diagnostic in analysis.diagnostics { result.workspaceDiagnostics.append((index, diagnostic)) }
        }
      case .shell(let file, let nodes):
        checkShell(files[file], units: nodes, into: &result.diagnostics, counters: &result.counters)
      case .units(let file, let units, let nodes):
        checkUnits(files[file], units, nodes: nodes, into: &result.diagnostics, counters: &result.counters)
      }
      return result
    }
  }

  /// The syntax nodes of the document's units, in order (one per `Document.units`).
  static func unitNodes(_ facts: FileFacts) -> [SyntaxNode] {
    let nodes = facts.bytes.withUnsafeBufferPointer { bytes in Lowering.unitNodes(facts.root, bytes: bytes) }
    let units = facts.document.units
    if nodes.count == units.count, zip(nodes, units).allSatisfy({ $0.offset == $1.item.range.start }) { return nodes }
    // A document lowered from another tree: find each unit's node by its position.
    var byOffset: [Int: SyntaxNode] = [:]
    for node in nodes { byOffset[node.offset] = node }
    return units.map { byOffset[$0.item.range.start] ?? SyntaxNode(green: GreenNode.make(kind: .block, children: []), offset: $0.item.range.start) }
  }

  /// Runs the file rules on the shell: the header, the sections and the text between blocks, all
  /// but `units` (the nodes of every unit of the file).
  public static func checkShell(_ facts: FileFacts, units: [SyntaxNode], into diagnostics: inout [Diagnostic], counters: inout CheckCounters) {
    let full = facts.document
    var shell = Document()
    shell.header = full.header
    shell.members = full.members
    shell.issues = full.shellIssues
    shell.shellIssues = full.shellIssues
    let part = CheckPart(isShell: true, units: units, fileLength: facts.bytes.count)
    runFileRules(facts.with(document: shell), part: part, into: &diagnostics, counters: &counters)
  }

  /// Runs the file and item rules on a run of units, whose syntax nodes are `nodes`.
  public static func checkUnits(
    _ facts: FileFacts, _ units: ArraySlice<DocumentUnit>, nodes: [SyntaxNode], into diagnostics: inout [Diagnostic],
    counters: inout CheckCounters
  ) {
    guard !units.isEmpty else { return }
    let (partFacts, checkPart) = unitsPart(facts, units, nodes: nodes)
    runFileRules(partFacts, part: checkPart, into: &diagnostics, counters: &counters)
    runItemRules(partFacts, part: checkPart, on: units.map(\.item)[...], into: &diagnostics, counters: &counters)
  }

  /// The file as the rules see a run of its units: the header for context, the units' items,
  /// issues and references; and the part of the text they cover.
  static func unitsPart(_ facts: FileFacts, _ units: ArraySlice<DocumentUnit>, nodes: [SyntaxNode]) -> (FileFacts, CheckPart) {
    var part = Document()
    part.header = facts.document.header
    part.members.reserveCapacity(units.count)
    for unit in units {
      part.members.append(.item(unit.item))
      if !unit.issues.isEmpty { part.issues += unit.issues }
      if !unit.references.isEmpty { part.references += unit.references }
    }
    part.units = Array(units)
    return (facts.with(document: part), CheckPart(isShell: false, units: nodes, fileLength: facts.bytes.count))
  }

  static func runFileRules(_ facts: FileFacts, part: CheckPart, into diagnostics: inout [Diagnostic], counters: inout CheckCounters) {
    // A Shift_JIS file gets its one finding, not a cascade of findings in garbled text.
    runFileRules(facts, part: part, rules: facts.isShiftJIS ? [InvalidUTF8Rule.self] : RuleRegistry.fileRules, into: &diagnostics, counters: &counters)
  }

  static func runFileRules(
    _ facts: FileFacts, part: CheckPart, rules: [any FileRule.Type], into diagnostics: inout [Diagnostic], counters: inout CheckCounters
  ) {
    for rule in rules {
      guard let severity = facts.configuration.severity(of: rule.descriptor) else { continue }
      var context = RuleContext(file: facts, part: part, descriptor: rule.descriptor, severity: severity)
      rule.check(&context)
      diagnostics += context.diagnostics
      counters = counters + context.counters
    }
  }

  /// One walk over `items` (and their sub-items) runs every item rule; each rule keeps one
  /// context, and all share one scratch.
  static func runItemRules(
    _ facts: FileFacts, part: CheckPart, on items: ArraySlice<Item>, into diagnostics: inout [Diagnostic], counters: inout CheckCounters
  ) {
    let (contexts, count) = walkItemRules(facts, part: part, on: items, afterEach: nil)
    counters.items += count
    for context in contexts {
      diagnostics += context.diagnostics
      counters = counters + context.counters
    }
  }

  /// Runs every item rule on `items` (and their sub-items); `afterEach`, if given, is told after
  /// each of `items` what its walk found: the diagnostics and the counters of that item alone.
  /// Returns the rules' contexts (everything found) and how many items were walked.
  static func walkItemRules(
    _ facts: FileFacts, part: CheckPart, on items: ArraySlice<Item>, afterEach: ((Int, [Diagnostic], CheckCounters) -> Void)?
  ) -> (contexts: [RuleContext], items: Int) {
    let scratch = ItemScratch()
    var itemRules = RuleRegistry.itemRules.compactMap { rule in
      facts.configuration.severity(of: rule.descriptor).map {
        (rule: rule, context: RuleContext(file: facts, part: part, descriptor: rule.descriptor, severity: $0, scratch: scratch))
      }
    }
    var count = 0
    func visit(_ item: Item, ancestors: [Item]) {
      count += 1
      for index in itemRules.indices {
        itemRules[index].rule.check(item, ancestors: ancestors, &itemRules[index].context)
      }
      if !item.subItems.isEmpty {
        let inner = ancestors + [item]
        for sub in item.subItems { visit(sub, ancestors: inner) }
      }
    }
    var total = 0
    for index in items.indices {
      guard let afterEach else {
        visit(items[index], ancestors: [])
        continue
      }
      let marks = itemRules.map { ($0.context.diagnostics.count, $0.context.counters) }
      total += count
      count = 0
      visit(items[index], ancestors: [])
      var found: [Diagnostic] = []
      var counters = CheckCounters()
      counters.items = count
      for (entry, mark) in zip(itemRules, marks) {
        if entry.context.diagnostics.count > mark.0 { found += entry.context.diagnostics[mark.0...] }
        counters = counters + (entry.context.counters - mark.1)
      }
      afterEach(index, found, counters)
    }
    return (itemRules.map(\.context), total + count)
  }

  /// Runs the file and item rules on units, each for itself: the diagnostics and counters of each.
  /// Does what `checkUnits` does for each unit alone, with one context per rule for all of them.
  public static func checkUnitsSeparately(
    _ facts: FileFacts, _ units: ArraySlice<DocumentUnit>, nodes: [SyntaxNode]
  ) -> [(diagnostics: [Diagnostic], counters: CheckCounters)] {
    var results = [(diagnostics: [Diagnostic], counters: CheckCounters)](repeating: ([], CheckCounters()), count: units.count)
    guard !units.isEmpty else { return results }
    let (partFacts, checkPart) = unitsPart(facts, units, nodes: nodes)
    // File rules on a run of units report inside the units (their issues, their bytes, their
    // syntax) and count nothing: each diagnostic goes to the unit it lies in.
    var fileDiagnostics: [Diagnostic] = []
    var fileCounters = CheckCounters()
    runFileRules(partFacts, part: checkPart, into: &fileDiagnostics, counters: &fileCounters)
    assert(fileCounters == CheckCounters(), "file rules count nothing on units")
    results[0].counters = fileCounters
    for diagnostic in fileDiagnostics {
      let index = checkPart.unitIndex(containing: diagnostic.range.start) ?? nodes.lastIndex { $0.offset <= diagnostic.range.start } ?? 0
      results[index].diagnostics.append(diagnostic)
    }
    // The items are indexed from 0, as `results` is.
    _ = walkItemRules(partFacts, part: checkPart, on: units.map(\.item)[...]) { index, found, counters in
      results[index].diagnostics += found
      results[index].counters = results[index].counters + counters
    }
    return results
  }

  /// Parses and lowers one file, without running rules. A Shift_JIS file is parsed (the tree is
  /// lossless for any bytes) but not lowered: read as UTF-8 it says nothing (`FileFacts.isShiftJIS`).
  public static func parse(_ source: SourceFile, configuration: Configuration = .default) -> FileFacts {
    source.bytes.withUnsafeBufferPointer { bytes in
      let tree = Parser.parse(bytes)
      let invalid = FileFacts.invalidUTF8(of: source.bytes)
      let shiftJIS = FileFacts.isShiftJIS(source.bytes, invalid: invalid)
      let lines = LineIndex(bytes)
      let document = shiftJIS ? Document() : Lowering.lower(SyntaxNode(green: tree, offset: 0), source: source.bytes)
      return FileFacts(
        path: source.path, bytes: source.bytes, tree: tree, lineIndex: lines, document: document, configuration: configuration,
        suppressions: shiftJIS ? SuppressionComments() : SuppressionComments.read(tree: tree, bytes: source.bytes, lineIndex: lines),
        invalidUTF8: invalid, isShiftJIS: shiftJIS)
    }
  }

  static func runWorkspaceRules(_ files: inout [FileAnalysis]) {
    let found = workspaceDiagnostics(Workspace(files: files.map(\.facts)))
    for index in files.indices { files[index].diagnostics += found[index] }
  }

  /// The diagnostics of the rules across files on `workspace`, per file.
  static func workspaceDiagnostics(_ workspace: Workspace) -> [[Diagnostic]] {
    var found = [[Diagnostic]](repeating: [], count: workspace.files.count)
    for rule in RuleRegistry.workspaceRules {
      let severities = workspace.files.map { $0.configuration.severity(of: rule.descriptor) }
      guard severities.contains(where: { $0 != nil }) else { continue }
      var context = WorkspaceRuleContext(descriptor: rule.descriptor, severityOfFile: severities)
      rule.check(workspace, &context)
      for (file, diagnostic) in context.diagnostics { found[file].append(diagnostic) }
    }
    return found
  }

  /// Diagnostics sort by position, then severity, then rule id.
  public static func order(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
    if a.range.start != b.range.start { return a.range.start < b.range.start }
    if a.range.end != b.range.end { return a.range.end < b.range.end }
    if a.severity != b.severity { return a.severity < b.severity }
    if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
    return a.message < b.message
  }
}

/// Lets `concurrentPerform` write each result into its own slot.
struct UnsafeMutableSendableBuffer<T>: @unchecked Sendable {
  let buffer: UnsafeMutableBufferPointer<T>
  init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
