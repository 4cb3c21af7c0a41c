import Testing
import YosanTestSupport

@testable import YosanCore

struct LoweringTests {
  @Test("a key written twice, the first time on a broken line, names that line")
  func duplicateAfterBrokenLine() {
    let text = "事業 a \"t\" {\n  担当 = 医政局\n  前年度 1億円\n  要求額 = 1億円\n  前年度 = 2億円\n}\n"
    let lines = Check.rendered(text)
    #expect(lines.contains("5:3 duplicate-key: `前年度` is written twice in this block; the first is on line 3"), "\(lines)")
    #expect(lines.contains { $0.hasPrefix("3:3 syntax-error: missing `=` after `前年度`") }, "\(lines)")
  }
}
