import Foundation
import Testing
import YosanTestSupport

/// Every input a fuzzer ever failed on, replayed through the property it broke.
/// Inputs live in `Tests/Fuzz/Regressions/<target>/`, one file each, named after what they hit.
struct FuzzRegressionTests {
  static func inputs(_ target: String) -> [URL] {
    let folder = RepoPaths.url("Tests/Fuzz/Regressions/\(target)")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
  }

  @Test("parse and analyse regression", arguments: inputs("parse") + inputs("format"))
  func parseAndAnalyse(_ url: URL) throws {
    let failure = FuzzChecks.parseAndAnalyse(Array(try Data(contentsOf: url)))
    #expect(failure == nil, Comment(rawValue: failure ?? ""))
  }

  @Test("language server regression", arguments: inputs("lsp"))
  func languageServer(_ url: URL) throws {
    let failure = LSPFuzzCheck.run(Array(try Data(contentsOf: url)))
    #expect(failure == nil, Comment(rawValue: failure ?? ""))
  }

  @Test("zip regression", arguments: inputs("zip"))
  func zip(_ url: URL) throws {
    let failure = FuzzChecks.archive(Array(try Data(contentsOf: url)))
    #expect(failure == nil, Comment(rawValue: failure ?? ""))
  }

  @Test("xml regression", arguments: inputs("xml"))
  func xml(_ url: URL) throws {
    let failure = FuzzChecks.xml(Array(try Data(contentsOf: url)))
    #expect(failure == nil, Comment(rawValue: failure ?? ""))
  }

  @Test("format regression", arguments: inputs("format"))
  func format(_ url: URL) throws {
    let failure = FuzzChecks.format(Array(try Data(contentsOf: url)))
    #expect(failure == nil, Comment(rawValue: failure ?? ""))
  }
}
