import Dispatch
import YosanSyntax

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A set of files analysed together that changes over time: the editor's workspace.
///
/// The language server keeps one session. It tells the session what changed (`update`, `remove`)
/// and asks for results: `diagnostics()` after every edit, `analyze()` when a feature needs the
/// model. The results are those of `Analyzer.analyze` on the same files; the session gets them
/// with work proportional to the edit:
///
/// - the tree is re-parsed from the innermost block the edit leaves self-contained
///   (`Parser.reparse`), so unchanged items keep their syntax nodes;
/// - each unit (an item that is a member of the file or of a section; see `CheckPart`) keeps its
///   lowering, its diagnostics and its item definitions while its syntax node and the file's header
///   are the same; when text before it grows or shrinks, they move with it (`offset - loweredAt`)
///   and are not computed again. A unit with diagnostics whose first line moved is checked again,
///   since messages name lines;
/// - the shell (header, sections, text between blocks) and the rules across files run again on
///   every change; they see units' definitions and values, which are cheap to move;
/// - `analyze()` lowers again, at their new places, only the units that moved since they were
///   lowered, so that every range of the model is exact.
public final class AnalysisSession: @unchecked Sendable {
  /// One unit as the session keeps it.
  final class UnitRecord {
    /// The unit's syntax node, by identity: the record is valid while the tree holds this node.
    let green: GreenNode
    /// Where the unit starts now.
    var offset: Int
    /// Where it started when it was lowered and checked: `unit`, `diagnostics` and `definitions`
    /// are at that offset.
    let loweredAt: Int
    /// The line it started on when checked, if it had diagnostics (their messages may name lines).
    let loweredLine: Int?
    let unit: DocumentUnit
    let diagnostics: [Diagnostic]
    let counters: CheckCounters
    let definitions: [Workspace.Definition]

    init(node: SyntaxNode, line: Int?, unit: DocumentUnit, diagnostics: [Diagnostic], counters: CheckCounters) {
      green = node.green
      offset = node.offset
      loweredAt = node.offset
      loweredLine = diagnostics.isEmpty ? nil : line
      self.unit = unit
      self.diagnostics = diagnostics
      self.counters = counters
      definitions = Workspace.Definition.all(in: unit.item)
    }

    /// How far the unit moved since it was lowered.
    var delta: Int { offset - loweredAt }
  }

  /// What the session knows about one file.
  final class FileState {
    var bytes: [UInt8]
    var configuration: Configuration
    var tree: GreenNode
    var lines: LineIndex
    /// The text of the header block when the records were made: they are valid only with it.
    var header: [UInt8]?
    /// The units of the last refresh, by the identity of their syntax nodes.
    var records: [ObjectIdentifier: UnitRecord] = [:]
    /// The last refresh, until the file changes.
    var result: FileResult?

    init(bytes: [UInt8], configuration: Configuration) {
      self.bytes = bytes
      self.configuration = configuration
      tree = Parser.parse(bytes)
      lines = LineIndex(bytes)
    }
  }

  /// One refreshed file.
  struct FileResult {
    /// The file's facts. The document's items are those of the records: some may still stand
    /// where their unit was lowered (`fresh` tells).
    var facts: FileFacts
    /// The units, in order, with their syntax nodes.
    var units: [UnitRecord]
    var nodes: [SyntaxNode]
    var shellDiagnostics: [Diagnostic]
    var shellCounters: CheckCounters
    /// Whether every unit stands where it was lowered, so the document's ranges are exact.
    var fresh: Bool
  }

  private var files: [String: FileState] = [:]
  private var order: [String] = []
  /// The diagnostics of the last `diagnostics()`, until something changes.
  private var lastDiagnostics: WorkspaceAnalysis?
  /// The analysis of the last `analyze()`, until something changes.
  private var lastAnalysis: WorkspaceAnalysis?

  /// How many units the last refresh of a file lowered and checked (for tests and traces).
  private(set) var recordsCheckedLastTime = 0

  public init() {}

  /// How many units of `path` have records.
  func recordCount(path: String) -> Int { files[path]?.records.count ?? 0 }

  /// The paths in the session, in the order they were first added.
  public var paths: [String] { order }

  /// The current bytes of `path`, if it is in the session.
  public func bytes(of path: String) -> [UInt8]? { files[path]?.bytes }

