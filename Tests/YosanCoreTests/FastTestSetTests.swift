import Foundation
import Testing
import YosanTestSupport

/// The README's fast test command leaves out exactly the suites tagged `.slow`, so that the two
/// cannot drift apart as suites are added or sped up.
struct FastTestSetTests {
  @Test("the README's `swift test --skip` command names exactly the suites tagged slow")
  func readmeSkipsTheSlowSuites() throws {
    var tagged: Set<String> = []
    for url in RepoPaths.files(under: "Tests", withExtension: "swift") {
      let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      for (index, line) in lines.enumerated() where line.hasPrefix("@Suite(") && line.contains(".tags(.slow)") {
        let next = index + 1 < lines.count ? lines[index + 1] : ""
        guard next.hasPrefix("struct ") else {
          Issue.record("\(RepoPaths.relative(url)):\(index + 2): a suite tagged slow is followed by `struct NAME`")
          continue
        }
        tagged.insert(String(next.dropFirst("struct ".count).prefix { $0.isLetter || $0.isNumber }))
      }
    }
    let readme = try String(contentsOf: RepoPaths.url("README.md"), encoding: .utf8)
    let prefix = "swift test --skip '"
    let command = try #require(readme.split(separator: "\n").first { $0.hasPrefix(prefix) }, "the README shows the fast set's command")
    let skipped = Set(command.dropFirst(prefix.count).prefix { $0 != "'" }.split(separator: "|").map(String.init))
    #expect(!tagged.isEmpty)
    #expect(skipped == tagged, "skipped but not tagged: \(skipped.subtracting(tagged).sorted()); tagged but not skipped: \(tagged.subtracting(skipped).sorted())")
  }
}
