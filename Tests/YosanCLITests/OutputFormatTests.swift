import Foundation
import Testing
import YosanJSON
import YosanTestSupport

/// Every output format of `yosan check`, run through the built binary, with the documents'
/// structure checked.
struct OutputFormatTests {
  /// A file with an error with a fix, a warning with related information, a safe fix, and kanji
  /// before the ranges; plus a configuration file that is fine.
  static let defects = Scratch.header + Scratch.item("x", [
    "担当 = 医政局",
    "要球額 = 1億円",
    "要求額 = 1億円",
    "要求額 = 2億円",
    "前年度 = 1億円 # yosan: disable-line malformed-amount -- 原本どおり",
  ])

  func run(_ arguments: [String], _ files: [String: String] = ["予算/a.yosan": defects], environment: [String: String] = [:]) throws -> YosanBinary.Result {
    try YosanBinary.run(arguments, in: try Scratch.folder(files), environment: environment)
  }

  // MARK: - Text

  @Test func textKeepsTheOneLineFormat() throws {
    let result = try run(["check", "予算/a.yosan"])
    #expect(result.status == 1)
    #expect(result.stdout.split(separator: "\n") == [
      "予算/a.yosan:8:3: error: unknown key `要球額` in a 事業; did you mean `要求額`? [unknown-key]",
      "予算/a.yosan:10:3: error: `要求額` is written twice in this block; the first is on line 9 [duplicate-key]",
      "予算/a.yosan:11:13: warning: this suppression of `malformed-amount` is unused: no `malformed-amount` diagnostic on line 11; remove it [unused-suppression]",
    ])
    #expect(result.stderr == "2 errors, 1 warning in 1 file (1 item, 0 sums, 0 rates checked)\n")
    #expect(!result.stdout.contains("\u{1B}["))
  }

  @Test func showSourcePutsTheCaretUnderTheRangeCountingKanjiAsTwoColumns() throws {
    let result = try run(["check", "--show-source", "予算/a.yosan"])
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let unknown = try #require(lines.firstIndex { $0.hasSuffix("[unknown-key]") })
    #expect(lines[unknown + 1] == "8 |   要球額 = 1億円")
    #expect(lines[unknown + 2] == "  |   ^^^^^^")
    #expect(lines[unknown + 3] == "", "its fix is not safe: it is offered in JSON and SARIF only")
    let duplicate = try #require(lines.firstIndex { $0.hasSuffix("[duplicate-key]") })
    #expect(lines[duplicate + 2] == "   |   ^^^^^^")
    #expect(lines[duplicate + 3] == "   = note: 予算/a.yosan:9:3: first written here")
    let unused = try #require(lines.firstIndex { $0.hasSuffix("[unused-suppression]") })
    // `  前年度 = 1億円 ` is 17 columns wide; the comment 47 characters, 5 of them wide.
    #expect(lines[unused + 2] == "   | " + String(repeating: " ", count: 17) + String(repeating: "^", count: 52))
    #expect(lines[unused + 3] == "   = fix: remove the unused suppression (`yosan check --fix` applies it)")
  }

  @Test func colourOnlyWhenAskedAndNeverWithNoColor() throws {
    let always = try run(["check", "--color", "always", "予算/a.yosan"])
    #expect(always.stdout.contains("\u{1B}[1;31merror\u{1B}[0m"))
    #expect(always.stdout.contains("\u{1B}[1;33mwarning\u{1B}[0m"))
    let noColor = try run(["check", "--color", "always", "予算/a.yosan"], environment: ["NO_COLOR": "1"])
    #expect(!noColor.stdout.contains("\u{1B}["))
    let auto = try run(["check", "--color", "auto", "--show-source", "予算/a.yosan"])
    #expect(!auto.stdout.contains("\u{1B}["), "standard output is a pipe, not a terminal")
    #expect(try run(["check", "--color", "sometimes", "予算/a.yosan"]).status == 2)
  }

  // MARK: - JSON

  @Test func jsonMatchesItsSchema() throws {
    let result = try run(["check", "--format", "json", "予算/a.yosan"])
    #expect(result.status == 1)
    #expect(result.stderr == "")
    let document = try JSON.parse(result.stdout)
    #expect(try Scratch.schema("json-output.schema.json").validate(document) == [])
    let diagnostics = try #require(document["diagnostics"]?.arrayValue)
    #expect(diagnostics.map { $0["rule"]?.stringValue } == ["unknown-key", "duplicate-key", "unused-suppression"])
    let duplicate = diagnostics[1]
    #expect(duplicate["related"]?[0]?["line"]?.intValue == 9)
    #expect(duplicate["url"]?.stringValue?.hasSuffix("/Spec/rules.md#duplicate-key") == true)
    let unused = diagnostics[2]
    #expect(unused["tags"] == .array([.string("unnecessary")]))
    #expect(unused["fixes"]?[0]?["safe"]?.boolValue == true)
    #expect(unused["fixes"]?[0]?["edits"]?[0]?["replacement"]?.stringValue == "")
    #expect(document["summary"]?["warnings"]?.intValue == 1)
    #expect(document["problems"] == .array([]))
  }

  /// Every sample (the defect samples report nearly every rule) in every machine format.
  @Test func theSamplesInEveryMachineFormat() throws {
    let json = try JSON.parse(try YosanBinary.run(["check", "--format", "json", "Samples"]).stdout)
    #expect(try Scratch.schema("json-output.schema.json").validate(json) == [])
    let diagnostics = try #require(json["diagnostics"]?.arrayValue)
    #expect(Set(diagnostics.compactMap { $0["rule"]?.stringValue }).count >= 15)
    let sarif = try JSON.parse(try YosanBinary.run(["check", "--format", "sarif", "Samples"]).stdout)
    let run = try #require(sarif["runs"]?[0])
    let rules = try #require(run["tool"]?["driver"]?["rules"]?.arrayValue)
    let results = try #require(run["results"]?.arrayValue)
    #expect(results.count == diagnostics.count)
    for (result, diagnostic) in zip(results, diagnostics) {
      #expect(result["ruleId"] == diagnostic["rule"])
      #expect(rules[result["ruleIndex"]?.intValue ?? -1]["id"] == result["ruleId"])
      #expect(result["locations"]?[0]?["physicalLocation"]?["region"]?["startLine"] == diagnostic["line"])
      #expect(result["fixes"]?.arrayValue?.count ?? 0 == diagnostic["fixes"]?.arrayValue?.count)
    }
    let github = try YosanBinary.run(["check", "--format", "github", "Samples"]).stdout
    #expect(github.split(separator: "\n").count == diagnostics.count)
  }

  @Test func theSchemaValidatorCatchesMistakes() throws {
    let schema = try Scratch.schema("json-output.schema.json")
    let result = try run(["check", "--format", "json", "予算/a.yosan"])
    guard case .object(var members) = try JSON.parse(result.stdout) else { throw CancellationError() }
    members.removeAll { $0.0 == "problems" }
    members.append(("extra", .null))
    let errors = schema.validate(.object(members))
    #expect(errors.contains(": missing `problems`"))
    #expect(errors.contains(": unexpected `extra`"))
  }

  // MARK: - SARIF

  @Test func sarifHasTheRequiredPropertiesAndTheRuleCatalogue() throws {
    let files = ["予算/a.yosan": Self.defects, "yosan.config.yosan": "rules {\n  missing-title = warn\n}\n"]
    let result = try run(["check", "--format", "sarif", "予算/a.yosan"], files)
    #expect(result.status == 2, "the configuration has a mistake")
    let log = try JSON.parse(result.stdout)
    // sarifLog: version and runs are required.
    #expect(log["version"]?.stringValue == "2.1.0")
    #expect(log["$schema"]?.stringValue?.hasSuffix("sarif-schema-2.1.0.json") == true)
    let run = try #require(log["runs"]?[0])
    #expect(log["runs"]?.arrayValue?.count == 1)
    // run: tool (required) → driver (required) → name (required).
    let driver = try #require(run["tool"]?["driver"])
    #expect(driver["name"]?.stringValue == "yosan")
    let rules = try #require(driver["rules"]?.arrayValue)
    let catalogue = try YosanBinary.run(["rules"]).stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
    #expect(rules.map { $0["id"]?.stringValue ?? "" } == catalogue, "the whole catalogue, in the order of `yosan rules`")
    for rule in rules {
      let id = try #require(rule["id"]?.stringValue)
      #expect(rule["helpUri"]?.stringValue?.hasSuffix("/Spec/rules.md#\(id)") == true)
      #expect(rule["shortDescription"]?["text"]?.stringValue?.isEmpty == false)
      #expect(["error", "warning", "note"].contains(rule["defaultConfiguration"]?["level"]?.stringValue ?? ""))
    }
    #expect(run["columnKind"]?.stringValue == "unicodeCodePoints")
    let results = try #require(run["results"]?.arrayValue)
    #expect(results.count == 3)
    for result in results {
      // result: message (required, with text); ruleIndex points at ruleId in the catalogue.
      #expect(result["message"]?["text"]?.stringValue?.isEmpty == false)
      let index = try #require(result["ruleIndex"]?.intValue)
      #expect(rules[index]["id"] == result["ruleId"])
      #expect(["error", "warning", "note"].contains(result["level"]?.stringValue ?? ""))
      let location = try #require(result["locations"]?[0]?["physicalLocation"])
      #expect(location["artifactLocation"]?["uri"]?.stringValue == "%E4%BA%88%E7%AE%97/a.yosan")
      #expect(location["artifactLocation"]?["uriBaseId"]?.stringValue == "SRCROOT")
      #expect((location["region"]?["startLine"]?.intValue ?? 0) >= 1)
      #expect((location["region"]?["startColumn"]?.intValue ?? 0) >= 1)
      // fix: artifactChanges (required, at least one) → artifactLocation and replacements (required) → deletedRegion (required).
      for fix in result["fixes"]?.arrayValue ?? [] {
        let change = try #require(fix["artifactChanges"]?[0])
        #expect(change["artifactLocation"]?["uri"] != nil)
        let replacement = try #require(change["replacements"]?[0])
        #expect(replacement["deletedRegion"]?["startLine"] != nil)
        #expect(replacement["insertedContent"]?["text"] != nil)
      }
    }
    #expect(results[0]["fixes"]?[0]?["properties"]?["safe"]?.boolValue == false)
    #expect(results[1]["relatedLocations"]?[0]?["message"]?["text"]?.stringValue == "first written here")
    #expect(run["originalUriBaseIds"]?["SRCROOT"]?["uri"]?.stringValue?.hasPrefix("file:///") == true)
    // invocation: executionSuccessful (required); the configuration problem as a notification.
    let invocation = try #require(run["invocations"]?[0])
    #expect(invocation["executionSuccessful"]?.boolValue == false)
    let notification = try #require(invocation["toolConfigurationNotifications"]?[0])
    #expect(notification["message"]?["text"]?.stringValue == "unknown severity `warn`; use off, style, info, warning or error")
    #expect(notification["locations"]?[0]?["physicalLocation"]?["region"]?["startLine"]?.intValue == 2)
  }

  // MARK: - GitHub

  @Test func githubWorkflowCommandsAreEscaped() throws {
    let result = try run(["check", "--format", "github", "./予算/a.yosan"])
    #expect(result.status == 1)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    #expect(lines[0] == "::error file=予算/a.yosan,line=8,col=3,endLine=8,endColumn=6,title=yosan (unknown-key)::unknown key `要球額` in a 事業; did you mean `要求額`?")
    #expect(lines[2].hasPrefix("::warning file=予算/a.yosan,line=11,col=13,endLine=11,endColumn=60,title=yosan (unused-suppression)::"))
    #expect(result.stderr == "")
  }

  @Test func githubEscapingFollowsTheRunnerRules() throws {
    // A file name with a comma and a colon, and a message that quotes a percent sign.
    let files = ["a,b:c.yosan": Scratch.header + Scratch.item("x", ["担当 = 医政局", "要求額 = 1億円", "補助率 = 50%%"])]
    let result = try run(["check", "--format", "github", "a,b:c.yosan"], files)
    let line = try #require(result.stdout.split(separator: "\n").first.map(String.init))
    #expect(line.hasPrefix("::error file=a%2Cb%3Ac.yosan,line=9,"))
    #expect(line.contains("50%25%25"))
    #expect(!line.dropFirst(2).contains("%%"))
  }
}
