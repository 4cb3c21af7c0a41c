import Foundation
import Testing
import YosanGenerator
import YosanSyntax
import YosanTestSupport

@testable import YosanCore

/// The session answers what the one-shot analyzer answers, edit after edit: it only does less work.
@Suite(.tags(.slow))
struct IncrementalSessionTests {
  /// What an editor sends: typed text mostly, and now and then the characters that change the
  /// structure (braces, quotes, comment marks, line breaks), a suppression comment, a new id.
  static let insertions: [String] = [
    "1", "2", "億", "円", "a", "、", " ", "\n", "\n  ", "\n    ", "　", "１", "{", "}", "    }\n", "\"", "#", "=", "事業 z \"t\" {\n  担当 = 医政局\n}\n",
    "内数(a)", "なし", "  # yosan: disable-line breakdown-sum -- 資料のまま\n", "事業 fund-0 \"複製\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n",
  ]

  struct Workspace {
    var files: [(path: String, bytes: [UInt8])]
    var sources: [SourceFile] { files.map { SourceFile(path: $0.path, bytes: $0.bytes) } }
  }

  /// Applies `count` random edits, one file at a time, and compares the session with a fresh
  /// analysis after each: diagnostics and counters always, the model (with positions) every few.
  static func check(_ start: Workspace, edits count: Int, seed: UInt64) {
    var workspace = start
    let session = AnalysisSession()
    for file in workspace.files { session.update(path: file.path, bytes: file.bytes) }
    var random = SplitMix64(seed: seed)
    for step in 0..<count {
      let which = random.below(workspace.files.count)
      var bytes = workspace.files[which].bytes
      let start = random.below(bytes.count + 1)
      let end = Swift.min(bytes.count, start + [0, 0, 0, 1, 1, 2, 5][random.below(7)])
      let inserted = random.below(5) == 0 ? [] : Array(insertions[random.below(insertions.count)].utf8)
      bytes.replaceSubrange(start..<end, with: inserted)
      workspace.files[which].bytes = bytes
      // The hint is right most of the time; the session must not trust it blindly.
      let hint: TextRange? = [TextRange(start: start, end: end), TextRange(start: start, end: end), nil, TextRange(start: 0, end: 1)][random.below(4)]
      session.update(path: workspace.files[which].path, bytes: bytes, changed: hint)
      let expected = Analyzer.analyze(workspace.sources)
      let modelToo = step % 7 == 0
      let actual = modelToo ? session.analyze() : session.diagnostics()
      let same = actual.files.map(\.diagnostics) == expected.files.map(\.diagnostics)
      #expect(same, "seed \(seed), step \(step): edit at \(start)..<\(end) of \(workspace.files[which].path)")
      #expect(actual.counters == expected.counters, "seed \(seed), step \(step): counters")
      if modelToo {
        for (a, e) in zip(actual.files, expected.files) {
          let same = ModelFingerprint.of(a.facts.document, positions: true) == ModelFingerprint.of(e.facts.document, positions: true)
          #expect(same, "seed \(seed), step \(step): model")
        }
      }
      if !same {
        for (a, e) in zip(actual.files, expected.files) where a.diagnostics != e.diagnostics {
          let extra = a.diagnostics.filter { !e.diagnostics.contains($0) }.map { "\($0)" }
          let missing = e.diagnostics.filter { !a.diagnostics.contains($0) }.map { "\($0)" }
          Issue.record("\(a.facts.path): session also has \(extra), lacks \(missing)")
        }
        return
      }
    }
  }

  /// A 予算 header whose `}` is written after the items (they are checked as if it closed before
  /// them), and an extra `}` inside an item and inside a section.
  static let recoveryFiles: [String] = [
    "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 3/2\n}\n\n分野 \"s\" {\n  合計 = 2億円\n\n  事業 b \"u\" {\n    担当 = 医政局\n    要求額 = 2億円\n    前年度 = 内数(a)\n  }\n}\n}\n",
    "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n分野 \"s\" {\n  合計 = 3億円\n\n  事業 a \"t\" {\n    担当 = 医政局\n    要求額 = 1億円\n    内訳 {\n      r = 1億円\n    }\n    }\n  }\n\n  事業 b \"u\" {\n    担当 = 医政局\n    要求額 = 2億円\n  }\n}\n\n事業 c \"v\" {\n  担当 = 医政局\n  要求額 = 1億円\n  }\n  内訳 {\n    r = 2億円\n  }\n}\n",
  ]

