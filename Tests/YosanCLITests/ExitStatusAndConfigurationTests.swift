import Foundation
import Testing
import YosanJSON
import YosanTestSupport

/// Exit statuses 0, 1 and 2, and configuration files as the binary finds them.
struct ExitStatusTests {
  static let clean = Scratch.header + Scratch.item("a", ["担当 = 医政局", "要求額 = 1億円"])
  /// One warning (an item without a title), no error.
  static let oneWarning = Scratch.header + "事業 b {\n  担当 = 医政局\n  要求額 = 1億円\n}\n"
  static let twoWarnings = oneWarning + "\n事業 c {\n  担当 = 医政局\n  要求額 = 1億円\n}\n"

  func status(_ arguments: [String], _ files: [String: String]) throws -> Int32 {
    try YosanBinary.run(arguments, in: try Scratch.folder(files)).status
  }

  @Test func zeroWhenCleanOrOnlyWarnings() throws {
    #expect(try status(["check", "a.yosan"], ["a.yosan": Self.clean]) == 0)
    #expect(try status(["check", "a.yosan"], ["a.yosan": Self.oneWarning]) == 0)
  }

  @Test func oneForErrors() throws {
    #expect(try status(["check", "a.yosan"], ["a.yosan": Scratch.header + Scratch.item("a", ["要求額 = 1億円"])]) == 1)
  }

  @Test func strictAndMaxWarnings() throws {
    let files = ["a.yosan": Self.twoWarnings]
    #expect(try status(["check", "--strict", "a.yosan"], files) == 1)
    #expect(try status(["check", "--max-warnings", "2", "a.yosan"], files) == 0)
    #expect(try status(["check", "--max-warnings", "1", "a.yosan"], files) == 1)
    #expect(try status(["check", "--max-warnings=0", "a.yosan"], ["a.yosan": Self.clean]) == 0)
    #expect(try status(["check", "--max-warnings", "many", "a.yosan"], files) == 2)
    #expect(try status(["check", "--max-warnings", "-1", "a.yosan"], files) == 2)
  }

  @Test func twoForUsageIOAndConfiguration() throws {
    #expect(try status(["check", "--format", "xml", "a.yosan"], ["a.yosan": Self.clean]) == 2)
    #expect(try status(["check", "a.yosan", "missing.yosan"], ["a.yosan": Self.clean]) == 2)
    #expect(try status(["check", "a.yosan"], ["a.yosan": Self.clean, "yosan.config.yosan": "rules {\n  nothing = off\n}\n"]) == 2)
    #expect(try status(["check", "--stdin-filename", "x.yosan", "a.yosan"], ["a.yosan": Self.clean]) == 2)
    // An error in the files and a configuration problem: 2 wins.
    #expect(try status(["check", "a.yosan"], ["a.yosan": Scratch.header + Scratch.item("a", ["要求額 = 1億円"]), "yosan.config.yosan": "root = 1\n"]) == 2)
  }

  @Test func helpDocumentsTheExitStatuses() throws {
    let help = try YosanBinary.run(["help", "check"]).stdout
    #expect(help.contains("--strict"))
    #expect(help.contains("--max-warnings N"))
    #expect(help.contains("2  usage, configuration or I/O problem"))
  }
}

