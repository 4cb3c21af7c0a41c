import Foundation
import Testing
import YosanSyntax
import YosanTestSupport
@testable import YosanCore

/// One text of the formatter's corpus.
struct FormatCase: Sendable, CustomTestStringConvertible {
  var name: String
  var bytes: [UInt8]
  var testDescription: String { name }

  /// Every sample (clean budgets and defect samples), every spec example, every parser fixture and
  /// every file of every rule example; plus each of them with CRLF line breaks and a BOM.
  static let all: [FormatCase] = {
    var cases: [FormatCase] = []
    for url in RepoPaths.files(under: "Samples", withExtension: "yosan") + RepoPaths.files(under: "Tests/YosanSyntaxTests/Fixtures/parser", withExtension: "yosan") {
      if let data = try? Data(contentsOf: url) { cases.append(FormatCase(name: RepoPaths.relative(url), bytes: Array(data))) }
    }
    for example in SpecExample.all() {
      cases.append(FormatCase(name: "Spec/language.md:\(example.line)", bytes: Array(example.source.utf8)))
    }
    for rule in RuleRegistry.descriptors {
      for (index, example) in rule.examples.enumerated() {
        for file in PreparedExample(example.source).files {
          cases.append(FormatCase(name: "\(rule.id) #\(index + 1) \(file.path)", bytes: file.bytes))
        }
      }
    }
    let variants = cases.map { original -> FormatCase in
      var crlf: [UInt8] = [0xEF, 0xBB, 0xBF]
      for byte in original.bytes {
        if byte == 0x0A { crlf += [0x0D, 0x0A] } else { crlf.append(byte) }
      }
      return FormatCase(name: original.name + " (CRLF, BOM)", bytes: crlf)
    }
    return cases + variants
  }()
}

