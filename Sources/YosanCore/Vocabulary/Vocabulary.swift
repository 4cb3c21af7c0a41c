import YosanSyntax

/// One word of the format's vocabulary: its canonical spelling (Japanese, as in the source
/// documents), its ASCII alias, the other spellings read as the same word (synonyms), and what it
/// means. Canonical spellings and aliases are offered (completion, messages); synonyms are only
/// accepted.
public struct Word<Value: Sendable>: Sendable {
  public let value: Value
  public let canonical: String
  public let alias: String?
  public let synonyms: [String]
  public let meaningJapanese: String
  public let meaningEnglish: String

  public init(_ value: Value, _ canonical: String, alias: String? = nil, synonyms: [String] = [], japanese: String, english: String) {
    self.value = value
    self.canonical = canonical
    self.alias = alias
    self.synonyms = synonyms
    meaningJapanese = japanese
    meaningEnglish = english
  }

  /// The canonical spelling and the alias: what tools offer.
  public var offered: [String] { [canonical] + (alias.map { [$0] } ?? []) }
  /// Every spelling read as this word.
  public var spellings: [String] { offered + synonyms }
}

/// The words of one kind (the values of 種別, of 区分, …), in their canonical order. Every part of
/// the toolchain reads its spellings here: the value grammars, the configuration reader,
/// completion, hover, the generated documentation and the TextMate grammar.
public struct WordTable<Value: Hashable & Sendable>: Sendable {
  /// What the words are, for messages: `tag`, `区分`, `端数`, `unit`.
  public let name: String
  public let words: [Word<Value>]
  private let bySpelling: [String: Int]
  private let byValue: [Value: Int]
  /// Every spelling as scalars with its value, for the value grammars (no string per comparison).
  public let scalarSpellings: [(scalars: [Unicode.Scalar], value: Value)]
  /// The offered spellings, for suggestions (made once, asked per finding).
  let suggestions: SuggestionIndex

  public init(name: String, _ words: [Word<Value>]) {
    self.name = name
    self.words = words
    var spellings: [String: Int] = [:]
    var values: [Value: Int] = [:]
    for (index, word) in words.enumerated() {
      precondition(values[word.value] == nil, "\(name): `\(word.canonical)` is listed twice")
      values[word.value] = index
      for spelling in word.spellings {
        precondition(spellings[spelling] == nil, "\(name): the spelling `\(spelling)` is listed twice")
        spellings[spelling] = index
      }
    }
    bySpelling = spellings
    byValue = values
    scalarSpellings = words.flatMap { word in word.spellings.map { (Array($0.unicodeScalars), word.value) } }
    suggestions = SuggestionIndex(words.flatMap(\.offered))
  }

  /// The word of `value`.
  public func word(_ value: Value) -> Word<Value> { words[byValue[value]!] }

  /// The value spelled exactly `spelling` (any of its spellings), if any.
  public func value(spelled spelling: String) -> Value? { bySpelling[spelling].map { words[$0].value } }

  /// The word spelled exactly `spelling`, if any.
  public func word(spelled spelling: String) -> Word<Value>? { bySpelling[spelling].map { words[$0] } }

  /// Every spelling of every word, in order.
  public var spellings: [String] { words.flatMap(\.spellings) }

  /// The canonical spellings and aliases, in order: what a suggestion may be.
  public var offered: [String] { words.flatMap(\.offered) }

  /// The canonical spellings as a list for a message: `新規, 拡充, 推進枠 or 再掲`.
  public var choices: String { Vocabulary.list(words.map(\.canonical), conjunction: "or") }

  /// The closest offered spelling to a misspelt `written`, if one is close enough.
  public func suggestion(for written: String) -> String? { suggestions.suggestion(for: written) }
}

/// A word of the value grammar that is not an enumerated value: what `内数`, `事項要求`, `なし`, … are.
public enum ValueWord: Hashable, Sendable, CaseIterable {
  case none, notStated, partOf, pending, fixed, floor, equivalent, approximate
}

/// The vocabulary of the format, one table per kind of word. Keys are in `Catalog`; block
/// keywords are spelled in `YosanSyntax` (`BlockKeywords`) and described by `BlockKind`.
public enum Vocabulary {
  public static let tags = WordTable<Tag>(name: "tag", [
    Word(.new, "新規", alias: "new", japanese: "新規事業（前年度の予算がない）", english: "A new item: it had no budget the previous year"),
    Word(.expanded, "拡充", alias: "expanded", japanese: "拡充（前年度の予算を増やす）", english: "An expanded item: it grows from the previous year's budget"),
    Word(.priority, "推進枠", alias: "priority", japanese: "重要政策推進枠による要望（増額分）", english: "Requested in the priority frame (an increase)"),
    Word(.restated, "再掲", alias: "restated", japanese: "再掲（他で計上済み。合計に加えない）", english: "Restated: counted elsewhere, never added into a sum"),
  ])

