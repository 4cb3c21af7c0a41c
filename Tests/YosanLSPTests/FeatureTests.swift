import Foundation
import Testing
import YosanCore
import YosanJSON
@testable import YosanLSP

/// Editor features through the spawned server, with exact positions: hover, completion,
/// definition, references, rename, symbols, folding, semantic tokens and code actions.
@Suite(.serialized)
struct FeatureTests {
  static let main = """
    予算 "令和7年度 厚生労働省 概算要求" {
      年度 = 令和7年度
      区分 = 概算要求
    }

    # 研究開発の事業
    # 二行目のコメント
    分野 "研究開発" {
      事業 amed "医療研究開発推進事業" {
        担当 = 大臣官房厚生科学課
        要求額 = 527億円
        前年度 = 443億円
        補助率 = 1/2
        負担割合 = 国 38.5/100, 都道府県 61.5/100
        内訳 "プロジェクト別" {
          医薬品 = 187.5億円
          医療機器 = 339.5億円
          合計 = 527億円
        }
      }
      事業 fund "基金" {
        担当 = 大臣官房厚生科学課
        要求額 = 内数(amed)
      }
    }

    """

  static let other = """
    予算 {
      年度 = 令和7年度
      区分 = 概算要求
    }
    事業 x "他の事業" {
      担当 = 医政局
      要求額 = 内数(amed)
    }

    """

  /// A server with `main.yosan` open and `other.yosan` on disk.
  static func start(capabilities: JSON = LSPTestClient.capabilities()) throws -> (LSPTestClient, TemporaryWorkspace, String) {
    let workspace = try TemporaryWorkspace(["main.yosan": main, "other.yosan": other])
    let client = try LSPTestClient()
    try client.initialize(capabilities: capabilities, workspace: workspace.url)
    let uri = workspace.uri("main.yosan")
    client.open(uri, main)
    _ = try client.diagnostics(for: uri)
    return (client, workspace, uri)
  }

  func hoverText(_ client: LSPTestClient, _ uri: String, _ line: Int, _ character: Int) throws -> (String, [Int]) {
    let hover = try client.call("textDocument/hover", LSP.at(uri, line, character))
    return (hover["contents"]?["value"]?.stringValue ?? "", LSP.bounds(hover["range"]))
  }

  // MARK: - Hover

  @Test func hoverOnAmountsRatesKeysKeywordsAndIds() throws {
    let (client, _, uri) = try Self.start()
    let (request, requestRange) = try hoverText(client, uri, 10, 12)
    #expect(requestRange == [10, 10, 10, 15])
    #expect(request.contains("= 52,700,000,000円 = 527億円 · 52,700百万円 · 52,700,000千円"))
    #expect(request.contains("四捨五入 to the last digit shown (1億円): [52,650,000,000円, 52,750,000,000円]"))
    #expect(request.contains("change from 前年度 `443億円`: +8,400,000,000円 (+18.96%)"))
    let (row, _) = try hoverText(client, uri, 15, 14)
    #expect(row.contains("**医薬品** `187.5億円`"))
    #expect(row.contains("(0.1億円): [18,745,000,000円, 18,755,000,000円]"))
    let (rate, rateRange) = try hoverText(client, uri, 12, 11)
    #expect(rate.contains("`1/2` = 1/2 = 50%"))
    #expect(rateRange == [12, 10, 12, 13])
    let (share, _) = try hoverText(client, uri, 13, 14)
    #expect(share.contains("国: `38.5/100` = 77/200 = 38.5%"))
    #expect(share.contains("= 1 ✓"))
    let (key, keyRange) = try hoverText(client, uri, 10, 5)
    #expect(keyRange == [10, 4, 10, 7])
    #expect(key.contains("**要求額** · `request`"))
    #expect(key.contains("The amount requested for the fiscal year (required)"))
    let (keyword, _) = try hoverText(client, uri, 8, 3)
    #expect(keyword.contains("**事業** · `item`"))
    #expect(keyword.contains("一つの事業"))
    let (id, idRange) = try hoverText(client, uri, 22, 15)
    #expect(idRange == [22, 13, 22, 17])
    #expect(id.contains("**事業 `amed`** 医療研究開発推進事業"))
    #expect(id.contains("要求額 527億円 · 担当 大臣官房厚生科学課"))
    #expect(id.contains("defined in `main.yosan` line 9"))
    let (partOf, _) = try hoverText(client, uri, 22, 11)
    #expect(partOf.contains("**内数**"))
    // Nothing to say on a comment.
    #expect(try client.call("textDocument/hover", LSP.at(uri, 5, 0)) == .null)
    #expect(try client.shutdownAndExit() == 0)
  }

