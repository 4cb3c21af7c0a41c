import YosanCore
import YosanSyntax

/// The properties the fuzz targets check, as plain functions returning a failure message or nil.
/// The libFuzzer targets in `Tests/Fuzz/Targets` trap on a failure; the regression tests replay
/// every input the fuzzers ever failed on (`Tests/Fuzz/Regressions`) through the same functions.
public enum FuzzChecks {
  /// Parse and analyse: the lossless round trip, and analysis that terminates with every
  /// diagnostic inside the text.
  public static func parseAndAnalyse(_ bytes: [UInt8]) -> String? {
    let tree = Parser.parse(bytes)
    guard tree.reconstructText(from: bytes) == bytes, tree.textLength == bytes.count else {
      return "round trip failed for \(bytes.count) bytes"
    }
    let analysis = Analyzer.analyze([SourceFile(path: "a.yosan", bytes: bytes), SourceFile(path: "b.yosan", bytes: bytes)])
    for file in analysis.files {
      for diagnostic in file.diagnostics {
        guard diagnostic.range.start >= 0, diagnostic.range.end <= bytes.count, diagnostic.range.start <= diagnostic.range.end else {
          return "diagnostic \(diagnostic.ruleID) out of range: \(diagnostic.range) in \(bytes.count) bytes"
        }
        for fix in diagnostic.fixes {
          for edit in fix.edits where edit.range.end > bytes.count {
            return "fix of \(diagnostic.ruleID) edits beyond the text: \(edit.range)"
          }
        }
        _ = file.facts.position(of: diagnostic.range.start)
      }
    }
    return nil
  }

  /// Format: refused only with syntax errors; otherwise idempotent, every significant token's
  /// bytes kept in order, the lowered model unchanged, and the alignment within its bound.
  public static func format(_ bytes: [UInt8]) -> String? {
    let facts = Analyzer.parse(SourceFile(path: "a.yosan", bytes: bytes))
    guard let formatted = Formatter.format(facts) else {
      return facts.tree.containsError ? nil : "the formatter refused a file without syntax errors"
    }
    if facts.tree.containsError { return "the formatter rewrote a file with syntax errors" }
    let again = Analyzer.parse(SourceFile(path: "a.yosan", bytes: formatted))
    if again.tree.containsError { return "formatting introduced a syntax error" }
    if Formatter.format(again) != formatted { return "formatting is not idempotent" }
    let before = significantTokens(facts)
    let after = significantTokens(again)
    if before != after {
      let index = zip(before, after).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(before.count, after.count)
      let show = { (tokens: [[UInt8]]) in index < tokens.count ? "\(tokens[index])" : "<none>" }
      return "formatting changed token \(index): \(show(before)) became \(show(after))"
    }
    if ModelFingerprint.of(again.document) != ModelFingerprint.of(facts.document) { return "formatting changed the model" }
    // Alignment is bounded: at most as many blanks as the layout without it has bytes.
    if let unaligned = Formatter.format(facts, aligned: false), formatted.count > 2 * unaligned.count {
      return "alignment more than doubled the layout: \(formatted.count) bytes, \(unaligned.count) unaligned"
    }
    return nil
  }

  /// Every token but whitespace and line breaks; comments without the blanks at their end,
  /// which the formatter drops.
  static func significantTokens(_ facts: FileFacts) -> [[UInt8]] {
    var out: [[UInt8]] = []
    facts.root.forEachToken { token in
      guard token.kind != .whitespace && token.kind != .newline else { return }
      var bytes = Array(facts.bytes[token.range.start..<token.range.end])
      if token.kind == .comment {
        while true {
          if let last = bytes.last, last == 0x20 || last == 0x09 {
            bytes.removeLast()
          } else if bytes.count >= 3, bytes.suffix(3) == [0xE3, 0x80, 0x80] {
            bytes.removeLast(3)
          } else {
            break
          }
        }
      }
      out.append(bytes)
    }
    return out
  }
}
