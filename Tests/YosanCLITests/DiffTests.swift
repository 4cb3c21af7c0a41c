import Foundation
import Testing
import YosanTestSupport

/// The unified diffs of `fmt --diff` and `check --diff`: applied with `patch`, each gives exactly
/// the bytes that `fmt` and `check --fix` write, final newline included.
struct DiffTests {
  static let body = "予算 \"令和7年度 概算要求\" {\n  府省 = 厚生労働省\n  年度 = 令和7年度\n  区分 = 概算要求\n}"

  /// Texts whose formatting or fixing changes the end of the file.
  static let texts: [String] = [
    // Only the final newline is missing.
    body,
    // Other changes, and the final newline.
    body.replacingOccurrences(of: "  府省 = 厚生労働省", with: "府省=厚生労働省"),
    // A change on the last line, which has no newline.
    body + "\n事業 a \"t\" {\n担当 = 医政局\n要求額 = １億円\n}",
    // Blank lines at the end.
    body + "\n\n\n\n",
    // CRLF without the last line break.
    body.replacingOccurrences(of: "\n", with: "\r\n"),
    // Only the final newline is missing, far from any other line.
    body + "\n" + String(repeating: "# 注記\n", count: 20) + "事業 a \"t\" {\n  担当   = 医政局\n  要求額 = 1億円\n}",
  ]

  /// Applies `diff` to the file `name` in `folder` with `patch`, or with `applyUnifiedDiff` when
  /// `patch` is not installed; the resulting bytes.
  func patched(_ diff: String, file name: String, in folder: URL) throws -> [UInt8] {
    let copy = try Scratch.folder([:])
    try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: copy.appendingPathComponent(name))
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/patch") else {
      let text = try Scratch.read(copy.appendingPathComponent(name))
      return Array(try #require(applyUnifiedDiff(diff, to: text), "the diff applies").utf8)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/patch")
    process.arguments = ["-p0", "--quiet", "--no-backup-if-mismatch"]
    process.currentDirectoryURL = copy
    let input = Pipe()
    process.standardInput = input
    try process.run()
    try input.fileHandleForWriting.write(contentsOf: Data(diff.utf8))
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "patch applies the diff:\n\(diff)")
    return try Scratch.bytes(copy.appendingPathComponent(name))
  }

  @Test(arguments: texts.indices)
  func fmtDiffGivesWhatFmtWrites(_ index: Int) throws {
    let dir = try Scratch.folder(["a.yosan": Self.texts[index]])
    let diff = try YosanBinary.run(["fmt", "--diff", "a.yosan"], in: dir)
    #expect(diff.status == 1)
    #expect(diff.stdout.contains("\n@@ -"), "a hunk: \(diff.stdout)")
    let patched = try patched(diff.stdout, file: "a.yosan", in: dir)
    let write = try YosanBinary.run(["fmt", "a.yosan"], in: dir)
    #expect(write.status == 0)
    let written = try Scratch.bytes(dir.appendingPathComponent("a.yosan"))
    #expect(patched == written)
    // The tests' own patch does the same.
    #expect(applyUnifiedDiff(diff.stdout, to: Self.texts[index]).map { Array($0.utf8) } == written)
  }

  @Test func checkDiffGivesWhatCheckFixWrites() throws {
    // The fix (full-width digits) is on the last line, which has no line break.
    let text = Self.body + "\n\n事業 a \"t\" {\n  担当   = 医政局\n  要求額 = １億円 }"
    let dir = try Scratch.folder(["a.yosan": text])
    let diff = try YosanBinary.run(["check", "--diff", "a.yosan"], in: dir)
    #expect(diff.status == 1)
    let patched = try patched(diff.stdout, file: "a.yosan", in: dir)
    _ = try YosanBinary.run(["check", "--fix", "a.yosan"], in: dir)
    let written = try Scratch.bytes(dir.appendingPathComponent("a.yosan"))
    #expect(written != Array(text.utf8))
    #expect(patched == written)
  }

  @Test func anAddedFinalNewlineIsAHunk() throws {
    let dir = try Scratch.folder(["b.yosan": Self.body])
    let diff = try YosanBinary.run(["fmt", "--diff", "b.yosan"], in: dir)
    #expect(
      diff.stdout
        == "--- b.yosan\n+++ b.yosan\n@@ -2,4 +2,4 @@\n   府省 = 厚生労働省\n   年度 = 令和7年度\n   区分 = 概算要求\n-}\n\\ No newline at end of file\n+}\n")
  }
}