  // MARK: - Completion

  func labels(_ result: JSON) -> [String] {
    (result["items"]?.arrayValue ?? []).sorted { ($0["sortText"]?.stringValue ?? "") < ($1["sortText"]?.stringValue ?? "") }
      .compactMap { $0["label"]?.stringValue }
  }

  @Test func completionOfKeysKeywordsUnitsValuesAndIds() throws {
    let (client, _, mainURI) = try Self.start()
    let uri = "file:///tmp/completion.yosan"
    let text = "予算 {\n  年度 = 令和7年度\n  区分 = \n}\n事業 x \"t\" {\n  \n  担当 = 医政局\n  補助単価 = 12億\n  前年度 = 内数(am\n  種別 = 新規, \n}\n"
    client.open(uri, text)
    _ = try client.diagnostics(for: uri)
    // Keys valid in the item, required ones first, both spellings; 担当 is already there, and
    // with no 区分 yet both amount keys are offered.
    let keys = try client.call("textDocument/completion", LSP.at(uri, 5, 2))
    let names = labels(keys)
    #expect(Array(names.prefix(4)) == ["要求額", "request", "予算額", "budget-amount"])
    #expect(!names.contains("担当") && !names.contains("division") && !names.contains("年度"))
    #expect(names.contains("補助率") && names.contains("rate") && names.contains("内訳") && names.contains("breakdown"))
    let skeleton = try #require(keys["items"]?.arrayValue?.first { $0["label"] == .string("事業 { … }") })
    #expect(skeleton["insertTextFormat"] == .int(2))
    #expect(skeleton["textEdit"]?["newText"] == .string("事業 ${1:id} \"${2:事業名}\" {\n    担当 = ${3}\n    要求額 = ${4}\n  }"))
    #expect(LSP.bounds(skeleton["textEdit"]?["range"]) == [5, 2, 5, 2])
    let documentation = keys["items"]?.arrayValue?.first { $0["label"] == .string("補助率") }?["documentation"]?["value"]?.stringValue
    #expect(documentation?.contains("国の補助率") == true)
    // Units after a number: the edit covers the number and the part of a unit already typed
    // (`12億` → `12億円`), since clients filter by that word; only the units it matches.
    let units = try client.call("textDocument/completion", LSP.at(uri, 7, 12))
    #expect(labels(units) == ["億円"])
    #expect(LSP.bounds(units["items"]?[0]?["textEdit"]?["range"]) == [7, 9, 7, 12])
    #expect(units["items"]?[0]?["textEdit"]?["newText"] == .string("12億円"))
    #expect(units["items"]?[0]?["insertText"] == .string("12億円"))
    #expect(units["items"]?[0]?["filterText"] == .string("12億円"))
    // Ids inside 内数(, from every file of the workspace, but not the item's own.
    let ids = try client.call("textDocument/completion", LSP.at(uri, 8, 13))
    #expect(labels(ids) == ["amed"])
    #expect(Set(labels(try client.call("textDocument/completion", LSP.at(uri, 8, 11)))).isSuperset(of: ["amed", "fund"]))
    #expect(!labels(ids).contains("x"))
    #expect(LSP.bounds(ids["items"]?[0]?["textEdit"]?["range"]) == [8, 11, 8, 13])
    // Enumerated values: 区分, and 種別 after a comma (without the tag written before it).
    #expect(labels(try client.call("textDocument/completion", LSP.at(uri, 2, 7))) == Vocabulary.documentKinds.words.map(\.canonical))
    #expect(labels(try client.call("textDocument/completion", LSP.at(uri, 2, 7))) == ["概算要求", "当初予算", "予算案", "補正予算", "事業一覧"])
    let tags = try client.call("textDocument/completion", LSP.at(uri, 9, 11))
    #expect(labels(tags) == ["拡充", "推進枠", "再掲"])
    #expect(LSP.bounds(tags["items"]?[0]?["textEdit"]?["range"]) == [9, 11, 9, 11])
    // Divisions already used in the workspace, the most used first.
    client.change(uri, version: 2, range: LSP.range(6, 7, 6, 10), text: "")
    _ = try client.diagnostics(for: uri)
    #expect(labels(try client.call("textDocument/completion", LSP.at(uri, 6, 7))).first == "大臣官房厚生科学課")
    // In an initial budget the amount key is 予算額, in the keys and in the skeleton.
    client.change(uri, version: 3, range: LSP.range(2, 7, 2, 7), text: "当初予算")
    _ = try client.diagnostics(for: uri)
    let initial = try client.call("textDocument/completion", LSP.at(uri, 5, 2))
    #expect(Array(labels(initial).prefix(2)) == ["予算額", "budget-amount"])
    #expect(!labels(initial).contains("要求額"))
    #expect(initial["items"]?.arrayValue?.first { $0["label"] == .string("事業 { … }") }?["textEdit"]?["newText"]?.stringValue?.contains("予算額 = ${4}") == true)
    // Nothing in a comment.
    #expect(labels(try client.call("textDocument/completion", LSP.at(mainURI, 5, 4))).isEmpty)
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func completionIsNarrowedByWhatWasTyped() throws {
    let (client, _, _) = try Self.start()
    let uri = "file:///tmp/narrowed.yosan"
    let text = "事業 x \"t\" {\n  補\n  担当 = 医政局\n  要求額 = 1億円\n  前年度 = 内数(ｆ\n  bre\n  補正 = 3\n}\n"
    client.open(uri, text)
    _ = try client.diagnostics(for: uri)
    // `補`: the keys that start with it, nothing else (Neovim shows the list as it is sent).
    let keys = try client.call("textDocument/completion", LSP.at(uri, 1, 3))
    #expect(Set(labels(keys)) == ["補正", "補助率", "補助先", "補助単価"])
    #expect(keys["isIncomplete"] == .bool(false))
    #expect(LSP.bounds(keys["items"]?[0]?["textEdit"]?["range"]) == [1, 2, 1, 3])
    // The other spelling by its own letters, a prefix before a mere subsequence.
    let english = labels(try client.call("textDocument/completion", LSP.at(uri, 5, 5)))
    #expect(english.first == "breakdown")
    #expect(!english.contains("内訳") && !english.contains("request"))
    // A full-width letter matches its half-width id.
    #expect(Set(labels(try client.call("textDocument/completion", LSP.at(uri, 4, 13)))) == ["fund"])
    // After a bare number every unit, each replacing the number.
    let units = try client.call("textDocument/completion", LSP.at(uri, 6, 8))
    #expect(labels(units).prefix(3) == ["億円", "百万円", "千円"])
    #expect(units["items"]?[0]?["textEdit"]?["newText"] == .string("3億円"))
    #expect(try client.shutdownAndExit() == 0)
  }

  /// Division completion does not spread a slip that a rule flags.
  @Test func divisionsThatARuleFlagsAreNotOffered() throws {
    let (client, _, _) = try Self.start()
    let uri = "file:///tmp/divisions.yosan"
    let text = "事業 a \"t\" {\n  担当 = 医政局企画課課\n  要求額 = 1億円\n}\n事業 b \"t\" {\n  担当 = 老健局高齡者支援課\n  要求額 = 1億円\n}\n事業 c \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n"
    client.open(uri, text)
    _ = try client.diagnostics(for: uri)
    let names = labels(try client.call("textDocument/completion", LSP.at(uri, 9, 7)))
    #expect(names.contains("医政局"))
    #expect(!names.contains("医政局企画課課") && !names.contains("老健局高齡者支援課"), "\(names)")
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func narrowingRanksPrefixThenSubstringThenSubsequenceAndCutsLongLists() {
    func item(_ label: String, _ sort: String) -> CompletionFeature.Item {
      CompletionFeature.Item(label: label, kind: 10, detail: nil, documentation: nil, insert: label, sortText: sort)
    }
    let items = [item("xabc", "1"), item("abc", "2"), item("axbxc", "3"), item("cba", "4"), item("ＡＢＣＤ", "5")]
    let (narrowed, cut) = CompletionFeature.narrow(items, typed: "abc")
    #expect(narrowed.map(\.label) == ["abc", "ＡＢＣＤ", "xabc", "axbxc"])
    #expect(!cut)
    let many = (0..<500).map { item("id\($0)", String(1000 + $0)) }
    let (first, incomplete) = CompletionFeature.narrow(many, typed: "")
    #expect(first.count == CompletionFeature.limit && incomplete)
    let (some, complete) = CompletionFeature.narrow(many, typed: "id49")
    // Those that start with `id49` first, then those that hold its characters in order.
    #expect(some.prefix(11).map(\.label) == ["id49"] + (490..<500).map { "id\($0)" })
    #expect(some.dropFirst(11).map(\.label) == ["id149", "id249", "id349"] + (0..<9).map { "id4\($0)9" })
    #expect(!complete)
  }


  /// Hover reads the vocabulary: a synonym (`切捨て`) is the word it stands for, and the words of
  /// values say what they mean.
  @Test func hoverKnowsEverySpellingOfAWord() throws {
    let text = "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 当初予算(案)\n  端数 = 切捨て\n}\n事業 a \"t\" {\n  種別 = expanded\n  担当 = 医政局\n  予算額 = 1億円\n  前年度 = 記載なし\n}\n"
    let workspace = try TemporaryWorkspace(["v.yosan": text])
    let client = try LSPTestClient()
    try client.initialize(workspace: workspace.url)
    let uri = workspace.uri("v.yosan")
    client.open(uri, text)
    _ = try client.diagnostics(for: uri)
    let (rounding, _) = try hoverText(client, uri, 3, 8)
    #expect(rounding.contains("**端数** `切り捨て` · `truncate`: Truncated toward zero"))
    let (kind, _) = try hoverText(client, uri, 2, 8)
    #expect(kind.contains("**区分** `予算案` · `draft-budget`"))
    let (tag, _) = try hoverText(client, uri, 6, 9)
    #expect(tag.contains("**種別** `拡充` · `expanded`"))
    let (notStated, _) = try hoverText(client, uri, 9, 10)
    #expect(notStated.contains("**記載なし** · `not-stated`: The source states no amount"))
    #expect(try client.shutdownAndExit() == 0)
  }

  // MARK: - Navigation

  @Test func definitionReferencesAndRenameAcrossFiles() throws {
    let (client, workspace, uri) = try Self.start()
    let otherURI = workspace.uri("other.yosan")
    // From a reference in another file to the definition.
    let definition = try client.call("textDocument/definition", LSP.at(otherURI, 6, 12))
    #expect(definition[0]?["uri"] == .string(uri))
    #expect(LSP.bounds(definition[0]?["range"]) == [8, 5, 8, 9])
    // References, with and without the declaration.
    let all = try client.call("textDocument/references", LSP.at(uri, 8, 6, [("context", .object([("includeDeclaration", .bool(true))]))]))
    let places = (all.arrayValue ?? []).map { ($0["uri"]?.stringValue?.hasSuffix("other.yosan") == true ? "other" : "main", LSP.bounds($0["range"])) }
    #expect(places.map(\.0) == ["main", "main", "other"])
    #expect(places.map(\.1) == [[8, 5, 8, 9], [22, 13, 22, 17], [6, 11, 6, 15]])
    let referencesOnly = try client.call("textDocument/references", LSP.at(uri, 22, 15, [("context", .object([("includeDeclaration", .bool(false))]))]))
    #expect(referencesOnly.arrayValue?.count == 2)
    // Rename: prepared on the id, applied in both files.
    let prepared = try client.call("textDocument/prepareRename", LSP.at(uri, 22, 16))
    #expect(prepared["placeholder"] == .string("amed"))
    #expect(LSP.bounds(prepared["range"]) == [22, 13, 22, 17])
    let edit = try client.call("textDocument/rename", LSP.at(uri, 8, 6, [("newName", .string("amed-2025"))]))
    let changes = try #require(edit["changes"])
    #expect(changes[uri]?.arrayValue?.map { LSP.bounds($0["range"]) } == [[8, 5, 8, 9], [22, 13, 22, 17]])
    #expect(changes[uri]?[0]?["newText"] == .string("amed-2025"))
    #expect(changes[otherURI]?.arrayValue?.map { LSP.bounds($0["range"]) } == [[6, 11, 6, 15]])
    // Refusals: a taken name, a name that is not an id, a place that is not an id.
    let taken = try client.callExpectingError("textDocument/rename", LSP.at(uri, 8, 6, [("newName", .string("fund"))]))
    #expect(taken.code == -32803)
    #expect(taken.message == "`fund` is already the id of 事業 `fund` in main.yosan line 21; choose another name")
    let invalid = try client.callExpectingError("textDocument/rename", LSP.at(uri, 8, 6, [("newName", .string("医療 研究"))]))
    #expect(invalid.message.hasPrefix("`医療 研究` is not an item id"))
    #expect(try client.callExpectingError("textDocument/prepareRename", LSP.at(uri, 10, 5)).code == -32803)
    // Highlights in the document: the definition (write) and the reference (read).
    let highlights = try client.call("textDocument/documentHighlight", LSP.at(uri, 8, 6))
    #expect(highlights.arrayValue?.map { $0["kind"] } == [.int(3), .int(2)])
    #expect(try client.shutdownAndExit() == 0)
  }

  // MARK: - Symbols and folding

  @Test func documentSymbolsFollowTheHierarchyWithAmounts() throws {
    let (client, _, uri) = try Self.start()
    let symbols = try client.call("textDocument/documentSymbol", LSP.document(uri))
    func summary(_ symbol: JSON) -> String {
      let children = symbol["children"]?.arrayValue?.map(summary) ?? []
      let own = "\(symbol["name"]?.stringValue ?? "")|\(symbol["detail"]?.stringValue ?? "")|\(symbol["kind"]?.intValue ?? 0)"
      return children.isEmpty ? own : own + " [" + children.joined(separator: ", ") + "]"
    }
    #expect(symbols.arrayValue?.map(summary) == [
      "予算 令和7年度 厚生労働省 概算要求|令和7年度 概算要求|4",
      "研究開発||3 [医療研究開発推進事業|amed · 527億円|5 [内訳 プロジェクト別|合計 527億円|18], 基金|fund · 内数(amed)|5]",
    ])
    let item = symbols[1]?["children"]?[0]
    #expect(LSP.bounds(item?["range"]) == [8, 2, 19, 3])
    #expect(LSP.bounds(item?["selectionRange"]) == [8, 2, 8, 22])
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func foldingRangesForBlocksAndCommentRuns() throws {
    let (client, _, uri) = try Self.start()
    let folds = try client.call("textDocument/foldingRange", LSP.document(uri))
    let ranges = (folds.arrayValue ?? []).map { "\($0["startLine"]?.intValue ?? -1)-\($0["endLine"]?.intValue ?? -1)\($0["kind"]?.stringValue.map { " " + $0 } ?? "")" }
    #expect(ranges.sorted() == ["0-2", "14-17", "20-22", "5-6 comment", "7-23", "8-18"].sorted())
    #expect(try client.shutdownAndExit() == 0)
  }

  // MARK: - Semantic tokens

  /// Decoded tokens: `line:character:length type[+modifier]`.
  func decode(_ data: JSON?) -> [String] {
    let numbers = (data?.arrayValue ?? []).compactMap(\.intValue)
    var result: [String] = []
    var line = 0
    var character = 0
    for index in stride(from: 0, to: numbers.count - 4, by: 5) {
      line += numbers[index]
      character = numbers[index] == 0 ? character + numbers[index + 1] : numbers[index + 1]
      let type = ["keyword", "property", "variable", "number", "type", "enumMember", "comment", "string"][numbers[index + 3]]
      let modifiers = ["declaration", "rate"].enumerated().filter { numbers[index + 4] & (1 << $0.offset) != 0 }.map { "+" + $0.element }.joined()
      result.append("\(line):\(character):\(numbers[index + 2]) \(type)\(modifiers)")
    }
    return result
  }

  @Test func semanticTokensFullDeltaAndRange() throws {
    let (client, _, uri) = try Self.start()
    let full = try client.call("textDocument/semanticTokens/full", LSP.document(uri))
    let tokens = decode(full["data"])
    for expected in [
      "0:0:2 keyword", "0:3:18 string", "1:2:2 property", "2:7:4 enumMember", "5:0:9 comment", "8:2:2 keyword", "8:5:4 variable+declaration",
      "8:10:12 string", "10:4:3 property", "10:10:3 number", "10:13:2 type", "12:10:3 number+rate", "13:13:8 number+rate",
      "22:10:2 keyword", "22:13:4 variable",
    ] {
      #expect(tokens.contains(expected), "\(expected) in \(tokens)")
    }
    // Sorted, no overlaps.
    #expect(tokens.count == Set(tokens).count)
    let resultID = try #require(full["resultId"]?.stringValue)
    // Change 527 to 5270 on line 10: the delta replaces a few integers, not the whole list.
    client.change(uri, version: 2, range: LSP.range(10, 13, 10, 13), text: "0")
    _ = try client.diagnostics(for: uri)
    let delta = try client.call(
      "textDocument/semanticTokens/full/delta", .object([("textDocument", .object([("uri", .string(uri))])), ("previousResultId", .string(resultID))]))
    let edits = try #require(delta["edits"]?.arrayValue)
    #expect(edits.count == 1)
    #expect((edits[0]["data"]?.arrayValue?.count ?? 99) <= 10)
    #expect(delta["resultId"]?.stringValue != resultID)
    // A range returns only the tokens it covers.
    let range = decode(try client.call("textDocument/semanticTokens/range", .object([("textDocument", .object([("uri", .string(uri))])), ("range", LSP.range(12, 0, 12, 20))]))["data"])
    #expect(range == ["12:4:3 property", "12:10:3 number+rate"])
    #expect(try client.shutdownAndExit() == 0)
  }

  // MARK: - Code actions

  @Test func codeActionsForFixesMissingKeysAndSuppression() throws {
    let (client, _, _) = try Self.start()
    let uri = "file:///tmp/actions.yosan"
    client.open(uri, "予算 \"令和7年度 概算要求\" {\n}\n事業 x \"t\" {\n  要球額 = 1億円\n}\n")
    _ = try client.diagnostics(for: uri)
    func actions(_ line: Int, _ character: Int) throws -> [JSON] {
      try client.call(
        "textDocument/codeAction",
        .object([
          ("textDocument", .object([("uri", .string(uri))])), ("range", LSP.range(line, character, line, character)),
          ("context", .object([("diagnostics", .array([]))])),
        ])
      ).arrayValue ?? []
    }
    // The unknown key's own fix (unsafe, so not preferred) and the suppression comment.
    let onKey = try actions(3, 3)
    let replace = try #require(onKey.first { $0["title"] == .string("replace `要球額` with `要求額`") })
    #expect(replace["kind"] == .string("quickfix"))
    #expect(replace["isPreferred"] == nil)
    #expect(replace["diagnostics"]?[0]?["code"] == .string("unknown-key"))
    #expect(replace["edit"]?["changes"]?[uri]?[0]?["newText"] == .string("要求額"))
    #expect(LSP.bounds(replace["edit"]?["changes"]?[uri]?[0]?["range"]) == [3, 2, 3, 5])
    let suppress = try #require(onKey.first { $0["title"] == .string("suppress `unknown-key` on this line (then write the reason after `--`)") })
    #expect(suppress["edit"]?["changes"]?[uri]?[0]?["newText"] == .string("  # yosan: disable-next-line unknown-key -- \n"))
    #expect(LSP.bounds(suppress["edit"]?["changes"]?[uri]?[0]?["range"]) == [3, 0, 3, 0])
    // The missing 担当 (要求額 counts as present: its typo is reported once).
    let onItem = try actions(2, 3)
    let addKeys = try #require(onItem.first { $0["title"] == .string("add the missing required keys (担当)") })
    #expect(addKeys["edit"]?["changes"]?[uri]?[0]?["newText"] == .string("  担当 = \n"))
    #expect(LSP.bounds(addKeys["edit"]?["changes"]?[uri]?[0]?["range"]) == [3, 0, 3, 0])
    // The header's 年度 and 区分, read from its title.
    let onHeader = try actions(0, 1)
    let addHeaderKeys = try #require(onHeader.first { $0["title"] == .string("add the missing required keys (年度, 区分)") })
    #expect(addHeaderKeys["edit"]?["changes"]?[uri]?[0]?["newText"] == .string("  年度 = 令和7年度\n  区分 = 概算要求\n"))
    // `only` filters by kind.
    let onlySource = try client.call(
      "textDocument/codeAction",
      .object([
        ("textDocument", .object([("uri", .string(uri))])), ("range", LSP.range(3, 3, 3, 3)),
        ("context", .object([("diagnostics", .array([])), ("only", .array([.string("source")]))])),
      ]))
    #expect(onlySource.arrayValue?.allSatisfy { $0["kind"]?.stringValue?.hasPrefix("source") == true } == true)
    #expect(try client.shutdownAndExit() == 0)
  }

  /// Neovim asks with the cursor's position as the range and the line's diagnostics in the context:
  /// the actions of those diagnostics are offered though the cursor is not on their range.
  @Test func codeActionsForTheDiagnosticsTheClientNames() throws {
    let (client, _, _) = try Self.start()
    let uri = "file:///tmp/named.yosan"
    client.open(uri, "予算 \"令和7年度 概算要求\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 x \"t\" {\n  担当 = 医政局\n  要求額 = 3.0億円\n  内訳 {\n    a = 1.0億円\n    b = 1.0億円\n  }\n}\n")
    let published = try client.diagnostics(for: uri)["params"]?["diagnostics"]?.arrayValue ?? []
    let sum = try #require(published.first { $0["code"] == .string("breakdown-sum") })
    let line = try #require(LSP.bounds(sum["range"]).first)
    #expect(LSP.bounds(sum["range"])[1] > 0, "the diagnostic must start after column 0 for the cursor to miss it")
    func titles(context: [JSON]) throws -> [String] {
      let result = try client.call(
        "textDocument/codeAction",
        .object([
          ("textDocument", .object([("uri", .string(uri))])), ("range", LSP.range(line, 0, line, 0)),
          ("context", .object([("diagnostics", .array(context))])),
        ]))
      return (result.arrayValue ?? []).compactMap { $0["title"]?.stringValue }
    }
    let suppress = "suppress `breakdown-sum` on this line (then write the reason after `--`)"
    #expect(try !titles(context: []).contains(suppress))
    #expect(try titles(context: [sum]).contains(suppress))
    // An entry the server cannot read is left out; the request still succeeds.
    #expect(try titles(context: [.object([("code", .int(3))]), sum]).contains(suppress))
    #expect(try client.shutdownAndExit() == 0)
  }

  @Test func aClientWithoutCodeActionLiteralsIsNotOfferedCodeActionKinds() throws {
    let client = try LSPTestClient()
    let result = try client.initialize(capabilities: .object([]))
    #expect(result["capabilities"]?["codeActionProvider"] == .bool(false))
    #expect(try client.shutdownAndExit() == 0)
  }
}
