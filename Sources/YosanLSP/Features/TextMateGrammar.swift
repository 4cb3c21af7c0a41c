import YosanCore
import YosanJSON
import YosanSyntax

/// The TextMate grammar of `Spec/yosan.tmLanguage.json` (scope `source.yosan`), made from the
/// vocabulary: block keywords, keys, units, the words of 区分, 端数 and 種別 and the value words
/// are the tables' spellings (synonyms included), so the grammar highlights every word the format
/// accepts. `EditorSetupTests` checks that the file is this document (`UPDATE_GOLDEN=1` rewrites it).
public enum TextMateGrammar {
  /// The grammar as JSON text, as the file holds it.
  public static func text() -> String { document().prettyPrinted() + "\n" }

  static func document() -> JSON {
    .object([
      ("$schema", .string("https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json")),
      ("name", .string("Yosan")),
      ("scopeName", .string("source.yosan")),
      ("fileTypes", .array([.string("yosan")])),
      ("patterns", .array(["comment", "header", "entry", "punctuation"].map { .object([("include", .string("#\($0)"))]) })),
      ("repository", .object(repository())),
    ])
  }

  /// `a|bc|d` sorted longest first (a regex alternation takes the first that matches), escaped.
  static func alternation(_ words: [String], asciiWordBoundaries: Bool = false) -> String {
    var seen = Set<String>()
    let unique = words.filter { seen.insert($0).inserted }
    let sorted = unique.enumerated().sorted { $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset }
    return sorted.map { word in
      let escaped = escape(word.element)
      return asciiWordBoundaries && word.element.unicodeScalars.allSatisfy(\.isASCII) ? "\\b\(escaped)\\b" : escaped
    }.joined(separator: "|")
  }

  static func escape(_ word: String) -> String {
    var out = ""
    for character in word {
      if "\\^$.|?*+()[]{}/".contains(character) { out.append("\\") }
      out.append(character)
    }
    return out
  }

  static func captures(_ names: [String]) -> JSON {
    .object(names.enumerated().map { (String($0.offset + 1), .object([("name", .string($0.element))])) })
  }

  static func quoted(_ open: String, _ close: String, _ name: String) -> JSON {
    .object([
      ("name", .string(name)),
      ("begin", .string(open)),
      ("beginCaptures", .object([("0", .object([("name", .string("punctuation.definition.string.begin.yosan"))]))])),
      ("end", .string(close)),
      ("endCaptures", .object([("0", .object([("name", .string("punctuation.definition.string.end.yosan"))]))])),
    ])
  }