  /// The current line index of `path`, if it is in the session.
  public func lines(of path: String) -> LineIndex? { files[path]?.lines }

  // MARK: - Changes

  /// Sets the contents (and configuration) of a file; adds it if it is new.
  ///
  /// - Parameter changed: the byte range of the old text that was replaced, when the caller
  ///   knows it (an editor's incremental change). A hint only: it is checked against the text, and
  ///   the results never depend on it.
  public func update(path: String, bytes: [UInt8], configuration: Configuration = .default, changed: TextRange? = nil) {
    guard let state = files[path] else {
      order.append(path)
      files[path] = FileState(bytes: bytes, configuration: configuration)
      invalidate()
      return
    }
    if state.configuration != configuration {
      state.configuration = configuration
      state.records = [:]
      state.result = nil
      invalidate()
    }
    guard let edit = AnalysisSession.edit(from: state.bytes, to: bytes, hint: changed) else { return }
    state.tree = bytes.withUnsafeBufferPointer { Parser.reparse(state.tree, replacing: edit.range, insertedLength: edit.inserted, in: $0) }
    bytes.withUnsafeBufferPointer { state.lines.applyEdit(replacing: edit.range, insertedCount: edit.inserted, in: $0) }
    state.bytes = bytes
    state.result = nil
    invalidate()
  }

  /// Removes a file from the session.
  public func remove(path: String) {
    guard files.removeValue(forKey: path) != nil else { return }
    order.removeAll { $0 == path }
    invalidate()
  }

  private func invalidate() {
    lastDiagnostics = nil
    lastAnalysis = nil
  }

  /// The smallest replacement that turns `old` into `new` (nil when they are equal): the range of
  /// `old` replaced and how many bytes replace it. `hint` (the range the caller says it replaced)
  /// is used when the text around it is indeed unchanged.
  static func edit(from old: [UInt8], to new: [UInt8], hint: TextRange?) -> (range: TextRange, inserted: Int)? {
    old.withUnsafeBufferPointer { a in
      new.withUnsafeBufferPointer { b in
        if let hint, hint.start >= 0, hint.end <= a.count, hint.start <= hint.end {
          let inserted = b.count - (a.count - hint.length)
          if inserted >= 0, equalBytes(a, 0, b, 0, count: hint.start),
            equalBytes(a, hint.end, b, hint.start + inserted, count: a.count - hint.end)
          {
            return (hint, inserted)
          }
        }
        let limit = Swift.min(a.count, b.count)
        let prefix = commonPrefix(a, b, limit: limit)
        if prefix == a.count && prefix == b.count { return nil }
        let suffix = commonSuffix(a, b, limit: limit - prefix)
        return (TextRange(start: prefix, end: a.count - suffix), b.count - suffix - prefix)
      }
    }
  }

  static func equalBytes(_ a: UnsafeBufferPointer<UInt8>, _ i: Int, _ b: UnsafeBufferPointer<UInt8>, _ j: Int, count: Int) -> Bool {
    guard count > 0 else { return true }
    return memcmp(a.baseAddress! + i, b.baseAddress! + j, count) == 0
  }

  /// How many bytes `a` and `b` share at their start (at most `limit`), compared a block at a time.
  static func commonPrefix(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
    var index = 0
    let block = 4096
    while index + block <= limit, equalBytes(a, index, b, index, count: block) { index += block }
    while index < limit, a[index] == b[index] { index += 1 }
    return index
  }

  /// How many bytes `a` and `b` share at their end (at most `limit`).
  static func commonSuffix(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
    var count = 0
    let block = 4096
    while count + block <= limit, equalBytes(a, a.count - count - block, b, b.count - count - block, count: block) { count += block }
    while count < limit, a[a.count - count - 1] == b[b.count - count - 1] { count += 1 }
    return count
  }

  // MARK: - Results

