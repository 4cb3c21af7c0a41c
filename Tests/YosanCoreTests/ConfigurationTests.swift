import Foundation
import Testing
import YosanTestSupport
import YosanGenerator
@testable import YosanCore

struct PathPatternTests {
  func matches(_ pattern: String, _ path: String, base: String = "/repo") -> Bool {
    PathPattern(pattern, base: base).matches(path)
  }

  @Test func namesMatchAnywhereBelowTheBase() {
    #expect(matches("*.draft.yosan", "/repo/a/b/x.draft.yosan"))
    #expect(matches("drafts", "/repo/a/drafts/x.yosan"))
    #expect(!matches("drafts", "/repo/a/drafts-old/x.yosan"))
    #expect(!matches("*.draft.yosan", "/elsewhere/x.draft.yosan"))
    #expect(matches("下書き*", "/repo/予算/下書き-1.yosan"))
  }

  @Test func patternsWithASlashAreAnchored() {
    #expect(matches("budgets/drafts", "/repo/budgets/drafts/x.yosan"))
    #expect(!matches("budgets/drafts", "/repo/other/budgets/drafts/x.yosan"))
    #expect(matches("/x.yosan", "/repo/x.yosan"))
    #expect(!matches("/x.yosan", "/repo/a/x.yosan"))
    #expect(matches("drafts/", "/repo/drafts/x.yosan"))
  }

  @Test func doubleStarMatchesAnyNumberOfFolders() {
    #expect(matches("**/old-*.yosan", "/repo/old-1.yosan"))
    #expect(matches("**/old-*.yosan", "/repo/a/b/old-1.yosan"))
    #expect(matches("a/**/z.yosan", "/repo/a/z.yosan"))
    #expect(matches("a/**/z.yosan", "/repo/a/b/c/z.yosan"))
    #expect(matches("drafts/**", "/repo/drafts/deep/x.yosan"))
    #expect(!matches("a/*/z.yosan", "/repo/a/b/c/z.yosan"))
  }

  @Test func questionMarkAndStarStayInsideASegment() {
    #expect(matches("r?.yosan", "/repo/r7.yosan"))
    #expect(!matches("r?.yosan", "/repo/r10.yosan"))
    #expect(!matches("/a*z.yosan", "/repo/a/z.yosan"))
  }

  @Test func relativeBases() {
    #expect(matches("drafts", "drafts/x.yosan", base: ""))
    #expect(matches("drafts", "./drafts/x.yosan", base: ""))
    #expect(matches("x.yosan", "sub/x.yosan", base: "sub"))
    #expect(!matches("x.yosan", "other/x.yosan", base: "sub"))
  }
}

struct ConfigurationResolverTests {
  /// A resolver over an in-memory file system.
  func resolver(_ files: [String: String]) -> ConfigurationResolver {
    ConfigurationResolver { path in files[path].map { Array($0.utf8) } }
  }

  func rule(_ id: String) -> RuleDescriptor { RuleRegistry.descriptor(id: id)! }

  @Test func foldersGoUpToTheTop() {
    #expect(ConfigurationResolver.folders(above: "/a/b/x.yosan") == ["/a/b", "/a", "/"])
    #expect(ConfigurationResolver.folders(above: "b/x.yosan") == ["b", ""])
    #expect(ConfigurationResolver.folders(above: "./x.yosan") == [""])
    #expect(ConfigurationResolver.folders(above: "x.yosan") == [""])
  }

  @Test func theNearestSettingWinsAndParentsMerge() {
    let r = resolver([
      "/repo/yosan.config.yosan": "端数 = 切り捨て\ngrowth-threshold = 3\nrules {\n  unknown-key = warning\n  missing-title = off\n}\n",
      "/repo/sub/yosan.config.yosan": "rounding = ceiling\nrules {\n  unknown-key = info\n}\n",
    ])
    let resolved = r.resolve(forFile: "/repo/sub/deep/a.yosan")
    #expect(resolved.problems.isEmpty)
    #expect(resolved.files == ["/repo/sub/yosan.config.yosan", "/repo/yosan.config.yosan"])
    let c = resolved.configuration
    #expect(c.rounding == .ceiling)
    #expect(c.growthThreshold == Rational(3, 1))
    #expect(c.severity(of: rule("unknown-key")) == .info)
    #expect(c.severity(of: rule("missing-title")) == nil)
    #expect(c.severity(of: rule("duplicate-key")) == .error)
    #expect(resolved.origins["unknown-key"] == SettingOrigin(path: "/repo/sub/yosan.config.yosan", line: 3))
    #expect(resolved.origins["missing-title"] == SettingOrigin(path: "/repo/yosan.config.yosan", line: 5))
    #expect(resolved.origins["rounding"]?.path == "/repo/sub/yosan.config.yosan")
    // Outside `sub`, only the top file applies.
    #expect(r.configuration(forFile: "/repo/b.yosan").0.rounding == .truncate)
  }

