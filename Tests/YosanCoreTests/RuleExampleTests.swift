import Testing
import YosanSyntax
import YosanTestSupport
@testable import YosanCore

/// One example of one rule, as a test argument.
struct RuleExampleCase: Sendable, CustomTestStringConvertible {
  var rule: RuleDescriptor
  var index: Int
  var example: RuleExample { rule.examples[index] }
  var testDescription: String { "\(rule.id) #\(index + 1) (\(example.kind == .passing ? "passing" : "failing"))" }

  static let all: [RuleExampleCase] = RuleRegistry.descriptors.flatMap { rule in
    rule.examples.indices.map { RuleExampleCase(rule: rule, index: $0) }
  }
}

/// Every rule's examples run as tests: passing ones produce no diagnostic from the rule, failing
/// ones produce exactly the marked ranges (and messages, when listed). Each is also run with a
/// line of emoji and kanji in front, which must shift every range by exactly that many bytes.
struct RuleExampleTests {
  func analyze(_ files: [PreparedExample.File], _ configuration: Configuration) -> WorkspaceAnalysis {
    Analyzer.analyze(files.map { SourceFile(path: $0.path, bytes: $0.bytes) }, configuration: { _ in configuration })
  }

  @Test("rule example", arguments: RuleExampleCase.all)
  func example(_ testCase: RuleExampleCase) throws {
    let example = testCase.example
    let location = SourceLocation(fileID: "YosanCore/\(example.file.split(separator: "/").last ?? "")", filePath: example.file, line: example.line, column: 1)
    var configuration = Configuration()
    for (key, value) in example.configuration {
      if let problem = configuration.apply(key, value) { Issue.record(Comment(rawValue: problem), sourceLocation: location) }
    }
    let prepared = PreparedExample(example.source)
    for prefix in ["", "# 👨‍👩‍👧‍👦 予算𠮷 の例\n"] {
      let shift = prefix.utf8.count
      var files = prepared.files
      files[0].bytes = Array(prefix.utf8) + files[0].bytes
      let analysis = analyze(files, configuration)
      for (index, file) in files.enumerated() {
        #expect(Parser.parse(file.bytes).reconstructText(from: file.bytes) == file.bytes, sourceLocation: location)
        let found = analysis.files[index].diagnostics.filter { $0.ruleID == testCase.rule.id }
        let expected = prepared.files[index].marked.map { index == 0 ? $0.shifted(by: shift) : $0 }
        switch example.kind {
        case .passing:
          #expect(found.isEmpty, "unexpected: \(found.map(\.message))", sourceLocation: location)
        case .failing:
          #expect(found.map(\.range) == expected, "ranges in \(file.path) (messages: \(found.map(\.message)))", sourceLocation: location)
          if index == 0, shift == 0, !example.messages.isEmpty {
            #expect(found.map(\.message) == example.messages, sourceLocation: location)
          }
        }
      }
    }
    if example.kind == .failing {
      #expect(prepared.files.contains { !$0.marked.isEmpty }, "a failing example must mark where it fails", sourceLocation: location)
    }
  }
}
