import Testing
import YosanSyntax
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

  /// A file saved as Shift_JIS gets one finding that names the encoding, in the session as in one
  /// run; an edit that makes it UTF-8 (or breaks it again) is followed.
  @Test func aShiftJISFileIsOneFinding() throws {
    let text = header + "事業 a \"救急\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 3/2\n}\n"
    let shiftJIS = try CP932.encode(utf8: Array(text.utf8)).get()
    let oneShot = Analyzer.analyze([SourceFile(path: "s.yosan", bytes: shiftJIS)])
    #expect(oneShot.files[0].diagnostics.map(\.ruleID) == ["invalid-utf8"])
    #expect(oneShot.files[0].diagnostics.first?.message.hasPrefix("the file is Shift_JIS (CP932), not UTF-8 (byte 0x97 on line 1") == true)
    #expect(oneShot.counters.items == 0)
    let session = AnalysisSession()
    session.update(path: "s.yosan", bytes: shiftJIS)
    #expect(session.diagnostics().files.map(\.diagnostics) == oneShot.files.map(\.diagnostics))
    // Converted: the file's own findings.
    session.update(path: "s.yosan", bytes: Array(text.utf8))
    #expect(session.diagnostics().files[0].diagnostics.map(\.ruleID) == ["rate-range"])
    // One Shift_JIS character typed back in: not all of it is Shift_JIS, so the bytes are reported
    // as invalid UTF-8, with the findings of the rest.
    var mixed = Array(text.utf8)
    mixed.insert(contentsOf: [0x8B, 0x7E], at: mixed.count - 2)
    session.update(path: "s.yosan", bytes: mixed)
    #expect(session.analyze().files.map(\.diagnostics) == Analyzer.analyze([SourceFile(path: "s.yosan", bytes: mixed)]).files.map(\.diagnostics))
    session.update(path: "s.yosan", bytes: shiftJIS)
    #expect(session.diagnostics().files.map(\.diagnostics) == oneShot.files.map(\.diagnostics))
  }
}
