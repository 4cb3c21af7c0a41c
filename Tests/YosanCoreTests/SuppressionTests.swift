import Testing
import YosanSyntax
import YosanTestSupport
@testable import YosanCore

/// Suppression comments, beyond the rule examples: where each form applies, stacking, separators,
/// full-width `＃`, the fixes of unused ones, and the editor's session giving the same results.
struct SuppressionTests {
  static let header = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n"

  func rules(_ text: String, configuration: Configuration = .default) -> [String] {
    Check.rendered(Self.header + text, configuration: configuration).map { line in
      // `LINE:COLUMN rule: message` → `LINE rule`, lines counted from the item (line 6 is 1).
      let parts = line.split(separator: " ", maxSplits: 2)
      let lineNumber = Int(parts[0].split(separator: ":")[0])! - 5
      return "\(lineNumber) \(parts[1].dropLast())"
    }
  }

  @Test func nextLineSkipsBlankAndCommentLinesSoDirectivesStack() {
    let text = """
      事業 a "t" {
        担当 = 医政局
        # yosan: disable-next-line unknown-key -- 旧様式
        # yosan: disable-next-line malformed-amount -- 原本どおり

        要球額 = 1億円
        前年度 = 十億円
      }

      """
    // Both apply to line 6: `要球額` is suppressed, and the malformed amount of line 7 is not.
    #expect(rules(text) == ["4 unused-suppression", "7 malformed-amount"])
  }

  @Test func disableLineAppliesOnlyToItsOwnLine() {
    let text = """
      事業 a "t" {
        担当 = 医政局
        要球額 = 1億円  # yosan: disable-line unknown-key -- 旧様式
        前年額 = 1億円
      }

      """
    #expect(rules(text) == ["4 unknown-key"])
  }

  @Test func disableFileAppliesEverywhereWithAnySeparator() {
    let text = """
      ＃ yosan: disable-file unknown-key、duplicate-key、fullwidth-character -- 旧様式の写し
      事業 a "t" {
        担当 = 医政局
        要球額 = 1億円
        要求額 = 1億円
        要求額 = 2億円
      }

      """
    #expect(rules(text) == [])
  }

  @Test func reasonlessSuppressionsStillSuppress() {
    let text = "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  要求額 = 2億円 # yosan: disable-line duplicate-key\n}\n"
    #expect(rules(text) == ["4 suppression-without-reason"])
  }

  @Test func suppressionRulesCanBeTurnedOff() {
    var configuration = Configuration()
    #expect(configuration.apply("unused-suppression", "off") == nil)
    let text = "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円 # yosan: disable-line unknown-key -- 念のため\n}\n"
    #expect(rules(text) == ["3 unused-suppression"])
    #expect(rules(text, configuration: configuration) == [])
  }

  @Test func aDiagnosticCountsOnTheLineWhereItStarts() {
    // missing-required-key points at the 事業 keyword on line 1.
    let text = "# yosan: disable-next-line missing-required-key -- 担当は別紙\n事業 a \"t\" {\n  要求額 = 1億円\n}\n"
    #expect(rules(text) == [])
  }

  @Test func unusedSuppressionFixesRemoveTheCommentAndNothingElse() throws {
    let crlf = "事業 a \"t\" {\r\n  担当 = 医政局\r\n  # yosan: disable-next-line unknown-key -- 旧様式\r\n  要求額 = 1億円 # yosan: disable-line unknown-key -- 旧様式\r\n}\r\n"
    let outcome = FixApplier.applySafeFixes(to: [SourceFile(path: "t.yosan", text: Self.header + crlf)], configuration: { _ in .default })
    let fixed = try #require(outcome.fixed["t.yosan"])
    #expect(String(decoding: fixed, as: UTF8.self) == Self.header + "事業 a \"t\" {\r\n  担当 = 医政局\r\n  要求額 = 1億円\r\n}\r\n")
    #expect(outcome.counts["t.yosan"] == 2)
    #expect(outcome.analysis.files[0].diagnostics.isEmpty)
  }

  @Test func partlyUnusedSuppressionsLoseOnlyTheUnusedIds() throws {
    let text = "事業 a \"t\" {\n  担当 = 医政局\n  要球額 = 1億円 # yosan: disable-line duplicate-key, unknown-key, malformed-amount -- 旧様式\n}\n"
    #expect(rules(text) == ["3 unused-suppression", "3 unused-suppression"])
    let diagnostics = Check.diagnostics(Self.header + text)
    #expect(diagnostics.allSatisfy { $0.tags == [.unnecessary] && $0.fixes.allSatisfy(\.isSafe) })
    let outcome = FixApplier.applySafeFixes(to: [SourceFile(path: "t.yosan", text: Self.header + text)], configuration: { _ in .default })
    let fixed = try #require(outcome.fixed["t.yosan"])
    #expect(String(decoding: fixed, as: UTF8.self).contains("# yosan: disable-line unknown-key -- 旧様式\n"))
    #expect(outcome.analysis.files[0].diagnostics.isEmpty)
  }

  @Test func theSessionGivesTheSameResults() {
    let text = Self.header + "事業 a \"t\" {\n  担当 = 医政局\n  要球額 = 1億円 # yosan: disable-line unknown-key\n  前年度 = 1億円 # yosan: disable-line unknown-key -- x\n}\n"
    let session = AnalysisSession()
    session.update(path: "t.yosan", bytes: Array(text.utf8))
    let fromSession = session.analyze().files[0].diagnostics
    #expect(fromSession == Check.diagnostics(text, name: "t.yosan"))
    #expect(fromSession.map(\.ruleID) == ["suppression-without-reason", "unused-suppression"])
  }

  @Test func theEditorsSuppressionEditSuppressesTheFinding() throws {
    let text = Self.header + "事業 a \"t\" {\r\n\t担当 = 医政局\r\n\t要球額 = 1億円\r\n}\r\n"
    let analysis = Analyzer.analyze([SourceFile(path: "t.yosan", text: text)])
    let diagnostic = try #require(analysis.files[0].diagnostics.first { $0.ruleID == "unknown-key" })
    let edit = SuppressionComments.suppressionEdit(for: diagnostic, in: analysis.files[0].facts, reason: "旧様式")
    #expect(edit.replacement == "\t# yosan: disable-next-line unknown-key -- 旧様式\r\n")
    let fixed = FixApplier.apply([edit], to: Array(text.utf8))
    #expect(Analyzer.analyze([SourceFile(path: "t.yosan", bytes: fixed)]).files[0].diagnostics.isEmpty)
  }

  @Test func onlyYosanCommentsAreDirectives() {
    let comments = SuppressionComments.read(
      tree: Parser.parse(Array("# yosan is a tool\n# yosanx: disable-line a\nx = 1 # yosan: disable-line a, b -- r\n".utf8)),
      bytes: Array("# yosan is a tool\n# yosanx: disable-line a\nx = 1 # yosan: disable-line a, b -- r\n".utf8),
      lineIndex: LineIndex(Array("# yosan is a tool\n# yosanx: disable-line a\nx = 1 # yosan: disable-line a, b -- r\n".utf8)))
    #expect(comments.problems.isEmpty)
    #expect(comments.directives.count == 1)
    #expect(comments.directives.first?.rules.map(\.id) == ["a", "b"])
    #expect(comments.directives.first?.reason == "r")
    #expect(comments.directives.first?.targetLine == 2)
    #expect(comments.directives.first?.isOwnLine == false)
  }
}