  /// The diagnostics of every file (and the counters), as `Analyzer.analyze` reports them. The
  /// files' facts hold the current text and tree; their documents may hold items that still stand
  /// where they were lowered: use `analyze()` for the model.
  public func diagnostics() -> WorkspaceAnalysis {
    if let lastDiagnostics { return lastDiagnostics }
    let results = order.map { refresh(files[$0]!, path: $0) }
    var analyses: [FileAnalysis] = []
    var definitions: [[Workspace.Definition]] = []
    var references: [[Reference]] = []
    var counters = CheckCounters()
    for result in results {
      var diagnostics = result.shellDiagnostics
      var fileDefinitions: [Workspace.Definition] = []
      var fileReferences: [Reference] = []
      counters = counters + result.shellCounters
      for record in result.units {
        let delta = record.delta
        for diagnostic in record.diagnostics { diagnostics.append(diagnostic.shifted(by: delta)) }
        for definition in record.definitions { fileDefinitions.append(definition.shifted(by: delta)) }
        for reference in record.unit.references { fileReferences.append(reference.shifted(by: delta)) }
        counters = counters + record.counters
      }
      analyses.append(FileAnalysis(facts: result.facts, diagnostics: diagnostics))
      definitions.append(fileDefinitions)
      references.append(fileReferences)
    }
    let workspace = Workspace(files: analyses.map(\.facts), definitions: definitions, references: references)
    Analyzer.runWorkspaceRules(&analyses, workspace: workspace)
    for index in analyses.indices {
      Analyzer.applySuppressions(&analyses[index])
      analyses[index].diagnostics.sort(by: Analyzer.order)
    }
    let analysis = WorkspaceAnalysis(files: analyses, counters: counters)
    lastDiagnostics = analysis
    return analysis
  }

  /// Analyses every file that changed since the last call, then the rules across files; every
  /// file's document is exact (units that moved are lowered again where they are now).
  public func analyze() -> WorkspaceAnalysis {
    if let lastAnalysis { return lastAnalysis }
    var analysis = diagnostics()
    for index in analysis.files.indices {
      let path = analysis.files[index].facts.path
      let state = files[path]!
      guard let result = state.result, !result.fresh else { continue }
      let fresh = materialize(state, result)
      state.result = fresh
      analysis.files[index] = FileAnalysis(facts: fresh.facts, diagnostics: analysis.files[index].diagnostics)
    }
    lastAnalysis = analysis
    lastDiagnostics = analysis
    return analysis
  }

  /// The analysis of one file (with the rules across files applied), if it is in the session.
  public func analysis(of path: String) -> FileAnalysis? {
    analyze().files.first { $0.facts.path == path }
  }

  // MARK: - Refreshing one file

  /// The file's result, refreshed if it changed: units whose syntax node is the same keep their
  /// records; the others are lowered and checked; the shell is lowered and checked again.
  func refresh(_ state: FileState, path: String) -> FileResult {
    if let result = state.result { return result }
    let root = SyntaxNode(green: state.tree, offset: 0)
    let header = AnalysisSession.headerText(root, bytes: state.bytes)
    if header != state.header {
      state.header = header
      state.records = [:]
    }
    let old = state.records
    let (document, nodes) = Lowering.lowerWithUnitNodes(root, source: state.bytes, parallel: true) { _, _, node in
      old[node.green.identity]?.unit
    }
    var facts = FileFacts(
      path: path, bytes: state.bytes, tree: state.tree, lineIndex: state.lines, document: document, configuration: state.configuration)
    // Which units keep their record, and which are lowered (if need be) and checked now.
    var records = [UnitRecord?](repeating: nil, count: nodes.count)
    var toCheck: [Int] = []
    var relower: [Int] = []
    for (index, node) in nodes.enumerated() {
      if let record = old[node.green.identity], record.unit.item === document.units[index].item {
        record.offset = node.offset
        if let line = record.loweredLine, line != state.lines.line(containing: node.offset) {
          // Its messages may name lines that moved.
          relower.append(index)
          toCheck.append(index)
        } else {
          records[index] = record
        }
      } else {
        toCheck.append(index)
      }
    }
    recordsCheckedLastTime = toCheck.count
    var units = document.units
    if !relower.isEmpty {
      let settings = UnitSettings(defaultUnit: document.header?.unit?.value, documentKind: document.header?.kind?.value)
      let fresh = Lowering.lowerUnits(relower.map { nodes[$0] }, source: state.bytes, settings: settings)
      for (index, unit) in zip(relower, fresh) { units[index] = unit }
    }
    let checked = AnalysisSession.check(facts, units: toCheck.map { units[$0] }, nodes: toCheck.map { nodes[$0] })
    for (index, result) in zip(toCheck, checked) {
      records[index] = UnitRecord(
        node: nodes[index], line: state.lines.line(containing: nodes[index].offset), unit: units[index], diagnostics: result.diagnostics,
        counters: result.counters)
    }
    let ordered = records.map { $0! }
    var result = FileResult(facts: facts, units: ordered, nodes: nodes, shellDiagnostics: [], shellCounters: CheckCounters(), fresh: false)
    result.fresh = ordered.allSatisfy { $0.delta == 0 } && relower.isEmpty
    var shell: [Diagnostic] = []
    var shellCounters = CheckCounters()
    Analyzer.checkShell(facts, units: nodes, into: &shell, counters: &shellCounters)
    if !shell.isEmpty && !result.fresh {
      // The shell's diagnostics may point into items (a section's total and its members): check
      // it again with every item where it stands now.
      result = materialize(state, result)
      facts = result.facts
      shell = []
      shellCounters = CheckCounters()
      Analyzer.checkShell(facts, units: nodes, into: &shell, counters: &shellCounters)
    }
    result.shellDiagnostics = shell
    result.shellCounters = shellCounters
    state.records = Dictionary(uniqueKeysWithValues: result.units.map { ($0.green.identity, $0) })
    state.result = result
    return result
  }

