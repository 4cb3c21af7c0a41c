import Testing
import YosanSyntax
import YosanTestSupport
@testable import YosanCore

/// What a message tells the reader to write is text the format reads: each rule's failing
/// examples are checked with every suggestion of every message pasted where it belongs, and one
/// of the places must give text in which the finding is gone and nothing new is found (no syntax
/// error, no value that does not read).
struct SuggestionTests {
  /// A suggestion of a message: one text, or lines to paste one after another.
  struct Suggestion: CustomStringConvertible {
    var lines: [String]
    var description: String { lines.joined(separator: " ⏎ ") }
  }

  /// The literal texts a message asks to write: the backticked text, or else the words, after
  /// `write`, `for example`, `like` and `start it with the lines` (each alternative of `a, b or
  /// c`). Instructions in English (`write it in quotes`, `write the fraction meant`) are not text.
  static func suggestions(in message: String) -> [Suggestion] {
    var found: [Suggestion] = []
    let introducers = ["start it with the lines ", "start it with ", "write ", "for example ", "like ", "did you mean "]
    var rest = Substring(message)
    while let hit = introducers.compactMap({ word in rest.range(of: word).map { ($0, word) } }).min(by: { $0.0.lowerBound < $1.0.lowerBound }) {
      var tail = rest[hit.0.upperBound...]
      let lines = hit.1 == "start it with the lines "
      if tail.hasPrefix("`") {
        // Backticked texts, joined by `, ` / ` and ` / ` or `.
        var texts: [String] = []
        while tail.hasPrefix("`"), let close = tail.dropFirst().firstIndex(of: "`") {
          texts.append(String(tail[tail.index(after: tail.startIndex)..<close]))
          tail = tail[tail.index(after: close)...]
          for joiner in [", ", " and ", " or ", ", or "] where tail.hasPrefix(joiner + "`") {
            tail = tail.dropFirst(joiner.count)
            break
          }
        }
        if lines { found.append(Suggestion(lines: texts)) } else { found += texts.map { Suggestion(lines: [$0]) } }
      } else {
        // Unquoted words up to the end of the clause (`;`, or a parenthesis that is not part of a
        // value like `内数(ID)`); alternatives split at `, ` and ` or `.
        var end = tail.startIndex
        var depth = 0
        var previous: Character = " "
        while end < tail.endIndex {
          let c = tail[end]
          if c == ";" && depth == 0 { break }
          if c == "(" {
            if previous == " " && depth == 0 { break }
            depth += 1
          } else if c == ")" {
            if depth == 0 { break }
            depth -= 1
          }
          previous = c
          end = tail.index(after: end)
        }
        var clause = String(tail[..<end])
        if let colon = clause.range(of: ": ") { clause = String(clause[..<colon.lowerBound]) }
        for alternative in clause.components(separatedBy: ", or ").flatMap({ $0.components(separatedBy: " or ") }).flatMap({ $0.components(separatedBy: ", ") }) {
          // The words up to the first English one: English words are instructions, not text (but
          // `R7` is a year).
          func isEnglish(_ word: Substring) -> Bool {
            guard let first = word.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
            return !((word.hasPrefix("R") || word.hasPrefix("H")) && word.dropFirst().first?.isNumber == true)
          }
          let words = alternative.split(separator: " ", omittingEmptySubsequences: false)
          let literal = words.prefix { !isEnglish($0) }.joined(separator: " ").trimmingCharacters(in: " ")
          if literal.isEmpty { break }
          found.append(Suggestion(lines: [literal]))
          if literal.count < alternative.trimmingCharacters(in: " ").count { break }
        }
      }
      rest = tail
    }
    return found
  }

  /// The places to paste `suggestion` for a diagnostic at `range` of `bytes`: instead of the
  /// range, of its entry's value, of its line; on a line of its own after its line; at the start.
  static func pastings(of suggestion: Suggestion, at range: TextRange, in bytes: [UInt8]) -> [[UInt8]] {
    let text = Array(suggestion.lines.joined(separator: "\n").utf8)
    var lineStart = range.start
    while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
    var lineEnd = range.start
    while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
    var indentEnd = lineStart
    while indentEnd < lineEnd, bytes[indentEnd] == 0x20 { indentEnd += 1 }
    let indentation = Array(bytes[lineStart..<indentEnd])
    var results: [[UInt8]] = []
    func replace(_ start: Int, _ end: Int, _ with: [UInt8]) -> [UInt8] { Array(bytes[..<start]) + with + Array(bytes[end...]) }
    results.append(replace(range.start, range.end, text))
    results.append(replace(indentEnd, lineEnd, text))
    if let equals = bytes[indentEnd..<lineEnd].firstIndex(of: UInt8(ascii: "=")) {
      var valueStart = equals + 1
      while valueStart < lineEnd, bytes[valueStart] == 0x20 { valueStart += 1 }
      results.append(replace(valueStart, lineEnd, text))
    }
    let after = lineEnd < bytes.count ? lineEnd + 1 : lineEnd
    let newline: [UInt8] = lineEnd < bytes.count ? [] : [0x0A]
    results.append(replace(after, after, newline + indentation + Array("  ".utf8) + text + [0x0A]))
    results.append(replace(0, 0, text + [0x0A]))
    return results
  }

