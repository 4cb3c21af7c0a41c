import Foundation
import Testing
import YosanCore
import YosanJSON
import YosanTestSupport

@testable import YosanLSP

/// The editor integration that is not the server itself: the TextMate grammar in `Spec/` and the
/// setups in the README's "Editors" section, checked against the server and the key catalogue.
struct EditorSetupTests {
  static let grammar: JSON = {
    let data = (try? Data(contentsOf: RepoPaths.url("Spec/yosan.tmLanguage.json"))) ?? Data()
    return (try? JSON.parse(Array(data))) ?? .null
  }()

  static let readme = (try? String(contentsOf: RepoPaths.url("README.md"), encoding: .utf8)) ?? ""

  /// The README's "Editors" section.
  static var editors: String {
    guard let start = readme.range(of: "\n## Editors\n") else { return "" }
    let rest = readme[start.upperBound...]
    return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
  }

  /// The fenced code blocks of the Editors section, with their info strings.
  static var blocks: [(info: String, code: String)] {
    var result: [(String, String)] = []
    var info: String?
    var code: [Substring] = []
    for line in editors.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("```") {
        if let open = info {
          result.append((open, code.joined(separator: "\n")))
          info = nil
        } else {
          info = String(line.dropFirst(3))
          code = []
        }
      } else if info != nil {
        code.append(line)
      }
    }
    return result
  }

  static func regex(_ rule: String, _ key: String) throws -> Regex<AnyRegexOutput> {
    try Regex(try #require(grammar["repository"]?[rule]?[key]?.stringValue))
  }

  // MARK: - Grammar

  @Test func everyGrammarPatternCompiles() throws {
    #expect(Self.grammar["scopeName"] == .string("source.yosan"))
    #expect(Self.grammar["fileTypes"] == .array([.string("yosan")]))
    var patterns: [String] = []
    func collect(_ value: JSON) {
      switch value {
      case .object(let members):
        for (key, member) in members {
          if ["match", "begin", "end"].contains(key), let text = member.stringValue { patterns.append(text) } else { collect(member) }
        }
      case .array(let elements): elements.forEach(collect)
      default: break
      }
    }
    collect(Self.grammar)
    #expect(patterns.count >= 15)
    for pattern in patterns { #expect(throws: Never.self, "\(pattern)") { _ = try Regex(pattern) } }
  }

  /// The grammar is made from the vocabulary (`TextMateGrammar`): the file is that document.
  @Test func grammarIsGeneratedFromTheVocabulary() throws {
    if let problem = Golden.check(TextMateGrammar.text(), against: RepoPaths.url("Spec/yosan.tmLanguage.json")) {
      Issue.record(Comment(rawValue: problem))
    }
  }

  /// Every spelling of every word of a value highlights as one (synonyms too: `切捨て`).
  @Test func grammarHighlightsEveryWordOfTheVocabulary() throws {
    let enumeration = try Self.regex("enum", "match")
    for spelling in Vocabulary.tags.spellings + Vocabulary.documentKinds.spellings + Vocabulary.roundingModes.spellings {
      #expect(try enumeration.wholeMatch(in: spelling) != nil, "\(spelling)")
    }
    let amount = try Self.regex("amount", "match")
    for unit in Vocabulary.units.spellings { #expect(try amount.wholeMatch(in: "1\(unit)") != nil, "\(unit)") }
    let title = try #require(Self.grammar["repository"]?["title"]?["patterns"]?.arrayValue)
    #expect(try Regex(try #require(title[0]["begin"]?.stringValue)).prefixMatch(in: "「救急」") != nil)
  }

  @Test func grammarKnowsEveryKeyAndKeyword() throws {
    let entry = try #require(Self.grammar["repository"]?["entry"]?["begin"]?.stringValue)
    for descriptor in Catalog.keys {
      for spelling in [descriptor.japanese, descriptor.alias] {
        #expect(entry.contains("|\(spelling)|") || entry.contains("(?:(\(spelling)|") || entry.contains("|\(spelling))"), "\(spelling)")
      }
    }
    let header = try #require(Self.grammar["repository"]?["header"]?["begin"]?.stringValue)
    for kind in BlockKind.allCases { #expect(header.contains(kind.japanese) && header.contains(kind.alias), "\(kind)") }
  }

  @Test func grammarReadsAmountsRatesIdsAndKeys() throws {
    let amount = try Self.regex("amount", "match")
    let match = try #require(try amount.wholeMatch(in: "約△1,234.5億円"))
    #expect(match.output.count == 5)
    #expect(match.output[3].substring == "1,234.5")
    #expect(match.output[4].substring == "億円")
    for text in ["7.9億円", "553,081千円", "１２億円", "一億円"] { #expect(try amount.wholeMatch(in: text) != nil, "\(text)") }
    let rate = try Self.regex("rate", "match")
    for text in ["1/2", "38.5/100", "50%", "１／２"] { #expect(try rate.wholeMatch(in: text) != nil, "\(text)") }
    let header = try Self.regex("header", "begin")
    #expect(try header.prefixMatch(in: "  事業 amed \"医療\" {")?.output[2].substring == "amed")
    #expect(try header.prefixMatch(in: "事業名 = 3") == nil)
    let entry = try Self.regex("entry", "begin")
    #expect(try entry.prefixMatch(in: "  要求額 = 7.9億円")?.output[1].substring == "要求額")
    #expect(try entry.prefixMatch(in: "    医薬品 = 187.5億円")?.output[2].substring == "医薬品")
    let partOf = try Self.regex("part-of", "begin")
    #expect(try partOf.prefixMatch(in: "内数（amed）") != nil)
  }

  // MARK: - README

  @Test func everyEditorSetupRunsYosanLsp() throws {
    let section = Self.editors
    for editor in ["### Neovim", "### Helix", "### Emacs", "### Sublime Text", "### VS Code"] {
      #expect(section.contains(editor), "\(editor)")
    }
    let blocks = Self.blocks
    let lua = blocks.filter { $0.info == "lua" }.map(\.code)
    #expect(lua.contains { $0.contains("cmd = { 'yosan', 'lsp' }") && $0.contains("vim.lsp.config") })
    #expect(lua.contains { $0.contains("cmd = { 'yosan', 'lsp' }") && $0.contains("vim.lsp.start") })
    #expect(lua.contains { $0.contains("vim.filetype.add({ extension = { yosan = 'yosan' } })") })
    let toml = try #require(blocks.first { $0.info == "toml" }?.code)
    #expect(toml.contains("command = \"yosan\"") && toml.contains("args = [\"lsp\"]") && toml.contains("file-types = [\"yosan\"]"))
    let elisp = try #require(blocks.first { $0.info == "elisp" }?.code)
    #expect(elisp.contains("(yosan-mode . (\"yosan\" \"lsp\"))"))
    // Sublime Text and VS Code settings are JSON that parses, with the same command.
    let json = blocks.filter { $0.info == "json" }.map(\.code)
    #expect(json.count >= 4)
    var commands: [JSON] = []
    for code in json {
      let value = try JSON.parse(code)
      if let client = value["clients"]?["yosan"] { commands.append(client["command"] ?? .null) }
      if let command = value["glspc.server.command"] { commands.append(.array([command] + (value["glspc.server.commandArguments"]?.arrayValue ?? []))) }
      if let grammars = value["contributes"]?["grammars"] {
        #expect(grammars[0]?["scopeName"] == Self.grammar["scopeName"])
        #expect(grammars[0]?["path"] == .string("./yosan.tmLanguage.json"))
        #expect(value["contributes"]?["languages"]?[0]?["id"] == .string("yosan"))
      }
    }
    #expect(commands == [.array([.string("yosan"), .string("lsp")]), .array([.string("yosan"), .string("lsp")])])
  }

  @Test func readmeDocumentsTheSemanticTokenLegend() {
    let section = Self.editors
    for type in SemanticTokensFeature.tokenTypes { #expect(section.contains("| `\(type)` |"), "\(type)") }
    for modifier in SemanticTokensFeature.tokenModifiers { #expect(section.contains("`\(modifier)`"), "\(modifier)") }
  }

  /// The README's table of position encodings is what the server negotiates.
  @Test(arguments: [
    ("| nothing, or `utf-16` only | `utf-16` |", [[], ["utf-16"]], "utf-16"),
    ("| `utf-8` among others | `utf-8` |", [["utf-8", "utf-16", "utf-32"], ["utf-8", "utf-32", "utf-16"], ["utf-16", "utf-8"]], "utf-8"),
    ("| `utf-32` first | `utf-32` |", [["utf-32", "utf-8", "utf-16"], ["utf-32"]], "utf-32"),
  ])
  func encodingTable(_ row: String, _ offers: [[String]], _ expected: String) {
    #expect(Self.editors.contains(row), "README row \(row)")
    for offered in offers { #expect(PositionEncoding.negotiate(offered).rawValue == expected, "offered \(offered)") }
  }
}
