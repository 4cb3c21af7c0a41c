import Testing
@testable import YosanCore

struct AnalysisSessionTests {
  let header = "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"

  @Test func updatesAreReflectedAndUnchangedFilesKept() {
    let session = AnalysisSession()
    session.update(path: "a.yosan", bytes: Array((header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n").utf8))
    session.update(path: "b.yosan", bytes: Array((header + "事業 b \"t\" {\n  要求額 = 1億円\n}\n").utf8))
    #expect(session.analysis(of: "a.yosan")?.diagnostics.isEmpty == true)
    #expect(session.analysis(of: "b.yosan")?.diagnostics.map(\.ruleID) == ["missing-required-key"])
    session.update(path: "b.yosan", bytes: Array((header + "事業 b \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n").utf8))
    #expect(session.analysis(of: "b.yosan")?.diagnostics.isEmpty == true)
    #expect(session.analyze().files.count == 2)
    session.remove(path: "a.yosan")
    #expect(session.paths == ["b.yosan"])
    #expect(session.analysis(of: "a.yosan") == nil)
  }

  @Test func sessionAgreesWithTheOneShotAnalyzer() {
    let sources = [
      SourceFile(path: "a.yosan", text: header + "事業 a \"t\" {\n  担当 医政局\n  要求額 = 1億円\n}\n"),
      SourceFile(path: "b.yosan", text: "事業 b {\n"),
    ]
    let session = AnalysisSession()
    for source in sources { session.update(path: source.path, bytes: source.bytes) }
    let oneShot = Analyzer.analyze(sources)
    #expect(session.analyze().files.map(\.diagnostics) == oneShot.files.map(\.diagnostics))
  }
}
