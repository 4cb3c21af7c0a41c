import Foundation
import Testing
import YosanJSON
import YosanTestSupport

/// What `check --fix` and `fmt` report when a file cannot be written back: the file is reported
/// as it is on disk (unchanged), the failure is an I/O problem in every output format, and
/// nothing counts it as fixed or reformatted.
struct WriteFailureTests {
  /// Two safe fixes (full-width digits) and nothing else to report once fixed.
  static let fixable = Scratch.header + Scratch.item("a", ["担当 = 医政局", "要求額 = １億円", "前年度 = ２億円"])
  static let fixed = Scratch.header + Scratch.item("a", ["担当 = 医政局", "要求額 = 1億円", "前年度 = 2億円"])
  /// The same in another file (item ids are shared across the files of a run).
  static let otherFixable = fixable.replacingOccurrences(of: "事業 a ", with: "事業 b ")

  /// A folder with `a.yosan` (writable) and `b.yosan` (read-only: no write permission bits, which
  /// Yosan honours even for root).
  func folder() throws -> URL {
    let dir = try Scratch.folder(["a.yosan": Self.fixable, "b.yosan": Self.otherFixable])
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: dir.appendingPathComponent("b.yosan").path)
    return dir
  }

  @Test func textReportsTheUnwrittenFileAsItIsOnDisk() throws {
    let dir = try folder()
    let result = try YosanBinary.run(["check", "--fix", "a.yosan", "b.yosan"], in: dir)
    #expect(result.status == 2)
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")) == Self.fixed)
    #expect(try Scratch.read(dir.appendingPathComponent("b.yosan")) == Self.otherFixable)
    // a.yosan is clean once fixed; b.yosan still has its two full-width figures.
    #expect(result.stdout.split(separator: "\n").map { $0.prefix(while: { $0 != " " }) } == ["b.yosan:8:9:", "b.yosan:9:9:"])
    #expect(result.stdout.contains("[fullwidth-character]"))
    #expect(result.stderr.contains("yosan: b.yosan: the file is read-only; it was not changed\n"))
    #expect(
      result.stderr.hasSuffix(
        "0 errors, 0 warnings, 2 style notes in 2 files (2 items, 0 sums, 0 rates checked); 2 fixes applied to 1 file; 1 file could not be written\n"),
      "\(result.stderr)")
  }

  @Test func jsonListsTheFailureAsAnIOProblem() throws {
    let dir = try folder()
    let result = try YosanBinary.run(["check", "--fix", "--format", "json", "a.yosan", "b.yosan"], in: dir)
    #expect(result.status == 2)
    let json = try JSON.parse(result.stdout)
    #expect(try Scratch.schema("json-output.schema.json").validate(json) == [])
    #expect(json["summary"]?["styles"]?.intValue == 2)
    #expect(json["summary"]?["fixed"]?.intValue == 2)
    let files = json["diagnostics"]?.arrayValue?.compactMap { $0["file"]?.stringValue }
    #expect(files == ["b.yosan", "b.yosan"])
    let problems = try #require(json["problems"]?.arrayValue)
    #expect(problems.count == 1)
    #expect(problems.first?["kind"]?.stringValue == "io")
    #expect(problems.first?["file"]?.stringValue == "b.yosan")
    #expect(problems.first?["message"]?.stringValue == "the file is read-only; it was not changed")
  }

  @Test func sarifSaysTheRunWasNotSuccessful() throws {
    let dir = try folder()
    let result = try YosanBinary.run(["check", "--fix", "--format", "sarif", "a.yosan", "b.yosan"], in: dir)
    #expect(result.status == 2)
    let sarif = try JSON.parse(result.stdout)
    let run = try #require(sarif["runs"]?.arrayValue?.first)
    #expect(run["results"]?.arrayValue?.count == 2)
    let invocation = try #require(run["invocations"]?.arrayValue?.first)
    #expect(invocation["executionSuccessful"]?.boolValue == false)
    let notes = invocation["toolExecutionNotifications"]?.arrayValue?.compactMap { $0["message"]?["text"]?.stringValue }
    #expect(notes == ["b.yosan: the file is read-only; it was not changed"])
  }

  @Test func aFileSizeLimitIsReportedTheSameWay() throws {
    // Big enough that the fixed file cannot be written under a 4 KiB limit.
    let big = Self.fixable + String(repeating: "# 注記\n", count: 2_000)
    let dir = try Scratch.folder(["a.yosan": big])
    let result = try YosanBinary.run(["check", "--fix", "--format", "json", "a.yosan"], in: dir, fileSizeLimit: 4)
    #expect(result.status == 2)
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")) == big)
    let json = try JSON.parse(result.stdout)
    #expect(json["summary"]?["styles"]?.intValue == 2)
    #expect(json["summary"]?["fixed"]?.intValue == 0)
    #expect(json["problems"]?.arrayValue?.first?["kind"]?.stringValue == "io")
    #expect(json["problems"]?.arrayValue?.first?["message"]?.stringValue?.hasPrefix("cannot write the new text") == true)
  }

  @Test func fmtCountsOnlyTheFilesItWrote() throws {
    let messy = Scratch.header + "事業 a \"t\" {\n担当=医政局\n要求額=1億円\n}\n"
    let dir = try Scratch.folder(["a.yosan": messy, "b.yosan": messy.replacingOccurrences(of: "事業 a ", with: "事業 b ")])
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: dir.appendingPathComponent("b.yosan").path)
    let result = try YosanBinary.run(["fmt", "a.yosan", "b.yosan"], in: dir)
    #expect(result.status == 2)
    #expect(result.stderr.contains("yosan: b.yosan: the file is read-only; it was not changed\n"))
    #expect(result.stderr.hasSuffix("1 file reformatted, 0 files unchanged, 1 file could not be written\n"), "\(result.stderr)")
    let limited = try Scratch.folder(["a.yosan": messy + String(repeating: "# 注記\n", count: 2_000)])
    let full = try YosanBinary.run(["fmt", "a.yosan"], in: limited, fileSizeLimit: 4)
    #expect(full.status == 2)
    #expect(full.stderr.hasSuffix("0 files reformatted, 0 files unchanged, 1 file could not be written\n"), "\(full.stderr)")
  }
}
