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
/// ones produce exactly the marked ranges and exactly the messages listed (every failing example
/// lists them, so `Spec/rules.md` shows each rule's words). Each is also run with a line of emoji
/// and kanji in front, which must shift every range by exactly that many bytes.
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
    if example.kind == .failing {
      #expect(!example.messages.isEmpty, "a failing example must pin its messages", sourceLocation: location)
    }
    for prefix in ["", "# 👨‍👩‍👧‍👦 予算𠮷 の例\n"] {
      let shift = prefix.utf8.count
      var files = prepared.files
      files[0].bytes = Array(prefix.utf8) + files[0].bytes
      let analysis = analyze(files, configuration)
      var messages: [String] = []
      for (index, file) in files.enumerated() {
        #expect(Parser.parse(file.bytes).reconstructText(from: file.bytes) == file.bytes, sourceLocation: location)
        let found = analysis.files[index].diagnostics.filter { $0.ruleID == testCase.rule.id }
        let expected = prepared.files[index].marked.map { index == 0 ? $0.shifted(by: shift) : $0 }
        switch example.kind {
        case .passing:
          #expect(found.isEmpty, "unexpected: \(found.map(\.message))", sourceLocation: location)
        case .failing:
          #expect(found.map(\.range) == expected, "ranges in \(file.path) (messages: \(found.map(\.message)))", sourceLocation: location)
          messages += found.map(\.message)
        }
      }
      // The messages of every file, in file order: a rule across files may report in the second.
      if example.kind == .failing, shift == 0 {
        #expect(messages == example.messages, sourceLocation: location)
      }
    }
    if example.kind == .failing {
      #expect(prepared.files.contains { !$0.marked.isEmpty }, "a failing example must mark where it fails", sourceLocation: location)
    }
  }

  /// A rule's declared fix kind (`RuleDescriptor.fix`, shown in `Spec/rules.md` and SARIF) is the
  /// kind of every fix its failing examples get: none for `.none`; for `.safe` and `.unsafe`, at
  /// least one example gets a fix, and every fix the rule emits is of that kind.
  @Test("a rule's declared fix kind is the kind of the fixes it emits", arguments: RuleRegistry.descriptors.map(\.id))
  func fixKind(_ id: String) throws {
    let rule = try #require(RuleRegistry.descriptors.first { $0.id == id })
    var fixes: [Fix] = []
    for example in rule.examples where example.kind == .failing {
      var configuration = Configuration()
      for (key, value) in example.configuration { _ = configuration.apply(key, value) }
      let analysis = analyze(PreparedExample(example.source).files, configuration)
      fixes += analysis.files.flatMap { $0.diagnostics.filter { $0.ruleID == id }.flatMap(\.fixes) }
    }
    let safe = fixes.filter { $0.isSafe }.map { $0.title }
    let unsafe = fixes.filter { !$0.isSafe }.map { $0.title }
    switch rule.fix {
    case .none:
      #expect(fixes.isEmpty, "\(id) declares no fix but emits \(safe + unsafe)")
    case .safe:
      #expect(!safe.isEmpty, "\(id) declares safe fixes, but none of its failing examples gets one")
      #expect(unsafe.isEmpty, "\(id) declares safe fixes but emits unsafe ones: \(unsafe)")
    case .unsafe:
      #expect(!unsafe.isEmpty, "\(id) declares unsafe fixes, but none of its failing examples gets one")
      #expect(safe.isEmpty, "\(id) declares unsafe fixes but emits safe ones: \(safe)")
    }
  }
}