  @Test("random edits of files with a header that holds the items, or an extra }", arguments: recoveryFiles.indices)
  func recovery(_ index: Int) {
    for seed in 0..<UInt64(3) {
      Self.check(Workspace(files: [("r.yosan", Array(Self.recoveryFiles[index].utf8))]), edits: 80, seed: 90 + seed * 7 + UInt64(index))
    }
  }

  @Test("random edits of every budget sample", arguments: RepoPaths.files(under: "Samples/budgets", withExtension: "yosan"))
  func samples(_ url: URL) throws {
    let bytes = Array(try Data(contentsOf: url))
    Self.check(Workspace(files: [(url.lastPathComponent, bytes)]), edits: 60, seed: UInt64(bytes.count))
  }

  @Test("random edits of generated files with seeded defects and references across files")
  func generated() {
    let files = BudgetGenerator.generate(.init(items: 40, files: 2, seed: 7, defects: 12, itemsPerSection: 8))
    Self.check(Workspace(files: files.map { ($0.name, Array($0.text.utf8)) }), edits: 150, seed: 11)
  }

  @Test("a file large enough to be lowered and checked on every core, with seeded defects")
  func large() {
    let files = BudgetGenerator.generate(.init(items: Lowering.parallelThreshold + 40, seed: 5, defects: 20, itemsPerSection: 60))
    Self.check(Workspace(files: files.map { ($0.name, Array($0.text.utf8)) }), edits: 12, seed: 21)
  }

  @Test("random edits of files of unknown references, whose suggestions follow the ids edited")
  func unknownReferences() {
    let files = BudgetGenerator.faulty(.unknownReferences, items: 60) + BudgetGenerator.faulty(.smallFiles, items: 40)
    Self.check(Workspace(files: files.enumerated().map { ("\($0.offset)-\($0.element.name)", Array($0.element.text.utf8)) }), edits: 120, seed: 31)
  }

  /// The ids the session keeps for suggestions are those its files define now.
  static func expectKeptIDs(_ session: AnalysisSession, _ files: [(path: String, bytes: [UInt8])], _ step: String) {
    let analysis = Analyzer.analyze(files.map { SourceFile(path: $0.path, bytes: $0.bytes) })
    var ids = Set<String>()
    for file in analysis.files { file.facts.document.forEachItem { if let id = $0.id?.id { ids.insert(id) } } }
    // The session refreshes its files when asked for results.
    #expect(session.diagnostics().files.map(\.diagnostics) == analysis.files.map(\.diagnostics), "\(step)")
    #expect(session.idSuggestions.count == ids.count, "\(step)")
    #expect(ids.allSatisfy(session.idSuggestions.contains), "\(step)")
  }