  public static let documentKinds = WordTable<DocumentKind>(name: "区分", [
    Word(.request, "概算要求", alias: "budget-request", japanese: "概算要求。金額は要求額", english: "A budget request: amounts are 要求額"),
    Word(.initial, "当初予算", alias: "initial-budget", japanese: "当初予算。金額は予算額", english: "An initial budget: amounts are 予算額"),
    Word(.draft, "予算案", alias: "draft-budget", synonyms: ["当初予算(案)"], japanese: "予算案。金額は予算額", english: "A draft budget: amounts are 予算額"),
    Word(.supplementary, "補正予算", alias: "supplementary-budget", japanese: "補正予算。金額は要求額", english: "A supplementary budget: amounts are 要求額"),
    Word(
      .programList, "事業一覧", alias: "program-list", synonyms: ["状況報告", "status-report"],
      japanese: "事業の一覧・実施状況の報告。事業に金額・担当がなくてもよい",
      english: "A list of programs or a status report: items need no amount and no division"),
  ])

  public static let roundingModes = WordTable<RoundingMode>(name: "端数", [
    Word(.round, "四捨五入", alias: "round", japanese: "四捨五入（既定）", english: "Rounded to the nearest (the default)"),
    Word(.truncate, "切り捨て", alias: "truncate", synonyms: ["切捨て", "切捨"], japanese: "切り捨て（0の方へ）", english: "Truncated toward zero"),
    Word(.ceiling, "切り上げ", alias: "ceiling", synonyms: ["切上げ", "切上"], japanese: "切り上げ（0から遠い方へ）", english: "Rounded away from zero"),
  ])

  /// Units of yen, in the order of their size.
  public static let units = WordTable<YenUnit>(name: "unit", [
    Word(.yen, "円", japanese: "円", english: "yen"),
    Word(.thousand, "千円", japanese: "千円 = 1,000円", english: "thousand yen"),
    Word(.tenThousand, "万円", japanese: "万円 = 10,000円", english: "ten thousand yen"),
    Word(.million, "百万円", japanese: "百万円 = 1,000,000円", english: "million yen"),
    Word(.tenMillion, "千万円", japanese: "千万円 = 10,000,000円", english: "ten million yen"),
    Word(.hundredMillion, "億円", japanese: "億円 = 100,000,000円", english: "hundred million yen"),
    Word(.trillion, "兆円", japanese: "兆円 = 1,000,000,000,000円", english: "trillion yen"),
  ])

  /// The scalars that units are made of (`円千万百億兆`).
  public static let unitLetters: Set<Unicode.Scalar> = Set(units.words.flatMap { $0.canonical.unicodeScalars })

  /// Words of the value grammar.
  public static let valueWords = WordTable<ValueWord>(name: "value word", [
    Word(.none, "なし", alias: "none", japanese: "該当なし（金額がない）", english: "There is no such amount"),
    Word(.notStated, "記載なし", alias: "not-stated", japanese: "原本に金額の記載がない。合計に加えず、検算もしない", english: "The source states no amount: it is never added into a sum, and no sum that needs it is checked"),
    Word(.partOf, "内数", japanese: "他の事業（または総額）の内数。合計には加えない", english: "An unknown share of another item's amount (or of a total); never added into a sum"),
    Word(.pending, "事項要求", japanese: "予算編成過程で検討する要求", english: "An amount settled later in budget compilation; only the amount written before it counts in sums"),
    Word(.fixed, "定額", japanese: "定額補助（率ではない）", english: "A fixed amount, not a rate"),
    Word(.floor, "以上", japanese: "この率以上", english: "At least this rate"),
    Word(.equivalent, "相当", japanese: "定額がこの率に相当する", english: "What a fixed amount amounts to as a rate"),
    Word(.approximate, "約", japanese: "概数。含む合計は検算できない", english: "An approximate figure; a sum that includes it cannot be verified"),
  ])

  /// The dashes that the source documents use for "no amount" (read as なし, flagged by
  /// `dash-none`), with their names.
  public static let dashes: [(scalar: Unicode.Scalar, name: String)] = [
    ("-", "hyphen-minus"), ("ー", "katakana prolonged sound mark"), ("—", "em dash"), ("―", "horizontal bar"), ("‐", "hyphen"),
    ("－", "full-width hyphen-minus"), ("−", "minus sign"),
  ]

  /// True for the dashes of `dashes` (asked of every amount: a scan of seven scalars).
  @inline(__always)
  public static func isDash(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    for dash in dashValues where dash == value { return true }
    return false
  }

  static let dashValues: [UInt32] = dashes.map(\.scalar.value)

  /// True for the scalars units are made of (asked at every amount's unit: a scan of six).
  @inline(__always)
  public static func isUnitLetter(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    for letter in unitLetterValues where letter == value { return true }
    return false
  }

  static let unitLetterValues: [UInt32] = Array(unitLetters).map(\.value)

  /// `a, b or c` (`conjunction` before the last).
  public static func list(_ words: [String], conjunction: String) -> String {
    guard words.count > 1 else { return words.first ?? "" }
    return words.dropLast().joined(separator: ", ") + " \(conjunction) " + words.last!
  }
}