  /// How many suggestions the examples hold (so that the test below cannot pass by finding none).
  @Test func theExamplesHoldSuggestions() {
    var count = 0
    for testCase in RuleExampleCase.all where testCase.example.kind == .failing {
      for message in testCase.example.messages { count += Self.suggestions(in: message).count }
    }
    #expect(count >= 40, "\(count)")
  }

  @Test("the suggestions of a rule's messages parse when pasted", arguments: RuleExampleCase.all.filter { $0.example.kind == .failing })
  func suggestionsParse(_ testCase: RuleExampleCase) throws {
    let example = testCase.example
    let location = SourceLocation(fileID: "YosanCore/\(example.file.split(separator: "/").last ?? "")", filePath: example.file, line: example.line, column: 1)
    var settings = Configuration()
    for (key, value) in example.configuration { _ = settings.apply(key, value) }
    let configuration = settings
    let prepared = PreparedExample(example.source)
    let sources = prepared.files.map { SourceFile(path: $0.path, bytes: $0.bytes) }
    let analysis = Analyzer.analyze(sources, configuration: { _ in configuration })
    for (index, file) in analysis.files.enumerated() {
      for diagnostic in file.diagnostics where diagnostic.ruleID == testCase.rule.id {
        for suggestion in Self.suggestions(in: diagnostic.message) {
          // The finding goes, and the text reads: nothing is found that says it does not (a syntax
          // error, a value its grammar does not read, an unknown key or keyword) that was not found
          // before. (What the pasted text leaves to write, like the keys a new item needs, or a
          // keyword that does not suit the block's content, may be found.)
          let before = Self.counts(file.diagnostics)
          let works = Self.pastings(of: suggestion, at: diagnostic.range, in: sources[index].bytes).contains { pasted in
            var edited = sources
            edited[index].bytes = pasted
            let after = Analyzer.analyze(edited, configuration: { _ in configuration }).files[index].diagnostics
            let resolved = !after.contains { $0.ruleID == diagnostic.ruleID && $0.message == diagnostic.message }
            return resolved && Self.counts(after).allSatisfy { rule, count in count <= (before[rule] ?? 0) }
          }
          #expect(works, "`\(suggestion)` of “\(diagnostic.message)” does not parse (or does not resolve the finding) wherever it is pasted", sourceLocation: location)
        }
      }
    }
  }

  /// The rules whose findings say that text does not read.
  static let readingRules: Set<String> = Set(
    RuleRegistry.descriptors.filter { $0.category == .syntax || $0.category == .values }.map(\.id)
      + ["unknown-key", "unknown-block", "invalid-id", "invalid-suppression"])

  static func counts(_ diagnostics: [Diagnostic]) -> [String: Int] {
    var counts: [String: Int] = [:]
    for diagnostic in diagnostics where readingRules.contains(diagnostic.ruleID) { counts[diagnostic.ruleID, default: 0] += 1 }
    return counts
  }

  /// The reader of the messages: what counts as a suggestion.
  @Test func suggestionsAreFoundInMessages() {
    #expect(Self.suggestions(in: "missing `=` after `担当`; write `担当 = 医政局`").map(\.lines) == [["担当 = 医政局"]])
    #expect(Self.suggestions(in: "`ー` stands for no amount; write なし").map(\.lines) == [["なし"]])
    #expect(Self.suggestions(in: "write 2024年度 or 令和6年度").map(\.lines) == [["2024年度"], ["令和6年度"]])
    #expect(Self.suggestions(in: "write 令和7年度, R7 or 2025年度").map(\.lines) == [["令和7年度"], ["R7"], ["2025年度"]])
    #expect(Self.suggestions(in: "write the fraction meant").isEmpty)
    #expect(Self.suggestions(in: "start it with the lines `a {`, `  b = 1` and `}`").map(\.lines) == [["a {", "  b = 1", "}"]])
    #expect(Self.suggestions(in: "write a number and a unit, like 7.9億円").map(\.lines) == [["7.9億円"]])
  }
}

extension String {
  fileprivate func trimmingCharacters(in set: String) -> String {
    var s = Substring(self)
    while let first = s.first, set.contains(first) { s = s.dropFirst() }
    while let last = s.last, set.contains(last) { s = s.dropLast() }
    return String(s)
  }
}
