import YosanSyntax

/// Applies fixes to text: the engine behind `yosan check --fix` and `--diff`, and the editor's
/// "fix all" action. No I/O: bytes in, bytes out.
public enum FixApplier {
  /// True when two edits cannot both be applied: their ranges overlap, or both insert at the same
  /// place, or one inserts strictly inside the other's range. Edits that only touch are compatible.
  public static func conflict(_ a: TextRange, _ b: TextRange) -> Bool {
    if a.isEmpty && b.isEmpty { return a.start == b.start }
    if a.isEmpty { return b.start < a.start && a.start < b.end }
    if b.isEmpty { return a.start < b.start && b.start < a.end }
    return Swift.max(a.start, b.start) < Swift.min(a.end, b.end)
  }

  /// The fixes that can be applied together, chosen in order: a fix is taken whole, or not at all
  /// when one of its edits conflicts with an edit already taken (or with another of its own).
  /// The edits taken are kept sorted, so each check is a search: n fixes cost n log n.
  public static func compatible(_ fixes: [Fix]) -> [Fix] {
    var taken = TakenEdits()
    var result: [Fix] = []
    for fix in fixes {
      var own = TakenEdits()
      var clashes = false
      for edit in fix.edits {
        if taken.conflicts(with: edit.range) || own.conflicts(with: edit.range) {
          clashes = true
          break
        }
        own.insert(edit.range)
      }
      guard !clashes else { continue }
      for edit in fix.edits { taken.insert(edit.range) }
      result.append(fix)
    }
    return result
  }

  /// Ranges that pairwise do not conflict, sorted by start (then end), in chunks of at most
  /// `chunk` ranges, so that inserting one anywhere moves at most a chunk.
  struct TakenEdits {
    static let chunk = 512
    private var chunks: [[TextRange]] = []

    static func before(_ a: TextRange, _ b: TextRange) -> Bool { a.start != b.start ? a.start < b.start : a.end < b.end }

    /// The chunk and the index in it of the first range not before `range`.
    private func position(of range: TextRange) -> (chunk: Int, index: Int) {
      var low = 0
      var high = chunks.count
      // The first chunk whose last range is not before `range`.
      while low < high {
        let mid = (low + high) / 2
        if TakenEdits.before(chunks[mid][chunks[mid].count - 1], range) { low = mid + 1 } else { high = mid }
      }
      guard low < chunks.count else { return (chunks.count, 0) }
      let ranges = chunks[low]
      var a = 0
      var b = ranges.count
      while a < b {
        let mid = (a + b) / 2
        if TakenEdits.before(ranges[mid], range) { a = mid + 1 } else { b = mid }
      }
      return (low, a)
    }

    private func range(_ chunk: Int, _ index: Int, offset: Int) -> TextRange? {
      var chunk = chunk
      var index = index + offset
      while chunk < chunks.count, index >= chunks[chunk].count {
        index -= chunks[chunk].count
        chunk += 1
      }
      while index < 0 {
        chunk -= 1
        guard chunk >= 0 else { return nil }
        index += chunks[chunk].count
      }
      return chunk < chunks.count ? chunks[chunk][index] : nil
    }

    /// True when `range` conflicts with a range in the set. The ranges in the set do not overlap
    /// (they may touch, and one may be empty where another starts), so only the range just before
    /// `range` in the order and the first one or two after it can conflict.
    func conflicts(with range: TextRange) -> Bool {
      let (chunk, index) = position(of: range)
      if let previous = self.range(chunk, index, offset: -1), !previous.isEmpty, FixApplier.conflict(previous, range) { return true }
      guard let next = self.range(chunk, index, offset: 0) else { return false }
      if FixApplier.conflict(next, range) { return true }
      // An empty range where `range` starts conflicts with nothing but an empty one: look past it.
      if next.isEmpty, next.start == range.start, let after = self.range(chunk, index, offset: 1) { return FixApplier.conflict(after, range) }
      return false
    }

    mutating func insert(_ range: TextRange) {
      let (chunk, index) = position(of: range)
      if chunks.isEmpty {
        chunks.append([range])
        return
      }
      let target = Swift.min(chunk, chunks.count - 1)
      chunks[target].insert(range, at: chunk == chunks.count ? chunks[target].count : index)
      if chunks[target].count > 2 * TakenEdits.chunk {
        let upper = Array(chunks[target][TakenEdits.chunk...])
        chunks[target].removeSubrange(TakenEdits.chunk...)
        chunks.insert(upper, at: target + 1)
      }
    }
  }

  /// `bytes` with `edits` applied. The edits must not conflict (see `compatible`); ranges are
  /// clamped to the text.
  public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8] {
    let sorted = edits.sorted { $0.range.start != $1.range.start ? $0.range.start < $1.range.start : $0.range.end < $1.range.end }
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var cursor = 0
    for edit in sorted {
      let start = Swift.min(Swift.max(edit.range.start, cursor), bytes.count)
      let end = Swift.min(Swift.max(edit.range.end, start), bytes.count)
      result += bytes[cursor..<start]
      result += edit.replacement.utf8
      cursor = end
    }
    result += bytes[cursor...]
    return result
  }

  /// The outcome of fixing a set of files.
  public struct Outcome: Sendable {
    /// The new bytes of each file that changed, by path.
    public var fixed: [String: [UInt8]]
    /// How many fixes were applied to each file that changed.
    public var counts: [String: Int]
    /// The analysis of the fixed files: what is left.
    public var analysis: WorkspaceAnalysis
    /// True when fixes were still available after the last round.
    public var stoppedEarly: Bool
  }

  /// Applies every safe fix of every file, re-analysing after each round (a fix may reveal or
  /// resolve others), until no safe fix is left or `maximumRounds` rounds have run. Files are
  /// analysed together, as `yosan check` does.
  public static func applySafeFixes(
    to sources: [SourceFile], configuration: (String) -> Configuration, maximumRounds: Int = 10
  ) -> Outcome {
    let session = AnalysisSession()
    for source in sources { session.update(path: source.path, bytes: source.bytes, configuration: configuration(source.path)) }
    var fixed: [String: [UInt8]] = [:]
    var counts: [String: Int] = [:]
    var analysis = session.analyze()
    var rounds = 0
    var pending = true
    while rounds < maximumRounds {
      pending = false
      for file in analysis.files {
        let safe = file.diagnostics.flatMap { $0.fixes.filter(\.isSafe) }
        guard !safe.isEmpty else { continue }
        let chosen = compatible(safe)
        guard !chosen.isEmpty else { continue }
        let path = file.facts.path
        let updated = apply(chosen.flatMap(\.edits), to: file.facts.bytes)
        guard updated != file.facts.bytes else { continue }
        pending = true
        fixed[path] = updated
        counts[path, default: 0] += chosen.count
        session.update(path: path, bytes: updated, configuration: file.facts.configuration)
      }
      guard pending else { break }
      rounds += 1
      analysis = session.analyze()
    }
    let stillPending = rounds == maximumRounds && analysis.files.contains { $0.diagnostics.contains { $0.fixes.contains(where: \.isSafe) } }
    return Outcome(fixed: fixed, counts: counts, analysis: analysis, stoppedEarly: stillPending)
  }
}
