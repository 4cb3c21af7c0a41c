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
    /// Where it started when it was lowered and checked: `unit`, `diagnostics`, `definitions` and
    /// `invalidUTF8` are at that offset.
    private(set) var loweredAt: Int
    /// The line it started on when checked, if it had diagnostics (their messages may name lines).
    let loweredLine: Int?
    private(set) var unit: DocumentUnit
    private(set) var diagnostics: [Diagnostic]
    let counters: CheckCounters
    private(set) var definitions: [Workspace.Definition]
    /// Where the unit's bytes are not UTF-8.
    private(set) var invalidUTF8: FileFacts.InvalidUTF8?

    init(
      node: SyntaxNode, line: Int?, unit: DocumentUnit, diagnostics: [Diagnostic], counters: CheckCounters, invalidUTF8: FileFacts.InvalidUTF8?
    ) {
      green = node.green
      offset = node.offset
      loweredAt = node.offset
      loweredLine = diagnostics.isEmpty ? nil : line
      self.unit = unit
      self.diagnostics = diagnostics
      self.counters = counters
      definitions = Workspace.Definition.all(in: unit.item)
      self.invalidUTF8 = invalidUTF8
    }

    /// How far the unit moved since it was lowered.
    var delta: Int { offset - loweredAt }

    /// Puts everything where the unit is now, given the unit lowered again there.
    func moveHere(_ lowered: DocumentUnit) {
      let delta = self.delta
      unit = lowered
      diagnostics = diagnostics.map { $0.shifted(by: delta) }
      definitions = definitions.map { $0.shifted(by: delta) }
      invalidUTF8 = invalidUTF8.map { FileFacts.InvalidUTF8(offset: $0.offset + delta, length: $0.length, runs: $0.runs) }
      loweredAt = offset
    }
    /// The last refresh that found the unit.
    var generation = 0
    /// The record that replaced this one when its unit was edited without changing what the rules
    /// across files see of it (its ids and references, relative to its start).
    var successor: UnitRecord?

    /// The record that stands for this one now (following replacements).
    var current: UnitRecord {
      guard let next = successor else { return self }
      let last = next.current
      successor = last
      return last
    }
    /// Whether the rules across files see anything of the unit.
    var hasWorkspaceFacts: Bool { !definitions.isEmpty || !unit.references.isEmpty }

    /// What the rules across files see of the unit, with places relative to its start: a unit
    /// edited elsewhere than in its ids and references gives the same.
    var workspaceFacts: [String] {
      func place(_ range: TextRange) -> String { "\(range.start - loweredAt)+\(range.length)" }
      func reference(_ reference: Reference?) -> String { reference.map { "\($0.id)@\(place($0.range))" } ?? "-" }
      return definitions.map { "def \($0.id.id)@\(place($0.id.range)) \($0.start - loweredAt) \(reference($0.requestPartOf)) \(reference($0.previousPartOf))" }
        + unit.references.map { "ref \(reference($0))" }
    }
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
    /// Whether what the rules across files see of this file may have changed since they last ran:
    /// ids or references written or removed, lines added or removed (their messages name lines).
    var changedForWorkspace = true
    /// Whether the bytes may not be UTF-8 (kept up to date edit by edit; when set, a refresh asks
    /// whether the file is Shift_JIS).
    var mayNotBeUTF8: Bool

    init(bytes: [UInt8], configuration: Configuration) {
      self.bytes = bytes
      self.configuration = configuration
      tree = Parser.parse(bytes)
      lines = LineIndex(bytes)
      mayNotBeUTF8 = FileFacts.invalidUTF8(of: bytes) != nil
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
  /// The diagnostics of the rules across files when they last ran, with where each file's units
  /// were then: while no file changes for them, they are moved with the units, not run again.
  private var lastWorkspace: (paths: [String], diagnostics: [[Diagnostic]], layouts: [[(range: TextRange, record: UnitRecord)]])?
  private var generation = 0
  /// The analysis of the last `analyze()`, until something changes.
  private var lastAnalysis: WorkspaceAnalysis?

  /// How many units the last refresh of a file lowered and checked (for tests and traces).
  public private(set) var unitsCheckedLastTime = 0
  /// How many units that moved the last refresh of a file lowered again where they stand, so that
  /// the shell's findings that point at them are exact (for tests and traces).
  public private(set) var unitsMovedAndLoweredLastTime = 0
  /// How many units, and how many refreshes of a file, since the session began (for the traces of
  /// `yosan check --watch`).
  public private(set) var unitsChecked = 0
  public private(set) var filesRefreshed = 0

  /// The ids the records of every file define, for the suggestions of the rules across files:
  /// kept as records come and go rather than made again for every change.
  private(set) var idSuggestions = SuggestionIndex([], order: .alphabetical)

  /// Counts the ids of records that are kept from now on.
  private func keep(_ records: some Sequence<UnitRecord>) {
    for record in records { for definition in record.definitions { idSuggestions.insert(definition.id.id) } }
  }

  /// Forgets the ids of records that are no longer kept.
  private func drop(_ records: some Sequence<UnitRecord>) {
    for record in records { for definition in record.definitions { idSuggestions.remove(definition.id.id) } }
  }

  public init() {}

  /// How many units of `path` have records.
  func recordCount(path: String) -> Int { files[path]?.records.count ?? 0 }

  /// The paths in the session, in the order they were first added.
  public var paths: [String] { order }

  /// The current bytes of `path`, if it is in the session.
  public func bytes(of path: String) -> [UInt8]? { files[path]?.bytes }

  /// Whether the session holds `path` with these bytes and this configuration (so that setting
  /// them would change nothing).
  public func holds(path: String, bytes: [UInt8], configuration: Configuration) -> Bool {
    guard let state = files[path] else { return false }
    return state.configuration == configuration && state.bytes == bytes
  }

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
      drop(state.records.values)
      state.records = [:]
      state.result = nil
      state.changedForWorkspace = true
      invalidate()
    }
    guard let edit = AnalysisSession.edit(from: state.bytes, to: bytes, hint: changed) else { return }
    let isLineBreak: (UInt8) -> Bool = { $0 == 0x0A || $0 == 0x0D }
    if state.bytes[edit.range.start..<edit.range.end].contains(where: isLineBreak)
      || bytes[edit.range.start..<(edit.range.start + edit.inserted)].contains(where: isLineBreak)
    {
      state.changedForWorkspace = true
    }
    state.tree = bytes.withUnsafeBufferPointer { Parser.reparse(state.tree, replacing: edit.range, insertedLength: edit.inserted, in: $0) }
    state.mayNotBeUTF8 =
      state.mayNotBeUTF8 ? FileFacts.invalidUTF8(of: bytes) != nil : AnalysisSession.breaksUTF8(bytes, around: edit.range.start, inserted: edit.inserted)
    bytes.withUnsafeBufferPointer { state.lines.applyEdit(replacing: edit.range, insertedCount: edit.inserted, in: $0) }
    state.bytes = bytes
    state.result = nil
    invalidate()
  }

  /// A file read and analysed on its own, away from any session: what `prepare` makes (on any
  /// thread) and `adopt` takes in. The language server prepares the files it indexes in the
  /// background, so that a large workspace is parsed, lowered and checked while requests are
  /// answered.
  public struct PreparedFile: @unchecked Sendable {
    public let path: String
    let state: FileState
    let generation: Int
  }

  /// Parses, lowers and checks one file by itself (what `update` then `diagnostics` would do for
  /// a file new to a session, short of the rules across files). Touches no session: safe on any
  /// thread.
  public static func prepare(path: String, bytes: [UInt8], configuration: Configuration = .default) -> PreparedFile {
    let scratch = AnalysisSession()
    let state = FileState(bytes: bytes, configuration: configuration)
    _ = scratch.refresh(state, path: path)
    return PreparedFile(path: path, state: state, generation: scratch.generation)
  }

  /// Sets a file to a prepared one, as `update` with its bytes and configuration would (replacing
  /// what the session held for the path), keeping the work done in `prepare`.
  public func adopt(_ prepared: PreparedFile) {
    if let old = files[prepared.path] {
      drop(old.records.values)
    } else {
      order.append(prepared.path)
    }
    files[prepared.path] = prepared.state
    // Records are told apart from those of a later refresh by their generation.
    generation = Swift.max(generation, prepared.generation)
    keep(prepared.state.records.values)
    invalidate()
  }

  /// Puts the files in path order, the order `yosan check` analyses them in, so that the rules
  /// across files that name the first of several places (a duplicate id) name the same one.
  public func sortPaths() {
    let sorted = order.sorted()
    guard sorted != order else { return }
    order = sorted
    invalidate()
  }

  /// Removes a file from the session.
  public func remove(path: String) {
    guard let state = files.removeValue(forKey: path) else { return }
    drop(state.records.values)
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

  /// Whether text that was UTF-8 is not any more after `inserted` bytes replaced text at `start`:
  /// a bad sequence can only be among the inserted bytes or where they meet the old ones, so the
  /// characters around them are read, not the file.
  static func breaksUTF8(_ bytes: [UInt8], around start: Int, inserted: Int) -> Bool {
    func isContinuation(_ index: Int) -> Bool { bytes[index] & 0xC0 == 0x80 }
    var low = Swift.max(0, start - 4)
    while low > 0, isContinuation(low) { low -= 1 }
    var high = Swift.min(bytes.count, start + inserted + 4)
    while high < bytes.count, isContinuation(high) { high += 1 }
    return bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid($0, in: low..<high) } != nil
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
    var counters = CheckCounters()
    for result in results {
      var diagnostics = result.shellDiagnostics
      counters = counters + result.shellCounters
      for record in result.units {
        if !record.diagnostics.isEmpty {
          let delta = record.delta
          for diagnostic in record.diagnostics { diagnostics.append(diagnostic.shifted(by: delta)) }
        }
        counters = counters + record.counters
      }
      analyses.append(FileAnalysis(facts: result.facts, diagnostics: diagnostics))
    }
    let across = workspaceDiagnostics(results)
    for index in analyses.indices {
      analyses[index].diagnostics += across[index]
      Analyzer.applySuppressions(&analyses[index])
      analyses[index].diagnostics.sort(by: Analyzer.order)
    }
    let analysis = WorkspaceAnalysis(files: analyses, counters: counters)
    lastDiagnostics = analysis
    return analysis
  }

  /// The diagnostics of the rules across files, per file: run again when a file changed for them,
  /// else the last ones moved with their units.
  func workspaceDiagnostics(_ results: [FileResult]) -> [[Diagnostic]] {
    let changed = order.contains { files[$0]!.changedForWorkspace }
    if !changed, let last = lastWorkspace, last.paths == order {
      let byPath = Dictionary(uniqueKeysWithValues: zip(last.paths, last.layouts))
      return zip(last.diagnostics, last.layouts).map { diagnostics, layout in
        diagnostics.map { AnalysisSession.move($0, layout: layout, others: byPath) }
      }
    }
    var definitions: [[Workspace.Definition]] = []
    var references: [[Reference]] = []
    for result in results {
      var fileDefinitions: [Workspace.Definition] = []
      var fileReferences: [Reference] = []
      for record in result.units where record.hasWorkspaceFacts {
        let delta = record.delta
        for definition in record.definitions { fileDefinitions.append(definition.shifted(by: delta)) }
        for reference in record.unit.references { fileReferences.append(reference.shifted(by: delta)) }
      }
      definitions.append(fileDefinitions)
      references.append(fileReferences)
    }
    let workspace = Workspace(files: results.map(\.facts), definitions: definitions, references: references, idSuggestions: idSuggestions)
    let found = Analyzer.workspaceDiagnostics(workspace)
    let layouts = results.map { result in zip(result.nodes, result.units).map { (range: $0.range, record: $1) } }
    lastWorkspace = (order, found, layouts)
    for path in order { files[path]!.changedForWorkspace = false }
    return found
  }

  /// `diagnostic`, found when the file's units were at `layout` (and other files' at `others`),
  /// moved with them. Its places are in units (ids and references), whose records tell how far
  /// each moved since.
  static func move(
    _ diagnostic: Diagnostic, layout: [(range: TextRange, record: UnitRecord)], others: [String: [(range: TextRange, record: UnitRecord)]]
  ) -> Diagnostic {
    func delta(at offset: Int, in layout: [(range: TextRange, record: UnitRecord)]) -> Int {
      var low = 0
      var high = layout.count
      while low < high {
        let mid = (low + high) / 2
        if layout[mid].range.end <= offset { low = mid + 1 } else { high = mid }
      }
      guard low < layout.count, layout[low].range.start <= offset else { return 0 }
      return layout[low].record.current.offset - layout[low].range.start
    }
    var moved = diagnostic
    moved.range = diagnostic.range.shifted(by: delta(at: diagnostic.range.start, in: layout))
    for index in moved.related.indices {
      let place = moved.related[index]
      let placeLayout = place.path.map { others[$0] ?? [] } ?? layout
      moved.related[index].range = place.range.shifted(by: delta(at: place.range.start, in: placeLayout))
    }
    for fix in moved.fixes.indices {
      for edit in moved.fixes[fix].edits.indices {
        let range = moved.fixes[fix].edits[edit].range
        moved.fixes[fix].edits[edit].range = range.shifted(by: delta(at: range.start, in: layout))
      }
    }
    return moved
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

  /// The analysis of `path` exact where `window` is, at a cost that does not grow with the file:
  /// what a request about one place needs (hover, completion) right after an edit, when `analyze()`
  /// would lower again every unit the edit moved.
  ///
  /// When `window` lies inside one unit and units moved, the unit is lowered again where it
  /// stands, and the document holds the header, the sections around it and that unit only (the
  /// others are left out rather than shown where they were). Otherwise, the file's whole analysis.
  public func analysis(of path: String, exactIn window: TextRange) -> FileAnalysis? {
    if let lastAnalysis { return lastAnalysis.files.first { $0.facts.path == path } }
    let all = diagnostics()
    guard let index = order.firstIndex(of: path), let state = files[path], let result = state.result else { return nil }
    let analysis = all.files[index]
    if result.fresh { return analysis }
    guard let unit = result.nodes.firstIndex(where: { $0.range.start <= window.start && window.end <= $0.range.end }) else {
      return analyze().files[index]
    }
    let record = result.units[unit]
    if record.delta != 0 {
      let document = result.facts.document
      let settings = UnitSettings(defaultUnit: document.header?.unit?.value, documentKind: document.header?.kind?.value)
      record.moveHere(Lowering.lowerUnits([result.nodes[unit]], source: state.bytes, settings: settings)[0])
    }
    // The unit's item in the document (as lowered then) is replaced by the record's (as it is now).
    let stale = ObjectIdentifier(result.facts.document.units[unit].item)
    let range = result.nodes[unit].range
    func keep(_ members: [Member]) -> [Member] {
      members.compactMap { member in
        switch member {
        case .item(let item):
          return ObjectIdentifier(item) == stale ? .item(record.unit.item) : nil
        case .section(let section):
          guard section.range.start <= range.start, range.end <= section.range.end else { return nil }
          return .section(
            Section(SectionFields(range: section.range, keywordRange: section.keywordRange, title: section.title, total: section.total, members: keep(section.members))))
        }
      }
    }
    var document = result.facts.document
    document.members = keep(document.members)
    document.units = [record.unit]
    document.references = record.unit.references
    return FileAnalysis(facts: result.facts.with(document: document), diagnostics: analysis.diagnostics)
  }

  /// One unit of a file as the features that work unit by unit see it (semantic tokens, inlay
  /// hints, folding ranges, document symbols): where it stands now, and a key that stays the same
  /// while what the unit says relative to its start stays the same (the same syntax node, header
  /// and configuration), so that what a feature derived from it can be kept and moved with it.
  public struct UnitHandle {
    /// The unit's syntax node where it stands now.
    public let node: SyntaxNode
    let record: UnitRecord

    /// Same key, same results relative to `node.offset`.
    public var key: ObjectIdentifier { ObjectIdentifier(record) }
    /// What the key is the identity of: hold it with anything kept by the key, so that the key is
    /// never reused for another unit meanwhile.
    public var owner: AnyObject { record }
  }

  /// The units of a file, in order, and its facts as `diagnostics()` has them: the text, tree, line
  /// index and the shell of the document (header, sections) are current; the items of the units
  /// may stand where they were lowered (use `exactItem`).
  public func units(of path: String) -> (facts: FileFacts, units: [UnitHandle])? {
    _ = diagnostics()
    guard let result = files[path]?.result else { return nil }
    return (result.facts, zip(result.nodes, result.units).map { UnitHandle(node: $0, record: $1) })
  }

  /// The unit's item where the unit stands now: lowered again there if it moved since it was
  /// lowered (at the cost of that unit only).
  public func exactItem(_ handle: UnitHandle, of path: String) -> Item {
    let record = handle.record
    if record.delta != 0, let state = files[path], let result = state.result {
      let header = result.facts.document.header
      let settings = UnitSettings(defaultUnit: header?.unit?.value, documentKind: header?.kind?.value)
      record.moveHere(Lowering.lowerUnits([handle.node], source: state.bytes, settings: settings)[0])
    }
    return record.unit.item
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
    if state.mayNotBeUTF8, let result = shiftJISResult(state, path: path) { return result }
    let root = SyntaxNode(green: state.tree, offset: 0)
    let header = AnalysisSession.headerText(root, bytes: state.bytes)
    if header != state.header {
      state.header = header
      drop(state.records.values)
      state.records = [:]
      state.changedForWorkspace = true
    }
    let old = state.records
    let (document, nodes) = Lowering.lowerWithUnitNodes(root, source: state.bytes, parallel: true) { _, _, node in
      old[node.green.identity]?.unit
    }
    // The bad bytes are known once the units are (below).
    var facts = FileFacts(
      path: path, bytes: state.bytes, tree: state.tree, lineIndex: state.lines, document: document, configuration: state.configuration,
      suppressions: SuppressionComments.read(tree: state.tree, bytes: state.bytes, lineIndex: state.lines), invalidUTF8: nil)
    // Which units keep their record, and which are lowered (if need be) and checked now.
    generation += 1
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
          record.generation = generation
          records[index] = record
        }
      } else {
        toCheck.append(index)
      }
    }
    unitsCheckedLastTime = toCheck.count
    unitsMovedAndLoweredLastTime = 0
    unitsChecked += toCheck.count
    filesRefreshed += 1
    var units = document.units
    if !relower.isEmpty {
      let settings = UnitSettings(defaultUnit: document.header?.unit?.value, documentKind: document.header?.kind?.value)
      let fresh = Lowering.lowerUnits(relower.map { nodes[$0] }, source: state.bytes, settings: settings)
      for (index, unit) in zip(relower, fresh) { units[index] = unit }
    }
    let checked = AnalysisSession.check(facts, units: toCheck.map { units[$0] }, nodes: toCheck.map { nodes[$0] })
    var added: [UnitRecord] = []
    for (index, result) in zip(toCheck, checked) {
      let invalid = AnalysisSession.invalidUTF8(state.bytes, in: nodes[index].range)
      let record = UnitRecord(
        node: nodes[index], line: state.lines.line(containing: nodes[index].offset), unit: units[index], diagnostics: result.diagnostics,
        counters: result.counters, invalidUTF8: invalid)
      record.generation = generation
      records[index] = record
      added.append(record)
    }
    // Units gone or replaced leave; the rules across files run again if what they see changed
    // (typing in a title leaves the item's id and references as they were).
    // Units with ids or references that were replaced by units that show the same are linked to
    // them, so that places found by those rules can follow.
    var gone: [UnitRecord] = []
    for (identity, record) in state.records where record.generation != generation {
      if record.hasWorkspaceFacts { gone.append(record) }
      state.records[identity] = nil
    }
    drop(gone)
    for record in added { state.records[record.green.identity] = record }
    keep(added)
    gone.sort { $0.offset < $1.offset }
    let replacements = added.filter(\.hasWorkspaceFacts)
    if gone.count == replacements.count, zip(gone, replacements).allSatisfy({ $0.workspaceFacts == $1.workspaceFacts }) {
      for (old, new) in zip(gone, replacements) { old.successor = new }
    } else {
      state.changedForWorkspace = true
    }
    let ordered = records.map { $0! }
    facts = facts.with(invalidUTF8: AnalysisSession.invalidUTF8(state.bytes, units: ordered, nodes: nodes))
    var result = FileResult(facts: facts, units: ordered, nodes: nodes, shellDiagnostics: [], shellCounters: CheckCounters(), fresh: false)
    // Units lowered again (their lines moved) are not yet in the document, which holds their old
    // lowering: it is exact only when nothing moved.
    result.fresh = relower.isEmpty && ordered.allSatisfy { $0.delta == 0 }
    var shell: [Diagnostic] = []
    var shellCounters = CheckCounters()
    Analyzer.checkShell(facts, units: nodes, into: &shell, counters: &shellCounters)
    if !result.fresh && shell.contains(where: AnalysisSession.pointsAtItems) {
      // The shell read items that moved (a section's total and its members) and points at them:
      // check it again with the items of those sections where they stand now (the others' values
      // are the same wherever they stand, so the shell finds the same there), or with every item
      // when a place is outside the sections made exact.
      var sections = AnalysisSession.sections(around: shell.filter(AnalysisSession.pointsAtItems), in: facts.document)
      for attempt in 0..<2 {
        result = materialize(state, result, within: attempt == 0 ? sections : nil)
        facts = result.facts
        shell = []
        shellCounters = CheckCounters()
        Analyzer.checkShell(facts, units: nodes, into: &shell, counters: &shellCounters)
        guard let exact = sections else { break }
        let places = shell.filter(AnalysisSession.pointsAtItems).flatMap { diagnostic in
          [diagnostic.range] + diagnostic.related.filter { $0.path == nil }.map(\.range) + diagnostic.fixes.flatMap { $0.edits.map(\.range) }
        }
        if places.allSatisfy({ place in exact.contains { $0.start <= place.start && place.end <= $0.end } }) { break }
        sections = nil
      }
    }
    result.shellDiagnostics = shell
    result.shellCounters = shellCounters
    state.result = result
    return result
  }

  /// The result of a Shift_JIS file (as `Analyzer.parse` reads it: its one finding, no model), or
  /// nil when the file is not one. Its units' records go: read as UTF-8 they were nonsense.
  func shiftJISResult(_ state: FileState, path: String) -> FileResult? {
    let invalid = FileFacts.invalidUTF8(of: state.bytes)
    guard FileFacts.isShiftJIS(state.bytes, invalid: invalid) else { return nil }
    state.records = [:]
    state.header = nil
    state.changedForWorkspace = true
    unitsCheckedLastTime = 0
    filesRefreshed += 1
    let facts = FileFacts(
      path: path, bytes: state.bytes, tree: state.tree, lineIndex: state.lines, document: Document(), configuration: state.configuration,
      suppressions: SuppressionComments(), invalidUTF8: invalid, isShiftJIS: true)
    var shell: [Diagnostic] = []
    var counters = CheckCounters()
    Analyzer.checkShell(facts, units: [], into: &shell, counters: &counters)
    let result = FileResult(facts: facts, units: [], nodes: [], shellDiagnostics: shell, shellCounters: counters, fresh: true)
    state.result = result
    return result
  }

  /// Whether a shell diagnostic points at items (whose places must then be exact).
  static func pointsAtItems(_ diagnostic: Diagnostic) -> Bool { RuleRegistry.shellRulesReportingItemPlaces.contains(diagnostic.ruleID) }

  /// The ranges of the top-level sections that hold `diagnostics`, or nil when one is outside
  /// every section.
  static func sections(around diagnostics: [Diagnostic], in document: Document) -> [TextRange]? {
    var ranges: [TextRange] = []
    for diagnostic in diagnostics {
      let found = document.members.lazy.compactMap { member -> TextRange? in
        guard case .section(let section) = member, section.range.start <= diagnostic.range.start, diagnostic.range.end <= section.range.end else { return nil }
        return section.range
      }.first
      guard let found else { return nil }
      if !ranges.contains(found) { ranges.append(found) }
    }
    return ranges
  }

  /// The result with every moved unit (inside `within`, when given) lowered again where it stands,
  /// and the document made of them.
  func materialize(_ state: FileState, _ result: FileResult, within: [TextRange]? = nil) -> FileResult {
    let moved = result.units.filter { record in
      record.delta != 0 && (within?.contains { $0.start <= record.offset && record.offset < $0.end } ?? true)
    }
    unitsMovedAndLoweredLastTime += moved.count
    if !moved.isEmpty {
      let document = result.facts.document
      let settings = UnitSettings(defaultUnit: document.header?.unit?.value, documentKind: document.header?.kind?.value)
      let nodes = moved.map { SyntaxNode(green: $0.green, offset: $0.offset) }
      let lowered = Lowering.lowerUnits(nodes, source: state.bytes, settings: settings)
      for (record, unit) in zip(moved, lowered) { record.moveHere(unit) }
    }
    let records = state.records
    let root = SyntaxNode(green: state.tree, offset: 0)
    let document = Lowering.lower(root, source: state.bytes, parallel: true) { _, _, node in records[node.green.identity]?.unit }
    var fresh = result
    fresh.facts = result.facts.with(document: document)
    fresh.fresh = within == nil || result.units.allSatisfy { $0.delta == 0 }
    return fresh
  }

  /// Checks each unit on its own (in parallel when there are many): its diagnostics and counters.
  static func check(_ facts: FileFacts, units: [DocumentUnit], nodes: [SyntaxNode]) -> [(diagnostics: [Diagnostic], counters: CheckCounters)] {
    var results = [[(diagnostics: [Diagnostic], counters: CheckCounters)]](repeating: [], count: Swift.min(ProcessorInfo.activeCores, 8))
    let chunks = units.count >= Lowering.parallelThreshold ? results.count : 1
    results.withUnsafeMutableBufferPointer { buffer in
      let output = UnsafeMutableSendableBuffer(buffer)
      let work: @Sendable (Int) -> Void = { chunk in
        let range = (units.count * chunk / chunks)..<(units.count * (chunk + 1) / chunks)
        output.buffer[chunk] = Analyzer.checkUnitsSeparately(facts, units[range], nodes: Array(nodes[range]))
      }
      if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
    }
    return results.flatMap { $0 }
  }

  /// Where `range` of `bytes` is not UTF-8.
  static func invalidUTF8(_ bytes: [UInt8], in range: TextRange) -> FileFacts.InvalidUTF8? {
    let found = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid($0, in: range.start..<range.end) }
    return found.map { FileFacts.InvalidUTF8(offset: $0.offset, length: $0.length, runs: $0.runs) }
  }

  /// Where the file is not UTF-8: the units' findings (moved to where the units are) and the
  /// shell's, scanned now. No sequence crosses a unit's bounds (a unit starts with its keyword and
  /// ends with `}`), so the runs add up.
  static func invalidUTF8(_ bytes: [UInt8], units: [UnitRecord], nodes: [SyntaxNode]) -> FileFacts.InvalidUTF8? {
    var first: FileFacts.InvalidUTF8?
    var runs = 0
    func add(_ found: FileFacts.InvalidUTF8?) {
      guard let found else { return }
      runs += found.runs
      if first == nil || found.offset < first!.offset { first = found }
    }
    var start = 0
    for (record, node) in zip(units, nodes) {
      if node.offset > start { add(invalidUTF8(bytes, in: TextRange(start: start, end: node.offset))) }
      add(record.invalidUTF8.map { FileFacts.InvalidUTF8(offset: $0.offset + record.delta, length: $0.length, runs: $0.runs) })
      start = node.range.end
    }
    if bytes.count > start { add(invalidUTF8(bytes, in: TextRange(start: start, end: bytes.count))) }
    guard var result = first else { return nil }
    result.runs = runs
    return result
  }

  /// The text of the file's header block (the first 予算 block), whose settings every unit reads.
  ///
  /// A header whose `}` comes after 分野 and 事業 blocks holds units (`Lowering.unitNodes`): their
  /// text is left out, so that an edit in one of them keeps the other units' records. What comes
  /// after the first of them, other than blanks, units and the `}`, is kept with its place, since
  /// the units may point at the header's entries.
  static func headerText(_ root: SyntaxNode, bytes: [UInt8]) -> [UInt8]? {
    bytes.withUnsafeBufferPointer { buffer in
      for node in root.childNodes where node.kind == .block && BlockSyntax(node: node, bytes: buffer).blockKind == .budget {
        var text: [UInt8] = []
        var pastUnits = false
        var offset = node.offset
        for child in node.green.children {
          defer { offset += child.textLength }
          if case .node(let inner) = child, inner.kind == .block {
            let kind = BlockSyntax.kind(of: SyntaxNode(green: inner, offset: offset), bytes: buffer)
            if kind == .item || kind == .section {
              pastUnits = true
              continue
            }
          }
          if pastUnits {
            if case .token(let token) = child, token.kind.isTrivia || token.kind == .rightBrace { continue }
            // Its place, then its text.
            withUnsafeBytes(of: UInt64(offset - node.offset)) { text.append(contentsOf: $0) }
          }
          text.append(contentsOf: buffer[offset..<(offset + child.textLength)])
        }
        return text
      }
      return nil
    }
  }
}
