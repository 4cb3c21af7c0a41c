import Testing
import YosanSyntax
import YosanTestSupport
@testable import YosanCore

/// Pathological files (issue 6 §2): each finishes, round-trips and gets sensible diagnostics.
@Suite(.tags(.slow))
struct PathologicalFileTests {
  let header = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"

  func analyse(_ bytes: [UInt8]) -> [Diagnostic] {
    #expect(Parser.parse(bytes).reconstructText(from: bytes) == bytes)
    #expect(FuzzChecks.parseAndAnalyse(bytes) == nil)
    return Analyzer.analyze([SourceFile(path: "p.yosan", bytes: bytes)]).files[0].diagnostics
  }

  @Test func aOneMegabyteSingleLine() {
    let line = String(repeating: "要求額 = 1億円 ", count: 1_000_000 / 19)
    let diagnostics = analyse(Array((header + "事業 a \"t\" { 担当 = 医政局 " + line + "}").utf8))
    // The whole line after `担当 =` is one value: 担当's text; nothing else is wrong but the
    // missing 要求額, and that is said once.
    #expect(diagnostics.count <= 3)
    #expect(diagnostics.contains { $0.ruleID == "missing-required-key" })
  }

  @Test func aOneMegabyteLineOfNothingButWords() {
    let diagnostics = analyse(Array(String(repeating: "あ", count: 350_000).utf8))
    #expect(diagnostics.filter { $0.ruleID == "syntax-error" }.count == 1)
  }

  @Test func aHundredThousandNestedBlocks() {
    let depth = 100_000
    let text = header + String(repeating: "事業 x {\n", count: depth) + String(repeating: "}\n", count: depth)
    let diagnostics = analyse(Array(text.utf8))
    #expect(diagnostics.filter { $0.ruleID == "syntax-error" }.map(\.message) == ["blocks nested more than \(Parser.maximumDepth) deep; the rest of this block is not checked"])
  }

  @Test func onlyOpeningBraces() {
    let diagnostics = analyse(Array(String(repeating: "{", count: 100_000).utf8))
    // One per block that could be parsed (up to the nesting limit), one for the depth.
    #expect(diagnostics.filter { $0.ruleID == "syntax-error" }.count == Parser.maximumDepth + 1)
  }

  @Test func onlyClosingBraces() {
    let diagnostics = analyse(Array(String(repeating: "}\n", count: 100_000).utf8))
    #expect(diagnostics.filter { $0.ruleID == "syntax-error" }.map(\.message) == ["100000 unmatched `}`: no block is open here"])
  }

  @Test func nulBytesAndInvalidUTF8() {
    var bytes = Array((header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n").utf8)
    bytes += [0x00, 0x00, 0xFF, 0xFE, 0x0A, 0xC3, 0x28, 0x0A, 0x7D, 0x0A]
    let diagnostics = analyse(bytes)
    #expect(diagnostics.filter { $0.ruleID == "invalid-utf8" }.count == 1)
    #expect(diagnostics.contains { $0.ruleID == "syntax-error" && $0.message.hasPrefix("control character U+0000") })
  }

  @Test func aTenThousandDigitNumber() {
    let number = String(repeating: "9", count: 10_000)
    let diagnostics = analyse(Array((header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = \(number)億円\n}\n").utf8))
    #expect(diagnostics.map(\.ruleID) == ["malformed-amount"])
    #expect(diagnostics.first?.message.contains("more digits than Yosan computes exactly") == true)
  }

  @Test func amountsBeyondTheExactRangeInASum() {
    // Each row fits 128 bits; their sum in yen does not.
    let huge = String(repeating: "9", count: 37) + "兆円"
    let text = header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = \(huge)\n  内訳 {\n    一 = \(huge)\n    二 = \(huge)\n    三 = \(huge)\n  }\n}\n"
    let diagnostics = analyse(Array(text.utf8))
    // No trap: one diagnostic says the sum is beyond exact arithmetic and not checked.
    #expect(diagnostics.map(\.ruleID) == ["breakdown-sum"])
    #expect(diagnostics.first?.message.contains("38 digits") == true)
  }

  @Test func aHundredThousandRowsInOneBreakdown() {
    var text = header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 100,000億円\n  内訳 {\n"
    for index in 0..<100_000 { text += "    行\(index) = 1億円\n" }
    text += "    合計 = 100,000億円\n  }\n}\n"
    let diagnostics = analyse(Array(text.utf8))
    #expect(diagnostics.isEmpty, "\(diagnostics.prefix(3).map(\.message))")
  }
}
