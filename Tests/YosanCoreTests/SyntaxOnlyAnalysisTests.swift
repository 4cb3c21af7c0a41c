import Foundation
import Testing
import YosanTestSupport
@testable import YosanCore

/// `Analyzer.analyzeSyntax` (what `yosan export` runs instead of every rule): the same model and
/// the same `syntax-error` and `invalid-utf8` diagnostics as `analyze`, for the samples and for
/// broken texts (syntax errors in the header, in items and between them, bytes that are not
/// UTF-8, a Shift_JIS file, a suppressed syntax error, a rule turned off), alone and together.
struct SyntaxOnlyAnalysisTests {
  static let header = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n"

  static let broken: [SourceFile] = [
    SourceFile(path: "header.yosan", text: "予算 \"令和7年度\" {\n  年度 令和7年度\n}\n\n事業 a \"a\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n"),
    SourceFile(path: "items.yosan", text: header + "事業 a \"a\" {\n  担当 医政局\n  要求額 = 1億円\n}\n}\n事業 b \"b {\n  要求額 = 2億円\n"),
    SourceFile(path: "between.yosan", text: header + "これは説明です\n事業 a \"a\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n"),
    SourceFile(path: "utf8.yosan", bytes: Array((header + "事業 a \"a\" {\n  担当 = 医政局\n  要求額 = 1億円\n  備考 = ").utf8) + [0xFF, 0xFE] + Array("\n}\n".utf8)),
    SourceFile(path: "sjis.yosan", bytes: [0x97, 0x5C, 0x8E, 0x5A, 0x20, 0x22, 0x97, 0xDF, 0x98, 0x61, 0x22, 0x20, 0x7B, 0x0A, 0x7D, 0x0A]),
    SourceFile(
      path: "suppressed.yosan",
      text: header + "事業 a \"a\" {\n  担当 = 医政局\n  # yosan: disable-next-line syntax-error -- 原本のまま\n  要求額 1億円\n  前年度 2億円\n}\n"),
  ]

  /// Each file's syntax diagnostics and items, as text.
  static func summary(_ analysis: WorkspaceAnalysis) -> [String] {
    analysis.files.map { file in
      var items = 0
      file.facts.document.forEachItem { _ in items += 1 }
      let diagnostics = file.diagnostics.filter { $0.ruleID == "syntax-error" || $0.ruleID == "invalid-utf8" }.map {
        "\($0.range.start)-\($0.range.end) \($0.severity) \($0.ruleID): \($0.message)"
      }
      return "\(file.facts.path): \(items) items; " + diagnostics.joined(separator: "; ")
    }
  }

  @Test func givesWhatTheFullAnalysisGivesForTheSyntaxRules() throws {
    let samples = (RepoPaths.files(under: "Samples/budgets", withExtension: "yosan") + RepoPaths.files(under: "Samples/defects", withExtension: "yosan"))
      .map { SourceFile(path: RepoPaths.relative($0), bytes: Array(try! Data(contentsOf: $0))) }
    #expect(samples.count > 10)
    for files in samples.map({ [$0] }) + Self.broken.map({ [$0] }) + [Self.broken, Array(samples.prefix(3)) + Self.broken] {
      #expect(Self.summary(Analyzer.analyzeSyntax(files)) == Self.summary(Analyzer.analyze(files)))
    }
    // Every broken text has its finding (the suppressed one its second, unsuppressed line).
    for line in Self.summary(Analyzer.analyzeSyntax(Self.broken)) { #expect(line.contains("syntax-error") || line.contains("invalid-utf8"), "\(line)") }
    // With the rule turned off, neither reports it.
    var configuration = Configuration.default
    configuration.severities["syntax-error"] = .some(nil)
    let off = configuration
    let broken = [Self.broken[1]]
    let syntaxOnly = Self.summary(Analyzer.analyzeSyntax(broken, configuration: { _ in off }))
    let full = Self.summary(Analyzer.analyze(broken, configuration: { _ in off }))
    #expect(syntaxOnly == full)
    #expect(!syntaxOnly[0].contains("syntax-error"), "\(syntaxOnly)")
  }
}