  @Test func rootStopsTheSearch() {
    let r = resolver([
      "/repo/yosan.config.yosan": "rules {\n  missing-title = off\n}\n",
      "/repo/sub/yosan.config.yosan": "root = true\n",
    ])
    let resolved = r.resolve(forFile: "/repo/sub/a.yosan")
    #expect(resolved.files == ["/repo/sub/yosan.config.yosan"])
    #expect(resolved.configuration.severity(of: rule("missing-title")) == .warning)
  }

  @Test func excludesAddUpAndIncludeIsTheNearest() {
    let r = resolver([
      "/repo/yosan.config.yosan": "include = budgets, \"予算/**\"\nexclude = \"**/old-*.yosan\"\n",
      "/repo/budgets/yosan.config.yosan": "exclude = drafts、 \"a, b.yosan\"\n",
    ])
    let c = r.configuration(forFile: "/repo/budgets/x.yosan").0
    #expect(c.exclude.map(\.pattern) == ["**/old-*.yosan", "drafts", "a, b.yosan"])
    #expect(c.includes(path: "/repo/budgets/x.yosan"))
    #expect(!c.includes(path: "/repo/budgets/old-x.yosan"))
    #expect(!c.includes(path: "/repo/budgets/drafts/x.yosan"))
    #expect(!c.includes(path: "/repo/budgets/a, b.yosan"))
    #expect(c.includes(path: "/repo/予算/x.yosan"))
    #expect(!c.includes(path: "/repo/other/x.yosan"))
    #expect(c.excludingPattern(for: "/repo/other/x.yosan")?.pattern == "budgets")
    // `drafts` is relative to /repo/budgets, so /repo/drafts is not excluded by it.
    #expect(c.exclude[1].matches("/repo/budgets/drafts/x.yosan") && !c.exclude[1].matches("/repo/drafts/x.yosan"))
  }

  @Test func problemsHavePositionsAndSayWhatToWrite() {
    let text = """
      root = maybe
      rules {
        unknown-kee = warning
        unknown-key = warn
        rounding = round
      }
      missing-title = off
      grwoth-threshold = 2
      端数 = 丸め
      exclude = "../x", , a
      settings {
      }
      rules {
        duplicate-key = error
        duplicate-key = off
      }
      ルール 壊れた行
      colour = blue

      """
    let resolved = resolver(["/r/yosan.config.yosan": text]).resolve(forFile: "/r/a.yosan")
    let rendered = resolved.problems.map { "\($0.line):\($0.column) \($0.message)" }
    #expect(rendered == [
      "1:8 `root` takes true or false, not `maybe`",
      "3:3 unknown rule `unknown-kee`; did you mean `unknown-key`?",
      "4:17 unknown severity `warn`; use off, style, info, warning or error",
      "5:3 `rounding` is not a rule; set it outside the `rules` block",
      "7:1 `missing-title` is a rule; set its severity inside `rules { … }`",
      "8:1 unknown setting `grwoth-threshold`; did you mean `growth-threshold`?",
      "9:6 unknown rounding `丸め`; use 四捨五入, 切り捨て or 切り上げ",
      "10:11 pattern `../x` leaves the configuration's folder; patterns are relative to it and stay inside it",
      "10:19 empty pattern in `exclude`; remove the extra comma",
      "11:1 unknown block `settings` in a configuration; the only block is `rules { … }`",
      "15:3 `duplicate-key` is set twice in this file; the first is on line 14",
      "17:1 expected `key = value`, a block or `}`, found `ルール 壊れた行`",
      "18:1 unknown setting `colour`; a configuration sets root, 端数 (rounding), growth-threshold, include, exclude, and rule severities in `rules { … }`",
    ])
    #expect(resolved.problems.allSatisfy { $0.path == "/r/yosan.config.yosan" && $0.diagnostic.ruleID == "configuration" && $0.diagnostic.severity == .error })
    // The valid parts still apply.
    #expect(resolved.configuration.severity(of: rule("duplicate-key")) == .error)
    #expect(resolved.configuration.exclude.map(\.pattern) == ["a"])
  }

  @Test func theConfigurationFileIsRecognisedByName() {
    #expect(ConfigurationResolver.isConfigurationFile("yosan.config.yosan"))
    #expect(ConfigurationResolver.isConfigurationFile("/a/b/yosan.config.yosan"))
    #expect(!ConfigurationResolver.isConfigurationFile("/a/b/my-yosan.config.yosan"))
  }
}

