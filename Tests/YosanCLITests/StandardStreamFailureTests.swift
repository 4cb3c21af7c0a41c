import Foundation
import Testing
import YosanTestSupport

/// Every write to standard output and standard error is checked (issue 16 §1): output that could
/// not be written (`/dev/full`, a file beyond a size limit as on a full disk) is exit status 2 with
/// a message, never a silent success.
struct StandardStreamFailureTests {
  static let messy = Scratch.header + "事業 a \"t\" {\n担当=医政局\n要求額=１億円\n}\n"

  static func full() throws -> FileHandle { try #require(FileHandle(forWritingAtPath: "/dev/full")) }

  @Test func fmtToAFullDevice() throws {
    let result = try YosanBinary.run(["fmt", "-"], input: Data(Self.messy.utf8), standardOutput: try Self.full())
    #expect(result.status == 2)
    #expect(result.stderr.contains("yosan: -: cannot write the result to standard output (no space left on the device)"), "\(result.stderr)")
    // Not counted as reformatted, and the generic end-of-run message is not said twice.
    #expect(result.stderr.hasSuffix("0 files reformatted, 0 files unchanged, 1 file could not be written\n"), "\(result.stderr)")
    #expect(!result.stderr.contains("the output is incomplete"))
  }

  @Test func fixToAFullDevice() throws {
    let result = try YosanBinary.run(["check", "--fix", "-"], input: Data(Self.messy.utf8), standardOutput: try Self.full())
    #expect(result.status == 2)
    #expect(result.stderr.contains("yosan: -: cannot write the result to standard output (no space left on the device)"), "\(result.stderr)")
    #expect(result.stderr.contains("1 file could not be written"), "\(result.stderr)")
    #expect(!result.stderr.contains("fixes applied"))
  }

  @Test(arguments: [
    ["export", "a.yosan"], ["export", "--format", "csv", "a.yosan"], ["check", "--format", "json", "a.yosan"],
    ["check", "--format", "sarif", "a.yosan"], ["check", "--format", "github", "a.yosan"], ["check", "a.yosan"],
    ["rules"], ["explain", "share-sum"], ["help", "check"], ["fmt", "--diff", "a.yosan"],
  ])
  func everyCommandToAFullDevice(_ arguments: [String]) throws {
    let dir = try Scratch.folder(["a.yosan": Self.messy])
    let result = try YosanBinary.run(arguments, in: dir, standardOutput: try Self.full())
    #expect(result.status == 2, "\(arguments): \(result.stderr)")
    #expect(result.stderr.contains("yosan: cannot write to standard output (no space left on the device); the output is incomplete"), "\(result.stderr)")
  }

  @Test func fmtIntoAFileOnAFullDisk() throws {
    // `fmt - < a > b` where b cannot grow past 4 KiB (`ulimit -f`, the same error as a full disk).
    let dir = try Scratch.folder([:])
    let target = dir.appendingPathComponent("b.yosan")
    #expect(FileManager.default.createFile(atPath: target.path, contents: nil))
    let handle = try FileHandle(forWritingTo: target)
    let big = Self.messy + String(repeating: "# 注記\n", count: 2_000)
    let result = try YosanBinary.run(["fmt", "-"], input: Data(big.utf8), in: dir, fileSizeLimit: 4, standardOutput: handle)
    try handle.close()
    #expect(result.status == 2)
    #expect(result.stderr.contains("yosan: -: cannot write the result to standard output ("), "\(result.stderr)")
    #expect(result.stderr.contains("1 file could not be written"))
  }

  @Test func aFullStandardError() throws {
    // The diagnostics go to standard output; the summary to standard error, which cannot be written.
    let dir = try Scratch.folder(["a.yosan": Self.messy])
    let result = try YosanBinary.run(["check", "a.yosan"], in: dir, standardError: try Self.full())
    #expect(result.status == 2)
    #expect(result.stdout.contains("a.yosan:8:5: style: full-width"), "\(result.stdout)")
  }
}