struct FormatterTests {
  func format(_ text: String) -> String? {
    Formatter.format(Analyzer.parse(SourceFile(path: "t.yosan", text: text))).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The tokens other than blanks and line breaks, with their text (comments without the blanks at their end).
  func significantTokens(_ bytes: [UInt8]) -> [String] {
    var result: [String] = []
    SyntaxNode(green: Parser.parse(bytes), offset: 0).forEachToken { token in
      guard token.kind != .whitespace, token.kind != .newline else { return }
      var text = String(decoding: bytes[token.range.start..<token.range.end], as: UTF8.self)
      if token.kind == .comment {
        while let last = text.unicodeScalars.last, last == " " || last == "\t" || last == "\u{3000}" { text.unicodeScalars.removeLast() }
      }
      result.append("\(token.kind):" + text)
    }
    return result
  }

  @Test func theCorpusIsLarge() {
    #expect(FormatCase.all.count > 100)
    #expect(FormatCase.all.contains { $0.name.hasPrefix("Samples/budgets/") })
  }

  /// Idempotent, model-preserving, token-preserving, and the edits give the same text.
  @Test("format", arguments: FormatCase.all)
  func formatPreservesEverything(_ testCase: FormatCase) throws {
    let facts = Analyzer.parse(SourceFile(path: "t.yosan", bytes: testCase.bytes))
    guard let formatted = Formatter.format(facts) else {
      #expect(facts.tree.containsError, "only a file with syntax errors is left unformatted")
      #expect(Formatter.edits(facts) == nil)
      return
    }
    let again = Analyzer.parse(SourceFile(path: "t.yosan", bytes: formatted))
    #expect(!again.tree.containsError)
    #expect(Formatter.format(again) == formatted, "formatting is idempotent")
    #expect(Formatter.edits(again) == [])
    #expect(ModelFingerprint.of(again.document) == ModelFingerprint.of(facts.document), "the model is unchanged")
    #expect(significantTokens(formatted) == significantTokens(testCase.bytes), "every token is kept")
    let edits = try #require(Formatter.edits(facts))
    #expect(FixApplier.apply(edits, to: testCase.bytes) == formatted)
    // Line breaks keep their kind; the byte order mark stays.
    #expect(formatted.starts(with: [0xEF, 0xBB, 0xBF]) == testCase.bytes.starts(with: [0xEF, 0xBB, 0xBF]))
    if testCase.bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }).map({ testCase.bytes[$0] == 0x0D }) == true {
      for (index, byte) in formatted.enumerated() where byte == 0x0A {
        #expect(index > 0 && formatted[index - 1] == 0x0D, "a bare LF in a CRLF file")
        break
      }
    }
    // The findings are the same ones (their positions move).
    let before = Analyzer.analyze([SourceFile(path: "t.yosan", bytes: testCase.bytes)]).files[0].diagnostics.map(\.ruleID).sorted()
    let after = Analyzer.analyze([SourceFile(path: "t.yosan", bytes: formatted)]).files[0].diagnostics.map(\.ruleID).sorted()
    #expect(before == after)
  }

  @Test func canonicalLayout() {
    let messy = """
      # 令和7年度 概算要求（抜粋）
      予算 "令和7年度"   {
      年度=令和7年度
          区分  =   概算要求   # 区分のコメント
      }
      分野 "研究開発" {

        事業 fih "新規モダリティ" {
          種別 = 新規, 推進枠
          担当 = 医政局研究開発政策課


          要求額 = 7.9億円
          内訳 { a = 1億円
          "b=c" = 6.9億円 }
        }
        # amed の説明
        事業 amed "AMED" {   # 末尾のコメント
          担当 = 大臣官房厚生科学課
          request = 527億円
        }
      } # 分野の終わり
      事業 x "y" { 担当 = 老健局
      要求額 = 1億円 }
      """
    let expected = """
      # 令和7年度 概算要求（抜粋）
      予算 "令和7年度" {
        年度 = 令和7年度
        区分 = 概算要求 # 区分のコメント
      }

      分野 "研究開発" {
        事業 fih "新規モダリティ" {
          種別 = 新規, 推進枠
          担当 = 医政局研究開発政策課

          要求額 = 7.9億円
          内訳 {
            a     = 1億円
            "b=c" = 6.9億円
          }
        }

        # amed の説明
        事業 amed "AMED" { # 末尾のコメント
          担当    = 大臣官房厚生科学課
          request = 527億円
        }
      } # 分野の終わり

      事業 x "y" {
        担当   = 老健局
        要求額 = 1億円
      }

      """
    #expect(format(messy) == expected)
    #expect(format(expected) == expected)
  }

  @Test func alignmentCountsKanjiAsTwoColumns() {
    let text = "事業 a \"t\" {\n  担当 = 医政局\n  request = 1億円\n  前年度 = なし\n}\n"
    #expect(format(text) == "事業 a \"t\" {\n  担当    = 医政局\n  request = 1億円\n  前年度  = なし\n}\n")
  }

  @Test func blanksInsideKeysAndValuesAreKept() {
    let text = "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 7.9 億円\n  内訳 {\n    (1)  行政経費 = 1億円\n  }\n}\n"
    let formatted = format(text)
    #expect(formatted?.contains("7.9 億円") == true)
    #expect(formatted?.contains("(1)  行政経費 = 1億円") == true)
  }

  @Test func crlfAndByteOrderMarkAreKept() {
    let text = "\u{FEFF}事業 a \"t\" {\r\n担当 = 医政局\r\n\r\n\r\n要求額=1億円\r\n}"
    #expect(format(text) == "\u{FEFF}事業 a \"t\" {\r\n  担当 = 医政局\r\n\r\n  要求額 = 1億円\r\n}\r\n")
  }

  @Test func multiLineStringsAreKeptAsWritten() {
    let text = "事業 a \"t\" {\n      概要 = \"一行目\n   二行目\"   # 注\n}\n"
    #expect(format(text) == "事業 a \"t\" {\n  概要 = \"一行目\n   二行目\" # 注\n}\n")
  }

  @Test func syntaxErrorsAreNotFormatted() {
    #expect(format("事業 a \"t\" {\n  担当 医政局\n}\n") == nil)
    #expect(format("事業 a \"t\" {\n  担当 = 医政局\n") == nil)
  }

  @Test func emptyAndCommentOnlyFiles() {
    #expect(format("") == "")
    #expect(format("\n\n") == "")
    #expect(format("\u{FEFF}") == "\u{FEFF}")
    #expect(format("  # だけ  \n\n\n# もう一つ") == "# だけ\n\n# もう一つ\n")
  }

  @Test func editsCanBeLimitedToARange() throws {
    let text = "事業 a \"t\" {\n担当 = 医政局\n要求額 = 1億円\n}\n"
    let facts = Analyzer.parse(SourceFile(path: "t.yosan", text: text))
    let all = try #require(Formatter.edits(facts))
    #expect(all.count == 3)
    // Only line 2 (0-based 1): its indentation and its `=` padding.
    let lineTwo = TextRange(start: facts.lineIndex.start(ofLine: 1), end: facts.lineIndex.start(ofLine: 1) + 2)
    let some = try #require(Formatter.edits(facts, in: lineTwo))
    #expect(some.count == 2)
    #expect(some.allSatisfy { facts.lineIndex.line(containing: $0.range.end) == 1 })
    #expect(FixApplier.apply(some, to: facts.bytes) == Array("事業 a \"t\" {\n  担当   = 医政局\n要求額 = 1億円\n}\n".utf8))
  }
}
