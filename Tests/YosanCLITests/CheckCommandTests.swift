import Foundation
import Testing
import YosanSyntax
import YosanJSON
import YosanTestSupport

/// Runs the built `yosan` binary and checks its output and exit status.
struct CheckCommandTests {
  static let header = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"

  @Test func samplesAreCleanAndSummarised() throws {
    let result = try YosanBinary.run(["check", "Samples/budgets"])
    #expect(result.status == 0)
    #expect(result.stdout == "")
    #expect(result.stderr.hasPrefix("0 errors, 0 warnings in "))
    #expect(result.stderr.contains(" items, "))
    #expect(result.stderr.contains(" sums, "))
    #expect(result.stderr.contains(" rates checked)"))
  }

  @Test func diagnosticsAreOneLineEachSortedWithExitOne() throws {
    let dir = try Scratch.folder([
      "b.yosan": Self.header + "事業 x \"t\" {\n  担当 = 医政局\n  要球額 = 1億円\n}\n",
      "a.yosan": Self.header + "事業 y \"t\" {\n  要求額 = 1億円\n}\n",
    ])
    let result = try YosanBinary.run(["check", "."], in: dir)
    #expect(result.status == 1)
    #expect(result.stdout.split(separator: "\n") == [
      "./a.yosan:5:1: error: 事業 `y` has no 担当 (division); for example 担当 = 医政局研究開発政策課 [missing-required-key]",
      "./b.yosan:7:3: error: unknown key `要球額` in a 事業; did you mean `要求額`? [unknown-key]",
    ])
    #expect(result.stderr.hasPrefix("2 errors, 0 warnings in 2 files"))
  }

  @Test func threeSyntaxErrorsAndAMissingKeyAfterThem() throws {
    let text = Self.header + """
      事業 a "一" {
        担当 医政局
        要求額 = 1億円
      }
      事業 b "二 {
        担当 = 医政局
        要求額 = 1億円
      }
      }
      事業 c "三" {
        要求額 = 3億円
      }

      """
    let result = try YosanBinary.run(["check", "-"], input: Data(text.utf8))
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.filter { $0.hasSuffix("[syntax-error]") }.count == 3)
    #expect(lines.contains("-:14:1: error: 事業 `c` has no 担当 (division); for example 担当 = 医政局研究開発政策課 [missing-required-key]"))
    #expect(result.status == 1)
  }

  @Test func columnsCountCharacters() throws {
    let text = Self.header + "事業 x \"t\" {\n  担当 = 医政局\n  要求額 = 𠮷\n}\n"
    let result = try YosanBinary.run(["check", "-"], input: Data(text.utf8))
    #expect(result.stdout.hasPrefix("-:7:9: error: 要求額: `𠮷` is not an amount"))
  }

  @Test func jsonOutputHasTheDocumentedShape() throws {
    let dir = try Scratch.folder(["a.yosan": Self.header + "事業 x \"t\" {\n  担当 = 医政局\n  要球額 = 1億円\n}\n"])
    let result = try YosanBinary.run(["check", "--format", "json", "a.yosan"], in: dir)
    #expect(result.status == 1)
    let json = try JSON.parse(result.stdout)
    #expect(json["version"]?.intValue == 2)
    #expect(json["tool"]?["name"]?.stringValue == "yosan")
    #expect(json["summary"]?["files"]?.intValue == 1)
    #expect(json["summary"]?["errors"]?.intValue == 1)
    let diagnostics = try #require(json["diagnostics"]?.arrayValue)
    let unknown = try #require(diagnostics.first { $0["rule"]?.stringValue == "unknown-key" })
    #expect(unknown["file"]?.stringValue == "a.yosan")
    #expect(unknown["line"]?.intValue == 7)
    #expect(unknown["column"]?.intValue == 3)
    #expect(unknown["endLine"]?.intValue == 7)
    #expect(unknown["endColumn"]?.intValue == 6)
    #expect(unknown["severity"]?.stringValue == "error")
    let fix = try #require(unknown["fixes"]?[0])
    #expect(fix["safe"]?.boolValue == false)
    #expect(fix["edits"]?[0]?["replacement"]?.stringValue == "要求額")
  }

  /// A file saved as Shift_JIS: one error naming the encoding, its first bad byte's line and the
  /// commands that convert or read it; `--encoding cp932` reads it; `fmt --encoding cp932`
  /// converts it in place.
  @Test func shiftJISIsOneErrorAndIsReadAndConvertedWithEncoding() throws {
    // In fmt's layout, so that converting it changes nothing else.
    let text = Scratch.header + Scratch.item("a", ["担当   = 医政局", "要求額 = 1億円", "補助率 = 3/2"])
    let shiftJIS = try CP932.encode(utf8: Array(text.utf8)).get()
    let dir = try Scratch.folder([:])
    let file = dir.appendingPathComponent("sjis.yosan")
    try Data(shiftJIS).write(to: file)
    let plain = try YosanBinary.run(["check", "sjis.yosan"], in: dir)
    #expect(plain.status == 1)
    #expect(plain.stdout == "sjis.yosan:1:1: error: the file is Shift_JIS (CP932), not UTF-8 (byte 0x97 on line 1 is the first UTF-8 cannot read); convert it to UTF-8 in place with `yosan fmt --encoding cp932 sjis.yosan` (or `iconv -f CP932 -t UTF-8 sjis.yosan`), or check it as it is with `yosan check --encoding cp932 sjis.yosan` [invalid-utf8]\n")
    let read = try YosanBinary.run(["check", "--encoding", "cp932", "sjis.yosan"], in: dir)
    #expect(read.status == 1)
    #expect(read.stdout == "sjis.yosan:9:9: error: 補助率 `3/2` is 150%, more than 1; a rate lies in (0, 1] [rate-range]\n")
    #expect(try YosanBinary.run(["check", "--encoding", "cp932", "--fix", "sjis.yosan"], in: dir).status == 2)
    #expect(try YosanBinary.run(["check", "--encoding", "latin-1", "sjis.yosan"], in: dir).status == 2)
    #expect(try Scratch.bytes(file) == shiftJIS, "checking writes nothing")
    let convert = try YosanBinary.run(["fmt", "--encoding", "cp932", "sjis.yosan"], in: dir)
    #expect(convert.status == 0, "\(convert.stderr)")
    #expect(try Scratch.read(file) == text)
    // Already UTF-8: read as it is, never converted again.
    let again = try YosanBinary.run(["fmt", "--encoding", "cp932", "sjis.yosan"], in: dir)
    #expect(again.stderr.contains("yosan: sjis.yosan: already UTF-8, read as UTF-8 (not converted from CP932)"))
    #expect(try Scratch.read(file) == text)
    // Bytes that are not CP932 either: an I/O problem, the file left as it is.
    let broken = dir.appendingPathComponent("broken.yosan")
    try Data(shiftJIS + [0x80]).write(to: broken)
    let refused = try YosanBinary.run(["fmt", "--encoding", "cp932", "broken.yosan"], in: dir)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("broken.yosan: not CP932 (Shift_JIS) text: byte 0x80 on line 11 is not a CP932 character; the file is left as it is"))
    #expect(try Scratch.bytes(broken) == shiftJIS + [0x80])
  }

  @Test func missingFileIsExitTwoWithOneLine() throws {
    let result = try YosanBinary.run(["check", "no/such/file.yosan"])
    #expect(result.status == 2)
    #expect(result.stderr.split(separator: "\n") == ["yosan: no/such/file.yosan: no such file or directory"])
  }

  @Test func directoryWithoutYosanFilesIsExitTwo() throws {
    let dir = try Scratch.folder(["notes.txt": "x"])
    let result = try YosanBinary.run(["check", "."], in: dir)
    #expect(result.status == 2)
    #expect(result.stderr.split(separator: "\n") == ["yosan: .: no .yosan files in this directory"])
  }

  /// A `.yosan` link in a checked folder whose target is gone is reported, not skipped.
  @Test func aBrokenLinkInAFolderIsExitTwoNotSkipped() throws {
    let dir = try Scratch.folder(["a.yosan": "予算 \"令和7年度 概算要求\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"])
    #expect(symlink("gone/b.yosan", dir.appendingPathComponent("b.yosan").path) == 0)
    let result = try YosanBinary.run(["check", "."], in: dir)
    #expect(result.status == 2)
    #expect(result.stderr.contains("yosan: ./b.yosan: a symbolic link to gone/b.yosan, which does not exist\n"), "\(result.stderr)")
    #expect(result.stderr.contains("in 1 file"), "the other file is still checked: \(result.stderr)")
  }

  @Test func somethingThatIsNotAFileIsExitTwo() throws {
    let result = try YosanBinary.run(["check", "/dev/null"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/dev/null: not a regular file or directory"))
  }

  @Test func usageErrorsAreExitTwo() throws {
    #expect(try YosanBinary.run(["check"]).status == 2)
    #expect(try YosanBinary.run(["check", "--bogus", "x"]).stderr.contains("unknown option `--bogus`"))
    #expect(try YosanBinary.run(["check", "--format", "xml", "x"]).status == 2)
    #expect(try YosanBinary.run(["frobnicate"]).status == 2)
    #expect(try YosanBinary.run([]).status == 2)
  }

  @Test func versionAndHelp() throws {
    let version = try YosanBinary.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.hasPrefix("yosan "))
    let help = try YosanBinary.run(["help", "check"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("columns count characters"))
    #expect(help.stdout.contains("Exit status"))
    #expect(try YosanBinary.run(["help"]).stdout.contains("yosan check"))
    #expect(try YosanBinary.run(["help", "nothing"]).status == 2)
  }

  @Test func rulesAndExplain() throws {
    let rules = try YosanBinary.run(["rules"])
    #expect(rules.status == 0)
    #expect(rules.stdout.contains("unknown-key"))
    let explain = try YosanBinary.run(["explain", "unknown-key"])
    #expect(explain.status == 0)
    #expect(explain.stdout.hasPrefix("# unknown-key"))
    let wrong = try YosanBinary.run(["explain", "unknown-kee"])
    #expect(wrong.status == 2)
    #expect(wrong.stderr.contains("did you mean `unknown-key`?"))
  }
}

/// The pre-commit hooks exist and their commands work.
struct PreCommitHookTests {
  @Test func hooksRunTheirCommands() throws {
    let text = try String(contentsOf: RepoPaths.url(".pre-commit-hooks.yaml"), encoding: .utf8)
    let ids = text.split(separator: "\n").filter { $0.hasPrefix("- id: ") }.map { String($0.dropFirst(6)) }
    #expect(ids == ["yosan-check", "yosan-fmt", "yosan-check-system", "yosan-fmt-system"])
    #expect(text.contains("entry: yosan check\n  args: [.]\n  language: swift\n  files: \\.yosan$\n  pass_filenames: false"))
    #expect(text.contains("entry: yosan fmt\n  language: swift\n  files: \\.yosan$"))
    // What the hooks run, in a repository with a clean budget and a configuration file.
    let dir = try Scratch.folder(["budgets/a.yosan": ExitStatusTests.clean, "yosan.config.yosan": "rules {\n  missing-title = error\n}\n"])
    #expect(try YosanBinary.run(["check", "."], in: dir).status == 0)
    #expect(try YosanBinary.run(["fmt", "budgets/a.yosan", "yosan.config.yosan"], in: dir).status == 0)
  }
}