struct ConfigurationCLITests {
  @Test func configurationIsFoundUpwardAndTheNearestWins() throws {
    let dir = try Scratch.folder([
      "yosan.config.yosan": "rules {\n  missing-title = error\n  unknown-key = warning\n}\n",
      "sub/yosan.config.yosan": "rules {\n  missing-title = off\n}\n",
      "a.yosan": ExitStatusTests.oneWarning,
      "sub/deep/b.yosan": ExitStatusTests.oneWarning.replacingOccurrences(of: "事業 b {", with: "事業 b2 {")
        + "\n事業 u \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  要球額 = 1億円\n}\n",
    ])
    let result = try YosanBinary.run(["check", "."], in: dir)
    #expect(result.stdout.split(separator: "\n") == [
      "./a.yosan:6:1: error: 事業 without a title; write it in quotes after the keyword [missing-title]",
      "./sub/deep/b.yosan:14:3: warning: unknown key `要球額` in a 事業; did you mean `要求額`? [unknown-key]",
    ])
    #expect(result.status == 1)
    // From inside `sub`, the parent's configuration still applies (paths are made absolute).
    let inside = try YosanBinary.run(["check", "deep/b.yosan"], in: dir.appendingPathComponent("sub"))
    #expect(inside.stdout.split(separator: "\n") == ["deep/b.yosan:14:3: warning: unknown key `要球額` in a 事業; did you mean `要求額`? [unknown-key]"])
    #expect(inside.status == 0)
  }

  @Test func rootStopsTheSearch() throws {
    let dir = try Scratch.folder([
      "yosan.config.yosan": "rules {\n  missing-title = off\n}\n",
      "sub/yosan.config.yosan": "root = true\n",
      "sub/a.yosan": ExitStatusTests.oneWarning,
    ])
    #expect(try YosanBinary.run(["check", "sub"], in: dir).stdout.contains("[missing-title]"))
  }

  @Test func roundingAndSeveritiesComeFromTheConfiguration() throws {
    let dir = try Scratch.folder(["yosan.config.yosan": "端数 = 切り捨て\n", "a.yosan": ExitStatusTests.clean])
    let config = try YosanBinary.run(["check", "--show-config", "a.yosan"], in: dir)
    #expect(config.status == 0)
    #expect(config.stdout.contains("端数             = 切り捨て # yosan.config.yosan:1\n"))
    #expect(config.stdout.contains("growth-threshold = 2 # default\n"))
    #expect(config.stdout.contains("  missing-title              = warning # default\n"))
    #expect(config.stdout.contains("# The file is checked.\n"))
  }

  @Test func theRoundingModeAndTheGrowthThresholdChangeWhatIsReported() throws {
    // Three rows of 1,000千円 against 2,999千円: consistent under 四捨五入, not under 切り捨て.
    let sum = Scratch.header + Scratch.item("s", ["担当 = 医政局", "要求額 = 2,999千円", "内訳 {", "  一 = 1,000千円", "  二 = 1,000千円", "  三 = 1,000千円", "}"])
    // Three times the previous year, without 拡充.
    let growth = Scratch.header + Scratch.item("g", ["担当 = 医政局", "要求額 = 3億円", "前年度 = 1億円"])
    let dir = try Scratch.folder(["sum.yosan": sum, "growth.yosan": growth])
    let defaults = try YosanBinary.run(["check", "."], in: dir).stdout
    #expect(!defaults.contains("[breakdown-sum]"))
    #expect(defaults.contains("[large-increase]"))
    try Scratch.write("端数 = 切り捨て\ngrowth-threshold = 4\n", to: dir.appendingPathComponent("yosan.config.yosan"))
    let configured = try YosanBinary.run(["check", "."], in: dir).stdout
    #expect(configured.contains("./sum.yosan:8:9: error: this 内訳 adds up to 3,000千円 ([3,000, 3,003)千円 with rounding)"))
    #expect(configured.contains("[breakdown-sum]"))
    #expect(!configured.contains("[large-increase]"))
  }

  @Test func aBadConfigurationIsReportedWithItsPositionAndExitsTwo() throws {
    let dir = try Scratch.folder([
      "yosan.config.yosan": "# 設定\nrules {\n  unit-spcing = off\n  missing-title = sometimes\n}\n",
      "a.yosan": ExitStatusTests.clean,
    ])
    let result = try YosanBinary.run(["check", "a.yosan"], in: dir)
    #expect(result.status == 2)
    #expect(result.stdout.split(separator: "\n") == [
      "yosan.config.yosan:3:3: error: unknown rule `unit-spcing`; did you mean `unit-spacing`? [configuration]",
      "yosan.config.yosan:4:19: error: unknown severity `sometimes`; use off, style, info, warning or error [configuration]",
    ])
    #expect(result.stderr.contains("1 configuration problem") == false)
    #expect(result.stderr.contains("2 configuration problems"))
    let json = try JSON.parse(try YosanBinary.run(["check", "--format", "json", "a.yosan"], in: dir).stdout)
    #expect(json["problems"]?[1]?["kind"]?.stringValue == "configuration")
    #expect(json["problems"]?[1]?["line"]?.intValue == 4)
    #expect(json["problems"]?[1]?["column"]?.intValue == 19)
    #expect(try YosanBinary.run(["check", "--show-config", "a.yosan"], in: dir).status == 2)
  }

  @Test func theConfigurationFileIsNeverCheckedAsABudget() throws {
    let dir = try Scratch.folder(["yosan.config.yosan": "rules {\n  missing-title = off\n}\n", "a.yosan": ExitStatusTests.clean])
    let folder = try YosanBinary.run(["check", "."], in: dir)
    #expect(folder.status == 0)
    #expect(folder.stderr.contains("in 1 file "))
    // Named explicitly (as pre-commit does), it is checked as a configuration.
    let explicit = try YosanBinary.run(["check", "a.yosan", "yosan.config.yosan"], in: dir)
    #expect(explicit.status == 0)
    #expect(explicit.stdout == "")
    try Scratch.write("rules {\n  missing-titel = off\n}\n", to: dir.appendingPathComponent("yosan.config.yosan"))
    let broken = try YosanBinary.run(["check", "yosan.config.yosan"], in: dir)
    #expect(broken.status == 2)
    #expect(broken.stdout == "yosan.config.yosan:2:3: error: unknown rule `missing-titel`; did you mean `missing-title`? [configuration]\n")
  }

  @Test func includeAndExcludeChooseTheFilesOfAFolder() throws {
    let bad = Scratch.header + Scratch.item("a", ["要求額 = 1億円"])
    let dir = try Scratch.folder([
      "yosan.config.yosan": "include = budgets\nexclude = \"**/下書き-*.yosan\"\n",
      "budgets/a.yosan": ExitStatusTests.clean,
      "budgets/下書き-1.yosan": bad,
      "notes/b.yosan": bad,
    ])
    let result = try YosanBinary.run(["check", "."], in: dir)
    #expect(result.status == 0)
    #expect(result.stderr.contains("in 1 file "))
    // Named explicitly, an excluded file is skipped with a note, not silently.
    let explicit = try YosanBinary.run(["check", "budgets/下書き-1.yosan", "budgets/a.yosan"], in: dir)
    #expect(explicit.status == 0)
    #expect(explicit.stderr.contains("yosan: budgets/下書き-1.yosan: skipped: excluded by the pattern `**/下書き-*.yosan` of yosan.config.yosan"))
    let shown = try YosanBinary.run(["check", "--show-config", "notes/b.yosan"], in: dir)
    #expect(shown.stdout.contains("# The file is not checked when found in a folder: not matched by `include`."))
  }

  @Test func showConfigGivesTheLineOfEachExclude() throws {
    let dir = try Scratch.folder([
      "yosan.config.yosan": "include = budgets\nexclude = \"**/下書き-*.yosan\"\n",
      "budgets/yosan.config.yosan": "rules {\n  missing-title = off\n}\n\nexclude = old\n",
      "budgets/a.yosan": ExitStatusTests.clean,
    ])
    let shown = try YosanBinary.run(["check", "--show-config", "budgets/a.yosan"], in: dir)
    #expect(shown.status == 0)
    #expect(shown.stdout.contains(" = old # budgets/yosan.config.yosan:5\n"), "\(shown.stdout)")
    #expect(shown.stdout.contains(" = **/下書き-*.yosan # yosan.config.yosan:2\n"), "\(shown.stdout)")
  }

  @Test func showConfigOfSomethingThatIsNotAFileToCheck() throws {
    let dir = try Scratch.folder(["sub/a.yosan": ExitStatusTests.clean, "yosan.config.yosan": "端数 = 切り捨て\n"])
    let missing = try YosanBinary.run(["check", "--show-config", "nonexist.yosan"], in: dir)
    #expect(missing.status == 2)
    #expect(missing.stdout == "")
    #expect(missing.stderr == "yosan: nonexist.yosan: no such file or directory; give --show-config the path of a .yosan file\n")
    let folder = try YosanBinary.run(["check", "--show-config", "sub"], in: dir)
    #expect(folder.status == 2)
    #expect(folder.stdout == "")
    #expect(folder.stderr == "yosan: sub: is a directory; give --show-config the path of a .yosan file in it, like sub/FILE.yosan\n")
    let configuration = try YosanBinary.run(["check", "--show-config", "yosan.config.yosan"], in: dir)
    #expect(configuration.status == 0)
    #expect(configuration.stdout.contains("# The file is a configuration file: it is checked as a configuration, never as a budget.\n"))
    #expect(!configuration.stdout.contains("# The file is checked.\n"))
  }

  @Test func standardInputUsesTheConfigurationOfItsName() throws {
    let dir = try Scratch.folder(["sub/yosan.config.yosan": "rules {\n  missing-title = off\n}\n"])
    let named = try YosanBinary.run(["check", "--stdin-filename", "sub/new.yosan", "-"], input: Data(ExitStatusTests.oneWarning.utf8), in: dir)
    #expect(named.stdout == "")
    #expect(named.stderr.hasPrefix("0 errors, 0 warnings in 1 file"))
    let unnamed = try YosanBinary.run(["check", "-"], input: Data(ExitStatusTests.oneWarning.utf8), in: dir)
    #expect(unnamed.stdout.hasPrefix("-:6:1: warning: 事業 without a title"))
  }
}
