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
      case .fileRules(let file), .items(let file, _): files[file].diagnostics += result.diagnostics
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

  /// Parses, lowers and runs the file and item rules on one file.
  public static func analyzeFile(_ source: SourceFile, configuration: Configuration) -> (FileFacts, [Diagnostic], CheckCounters) {
    let facts = parse(source, configuration: configuration)
    let (diagnostics, counters) = check(facts)
    return (facts, diagnostics, counters)
  }

  /// Runs the file and item rules on a parsed and lowered file (not the rules across files).
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
    /// The file rules of file `file`.
    case fileRules(file: Int)
    /// The item rules on some top-level items (with their sub-items) of file `file`.
    case items(file: Int, items: ArraySlice<Item>)

    struct Result: Sendable {
      var diagnostics: [Diagnostic] = []
      var workspaceDiagnostics: [(file: Int, diagnostic: Diagnostic)] = []
      var counters = CheckCounters()
    }

    /// The tasks of one file: its file rules, and its items in one chunk, or, for a large file,
    /// in several chunks per core (a thread that finishes early takes the next).
    static func tasks(of facts: FileFacts, index: Int, parallel: Bool) -> [CheckTask] {
      let items = facts.document.topLevelItems
      let count = items.count
      let chunks = parallel && count >= Lowering.parallelThreshold ? Swift.min(ProcessorInfo.activeCores * 4, count / 32) : 1
      return [.fileRules(file: index)] + (0..<chunks).map { .items(file: index, items: items[(count * $0 / chunks)..<(count * ($0 + 1) / chunks)]) }
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
      case .fileRules(let file):
        runFileRules(files[file], into: &result.diagnostics, counters: &result.counters)
      case .items(let file, let items):
        runItemRules(files[file], on: items, into: &result.diagnostics, counters: &result.counters)
      }
      return result
    }
  }

  static func runFileRules(_ facts: FileFacts, into diagnostics: inout [Diagnostic], counters: inout CheckCounters) {
    for rule in RuleRegistry.fileRules {
      guard let severity = facts.configuration.severity(of: rule.descriptor) else { continue }
      var context = RuleContext(file: facts, descriptor: rule.descriptor, severity: severity)
      rule.check(&context)
      diagnostics += context.diagnostics
      counters = counters + context.counters
    }
  }

  /// One walk over `items` (and their sub-items) runs every item rule; each rule keeps one
  /// context, and all share one scratch.
  static func runItemRules(_ facts: FileFacts, on items: ArraySlice<Item>, into diagnostics: inout [Diagnostic], counters: inout CheckCounters) {
    let scratch = ItemScratch()
    var itemRules = RuleRegistry.itemRules.compactMap { rule in
      facts.configuration.severity(of: rule.descriptor).map {
        (rule: rule, context: RuleContext(file: facts, descriptor: rule.descriptor, severity: $0, scratch: scratch))
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
    for item in items { visit(item, ancestors: []) }
    counters.items += count
    for entry in itemRules {
      diagnostics += entry.context.diagnostics
      counters = counters + entry.context.counters
    }
  }


  /// Parses and lowers one file, without running rules.
  public static func parse(_ source: SourceFile, configuration: Configuration = .default) -> FileFacts {
    source.bytes.withUnsafeBufferPointer { bytes in
      let tree = Parser.parse(bytes)
      let document = Lowering.lower(SyntaxNode(green: tree, offset: 0), source: source.bytes)
      return FileFacts(path: source.path, bytes: source.bytes, tree: tree, lineIndex: LineIndex(bytes), document: document, configuration: configuration)
    }
  }

  static func runWorkspaceRules(_ files: inout [FileAnalysis]) {
    let workspace = Workspace(files: files.map(\.facts))
    for rule in RuleRegistry.workspaceRules {
      let severities = files.map { $0.facts.configuration.severity(of: rule.descriptor) }
      guard severities.contains(where: { $0 != nil }) else { continue }
      var context = WorkspaceRuleContext(descriptor: rule.descriptor, severityOfFile: severities)
      rule.check(workspace, &context)
      for (file, diagnostic) in context.diagnostics { files[file].diagnostics.append(diagnostic) }
    }
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

extension Document {
  /// Items that are not inside another item, in order (sections flattened).
  public var topLevelItems: [Item] {
    var result: [Item] = []
    func visit(_ members: [Member]) {
      for member in members {
        switch member {
        case .item(let item): result.append(item)
        case .section(let section): visit(section.members)
        }
      }
    }
    visit(members)
    return result
  }
}
