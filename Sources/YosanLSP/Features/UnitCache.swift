import YosanCore
import YosanSyntax

/// What the whole-document features (semantic tokens, inlay hints, folding ranges, document
/// symbols) derived from one unit, kept relative to the unit's start (offsets) or first line
/// (folds) while the unit is the same (`AnalysisSession.UnitHandle.key`). After an edit, a
/// whole-document request computes the units the edit made and moves the others' results; a
/// range request looks at the units in its range only.
final class UnitDerived {
  /// The unit's record in the session: held so that its key is never reused meanwhile.
  let owner: AnyObject
  var tokens: [SemanticTokensFeature.Token]?
  var hints: [SumsFeature.Hint]?
  var folds: (blocks: [LanguageServer.Fold], comments: [LanguageServer.Fold])?
  var symbol: Symbol?

  init(owner: AnyObject) { self.owner = owner }
}

/// A document a request names, with its units in order.
struct FileUnits {
  let file: FileContext
  let units: [AnalysisSession.UnitHandle]
  /// Where each unit starts now, for the syntax walks that leave units out.
  var starts: Set<Int> { Set(units.map(\.node.offset)) }

  /// The units whose range meets `window` (touching counts), found by bisection.
  func units(meeting window: TextRange) -> ArraySlice<AnalysisSession.UnitHandle> {
    var low = 0
    var high = units.count
    while low < high {
      let mid = (low + high) / 2
      if units[mid].node.range.end < window.start { low = mid + 1 } else { high = mid }
    }
    var end = low
    while end < units.count, units[end].node.range.start <= window.end { end += 1 }
    return units[low..<end]
  }
}

extension LanguageServer {
  /// The document a request names and its units (none for a configuration file, whose syntax the
  /// features read as a shell). Its shell (header, sections) is exact; a unit's item is made exact
  /// on demand (`exactItem`), only when nothing is kept for it.
  func fileUnits(_ params: ParamReader) throws(ResponseError) -> FileUnits {
    let file = try file(params, model: false)
    if let document = documents[file.uri], LanguageServer.isConfigurationFile(document.path) { return FileUnits(file: file, units: []) }
    guard let found = session.units(of: file.path) else { return FileUnits(file: file, units: []) }
    return FileUnits(file: file, units: found.units)
  }

  /// What is kept for `unit` of `path` (made empty on first use).
  func derived(_ unit: AnalysisSession.UnitHandle, path: String) -> UnitDerived {
    if let found = unitCache[path]?[unit.key] { return found }
    let made = UnitDerived(owner: unit.owner)
    unitCache[path, default: [:]][unit.key] = made
    return made
  }

  /// What `slot` keeps for `unit`, where the unit stands now: computed by `compute` (given the
  /// unit's item where it stands) and kept relative to the unit's start when nothing is kept yet.
  func kept<Value>(
    _ unit: AnalysisSession.UnitHandle, path: String, _ slot: ReferenceWritableKeyPath<UnitDerived, [Value]?>,
    shift: (Value, Int) -> Value, compute: (Item) -> [Value]
  ) -> [Value] {
    let start = unit.node.offset
    let derived = derived(unit, path: path)
    if derived[keyPath: slot] == nil { derived[keyPath: slot] = compute(exactItem(unit, path: path)).map { shift($0, -start) } }
    return derived[keyPath: slot]!.map { shift($0, start) }
  }

  /// The unit's item where it stands now.
  func exactItem(_ unit: AnalysisSession.UnitHandle, path: String) -> Item { session.exactItem(unit, of: path) }

  /// Forgets what was kept for units the file no longer has (each holds its unit's model), once
  /// the cache holds 256 entries more than the file has units: after a whole-document request,
  /// which walks the units anyway; after a range request, only once it holds twice as many, so
  /// that the walk is paid for by as many units computed.
  func pruneUnitCache(_ units: FileUnits, whole: Bool) {
    let limit = units.units.count * (whole ? 1 : 2) + 256
    guard let cache = unitCache[units.file.path], cache.count > limit else { return }
    var kept: [ObjectIdentifier: UnitDerived] = [:]
    for unit in units.units { if let found = cache[unit.key] { kept[unit.key] = found } }
    unitCache[units.file.path] = kept
  }

  /// Every 256 units, gives up when an edit to the document arrived meanwhile.
  func checkStale(_ index: Int) throws(ResponseError) {
    if index & 255 == 255 { try abandonIfStale() }
  }
}
