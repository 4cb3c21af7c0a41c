import Foundation
import Testing
import YosanSyntax
import YosanTestSupport

/// Parser golden files: `Fixtures/parser/{ok,err}/NAME.yosan` and its tree dump `NAME.tree`.
/// `ok` inputs must parse without errors, `err` inputs with at least one. Rewrite the dumps with
/// `UPDATE_GOLDEN=1 swift test` and review the diff.
struct ParserGoldenTests {
  static let fixtures = RepoPaths.files(under: "Tests/YosanSyntaxTests/Fixtures/parser", withExtension: "yosan")

  @Test("fixtures exist in both folders")
  func fixturesExist() {
    #expect(Self.fixtures.contains { $0.path.contains("/ok/") })
    #expect(Self.fixtures.contains { $0.path.contains("/err/") })
  }

  @Test("parser golden", arguments: fixtures)
  func golden(_ url: URL) throws {
    let bytes = Array(try Data(contentsOf: url))
    let tree = Parser.parse(bytes)
    #expect(tree.reconstructText(from: bytes) == bytes, "round trip of \(url.lastPathComponent)")
    let expectsErrors = url.path.contains("/err/")
    #expect(tree.containsError == expectsErrors, "\(url.lastPathComponent) should \(expectsErrors ? "" : "not ")have syntax errors")
    let dump = TreeDump.dump(tree, text: bytes)
    if let problem = Golden.check(dump, against: url.deletingPathExtension().appendingPathExtension("tree")) {
      Issue.record(Comment(rawValue: problem))
    }
  }
}
