import Testing
import YosanTestSupport

@testable import YosanCore

struct LoweringTests {
  /// Lowering records what it found as typed cases (the rules write the words): a block where
  /// it does not belong with its parent, a key in the wrong kind of document, a missing key, and
  /// values that do not read, with what was written and the suggestion.
  @Test("lowering issues and value errors are typed, with what was written")
  func issuesAreTyped() {
    let text = """
      予算 "x" {
        年度 = 令和7年度
        区分 = 予算案
      }
      内訳 {
        費用 = 1億円
      }
      事業 a "t" {
        種別 = 新期
        担当 = 医政局
        要求額 = 1億円
        補助率 = 半分
        負担割合 = 国 1/2, 都道府県 1/
        内訳 {
          分野 "y" {
          }
        }
      }
      事業 b "u" {
        予算額 = 1億円
      }
      """
    let issues = Analyzer.parse(SourceFile(path: "t.yosan", text: text)).document.issues
    var misplacedBlocks: [String] = []
    var misplacedKeys: [String] = []
    var missingKeys: [Key] = []
    var problems: [ValueError.Problem] = []
    for issue in issues {
      switch issue {
      case .misplacedBlock(let kind, let parent, _): misplacedBlocks.append("\(kind) in \(parent.map { "\($0)" } ?? "the file")")
      case .misplacedKey(let name, let key, _, let block, let document):
        misplacedKeys.append("\(name) \(key) \(block) \(document.map(\.rawValue) ?? "-")")
      case .missingKey(let key, _, _): missingKeys.append(key)
      case .malformedValue(let error, _): problems.append(error.problem)
      default: break
      }
    }
    #expect(misplacedBlocks == ["breakdown in the file", "section in breakdown"])
    #expect(misplacedKeys == ["要求額 request item 予算案"])
    #expect(missingKeys == [.division])
    #expect(
      problems == [
        .value(.unknownTag(written: "新期", suggestion: "新規")),
        .rate(.notAFraction(written: "半分")),
        .share(.fraction(.notAFraction(written: "1/"))),
      ])
  }

  @Test("a key written twice, the first time on a broken line, names that line")
  func duplicateAfterBrokenLine() {
    let text = "事業 a \"t\" {\n  担当 = 医政局\n  前年度 1億円\n  要求額 = 1億円\n  前年度 = 2億円\n}\n"
    let lines = Check.rendered(text)
    #expect(lines.contains("5:3 duplicate-key: `前年度` is written twice in this block; the first is on line 3"), "\(lines)")
    #expect(lines.contains { $0.hasPrefix("3:3 syntax-error: missing `=` after `前年度`") }, "\(lines)")
  }

  /// `事業 a 「…」 {` and `“…”` are titles (a style note offers `"…"`), not syntax errors with
  /// a message that asks to quote what is quoted.
  @Test func titlesInJapaneseQuotationMarks() {
    let header = "予算 「x」 {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"
    let text = header + "事業 a 「救急医療体制整備事業」 {\n  担当 = 医政局\n  要求額 = 1億円\n  内訳 “内訳” {\n    費用 = 1億円\n  }\n}\n"
    let facts = Analyzer.parse(SourceFile(path: "t.yosan", text: text))
    let item = facts.document.allItems.first
    #expect(item?.title?.text == "救急医療体制整備事業")
    #expect(item?.breakdowns.first?.title?.text == "内訳")
    #expect(Check.rendered(text) == [
      "1:4 title-quotes: the title is in `「」`; write `\"x\"`",
      "5:6 title-quotes: the title is in `「」`; write `\"救急医療体制整備事業\"`",
      "8:6 title-quotes: the title is in `“”`; write `\"内訳\"`",
    ])
  }

  static let headerHoldingItems = """
    予算 "令和7年度 概算要求" {
      年度 = 令和7年度
      区分 = 概算要求

    事業 a "救急" {
      担当 = 医政局
      要求額 = 1億円
      補助率 = 3/2
    }

    分野 "研究" {
      合計 = 5億円

      事業 b "二" {
        担当 = 医政局
        要求額 = 3億円
      }
    }
    }

    """

  /// A 予算 header whose `}` is written at the end holds every item: they are checked as if it
  /// had been closed before them (every finding inside is reported), and the misplaced `}` is one
  /// diagnostic whose safe fix moves it; the fixed text means what the recovery read.
  @Test func itemsInsideTheHeaderAreCheckedAsIfItWereClosedBeforeThem() throws {
    let text = Self.headerHoldingItems
    #expect(Check.rendered(text) == [
      "5:1 misplaced-block: the 予算 header's `}` is on line 19, after the 2 blocks that follow its entries; they are checked as if it were closed before line 5: move the `}` there",
      "8:9 rate-range: 補助率 `3/2` is 150%, more than 1; a rate lies in (0, 1]",
      "12:8 section-total: the items of 分野 `研究` add up to 3億円 ([2.5, 3.5]億円 with rounding), but 合計 `5億円` stands for [4.5, 5.5]億円; write `合計 = 4億円` (1億円 less), or correct an item",
    ])
    let analysis = Analyzer.analyze([SourceFile(path: "h.yosan", text: text)])
    #expect(analysis.counters.items == 2)
    #expect(analysis.files[0].facts.document.allItems.map { $0.id?.id } == ["a", "b"])
    let misplaced = try #require(analysis.files[0].diagnostics.first { $0.ruleID == "misplaced-block" })
    let fix = try #require(misplaced.fixes.first)
    #expect(fix.isSafe)
    let fixed = FixApplier.apply(fix.edits, to: Array(text.utf8))
    let fixedText = String(decoding: fixed, as: UTF8.self)
    #expect(fixedText.hasPrefix("予算 \"令和7年度 概算要求\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n事業 a"))
    #expect(fixedText.hasSuffix("  }\n}\n"))
    #expect(!Check.rendered(fixedText).contains { $0.contains("misplaced-block") || $0.contains("syntax-error") })
    func model(_ document: Document) -> String {
      var members = Document()
      members.header = document.header
      members.members = document.members
      return ModelFingerprint.of(members)
    }
    let before = model(analysis.files[0].facts.document)
    let after = model(Analyzer.parse(SourceFile(path: "h.yosan", bytes: fixed)).document)
    #expect(before == after)
    #expect(Analyzer.analyze([SourceFile(path: "h.yosan", bytes: fixed)]).files[0].diagnostics.map(\.message)
      == analysis.files[0].diagnostics.filter { $0.ruleID != "misplaced-block" }.map(\.message))
  }

  /// An entry after the items keeps the header open to them: no fix (moving the `}` would leave the
  /// entry outside every block), still one diagnostic.
  @Test func aHeaderWithAnEntryAfterItsItemsGetsNoFix() throws {
    let text = "予算 \"x\" {\n  年度 = 令和7年度\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n  区分 = 概算要求\n}\n"
    let diagnostics = Check.diagnostics(text)
    let misplaced = diagnostics.filter { $0.ruleID == "misplaced-block" }
    #expect(misplaced.count == 1)
    #expect(misplaced.first?.fixes.isEmpty == true)
    #expect(!diagnostics.contains { $0.ruleID == "missing-required-key" }, "区分 is still the header's")
  }

  /// An extra `}` is one diagnostic, and what follows stays where it was meant: the item's
  /// breakdown in the item, the section's next item in the section (so its 合計 holds).
  @Test func anExtraClosingBraceIsOneDiagnosticAndChangesNothingElse() {
    let text = """
      予算 "x" {
        年度 = 令和7年度
        区分 = 概算要求
      }

      分野 "s" {
        合計 = 3億円

        事業 a "t" {
          担当 = 医政局
          要求額 = 1億円
          内訳 {
            r = 1億円
          }
          }
        }

        事業 b "u" {
          担当 = 医政局
          要求額 = 2億円
        }
      }

      事業 c "v" {
        担当 = 医政局
        要求額 = 1億円
        }
        内訳 {
          r = 3億円
        }
      }

      """
    #expect(Check.rendered(text) == [
      "15:5 syntax-error: extra `}`: `事業 a` opened on line 9 closes on line 16, with the `}` indented like its header; remove this one",
      "26:9 breakdown-sum: this 内訳 adds up to 3億円 ([2.5, 3.5]億円 with rounding), but 要求額 `1億円` stands for [0.5, 1.5]億円; write `要求額 = 2億円` (1億円 more), or correct the 内訳",
      "27:3 syntax-error: extra `}`: `事業 c` opened on line 24 closes on line 31, with the `}` indented like its header; remove this one",
    ])
  }
}