  /// The result with every moved unit lowered again where it stands, and the document made of them.
  func materialize(_ state: FileState, _ result: FileResult) -> FileResult {
    let moved = result.units.indices.filter { result.units[$0].delta != 0 }
    var units = result.units
    if !moved.isEmpty {
      let document = result.facts.document
      let settings = UnitSettings(defaultUnit: document.header?.unit?.value, documentKind: document.header?.kind?.value)
      let lowered = Lowering.lowerUnits(moved.map { result.nodes[$0] }, source: state.bytes, settings: settings)
      for (index, unit) in zip(moved, lowered) {
        let record = result.units[index]
        units[index] = UnitRecord(
          node: result.nodes[index], line: record.loweredLine.map { _ in state.lines.line(containing: result.nodes[index].offset) }, unit: unit,
          diagnostics: record.diagnostics.map { $0.shifted(by: record.delta) }, counters: record.counters)
      }
    }
    let byIdentity = Dictionary(uniqueKeysWithValues: units.map { ($0.green.identity, $0) })
    let root = SyntaxNode(green: state.tree, offset: 0)
    let document = Lowering.lower(root, source: state.bytes, parallel: true) { _, _, node in byIdentity[node.green.identity]?.unit }
    var fresh = result
    fresh.units = units
    fresh.facts = result.facts.with(document: document)
    fresh.fresh = true
    state.records = byIdentity
    return fresh
  }

  /// Checks each unit on its own (in parallel when there are many): its diagnostics and counters.
  static func check(_ facts: FileFacts, units: [DocumentUnit], nodes: [SyntaxNode]) -> [(diagnostics: [Diagnostic], counters: CheckCounters)] {
    var results = [(diagnostics: [Diagnostic], counters: CheckCounters)](repeating: ([], CheckCounters()), count: units.count)
    let chunks = units.count >= Lowering.parallelThreshold ? Swift.min(ProcessorInfo.activeCores, 8) : 1
    results.withUnsafeMutableBufferPointer { buffer in
      let output = UnsafeMutableSendableBuffer(buffer)
      let work: @Sendable (Int) -> Void = { chunk in
        for index in (units.count * chunk / chunks)..<(units.count * (chunk + 1) / chunks) {
          var diagnostics: [Diagnostic] = []
          var counters = CheckCounters()
          Analyzer.checkUnits(facts, units[index...index], nodes: [nodes[index]], into: &diagnostics, counters: &counters)
          output.buffer[index] = (diagnostics, counters)
        }
      }
      if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
    }
    return results
  }

  /// The text of the file's header block (the first 予算 block), whose settings every unit reads.
  static func headerText(_ root: SyntaxNode, bytes: [UInt8]) -> [UInt8]? {
    bytes.withUnsafeBufferPointer { buffer in
      for node in root.childNodes where node.kind == .block && BlockSyntax(node: node, bytes: buffer).blockKind == .budget {
        return Array(buffer[node.range.start..<node.range.end])
      }
      return nil
    }
  }
}
