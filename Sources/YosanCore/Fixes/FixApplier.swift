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
  public static func compatible(_ fixes: [Fix]) -> [Fix] {
    var taken: [TextRange] = []
    var result: [Fix] = []
    for fix in fixes {
      let ranges = fix.edits.map(\.range)
      var clashes = false
      for (index, range) in ranges.enumerated() {
        if taken.contains(where: { conflict($0, range) }) || ranges[..<index].contains(where: { conflict($0, range) }) {
          clashes = true
          break
        }
      }
      guard !clashes else { continue }
      taken += ranges
      result.append(fix)
    }
    return result
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
