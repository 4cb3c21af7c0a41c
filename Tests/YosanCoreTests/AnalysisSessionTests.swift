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

  /// A file prepared away from the session (as the server prepares the files it indexes) and
  /// adopted gives what `update` gives, across files too, and edits after it are followed as in
  /// any session: the ids it defines count for references elsewhere, and an edit re-checks it.
  @Test func aPreparedFileIsAdoptedAsIfItHadBeenUpdated() {
    let a = header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 内数(b)\n}\n"
    let b = header + "事業 b \"t\" {\n  担当 医政局\n  要求額 = 1億円\n}\n事業 c \"t\" {\n  要求額 = 2億円\n}\n"
    let sources = [SourceFile(path: "a.yosan", text: a), SourceFile(path: "b.yosan", text: b)]
    let session = AnalysisSession()
    session.update(path: "a.yosan", bytes: sources[0].bytes)
    // Before b is adopted, a refers to an id nothing defines.
    #expect(session.diagnostics().files[0].diagnostics.map(\.ruleID) == ["unknown-reference"])
    session.adopt(AnalysisSession.prepare(path: "b.yosan", bytes: sources[1].bytes))
    #expect(session.paths == ["a.yosan", "b.yosan"])
    #expect(session.holds(path: "b.yosan", bytes: sources[1].bytes, configuration: .default))
    let oneShot = Analyzer.analyze(sources)
    #expect(session.diagnostics().files.map(\.diagnostics) == oneShot.files.map(\.diagnostics))
    #expect(session.analyze().files.map(\.diagnostics) == oneShot.files.map(\.diagnostics))
    #expect(session.diagnostics().files[0].diagnostics.isEmpty)
    // An edit of the adopted file re-checks only what it touched, and agrees with a fresh run.
    let edited = b.replacingOccurrences(of: "担当 医政局", with: "担当 = 医政局")
    session.update(path: "b.yosan", bytes: Array(edited.utf8))
    _ = session.diagnostics()
    #expect(session.unitsCheckedLastTime == 1)
    let editedOneShot = Analyzer.analyze([sources[0], SourceFile(path: "b.yosan", text: edited)])
    #expect(session.analyze().files.map(\.diagnostics) == editedOneShot.files.map(\.diagnostics))
    // Adopting again over a file the session holds replaces it.
    session.adopt(AnalysisSession.prepare(path: "b.yosan", bytes: sources[1].bytes))
    #expect(session.paths == ["a.yosan", "b.yosan"])
    #expect(session.analyze().files.map(\.diagnostics) == oneShot.files.map(\.diagnostics))
  }
}
