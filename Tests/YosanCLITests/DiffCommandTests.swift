import Foundation
import Testing
import YosanJSON
import YosanTestSupport

/// `yosan diff` run as a process: goldens for a pair of sample versions in every format (written
/// once and reviewed by hand), every exit status, git:REV:PATH and git's external diff driver.
struct DiffCommandTests {
  static let old = "Samples/budgets/r7-chiiki-houkatsu.yosan"
  static let new = "Samples/revisions/r7-yosan-an/r7-chiiki-houkatsu.yosan"

  func golden(_ result: YosanBinary.Result, _ name: String) {
    let message = Golden.check(result.stdout, against: RepoPaths.url("Samples/revisions/r7-yosan-an/" + name))
    #expect(message == nil, "\(message ?? "")")
  }

  // MARK: - Goldens

  @Test func textGolden() throws {
    let result = try YosanBinary.run(["diff", Self.old, Self.new])
    #expect(result.status == 1)
    #expect(result.stderr == "")
    golden(result, "r7-chiiki-houkatsu.diff.txt")
    let dx = try YosanBinary.run(["diff", "Samples/budgets/r7-iryo-kaigo-dx.yosan", "Samples/revisions/r7-yosan-an/r7-iryo-kaigo-dx.yosan"])
    #expect(dx.status == 1)
    golden(dx, "r7-iryo-kaigo-dx.diff.txt")
  }

  @Test func jsonGoldenMatchesItsSchema() throws {
    let result = try YosanBinary.run(["diff", "--format", "json", Self.old, Self.new])
    #expect(result.status == 1)
    golden(result, "r7-chiiki-houkatsu.diff.json")
    let document = try JSON.parse(result.stdout)
    #expect(try Scratch.schema("diff-output.schema.json").validate(document) == [])
    #expect(document["summary"]?["renamed"]?.intValue == 1)
    let equal = try JSON.parse(try YosanBinary.run(["diff", "--format", "json", Self.old, Self.old]).stdout)
    #expect(try Scratch.schema("diff-output.schema.json").validate(equal) == [])
    #expect(equal["summary"]?["equal"] == .bool(true))
    // Every shape of change the samples hold validates, also folder against folder.
    let folders = try JSON.parse(try YosanBinary.run(["diff", "--format", "json", "Samples/budgets", "Samples/revisions/r7-yosan-an"]).stdout)
    #expect(try Scratch.schema("diff-output.schema.json").validate(folders) == [])
  }

  @Test func csvGoldenAndByteOrderMark() throws {
    let result = try YosanBinary.run(["diff", "--format", "csv", Self.old, Self.new])
    #expect(result.status == 1)
    golden(result, "r7-chiiki-houkatsu.diff.csv")
    #expect(result.stdout.hasPrefix("action,kind,file,line,section,id,title,field,old,new,change,change_yen,change_percent\r\n"))
    let bom = try YosanBinary.run(["diff", "--format", "csv", "--bom", Self.old, Self.new])
    #expect(Array(bom.stdoutBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    #expect(bom.stdoutBytes.dropFirst(3) == result.stdoutBytes)
  }

  @Test func markdownGolden() throws {
    let result = try YosanBinary.run(["diff", "--format", "markdown", Self.old, Self.new])
    #expect(result.status == 1)
    golden(result, "r7-chiiki-houkatsu.diff.md")
  }

  /// The README's `yosan diff` excerpts are real output (lines may be left out, marked `…`).
  @Test func readmeExcerptsAreRealOutput() throws {
    let readme = try String(contentsOf: RepoPaths.url("README.md"), encoding: .utf8)
    var checked = 0
    for block in readme.components(separatedBy: "```console\n").dropFirst().map({ $0.components(separatedBy: "\n```")[0] }) {
      let lines = block.split(separator: "\n").map(String.init)
      guard let command = lines.first, command.hasPrefix("$ yosan diff ") else { continue }
      let result = try YosanBinary.run(command.dropFirst(2).split(separator: " ").dropFirst().map(String.init))
      let printed = Set(result.stdout.split(separator: "\n").map(String.init))
      for line in lines.dropFirst() where line != "…" {
        #expect(printed.contains(line), "README line is not what `\(command.dropFirst(2))` prints: \(line)")
        checked += 1
      }
    }
    #expect(checked >= 8)
  }

  // MARK: - Exit statuses

