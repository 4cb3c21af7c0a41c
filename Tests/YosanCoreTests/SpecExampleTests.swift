import Foundation
import Testing
import YosanSyntax
import YosanTestSupport
@testable import YosanCore

/// `Spec/language.md` is executable: each `yosan example` block must round-trip and produce
/// exactly the diagnostics of the `diagnostics` block after it (none when there is none).
struct SpecExample: Sendable, CustomTestStringConvertible {
  var line: Int
  var source: String
  var expected: [String]
  var testDescription: String { "Spec/language.md:\(line)" }

  static func all() -> [SpecExample] {
    guard let text = try? String(contentsOf: RepoPaths.url("Spec/language.md"), encoding: .utf8) else { return [] }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var examples: [SpecExample] = []
    var index = 0
    while index < lines.count {
      guard lines[index] == "```yosan example" else {
        index += 1
        continue
      }
      let start = index + 1
      var end = start
      while end < lines.count, lines[end] != "```" { end += 1 }
      let source = lines[start..<end].joined(separator: "\n") + "\n"
      var next = end + 1
      while next < lines.count, lines[next].trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
      var expected: [String] = []
      if next < lines.count, lines[next] == "```diagnostics" {
        var d = next + 1
        while d < lines.count, lines[d] != "```" {
          expected.append(lines[d])
          d += 1
        }
      }
      examples.append(SpecExample(line: start, source: source, expected: expected))
      index = end + 1
    }
    return examples
  }
}

struct SpecExampleTests {
  @Test func theSpecHasExamples() {
    #expect(SpecExample.all().count >= 5)
  }

  @Test("spec example", arguments: SpecExample.all())
  func example(_ example: SpecExample) {
    let bytes = Array(example.source.utf8)
    #expect(Parser.parse(bytes).reconstructText(from: bytes) == bytes)
    #expect(Check.rendered(example.source) == example.expected)
  }

  @Test func keyTableIsUpToDate() throws {
    let url = RepoPaths.url("Spec/language.md")
    let text = try String(contentsOf: url, encoding: .utf8)
    guard let updated = KeyDocumentation.updating(text) else {
      Issue.record("Spec/language.md lacks the generated key table markers")
      return
    }
    if let problem = Golden.check(updated, against: url) { Issue.record(Comment(rawValue: problem)) }
  }
}
