import Testing
import YosanGenerator
import YosanSyntax
@testable import YosanCore

/// `FixApplier.compatible` (issue 16 §11): the same choice as comparing every edit with every edit
/// taken, in n log n instead of n².
struct FixApplierTests {
  /// The definition: a fix is taken when none of its edits conflicts with an edit taken before or
  /// with another of its own (every pair compared).
  static func reference(_ fixes: [Fix]) -> [Fix] {
    var taken: [TextRange] = []
    var result: [Fix] = []
    for fix in fixes {
      let ranges = fix.edits.map(\.range)
      var clashes = false
      for (index, range) in ranges.enumerated() {
        if taken.contains(where: { FixApplier.conflict($0, range) }) || ranges[..<index].contains(where: { FixApplier.conflict($0, range) }) {
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

  static func randomFixes(_ random: inout SplitMix64, count: Int, span: Int) -> [Fix] {
    (0..<count).map { index in
      let edits = (0..<(1 + random.below(3))).map { _ -> TextEdit in
        let start = random.below(span)
        // Empty insertions often, at the same places often: the hard cases of `conflict`.
        let length = random.below(3) == 0 ? 0 : random.below(4)
        return TextEdit(range: TextRange(start: start, end: start + length), replacement: "x")
      }
      return Fix(title: "fix \(index)", edits: edits, isSafe: true)
    }
  }

  @Test func agreesWithComparingEveryPair() {
    var random = SplitMix64(seed: 0xF1)
    for round in 0..<300 {
      let fixes = Self.randomFixes(&random, count: 1 + random.below(round < 200 ? 12 : 200), span: 1 + random.below(200))
      let chosen = FixApplier.compatible(fixes).map(\.title)
      let expected = Self.reference(fixes).map(\.title)
      #expect(chosen == expected, "\(fixes.map { $0.edits.map(\.range) })")
      if chosen != expected { return }
    }
  }

  @Test func chunksSplitAndStaySorted() {
    // Enough edits, inserted out of order, for the chunks to split many times.
    var random = SplitMix64(seed: 0xF2)
    var fixes: [Fix] = []
    for index in 0..<3_000 {
      let start = random.below(1_000_000) * 4
      fixes.append(Fix(title: "\(index)", edits: [TextEdit(range: TextRange(start: start, end: start + 2), replacement: "")], isSafe: true))
    }
    #expect(FixApplier.compatible(fixes).map(\.title) == Self.reference(fixes).map(\.title))
  }

  @Test func twentyThousandFixes() {
    // A quarter of the size (80,000 in `yosan-bench unbounded`): one full-width digit per
    // row of a breakdown.
    var text = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 20,000千円\n  内訳 {\n"
    for index in 0..<20_000 { text += "    行\(index) = １千円\n" }
    text += "  }\n}\n"
    let outcome = FixApplier.applySafeFixes(to: [SourceFile(path: "a.yosan", text: text)], configuration: { _ in .default }, maximumRounds: 1)
    #expect(outcome.counts["a.yosan"] == 20_000)
    let fixed = String(decoding: outcome.fixed["a.yosan"] ?? [], as: UTF8.self)
    #expect(fixed.contains("    行19999 = 1千円\n"))
    #expect(!fixed.contains("１"))
  }
}