  @Test("the ids kept for suggestions follow edits, a new header, a new configuration and a removed file")
  func keptIDs() {
    let header = "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"
    let item = { (id: String) in "事業 \(id) \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n" }
    let reference = "事業 r \"参照\" {\n  担当 = 医政局\n  要求額 = 内数(kikinn)\n  前年度 = 内数(kikin2)\n}\n"
    var files: [(path: String, bytes: [UInt8])] = [
      ("a.yosan", Array((header + item("kikin") + item("dup") + reference).utf8)),
      ("b.yosan", Array((header + item("dup") + item("other")).utf8)),
    ]
    let session = AnalysisSession()
    for file in files { session.update(path: file.path, bytes: file.bytes) }
    Self.expectKeptIDs(session, files, "start")
    // An id typed into: `kikin` becomes `kikin2`, which one reference names and the other is near.
    let offset = files[0].bytes.firstRange(of: Array("kikin ".utf8))!.lowerBound + 5
    files[0].bytes.insert(UInt8(ascii: "2"), at: offset)
    session.update(path: files[0].path, bytes: files[0].bytes, changed: TextRange(start: offset, end: offset))
    Self.expectKeptIDs(session, files, "id edited")
    // A new header makes every unit of the file new.
    files[0].bytes.insert(contentsOf: Array("  府省 = 厚生労働省\n".utf8), at: header.utf8.count - 2)
    session.update(path: files[0].path, bytes: files[0].bytes)
    Self.expectKeptIDs(session, files, "header edited")
    // So does a new configuration.
    var configuration = Configuration()
    configuration.severities["unit-spacing"] = .some(nil)
    session.update(path: files[1].path, bytes: files[1].bytes, configuration: configuration)
    _ = session.diagnostics()
    #expect(session.idSuggestions.count == 4)
    session.update(path: files[1].path, bytes: files[1].bytes)
    Self.expectKeptIDs(session, files, "configuration changed and back")
    session.remove(path: files[1].path)
    files.removeLast()
    Self.expectKeptIDs(session, files, "file removed")
    #expect(!session.idSuggestions.contains("other"))
    #expect(session.idSuggestions.contains("dup"))
  }

  @Test("a duplicate id across files follows both files' edits")
  func duplicateAcrossFiles() {
    let header = "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"
    let item = { (id: String, title: String) in "事業 \(id) \"\(title)\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n" }
    var a = Array((header + item("x", "甲") + item("dup", "乙")).utf8)
    var b = Array((header + item("y", "丙") + item("dup", "丁") + item("z", "戊\u{5185}数") + "事業 r \"参照\" {\n  担当 = 医政局\n  要求額 = 内数(nothing)\n}\n").utf8)
    let session = AnalysisSession()
    session.update(path: "a.yosan", bytes: a)
    session.update(path: "b.yosan", bytes: b)
    func expectSame(_ step: String) {
      let expected = Analyzer.analyze([SourceFile(path: "a.yosan", bytes: a), SourceFile(path: "b.yosan", bytes: b)])
      #expect(session.diagnostics().files.map(\.diagnostics) == expected.files.map(\.diagnostics), "\(step)")
    }
    expectSame("start")
    // Typing in titles before the ids moves them (and the places named in the other file).
    for round in 0..<4 {
      let offsetA = a.count / 2 - 40
      a.insert(contentsOf: Array("あ".utf8), at: offsetA)
      session.update(path: "a.yosan", bytes: a, changed: TextRange(start: offsetA, end: offsetA))
      expectSame("a, round \(round)")
      let offsetB = header.utf8.count + 10
      b.insert(contentsOf: Array("い".utf8), at: offsetB)
      session.update(path: "b.yosan", bytes: b, changed: TextRange(start: offsetB, end: offsetB))
      expectSame("b, round \(round)")
    }
  }

  @Test("units keep their results while other units are edited")
  func unitsAreKept() throws {
    let file = BudgetGenerator.generate(.init(items: 30, seed: 3, itemsPerSection: 10))[0]
    var bytes = Array(file.text.utf8)
    let session = AnalysisSession()
    session.update(path: "a.yosan", bytes: bytes)
    _ = session.diagnostics()
    let before = session.recordCount(path: "a.yosan")
    // Type a digit into the last amount of the file.
    let marker = Array("億円".utf8)
    let offset = try #require((0..<bytes.count - marker.count).last { Array(bytes[$0..<($0 + marker.count)]) == marker })
    bytes.insert(UInt8(ascii: "0"), at: offset)
    session.update(path: "a.yosan", bytes: bytes, changed: TextRange(start: offset, end: offset))
    _ = session.diagnostics()
    #expect(before == 30)
    #expect(session.unitsCheckedLastTime == 1)
    #expect(session.diagnostics().files[0].diagnostics == Analyzer.analyze([SourceFile(path: "a.yosan", bytes: bytes)]).files[0].diagnostics)
  }
}
