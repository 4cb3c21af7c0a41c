import Foundation
import Testing
import YosanTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Walking a folder reads regular files only, and follows a symbolic link only when it leads to
/// a place inside the folder walked (issue 16 §5). What is skipped is listed once; paths named
/// on the command line keep their rules (a link named explicitly is followed).
struct DirectoryWalkTests {
  static let clean = Scratch.header + Scratch.item("a", ["担当 = 医政局", "要求額 = 1億円"])

  /// A folder holding `a.yosan` (clean) and, beside it, a secret file outside it.
  func folders() throws -> (tree: URL, secret: URL) {
    let tree = try Scratch.folder(["budgets/a.yosan": Self.clean])
    let outside = try Scratch.folder(["secret.txt": "root:x:0:0:the secret line\n"])
    return (tree.appendingPathComponent("budgets"), outside.appendingPathComponent("secret.txt"))
  }

  func link(_ name: String, in folder: URL, to target: String) throws {
    try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(name).path, withDestinationPath: target)
  }

  @Test(arguments: ["text", "github", "json", "sarif"])
  func aLinkToAFileOutsideIsNotRead(_ format: String) throws {
    let (tree, secret) = try folders()
    try link("p.yosan", in: tree, to: secret.path)
    let result = try YosanBinary.run(["check", "--format", format, "budgets"], in: tree.deletingLastPathComponent(), timeout: 60)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(!result.stdout.contains("secret"), "\(result.stdout)")
    #expect(!result.stdout.contains("p.yosan"))
    #expect(
      result.stderr.contains(
        "yosan: budgets/p.yosan: skipped: a symbolic link to a file outside budgets (\(secret.resolvingSymlinksInPath().path)); links are followed only inside the folder checked\n"
      ), "\(result.stderr)")
  }

  @Test(arguments: ["yosan.config.yosan", "sub/yosan.config.yosan"])
  func aConfigurationLinkedFromOutsideIsNotRead(_ name: String) throws {
    // Its lines would be quoted in the configuration's own diagnostics.
    let (tree, secret) = try folders()
    try FileManager.default.createDirectory(at: tree.appendingPathComponent("sub"), withIntermediateDirectories: true)
    let other = Scratch.header + Scratch.item("b", ["担当 = 医政局", "要求額 = 1億円"])
    try Data(other.utf8).write(to: tree.appendingPathComponent("sub/b.yosan"))
    try FileManager.default.createSymbolicLink(atPath: tree.appendingPathComponent(name).path, withDestinationPath: secret.path)
    let result = try YosanBinary.run(["check", "budgets"], in: tree.deletingLastPathComponent(), timeout: 60)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(!(result.stdout + result.stderr).contains("secret line"), "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("yosan: budgets/\(name): skipped: a symbolic link to a file outside budgets ("), "\(result.stderr)")
    #expect(result.stderr.contains("0 errors, 0 warnings in 2 files"), "\(result.stderr)")
  }

  @Test(arguments: ["/dev/zero", "/dev/stdin", "/dev/null"])
  func aLinkToADeviceIsSkipped(_ device: String) throws {
    let (tree, _) = try folders()
    try link("p.yosan", in: tree, to: device)
    // Standard input stays open (a pipe nobody writes to): reading it would wait forever.
    let result = try YosanBinary.run(["check", "budgets"], in: tree.deletingLastPathComponent(), timeout: 60)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("yosan: budgets/p.yosan: skipped: a symbolic link to "), "\(result.stderr)")
    #expect(result.stderr.contains("0 errors, 0 warnings in 1 file"), "\(result.stderr)")
  }

  @Test func fifosInsideAreSkippedWithoutWaiting() throws {
    let (tree, _) = try folders()
    #expect(mkfifo(tree.appendingPathComponent("pipe.yosan").path, 0o644) == 0)
    #expect(mkfifo(tree.appendingPathComponent("target-pipe").path, 0o644) == 0)
    try link("linked.yosan", in: tree, to: "target-pipe")
    let result = try YosanBinary.run(["check", "budgets"], in: tree.deletingLastPathComponent(), timeout: 60)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("yosan: budgets/pipe.yosan: skipped: a FIFO, not a regular file\n"), "\(result.stderr)")
    #expect(result.stderr.contains("yosan: budgets/linked.yosan: skipped: a symbolic link to a FIFO, not a regular file\n"), "\(result.stderr)")
    #expect(result.stderr.contains("0 errors, 0 warnings in 1 file"))
  }

  @Test func linksInsideAreFollowedAndEachFileIsCheckedOnce() throws {
    let tree = try Scratch.folder([
      "budgets/a.yosan": Self.clean,
      "budgets/.drafts/b.yosan": Scratch.header + Scratch.item("b", ["担当 = 医政局", "要求額 = 2億円"]),
    ])
    let budgets = tree.appendingPathComponent("budgets")
    try link("again.yosan", in: budgets, to: "a.yosan")  // the same file: checked once, as a.yosan
    try link("draft.yosan", in: budgets, to: ".drafts/b.yosan")  // inside, in a hidden folder: checked
    try link("loop", in: budgets, to: ".")  // a folder inside: not entered again
    let result = try YosanBinary.run(["check", "--format", "json", "budgets"], in: tree, timeout: 60)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(!result.stdout.contains("duplicate"))
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let export = try YosanBinary.run(["export", "--format", "csv", "budgets"], in: tree, timeout: 60)
    let files = export.stdout.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",").first.map(String.init) ?? "" }
    #expect(files == ["budgets/a.yosan", "budgets/draft.yosan"], "\(export.stdout)")
  }

  @Test func aBrokenLinkIsAProblem() throws {
    let (tree, _) = try folders()
    try link("gone.yosan", in: tree, to: "nowhere.yosan")
    let result = try YosanBinary.run(["check", "budgets"], in: tree.deletingLastPathComponent(), timeout: 60)
    #expect(result.status == 2)
    #expect(result.stderr.contains("yosan: budgets/gone.yosan: a symbolic link to nowhere.yosan, which does not exist\n"), "\(result.stderr)")
  }

  @Test func aLinkToAFolderOutsideIsListed() throws {
    let (tree, secret) = try folders()
    try link("elsewhere", in: tree, to: secret.deletingLastPathComponent().path)
    let result = try YosanBinary.run(["check", "budgets"], in: tree.deletingLastPathComponent(), timeout: 60)
    #expect(result.status == 0)
    #expect(result.stderr.contains("yosan: budgets/elsewhere: skipped: a symbolic link to a folder outside budgets ("), "\(result.stderr)")
  }

  @Test func aPathNamedOnTheCommandLineKeepsItsRules() throws {
    // Named explicitly, a link is followed wherever it leads; a FIFO is refused, not waited on.
    let (tree, _) = try folders()
    let outside = try Scratch.folder(["b.yosan": Scratch.header + Scratch.item("b", ["担当 = 医政局", "要求額 = 2億円"])])
    try link("b.yosan", in: tree, to: outside.appendingPathComponent("b.yosan").path)
    let followed = try YosanBinary.run(["check", "b.yosan"], in: tree, timeout: 60)
    #expect(followed.status == 0)
    #expect(followed.stderr.contains("in 1 file (1 item"), "\(followed.stderr)")
    #expect(mkfifo(tree.appendingPathComponent("pipe.yosan").path, 0o644) == 0)
    let fifo = try YosanBinary.run(["check", "pipe.yosan"], in: tree, timeout: 60)
    #expect(fifo.status == 2)
    #expect(fifo.stderr.contains("yosan: pipe.yosan: not a regular file or directory"), "\(fifo.stderr)")
  }

  @Test func theRulesAreInTheHelp() throws {
    let help = try YosanBinary.run(["check", "--help"])
    let text = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    #expect(text.contains("Links and special files: in a directory only regular files are read, and a symbolic link is followed only when it leads to a place inside that directory"))
    #expect(text.contains("A link that leads outside, and a FIFO, device or socket named *.yosan, are skipped and listed on standard error"))
  }
}
