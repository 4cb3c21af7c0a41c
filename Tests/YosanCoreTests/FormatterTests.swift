import Foundation
import Testing
import YosanGenerator
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

/// Random files with valid structure and messy layout: odd indentation (tabs, U+3000), blanks
/// around `=`, one-line blocks, `}` after an entry, comments everywhere, runs of blank lines,
/// multi-line strings, full-width punctuation, CRLF and CR.
@Suite(.tags(.slow))
struct FormatterPropertyTests {
  typealias Random = SplitMix64

  static let blanks = ["", " ", "  ", "\t", "\u{3000}", "   "]
  static let keys = [
    "担当", "要求額", "前年度", "request", "補助率", "\"a=b {x}\"", "(1) 行政経費", "研究費", "備考", "種別",
    String(repeating: "地域医療介護総合確保基金", count: 6),
  ]
  static let values = [
    "医政局", "7.9億円", "７．９ 億円", "1,804億円", "なし", "－", "内数(a)", "1/2", "国 1/2、都道府県 1/2", "新規, 推進枠",
    "\"一行目\n  二行目\"", "\"引用 \\\" と # \"", "12億円 + 事項要求(国土強靭化分)", "",
  ]
  static let keywords = ["事業", "内訳", "うち", "分野", "item", "breakdown"]
  static let comments = ["# コメント", "＃ 全角", "#", "# yosan: disable-line unknown-key -- 理由"]

  struct Generator {
    var random: Random
    var newline: String
    var out = ""

    mutating func line(_ text: String) {
      out += text + (random.chance(5) ? random.pick(["\n", "\r\n", "\r"]) : newline)
      while random.chance(15) { out += random.pick(FormatterPropertyTests.blanks) + newline }
    }

    mutating func entry(_ indent: String) -> String {
      var text = indent + random.pick(FormatterPropertyTests.keys) + random.pick(FormatterPropertyTests.blanks)
      text += (random.chance(10) ? "＝" : "=") + random.pick(FormatterPropertyTests.blanks) + random.pick(FormatterPropertyTests.values)
      if random.chance(20) { text += random.pick(FormatterPropertyTests.blanks) + " " + random.pick(FormatterPropertyTests.comments) }
      return text
    }

    mutating func block(depth: Int) {
      let indent = String(repeating: " ", count: depth * 2) + (random.chance(30) ? random.pick(FormatterPropertyTests.blanks) : "")
      var header = indent + random.pick(FormatterPropertyTests.keywords)
      if random.chance(60) { header += " id\(random.below(99))" }
      if random.chance(60) { header += " \"タイトル \(random.below(9))\"" }
      header += random.pick(FormatterPropertyTests.blanks) + " " + (random.chance(10) ? "｛" : "{")
      if random.chance(15) {
        // A one-line block.
        line(header + " " + entry("") + " }" + (random.chance(30) ? " " + random.pick(FormatterPropertyTests.comments) : ""))
        return
      }
      if random.chance(20) { header += " " + random.pick(FormatterPropertyTests.comments) }
      line(header)
      let count = random.below(5)
      var lastEntry: String?
      for index in 0..<count {
        switch random.below(10) {
        case 0 where depth < 4: block(depth: depth + 1)
        case 1: line(indent + random.pick(FormatterPropertyTests.blanks) + random.pick(FormatterPropertyTests.comments))
        default:
          let text = entry(indent + random.pick(["  ", "    ", "\t", "\u{3000}", " "]))
          if index == count - 1, random.chance(20), !text.contains("#"), !text.hasSuffix("\"") { lastEntry = text } else { line(text) }
        }
      }
      if let lastEntry {
        line(lastEntry + " }")
      } else {
        line(indent + (random.chance(10) ? "｝" : "}") + (random.chance(15) ? " " + random.pick(FormatterPropertyTests.comments) : ""))
      }
    }
  }

  @Test("random layouts: formatted iff error-free, idempotent, tokens and model kept (3,000 files)")
  func randomLayouts() throws {
    var random = Random(seed: 4_2025)
    var formattedCount = 0
    for _ in 0..<3_000 {
      var generator = Generator(random: Random(seed: random.next()), newline: random.chance(30) ? "\r\n" : "\n")
      if generator.random.chance(10) { generator.out = "\u{FEFF}" }
      for _ in 0..<(1 + generator.random.below(4)) {
        if generator.random.chance(20) { generator.line(generator.random.pick(FormatterPropertyTests.comments)) }
        generator.block(depth: 0)
      }
      let bytes = Array(generator.out.utf8)
      let facts = Analyzer.parse(SourceFile(path: "r.yosan", bytes: bytes))
      guard let formatted = Formatter.format(facts) else {
        #expect(facts.tree.containsError, "an error-free file must be formatted: \(generator.out.debugDescription)")
        continue
      }
      formattedCount += 1
      let again = Analyzer.parse(SourceFile(path: "r.yosan", bytes: formatted))
      #expect(Formatter.format(again) == formatted, "idempotent: \(generator.out.debugDescription)")
      #expect(ModelFingerprint.of(again.document) == ModelFingerprint.of(facts.document), "model: \(generator.out.debugDescription)")
      #expect(FormatterTests().significantTokens(formatted) == FormatterTests().significantTokens(bytes), "tokens: \(generator.out.debugDescription)")
      #expect(FixApplier.apply(try #require(Formatter.edits(facts)), to: bytes) == formatted)
      let unaligned = try #require(Formatter.format(facts, aligned: false))
      #expect(formatted.count <= 2 * unaligned.count, "alignment bound: \(generator.out.debugDescription)")
    }
    // Most generated files are error-free; the property must have been exercised.
    #expect(formattedCount > 2_000, "only \(formattedCount) of 3,000 files were error-free")
  }
}