  @Test func exitStatuses() throws {
    let equal = try YosanBinary.run(["diff", Self.old, Self.old])
    #expect(equal.status == 0)
    #expect(equal.stdout.hasSuffix("no differences in 11 items\n"))
    #expect(try YosanBinary.run(["diff", "--exit-zero", Self.old, Self.new]).status == 0)
    let folder = try Scratch.folder(["a.yosan": Scratch.header + Scratch.item("x", ["要求額 = 1億円"])])
    let formatted = try Scratch.folder(["a.yosan": Scratch.header + Scratch.item("x", ["要求額   =   100百万円"])])
    #expect(try YosanBinary.run(["diff", folder.path, formatted.path]).status == 0, "formatting and units are not differences")
    for arguments in [
      ["diff", Self.old], ["diff", Self.old, Self.new, Self.new], ["diff", "--format", "yaml", Self.old, Self.new],
      ["diff", "--bom", Self.old, Self.new], ["diff", "--color", "sometimes", Self.old, Self.new], ["diff", "--git", "x"],
      ["diff", "git:HEAD", Self.new],
    ] {
      let result = try YosanBinary.run(arguments)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stdout == "", "\(arguments)")
      #expect(result.stderr.hasPrefix("yosan diff"), "\(arguments): \(result.stderr)")
    }
    let missing = try YosanBinary.run(["diff", "nowhere.yosan", Self.new])
    #expect(missing.status == 2)
    #expect(missing.stderr == "yosan: nowhere.yosan: no such file or directory\n")
    let empty = try Scratch.folder(["notes.txt": "x"])
    #expect(try YosanBinary.run(["diff", empty.path, Self.new]).status == 2)
  }

  @Test func aSideWithSyntaxErrorsIsReportedAndStillCompared() throws {
    let folder = try Scratch.folder([
      "old.yosan": Scratch.header + Scratch.item("x", ["担当 = 医政局", "要求額 = 1億円"]) + Scratch.item("y", ["担当 = 医政局", "要求額 = 1億円"]),
      "new.yosan": Scratch.header + Scratch.item("x", ["担当 = 医政局", "要求額 = 2億円", "前年度 1億円"]) + Scratch.item("y", ["担当 = 医政局", "要求額 = 1億円"]),
    ])
    let result = try YosanBinary.run(["diff", "old.yosan", "new.yosan"], in: folder)
    #expect(result.status == 1)
    #expect(result.stderr.contains("new.yosan:9:3: error: missing `=` after `前年度`"))
    #expect(result.stdout.contains("note: the new version has syntax errors in new.yosan (listed on standard error); only its readable items are compared"))
    #expect(result.stdout.contains("要求額: 1億円 → 2億円 (+1億円, +100,000,000円, +100%)"))
    let json = try JSON.parse(try YosanBinary.run(["diff", "--format", "json", "old.yosan", "new.yosan"], in: folder).stdout)
    #expect(json["new"]?["filesWithSyntaxErrors"] == .array([.string("new.yosan")]))
    #expect(json["new"]?["errors"]?.intValue == 1)
  }

  @Test func markdownEscapesTheBudgetsText() throws {
    let folder = try Scratch.folder([
      "a.yosan": Scratch.header + "事業 x \"a|b <b>*c*\" {\n  要求額 = 1億円\n}\n",
      "b.yosan": Scratch.header + "事業 x \"a|b <b>*c*\" {\n  要求額 = 2億円\n}\n",
    ])
    let result = try YosanBinary.run(["diff", "--format", "markdown", "a.yosan", "b.yosan"], in: folder)
    #expect(result.stdout.contains("`x` a\\|b &lt;b&gt;\\*c\\* | 要求額 | 1億円 | 2億円 | +1億円 | +100% |"))
    #expect(!result.stdout.contains("<b>"))
  }

  // MARK: - git

  /// Runs git in `directory` with a fixed identity; fails the test on an error.
  @discardableResult
  func git(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "init.defaultBranch=main"] + arguments
    process.currentDirectoryURL = directory
    var env = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C.UTF-8"]
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    #expect(process.terminationStatus == 0, "git \(arguments): \(text)")
    return text
  }

  /// A repository with two commits of `my budgets/a.yosan` (a folder with a space): the 概算要求
  /// and the 予算案 of the sample.
  func repository() throws -> URL {
    let folder = try Scratch.folder([:])
    let old = try String(contentsOf: RepoPaths.url(Self.old), encoding: .utf8)
    let new = try String(contentsOf: RepoPaths.url(Self.new), encoding: .utf8)
    try git(["init", "-q"], in: folder)
    try Scratch.write(old, to: folder.appendingPathComponent("my budgets/a.yosan"))
    try git(["add", "-A"], in: folder)
    try git(["commit", "-q", "-m", "概算要求"], in: folder)
    try Scratch.write(new, to: folder.appendingPathComponent("my budgets/a.yosan"))
    try git(["commit", "-q", "-a", "-m", "予算案"], in: folder)
    return folder
  }

  @Test func gitRevisionPaths() throws {
    let repo = try repository()
    let expected = try YosanBinary.run(["diff", Self.old, Self.new]).stdout
    let body = expected.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(4)
    for (old, new, directory) in [
      ("git:HEAD~1:my budgets", "my budgets", repo), ("git:HEAD~1:my budgets/a.yosan", "git:HEAD:my budgets/a.yosan", repo),
      ("git:HEAD~1:a.yosan", "a.yosan", repo.appendingPathComponent("my budgets")), ("git:HEAD~1:", ".", repo.appendingPathComponent("my budgets")),
    ] {
      let result = try YosanBinary.run(["diff", old, new], in: directory)
      #expect(result.status == 1, "\(old) \(new): \(result.stderr)")
      // The same changes as between the files in the repository's Samples (only the paths differ).
      let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(4)
      #expect(lines.filter { !$0.hasPrefix("@") && !$0.hasPrefix("~ file") } == body.filter { !$0.hasPrefix("@") && !$0.hasPrefix("~ file") }, "\(old) \(new)")
    }
    #expect(try YosanBinary.run(["diff", "git:HEAD:my budgets", "my budgets"], in: repo).status == 0)
    let noRevision = try YosanBinary.run(["diff", "git:v9:my budgets", "my budgets"], in: repo)
    #expect(noRevision.status == 2)
    #expect(noRevision.stderr == "yosan: git:v9:my budgets: no revision `v9` in this repository (a branch, tag, commit or HEAD~N)\n")
    let noPath = try YosanBinary.run(["diff", "git:HEAD~1:budgets", "my budgets"], in: repo)
    #expect(noPath.status == 2)
    #expect(noPath.stderr == "yosan: git:HEAD~1:budgets: no file or folder `budgets` in HEAD~1\n")
    let outside = try Scratch.folder(["a.yosan": Scratch.header])
    let notRepository = try YosanBinary.run(["diff", "git:HEAD:a.yosan", "a.yosan"], in: outside)
    #expect(notRepository.status == 2)
    #expect(notRepository.stderr.contains("not inside a git repository"))
  }

  /// The README's setup, for real: `git diff` and `git log -p` print the budget diff.
  @Test func gitDiffDriver() throws {
    let repo = try repository()
    try Scratch.write("*.yosan diff=yosan\n", to: repo.appendingPathComponent(".gitattributes"))
    try git(["config", "diff.yosan.command", "'\(YosanBinary.url.path)' diff --git"], in: repo)
    let diff = try git(["diff", "HEAD~1", "HEAD"], in: repo)
    #expect(diff.hasPrefix("yosan diff a/my budgets/a.yosan → b/my budgets/a.yosan\n"), "\(diff)")
    #expect(diff.contains("    予算額: 252億円 → 250億円 (△2億円, △200,000,000円, △0.79%)\n"))
    #expect(diff.contains("~ chiikizukuri-kasokuka \"地域づくり加速化事業\" (line 61): probable rename of chiikizukuri-kasoku (same title and division)"))
    // git log and git show run an external driver only with --ext-diff.
    let log = try git(["log", "-p", "--ext-diff", "-1"], in: repo)
    #expect(log.contains("1 added, 1 removed, 1 renamed, 1 moved, 7 changed"))
    // A new file: git gives /dev/null as the old side.
    try Scratch.write(Scratch.header + Scratch.item("x", ["要求額 = 1億円"]), to: repo.appendingPathComponent("my budgets/b.yosan"))
    try git(["add", "-A"], in: repo)
    let added = try git(["diff", "--cached"], in: repo)
    #expect(added.contains("+ x \"t\" (line 6): added, 要求額 1億円"), "\(added)")
  }
}
