import Foundation
import Testing
import YosanTestSupport
@testable import YosanCore

/// The registry is the single list of rules; these tests catch drift.
struct RuleRegistryTests {
  @Test func everyRuleFileIsRegistered() throws {
    let files = RepoPaths.files(under: "Sources/YosanCore/Rules", withExtension: "swift")
    var declared: [String] = []
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      for line in text.split(separator: "\n") where line.hasPrefix("enum ") && (line.contains(": FileRule") || line.contains(": ItemRule") || line.contains(": WorkspaceRule") || line.contains("Rule {")) {
        let name = line.dropFirst(5).prefix { $0.isLetter || $0.isNumber }
        if name.hasSuffix("Rule") || name.contains("Rule") { declared.append(String(name)) }
      }
    }
    let registered = Set(RuleRegistry.typeNames)
    for name in declared where !registered.contains(name) {
      Issue.record("rule \(name) is declared but not in RuleRegistry")
    }
    #expect(!declared.isEmpty)
  }

  @Test func idsAreUniqueAndKebabCase() {
    let ids = RuleRegistry.descriptors.map(\.id)
    #expect(Set(ids).count == ids.count)
    for id in ids {
      #expect(id.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" } && id.first!.isLetter, "\(id)")
    }
  }

  @Test func everyRuleHasAPassingAndAFailingExample() {
    for rule in RuleRegistry.descriptors {
      #expect(rule.examples.contains { $0.kind == .passing }, "\(rule.id) has no passing example")
      #expect(rule.examples.contains { $0.kind == .failing }, "\(rule.id) has no failing example")
    }
  }

  @Test func summariesAreSentences() {
    for rule in RuleRegistry.descriptors {
      #expect(rule.summary.hasSuffix("."), "\(rule.id): summary must end with a period")
      #expect(rule.summary.first?.isUppercase == true || !(rule.summary.first?.isASCII ?? true), "\(rule.id): summary must start with a capital")
    }
  }

  @Test func ruleFilesLiveInTheirCategoryFolder() throws {
    let files = RepoPaths.files(under: "Sources/YosanCore/Rules", withExtension: "swift")
    for rule in RuleRegistry.descriptors {
      let owner = try files.first { try String(contentsOf: $0, encoding: .utf8).contains("id: \"\(rule.id)\"") }
      guard let owner else {
        Issue.record("no file declares \(rule.id)")
        continue
      }
      #expect(owner.deletingLastPathComponent().lastPathComponent.lowercased() == rule.category.rawValue, "\(rule.id) is in \(RepoPaths.relative(owner))")
    }
  }
}

/// `Spec/rules.md` is generated from the descriptors and must be up to date.
struct GeneratedDocsTests {
  @Test func rulesDocumentIsUpToDate() {
    if let problem = Golden.check(RuleDocumentation.specDocument(), against: RepoPaths.url(RuleDocumentation.specPath)) {
      Issue.record(Comment(rawValue: problem))
    }
  }
}

/// The bundled budgets are clean: no diagnostic of any severity.
struct SamplesTests {
  @Test func budgetsAreClean() throws {
    let files = RepoPaths.files(under: "Samples/budgets", withExtension: "yosan")
    #expect(files.count >= 3)
    let sources = try files.map { SourceFile(path: RepoPaths.relative($0), bytes: Array(try Data(contentsOf: $0))) }
    let analysis = Analyzer.analyze(sources)
    for file in analysis.files {
      for d in file.diagnostics {
        let (line, column) = file.facts.position(of: d.range.start)
        Issue.record("\(file.facts.path):\(line):\(column): \(d.severity): \(d.message) [\(d.ruleID)]")
      }
    }
    #expect(analysis.counters.items >= 40)
  }
}