  static func repository() -> [(String, JSON)] {
    let itemKeyword = [BlockKind.item.japanese, BlockKind.item.alias]
    let units = alternation(Vocabulary.units.spellings)
    let enums = Vocabulary.documentKinds.spellings + Vocabulary.roundingModes.spellings + Vocabulary.tags.spellings
    let valueWords = Vocabulary.valueWords.words.filter { ![.partOf, .approximate].contains($0.value) }.flatMap(\.spellings)
    let keys = Catalog.keys.flatMap { [$0.japanese, $0.alias] }
    let partOf = Vocabulary.valueWords.word(.partOf).canonical
    let approximate = Vocabulary.valueWords.word(.approximate).canonical
    var string: [(String, JSON)] = quoted("\"", "\"", "string.quoted.double.yosan").objectValue!
    string.append(("patterns", .array([.object([("name", .string("constant.character.escape.yosan")), ("match", .string("\\\\[\"\\\\]"))])])))
    return [
      ("comment", .object([("name", .string("comment.line.number-sign.yosan")), ("match", .string("[#＃].*$"))])),
      ("string", .object(string)),
      ("title", .object([
        ("comment", .string("A title in Japanese quotation marks: 「…」 or “…” (on one line).")),
        ("patterns", .array([
          quoted("「(?=[^」\\n]*」)", "」", "string.quoted.other.yosan"), quoted("“(?=[^”\\n]*”)", "”", "string.quoted.other.yosan"),
        ])),
      ])),
      ("header", .object([
        ("comment", .string("A block header: KEYWORD [id] [\"title\"] {; only 事業 (item) takes an id.")),
        ("begin", .string(
          "^\\s*(?:(\(alternation(itemKeyword)))\\s+([\\p{L}\\p{N}_-]+)(?=[\\s\"「“{｛]|$)|(\(alternation(BlockKeywords.spellings))))(?=[\\s\"「“{｛]|$)")),
        ("beginCaptures", captures(["keyword.control.block.yosan", "entity.name.function.item-id.yosan", "keyword.control.block.yosan"])),
        ("end", .string("[{｛]|$")),
        ("endCaptures", .object([("0", .object([("name", .string("punctuation.section.block.begin.yosan"))]))])),
        ("patterns", .array(["string", "title", "comment"].map { .object([("include", .string("#\($0)"))]) })),
      ])),
      ("entry", .object([
        ("comment", .string("key = value, up to the end of the line (a quoted value may span lines).")),
        ("begin", .string("^\\s*(?:(\(alternation(keys)))|(\"(?:[^\"\\\\]|\\\\.)*\"|[^=＝#＃\"{}｛｝]+?))\\s*(=|＝)")),
        ("beginCaptures", captures(["support.type.property-name.yosan", "variable.other.member.row-label.yosan", "keyword.operator.assignment.yosan"])),
        ("end", .string("(?=[#＃}｝])|$")),
        ("patterns", .array([.object([("include", .string("#value"))])])),
      ])),
      ("value", .object([
        ("patterns", .array(["string", "part-of", "rate", "amount", "year", "enum", "value-word", "punctuation"].map { .object([("include", .string("#\($0)"))]) })),
      ])),
      ("part-of", .object([
        ("comment", .string("\(partOf)(ID) or \(partOf)(amount).")),
        ("begin", .string("(\(escape(partOf)))\\s*([(（])")),
        ("beginCaptures", captures(["keyword.other.part-of.yosan", "punctuation.section.parens.begin.yosan"])),
        ("end", .string("[)）]")),
        ("endCaptures", .object([("0", .object([("name", .string("punctuation.section.parens.end.yosan"))]))])),
        ("patterns", .array([
          .object([("include", .string("#amount"))]),
          .object([("name", .string("variable.other.item-id.yosan")), ("match", .string("[\\p{L}\\p{N}_-]+"))]),
        ])),
      ])),
      ("amount", .object([
        ("comment", .string("[\(approximate)] [△▲-] number unit, or the kanji 一 directly before a unit.")),
        ("match", .string(
          "(\(escape(approximate)))?\\s*([△▲-])?((?:[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+|[0-9０-９]+)(?:[.．][0-9０-９]+)?|一(?=(?:\(units))))\\s*(\(units))")),
        ("captures", captures(["keyword.other.approximate.yosan", "keyword.operator.sign.yosan", "constant.numeric.amount.yosan", "keyword.other.unit.yosan"])),
      ])),
      ("rate", .object([
        ("comment", .string("Fractions and percentages: 1/2, 38.5/100, 50%, 2分の1.")),
        ("match", .string(
          "[0-9０-９]+(?:[.．][0-9０-９]+)?\\s*[/／]\\s*[0-9０-９]+(?:[.．][0-9０-９]+)?|[0-9０-９]+(?:[.．][0-9０-９]+)?\\s*[%％]|[0-9０-９]+(?:[.．][0-9０-９]+)?分の[0-9０-９]+(?:[.．][0-9０-９]+)?")),
        ("name", .string("constant.numeric.rate.yosan")),
      ])),
      ("year", .object([
        ("match", .string("(?:令和|平成)(?:[0-9０-９]+|元)年度|\\b[RH][0-9０-９]+(?:年度)?|[0-9０-９]{4}年度")),
        ("name", .string("constant.other.fiscal-year.yosan")),
      ])),
      ("enum", .object([
        ("comment", .string("区分, 端数 and 種別 values, in every spelling.")),
        ("match", .string(alternation(enums, asciiWordBoundaries: true))),
        ("name", .string("constant.language.yosan")),
      ])),
      ("value-word", .object([
        ("match", .string(alternation(valueWords, asciiWordBoundaries: true))),
        ("name", .string("keyword.other.value.yosan")),
      ])),
      ("punctuation", .object([
        ("patterns", .array([
          .object([("name", .string("punctuation.section.block.yosan")), ("match", .string("[{}｛｝]"))]),
          .object([("name", .string("punctuation.separator.yosan")), ("match", .string("[,，、]"))]),
          .object([("name", .string("keyword.operator.transition.yosan")), ("match", .string("→|->|⇒|〜|～|~"))]),
        ])),
      ])),
    ]
  }
}
