import Foundation
import Testing
import YosanTestSupport

/// Command lines that are usage errors, and help asked for after a command.
struct UsageTests {
  @Test(arguments: ["check", "fmt", "export"])
  func standardInputGivenTwiceIsAUsageError(_ command: String) throws {
    let text = Scratch.header + Scratch.item("a", ["担当 = 医政局", "要求額 = 1億円"])
    let result = try YosanBinary.run([command, "-", "-"], input: Data(text.utf8))
    #expect(result.status == 2)
    #expect(result.stdout == "")
    #expect(result.stderr == "yosan \(command): - (standard input) is given twice; it can be read only once: give - once\n")
    // After `--` too.
    #expect(try YosanBinary.run([command, "-", "--", "-"], input: Data(text.utf8)).status == 2)
  }

  @Test(arguments: ["check", "fmt", "export", "rules", "explain", "lsp"])
  func helpAfterACommandPrintsItsHelp(_ command: String) throws {
    let page = try YosanBinary.run(["help", command])
    #expect(page.status == 0)
    for option in ["--help", "-h"] {
      let result = try YosanBinary.run([command, option])
      #expect(result.status == 0, "\(command) \(option): \(result.stderr)")
      #expect(result.stdout == page.stdout)
      #expect(result.stderr == "")
    }
    // Among other arguments too (the language server takes none).
    if command != "lsp" { #expect(try YosanBinary.run([command, "x.yosan", "--help"]).stdout == page.stdout) }
  }

  /// Every command, misspelt, gets a did-you-mean (exit 2), on the command line and after `help`.
  @Test(arguments: [
    ("chek", "check"), ("fm", "fmt"), ("expot", "export"), ("impot", "import"), ("dif", "diff"), ("reprot", "report"), ("rule", "rules"), ("explian", "explain"), ("ls", "lsp"), ("halp", "help"),
    ("verion", "version"),
  ])
  func aMisspeltCommandGetsADidYouMean(_ written: String, _ meant: String) throws {
    let result = try YosanBinary.run([written, "x.yosan"])
    #expect(result.status == 2)
    #expect(result.stdout == "")
    #expect(result.stderr == "yosan: unknown command `\(written)`; did you mean `\(meant)`?\n")
    #expect(try YosanBinary.run(["help", written]).stderr.contains("did you mean `\(meant)`?"))
    // Nothing close: the list of commands.
    #expect(try YosanBinary.run(["budget"]).stderr == "yosan: unknown command `budget`; the commands are check, fmt, export, import, diff, report, rules, explain, lsp, help, version\n")
  }

  @Test func aHelpAfterDoubleDashIsAPath() throws {
    let result = try YosanBinary.run(["check", "--", "--help"], in: try Scratch.folder([:]))
    #expect(result.status == 2)
    #expect(result.stderr.contains("yosan: --help: no such file or directory"))
  }

  @Test func fixAndDiffTogetherIsAUsageError() throws {
    let dir = try Scratch.folder(["a.yosan": Scratch.header + Scratch.item("a", ["担当 = 医政局", "要求額 = １億円"])])
    let result = try YosanBinary.run(["check", "--fix", "--diff", "a.yosan"], in: dir)
    #expect(result.status == 2)
    #expect(result.stdout == "")
    #expect(result.stderr == "yosan check: --fix writes the fixes and --diff only shows them; give one of them\n")
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")).contains("１億円"))
  }
}