extension SplitMix64 {
  mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }
  /// True `percent` times out of a hundred.
  mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// Alignment has a bound (issue 16 §10): one very long key is not the column every other `=` is
/// padded to, and formatting never more than doubles the layout.
struct FormatterBoundTests {
  @Test func aVeryLongRowLabelDoesNotPadTheOthers() throws {
    // The issue's shape, scaled down: a 10,000-character label and 200 rows (it was 100,000 and
    // 1,000, which made 316 KB into 200 MB).
    var text = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  内訳 {\n"
    text += "    " + String(repeating: "長", count: 10_000) + " = 1千円\n"
    for index in 0..<200 { text += "    行\(index) = 1千円\n" }
    text += "  }\n}\n"
    let facts = Analyzer.parse(SourceFile(path: "a.yosan", text: text))
    let formatted = try #require(Formatter.format(facts))
    #expect(formatted.count <= 2 * text.utf8.count, "\(formatted.count) bytes from \(text.utf8.count)")
    let output = String(decoding: formatted, as: UTF8.self)
    // The long label keeps one space; the short rows are aligned among themselves.
    #expect(output.contains(String(repeating: "長", count: 10_000) + " = 1千円\n"))
    #expect(output.contains("\n    行0   = 1千円\n"), "\(output.suffix(200))")
    #expect(output.contains("\n    行199 = 1千円\n"))
    // Formatting it again changes nothing.
    #expect(Formatter.format(Analyzer.parse(SourceFile(path: "a.yosan", bytes: formatted))) == formatted)
  }

  /// Edits as the language server sends them: a document where every line changes gets at most
  /// the limit of edits, which still give the formatted text (issue 16 §10: 40,000 unindented
  /// items were 942,126 edits, 97 MB of JSON for a 16 MB text).
  @Test func manyEditsAreJoinedInRuns() throws {
    var text = "予算 \"令和7年度\" {\n年度 = 令和7年度\n区分 = 概算要求\n}\n"
    for index in 0..<300 { text += "事業 a\(index) \"t\" {\n担当 = 医政局\n要求額 = 1億円\n}\n" }
    let facts = Analyzer.parse(SourceFile(path: "a.yosan", text: text))
    let edits = try #require(Formatter.edits(facts))
    #expect(edits.count > 600)
    let formatted = try #require(Formatter.format(facts))
    func apply(_ edits: [TextEdit]) -> [UInt8] {
      var bytes = Array(text.utf8)
      for edit in edits.reversed() { bytes.replaceSubrange(edit.range.start..<edit.range.end, with: Array(edit.replacement.utf8)) }
      return bytes
    }
    #expect(apply(edits) == formatted)
    for limit in [1, 7, 100, 599] {
      let joined = Formatter.coalesced(edits, in: facts.bytes, limit: limit)
      #expect(joined.count <= limit)
      #expect(apply(joined) == formatted, "limit \(limit)")
    }
    // Under the limit, the edits are the smallest ones, unchanged.
    #expect(Formatter.coalesced(edits, in: facts.bytes, limit: edits.count) == edits)
  }

  @Test func theAlignmentColumn() {
    // Within the budget: the widest key.
    #expect(Layout.alignment(widths: [4, 6, 6], budget: 100) == 6)
    // Padding to 1,000 would cost 1,996 blanks, more than the 60 bytes of the lines: the next.
    #expect(Layout.alignment(widths: [4, 6, 1_000], budget: 60) == 6)
    #expect(Layout.alignment(widths: [4, 6, 1_000], budget: 2_000) == 1_000)
    #expect(Layout.alignment(widths: [2, 40, 40], budget: 30) == 2)
    #expect(Layout.alignment(widths: [], budget: 10) == 0)
  }

  @Test func samplesAndSpecExamplesStayWithinTheBound() throws {
    for url in RepoPaths.files(under: "Samples", withExtension: "yosan") {
      let bytes = Array(try Data(contentsOf: url))
      let facts = Analyzer.parse(SourceFile(path: url.path, bytes: bytes))
      guard let formatted = Formatter.format(facts), let unaligned = Formatter.format(facts, aligned: false) else { continue }
      #expect(formatted.count <= 2 * unaligned.count, "\(url.lastPathComponent)")
      #expect(formatted.count <= 2 * bytes.count, "\(url.lastPathComponent)")
    }
  }
}