/// The configuration examples of `Spec/configuration.md` are valid.
struct ConfigurationDocumentationTests {
  @Test func theExamplesHaveNoProblems() throws {
    let text = try String(contentsOf: RepoPaths.url("Spec/configuration.md"), encoding: .utf8)
    let blocks = text.components(separatedBy: "```yosan config\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] + "\n" }
    #expect(!blocks.isEmpty)
    for block in blocks {
      let file = ConfigurationFile(path: "yosan.config.yosan", bytes: Array(block.utf8), folder: "/repo")
      #expect(file.problems.map(\.message) == [])
      #expect(!file.settings.isEmpty)
    }
  }
}

/// The glob matcher against the patterns' definition on random patterns and paths, and its cost
/// on the shapes that were exponential (issue 16 §8): comparisons at most segments × components.
struct PathPatternPropertyTests {
  @Test func agreesWithTheDefinitionOnRandomPatterns() {
    var random = SplitMix64(seed: 0x610B)
    var matched = 0
    for _ in 0..<8_000 {
      var bytes = (0..<random.below(14)).map { _ in UInt8(random.below(6)) }
      bytes.append(0xFF)
      bytes += (0..<random.below(16)).map { _ in UInt8(random.below(3)) }
      let (pattern, path) = FuzzChecks.globCase(bytes)
      if let failure = FuzzChecks.glob(bytes) {
        Issue.record("\(failure)")
        return
      }
      if PathPattern(pattern, base: "").matches(path) { matched += 1 }
    }
    // Both answers occur often enough for the comparison to mean something.
    #expect(matched > 800 && matched < 7_200, "\(matched) of 8,000 matched")
  }

  @Test func manyDoubleStarsCostLinearWork() {
    // `**/**/…/nomatch` against a deep path: 3^n splits for the old matcher, n × depth here.
    for count in [11, 40] {
      let pattern = String(repeating: "**/", count: count) + "nomatch"
      let path = "/repo/" + (0..<count).map { "d\($0)" }.joined(separator: "/") + "/x.yosan"
      let matcher = PathPattern(pattern, base: "/repo")
      #expect(!matcher.matches(path))
      // Runs of `**` are one segment: one name segment against count + 1 components.
      #expect(matcher.comparisons(path) <= 2 * (count + 1), "\(matcher.comparisons(path))")
      #expect(PathPattern(String(repeating: "**/", count: count) + "x.yosan", base: "/repo").matches(path))
      #expect(PathPattern(String(repeating: "*/", count: count) + "x.yosan", base: "/repo").matches(path))
      #expect(!PathPattern(String(repeating: "*/", count: count + 1) + "x.yosan", base: "/repo").matches(path))
    }
  }

  @Test func nestedConfigurationsAreResolvedOncePerFolder() {
    // 200 nested folders, each with a configuration that excludes something: every file's
    // configuration holds all the patterns above it, and resolving them all reads each file once.
    var files: [String: String] = [:]
    var folder = "/r"
    var folders: [String] = []
    for depth in 0..<200 {
      folder += "/d\(depth)"
      folders.append(folder)
      files[folder + "/yosan.config.yosan"] = "exclude = \"**/**/**/**/**/**/skip-\(depth).yosan\"\n"
    }
    var reads = 0
    let resolver = ConfigurationResolver { path in
      reads += 1
      return files[path].map { Array($0.utf8) }
    }
    for folder in folders.reversed() {
      let resolved = resolver.resolve(forFile: folder + "/a.yosan")
      #expect(resolved.problems.isEmpty)
      if folder == folders.last {
        #expect(resolved.configuration.exclude.count == 200)
        #expect(resolved.files.count == 200)
        #expect(resolved.configuration.excludingPattern(for: folder + "/a.yosan") == nil)
        #expect(resolved.configuration.excludingPattern(for: folder + "/skip-7.yosan")?.pattern == "**/**/**/**/**/**/skip-7.yosan")
      }
    }
    // One read per folder up to the top (the 200 folders and the two above them).
    #expect(reads == 202)
  }
}
