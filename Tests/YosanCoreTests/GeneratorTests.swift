import Testing
import YosanGenerator
import YosanSyntax
import YosanTestSupport
@testable import YosanCore

/// The benchmark's generator: consistent by construction, and every seeded defect is reported
/// exactly once, on its line, by its rule.
struct GeneratorTests {
  func analyze(_ files: [BudgetGenerator.File]) -> WorkspaceAnalysis {
    Analyzer.analyze(files.map { SourceFile(path: $0.name, text: $0.text) })
  }

  @Test(arguments: [1 as UInt64, 2, 3, 4, 5])
  func generatedDocumentsAreClean(_ seed: UInt64) {
    let files = BudgetGenerator.generate(.init(items: 300, files: 3, seed: seed))
    let analysis = analyze(files)
    #expect(analysis.counters.items == 300)
    for file in analysis.files {
      #expect(file.diagnostics.isEmpty, "\(file.facts.path): \(file.diagnostics.prefix(3).map(\.message))")
    }
  }

  @Test func seededDefectsAreReportedExactly() {
    let files = BudgetGenerator.generate(.init(items: 400, files: 4, seed: 9, defects: 12))
    let seeded = files.flatMap { file in file.defects.map { "\(file.name):\($0.line) \($0.defect.rawValue)" } }
    #expect(seeded.count == 12)
    #expect(Set(files.flatMap { $0.defects.map(\.defect) }) == Set(BudgetGenerator.Defect.allCases))
    let analysis = analyze(files)
    let reported = analysis.files.flatMap { file in
      file.diagnostics.map { "\(file.facts.path):\(file.facts.position(of: $0.range.start).line) \($0.ruleID)" }
    }
    #expect(reported.sorted() == seeded.sorted())
  }

  @Test func deterministicForASeed() {
    let a = BudgetGenerator.generate(.init(items: 50, seed: 7)).map(\.text)
    let b = BudgetGenerator.generate(.init(items: 50, seed: 7)).map(\.text)
    let c = BudgetGenerator.generate(.init(items: 50, seed: 8)).map(\.text)
    #expect(a == b)
    #expect(a != c)
  }
}

/// Large files are lowered and checked on every core; the result must not depend on it.
@Suite(.tags(.slow))
struct ParallelAnalysisTests {
  @Test func parallelAndSequentialAgree() {
    let text = BudgetGenerator.generate(.init(items: 1_200, seed: 11, defects: 40, itemsPerSection: 37))[0].text
    let bytes = Array(text.utf8)
    let tree = Parser.parse(bytes)
    let root = SyntaxNode(green: tree, offset: 0)
    let sequential = Lowering.lower(root, source: bytes, parallel: false)
    let parallel = Lowering.lower(root, source: bytes, parallel: true)
    #expect(ModelFingerprint.of(parallel) == ModelFingerprint.of(sequential))
    #expect(parallel.issues.count == sequential.issues.count)
    func checked(_ document: Document, parallel: Bool) -> [Diagnostic] {
      let facts = FileFacts(path: "p.yosan", bytes: bytes, tree: tree, lineIndex: LineIndex(bytes), document: document, configuration: .default)
      return Analyzer.check(facts, parallel: parallel).diagnostics.sorted(by: Analyzer.order)
    }
    let a = checked(sequential, parallel: false)
    let b = checked(parallel, parallel: true)
    #expect(a == b)
    #expect(a.count == 40)
  }
}
