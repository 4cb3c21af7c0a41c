#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

import YosanSyntax

// The keys of the format and the blocks they go in, each in its Japanese spelling and its ASCII
// alias, with what it means. Parsing, completion, hover, formatting and the generated tables of
// `Spec/language.md` all read this one catalogue; the words of values are in `Vocabulary`.

/// What a block is. Its spellings are `YosanSyntax.BlockKeywords` (the parser knows them too).
public enum BlockKind: String, CaseIterable, Sendable, Hashable {
  case budget, section, item, breakdown, ofWhich

  public var japanese: String { BlockKeywords.table[ordinal].japanese }

  /// The block kind whose keyword is `word` (Japanese or alias), if any.
  public static func spelled(_ word: String) -> BlockKind? { BlockKind(spelling: word) }

  /// How a block of this kind is written, with `keyword` as its keyword: `事業 ID "title" { … }`.
  public func shape(keyword: String) -> String {
    switch self {
    case .item: return "\(keyword) ID \"title\" { … }"
    case .breakdown, .ofWhich: return "\(keyword) \"title\" { label = amount … }"
    case .budget, .section: return "\(keyword) \"title\" { … }"
    }
  }

  public var alias: String { BlockKeywords.table[ordinal].alias }

  public var meaningJapanese: String {
    switch self {
    case .budget: return "文書の見出し（府省・年度・区分）。各ファイルの先頭に一つ。"
    case .section: return "事業のまとまり（分野・柱）。入れ子にでき、合計を持てる。"
    case .item: return "一つの事業。要求額・前年度・補助率などを持ち、子事業を含められる。"
    case .breakdown: return "内訳。行の合計が総額（小計・合計、または要求額）と一致する。"
    case .ofWhich: return "うち書き。行の合計が総額以下であればよい部分的な内訳。"
    }
  }

  public var meaningEnglish: String {
    switch self {
    case .budget: return "The document header (ministry, fiscal year, kind); once per file, first."
    case .section: return "A group of items (a policy area); may nest and may declare a total."
    case .item: return "One budget item: request, previous year, rates, breakdowns; may contain sub-items."
    case .breakdown: return "A full breakdown: its rows add up to its total (小計/合計, or the item's request)."
    case .ofWhich: return "A partial breakdown (\"of which\"): its rows add up to at most the total."
    }
  }

  public init?(spelling: String) {
    guard let kind = BlockKind.allCases.first(where: { $0.japanese == spelling || $0.alias == spelling }) else { return nil }
    self = kind
  }

  /// The kind's position in `allCases` (and in `BlockKeywords.table`).
  var ordinal: Int {
    switch self {
    case .budget: return 0
    case .section: return 1
    case .item: return 2
    case .breakdown: return 3
    case .ofWhich: return 4
    }
  }

  /// Every spelling as UTF-8 with its kind, for comparisons without strings.
  static let spellings: [(kind: BlockKind, bytes: [UInt8])] = allCases.flatMap {
    [($0, Array($0.japanese.utf8)), ($0, Array($0.alias.utf8))]
  }
}

/// The grammar a key's value follows.
public enum ValueKind: String, Sendable, Hashable {
  case text, textList, tags, numberList, amountExpression, supplementary, multiYear, rate, shares
  case perUnitAmount, bookings, fiscalYear, documentKind, rounding, unit, amount

  /// True for values whose characters are numbers and symbols, where full-width forms are a
  /// notation slip (as opposed to free text, where they are ordinary Japanese).
  public var isNumeric: Bool {
    switch self {
    case .text, .textList, .tags, .documentKind, .rounding, .unit, .bookings: return false
    default: return true
    }
  }
}

/// A key of the format.
public enum Key: Int, CaseIterable, Sendable, Hashable {
  // Header
  case ministry, fiscalYear, documentKind, unit, rounding
  // Item
  case tags, division, extensions, request, budgetAmount, previous, supplementary, multiYear, rate, shares
  case implementer, recipient, contractor, eligibleCosts, unitAmount, cap, floor, bookedBy, sharedWith
  case purpose, summary, results, status, note
  // Sections and breakdowns
  case total, subtotal

  public var descriptor: KeyDescriptor { Catalog.keys[rawValue] }
}

/// Where each key of a block was first written: a small table indexed by key, in place of a
/// dictionary (lowering keeps one per block).
public struct KeyRanges: Sendable {
  private var ranges = [TextRange?](repeating: nil, count: Key.allCases.count)

  public init() {}

  public subscript(key: Key) -> TextRange? {
    get { ranges[key.rawValue] }
    set { ranges[key.rawValue] = newValue }
  }
}

/// Everything the tools know about one key. A reference type: descriptors are looked up for
/// every entry of every file, and passing one around should cost one reference, not six strings.
public final class KeyDescriptor: Sendable {
  public let key: Key
  public let japanese: String
  public let alias: String
  public let valueKind: ValueKind
  /// The blocks where the key may appear.
  public let blocks: Set<BlockKind>
  /// `blocks` as bits, by `BlockKind` (the set hashes its strings on every lookup).
  let blockBits: UInt8
  /// May appear more than once in a block.
  public let repeatable: Bool
  public let meaningJapanese: String
  public let meaningEnglish: String
  /// A value to show in completion and documentation.
  public let example: String

  /// True when the key may appear in a block of `kind`.
  public func allowed(in kind: BlockKind) -> Bool { blockBits & 1 << kind.ordinal != 0 }

  init(
    key: Key, japanese: String, alias: String, valueKind: ValueKind, blocks: Set<BlockKind>, repeatable: Bool,
    meaningJapanese: String, meaningEnglish: String, example: String
  ) {
    self.key = key
    self.japanese = japanese
    self.alias = alias
    self.valueKind = valueKind
    self.blocks = blocks
    self.blockBits = BlockKind.allCases.enumerated().reduce(0) { blocks.contains($1.element) ? $0 | 1 << $1.offset : $0 }
    self.repeatable = repeatable
    self.meaningJapanese = meaningJapanese
    self.meaningEnglish = meaningEnglish
    self.example = example
  }
}

public enum Catalog {
  public static let keys: [KeyDescriptor] = [
    .init(key: .ministry, japanese: "府省", alias: "ministry", valueKind: .text, blocks: [.budget], repeatable: false,
          meaningJapanese: "要求・予算を所管する府省", meaningEnglish: "The ministry the document belongs to", example: "厚生労働省"),
    .init(key: .fiscalYear, japanese: "年度", alias: "fiscal-year", valueKind: .fiscalYear, blocks: [.budget], repeatable: false,
          meaningJapanese: "文書の会計年度（必須）", meaningEnglish: "The document's fiscal year (required)", example: "令和7年度"),
    .init(key: .documentKind, japanese: "区分", alias: "kind", valueKind: .documentKind, blocks: [.budget], repeatable: false,
          meaningJapanese: "文書の区分：概算要求・当初予算・予算案・補正予算（必須）",
          meaningEnglish: "What the document is: budget request, initial budget, draft budget or supplementary budget (required)",
          example: "概算要求"),
    .init(key: .unit, japanese: "単位", alias: "unit", valueKind: .unit, blocks: [.budget], repeatable: false,
          meaningJapanese: "単位を書かない金額の単位", meaningEnglish: "The unit of amounts written without one", example: "億円"),
    .init(key: .rounding, japanese: "端数", alias: "rounding", valueKind: .rounding, blocks: [.budget, .breakdown, .ofWhich], repeatable: false,
          meaningJapanese: "表示桁未満の端数処理：四捨五入（既定）・切り捨て・切り上げ",
          meaningEnglish: "How figures were rounded to the digits shown: round (default), truncate or ceiling",
          example: "四捨五入"),
    .init(key: .tags, japanese: "種別", alias: "tags", valueKind: .tags, blocks: [.item], repeatable: false,
          meaningJapanese: "事業の種別：新規・拡充・推進枠・再掲", meaningEnglish: "Item tags: new, expanded, priority frame, restated",
          example: "新規, 推進枠"),
    .init(key: .division, japanese: "担当", alias: "division", valueKind: .textList, blocks: [.item], repeatable: false,
          meaningJapanese: "担当課室（必須。親事業にあれば省略可）",
          meaningEnglish: "The responsible division(s) (required unless the enclosing item has one)", example: "医政局研究開発政策課"),
    .init(key: .extensions, japanese: "内線", alias: "extension", valueKind: .numberList, blocks: [.item], repeatable: false,
          meaningJapanese: "担当課の内線番号", meaningEnglish: "Telephone extension numbers of the division", example: "4165"),
    .init(key: .request, japanese: "要求額", alias: "request", valueKind: .amountExpression, blocks: [.item], repeatable: false,
          meaningJapanese: "要求額（必須）", meaningEnglish: "The amount requested for the fiscal year (required)", example: "7.9億円"),
    .init(key: .budgetAmount, japanese: "予算額", alias: "budget-amount", valueKind: .amountExpression, blocks: [.item], repeatable: false,
          meaningJapanese: "当初予算・予算案の予算額（要求額と同じ欄）",
          meaningEnglish: "The budgeted amount in an initial or draft budget (the same slot as 要求額)", example: "6.7億円"),
    .init(key: .previous, japanese: "前年度", alias: "previous", valueKind: .amountExpression, blocks: [.item], repeatable: false,
          meaningJapanese: "前年度当初予算額。ない場合は なし", meaningEnglish: "The previous year's initial budget, or なし (none)",
          example: "4.4億円"),
    .init(key: .supplementary, japanese: "補正", alias: "supplementary", valueKind: .supplementary, blocks: [.item], repeatable: true,
          meaningJapanese: "過年度の補正予算額（年度と金額。複数可）",
          meaningEnglish: "Supplementary budget money of an earlier year (year and amount; repeatable)", example: "令和5年度 25.0百万円"),
    .init(key: .multiYear, japanese: "国庫債務負担", alias: "multi-year", valueKind: .multiYear, blocks: [.item], repeatable: true,
          meaningJapanese: "国庫債務負担行為の期間（と金額）", meaningEnglish: "A multi-year contract authority: its years (and amount)",
          example: "令和6年度〜令和8年度"),
    .init(key: .rate, japanese: "補助率", alias: "rate", valueKind: .rate, blocks: [.item], repeatable: false,
          meaningJapanese: "国の補助率（1/2、定額、3/4以上、1/3 → 1/2 など）",
          meaningEnglish: "The national subsidy rate (1/2, fixed amount, at least 3/4, 1/3 → 1/2, …)", example: "1/2"),
    .init(key: .shares, japanese: "負担割合", alias: "shares", valueKind: .shares, blocks: [.item], repeatable: false,
          meaningJapanese: "費用の負担割合。合計はちょうど1", meaningEnglish: "Who bears which share of the cost; the shares sum to exactly 1",
          example: "国 1/2, 都道府県 1/4, 市町村 1/4"),
    .init(key: .implementer, japanese: "実施主体", alias: "implementer", valueKind: .textList, blocks: [.item], repeatable: false,
          meaningJapanese: "事業の実施主体", meaningEnglish: "Who carries out the item", example: "都道府県, 市町村"),
    .init(key: .recipient, japanese: "補助先", alias: "recipient", valueKind: .textList, blocks: [.item], repeatable: false,
          meaningJapanese: "補助金の交付先", meaningEnglish: "Who receives the subsidy", example: "国立研究開発法人日本医療研究開発機構"),
    .init(key: .contractor, japanese: "委託先", alias: "contractor", valueKind: .textList, blocks: [.item], repeatable: false,
          meaningJapanese: "委託先", meaningEnglish: "Contractors", example: "民間事業者"),
    .init(key: .eligibleCosts, japanese: "対象経費", alias: "eligible-costs", valueKind: .textList, blocks: [.item], repeatable: false,
          meaningJapanese: "補助の対象となる経費", meaningEnglish: "Costs the subsidy covers", example: "人件費, 旅費"),
    .init(key: .unitAmount, japanese: "補助単価", alias: "unit-amount", valueKind: .perUnitAmount, blocks: [.item], repeatable: false,
          meaningJapanese: "補助単価・基準額（単位当たりの語句を前置できる）",
          meaningEnglish: "The subsidy per unit (optionally preceded by what it is per)", example: "1個所当たり 30,000千円"),
    .init(key: .cap, japanese: "上限額", alias: "cap", valueKind: .perUnitAmount, blocks: [.item], repeatable: false,
          meaningJapanese: "補助の上限額", meaningEnglish: "The upper limit of the subsidy", example: "1施設当たり 210万円"),
    .init(key: .floor, japanese: "下限額", alias: "floor", valueKind: .perUnitAmount, blocks: [.item], repeatable: false,
          meaningJapanese: "補助の下限額", meaningEnglish: "The lower limit of the subsidy", example: "80万円"),
    .init(key: .bookedBy, japanese: "計上", alias: "booked-by", valueKind: .bookings, blocks: [.item], repeatable: false,
          meaningJapanese: "予算を計上する府省（金額の分担を書ける。合計は要求額）",
          meaningEnglish: "Which ministry books the money; a split must add up to the request", example: "デジタル庁 50.7百万円, 厚生労働省 3.6百万円"),
    .init(key: .sharedWith, japanese: "分担", alias: "shared-with", valueKind: .textList, blocks: [.item], repeatable: false,
          meaningJapanese: "同じ要求を金額を分担して行う他の局・府省（分担の内訳は書かれていない）",
          meaningEnglish: "Who else makes the same request, the money shared with them without a stated split", example: "医政局"),
    .init(key: .purpose, japanese: "目的", alias: "purpose", valueKind: .text, blocks: [.item], repeatable: false,
          meaningJapanese: "事業の目的", meaningEnglish: "What the item is for", example: "\"…\""),
    .init(key: .summary, japanese: "概要", alias: "summary", valueKind: .text, blocks: [.item], repeatable: false,
          meaningJapanese: "事業の概要", meaningEnglish: "What the item does", example: "\"…\""),
    .init(key: .results, japanese: "実績", alias: "results", valueKind: .text, blocks: [.item], repeatable: false,
          meaningJapanese: "事業実績", meaningEnglish: "What the item achieved so far", example: "\"…\""),
    .init(key: .status, japanese: "状況", alias: "status", valueKind: .text, blocks: [.item], repeatable: false,
          meaningJapanese: "実施状況・予定（事業一覧・状況報告）", meaningEnglish: "Where the item stands: done, under way, planned (in a program list or status report)",
          example: "\"…\""),
    .init(key: .note, japanese: "備考", alias: "note", valueKind: .text, blocks: [.budget, .section, .item, .breakdown, .ofWhich], repeatable: true,
          meaningJapanese: "備考", meaningEnglish: "A note", example: "\"…\""),
    .init(key: .total, japanese: "合計", alias: "total", valueKind: .amount, blocks: [.section, .breakdown, .ofWhich], repeatable: false,
          meaningJapanese: "合計（分野は事業の、内訳は行の合計）",
          meaningEnglish: "The total (of a section's items, or of a breakdown's rows)", example: "527億円"),
    .init(key: .subtotal, japanese: "小計", alias: "subtotal", valueKind: .amount, blocks: [.breakdown, .ofWhich], repeatable: false,
          meaningJapanese: "小計（内訳の行の合計）", meaningEnglish: "The subtotal of a breakdown's rows", example: "525.9億円"),
  ]

  static let byKey: [Key: KeyDescriptor] = {
    // `Key.descriptor` indexes `keys` by the key's number: they must be in the same order.
    precondition(keys.map(\.key) == Key.allCases, "Catalog.keys must list the keys in the order of `Key`")
    return Dictionary(uniqueKeysWithValues: keys.map { ($0.key, $0) })
  }()
  static let bySpelling: [String: KeyDescriptor] = {
    var map: [String: KeyDescriptor] = [:]
    for d in keys {
      map[d.japanese] = d
      map[d.alias] = d
    }
    return map
  }()

  public static func descriptor(_ key: Key) -> KeyDescriptor { byKey[key]! }

  /// Every spelling's bytes in an open-addressing table indexed by their hash, for lookups
  /// without making (and NFC-hashing) a string: the lowering looks up every key of every entry.
  static let spellingTable: (slots: [Int32], spellings: [([UInt8], KeyDescriptor)]) = {
    var spellings: [([UInt8], KeyDescriptor)] = []
    for descriptor in keys { for spelling in [descriptor.japanese, descriptor.alias] { spellings.append((Array(spelling.utf8), descriptor)) } }
    var slots = [Int32](repeating: -1, count: 256)
    for (index, entry) in spellings.enumerated() {
      var slot = Int(entry.0.withUnsafeBufferPointer(fnv1a) & 255)
      while slots[slot] >= 0 { slot = (slot + 1) & 255 }
      slots[slot] = Int32(index)
    }
    return (slots, spellings)
  }()

  /// The 64-bit FNV-1a hash of some bytes.
  @inline(__always)
  public static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return hash
  }

  /// True when `a` and `b` hold the same bytes.
  @inline(__always)
  static func sameBytes(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBufferPointer { a in
      guard let x = a.baseAddress, let y = b.baseAddress else { return a.count == 0 }
      return memcmp(x, y, a.count) == 0
    }
  }

  /// The key spelled by `bytes` (Japanese or alias), exactly as written.
  public static func key(bytes: UnsafeBufferPointer<UInt8>) -> KeyDescriptor? {
    let table = spellingTable
    var slot = Int(fnv1a(bytes) & 255)
    while true {
      let index = Int(table.slots[slot])
      if index < 0 { return nil }
      if sameBytes(table.spellings[index].0, bytes) { return table.spellings[index].1 }
      slot = (slot + 1) & 255
    }
  }


  /// The key spelled `spelling` (Japanese or alias).
  public static func key(spelled spelling: String) -> KeyDescriptor? { bySpelling[spelling] }

  /// Keys that may appear in `block`.
  public static func keys(in block: BlockKind) -> [KeyDescriptor] { keys.filter { $0.blocks.contains(block) } }

  /// Every spelling of every key and keyword, for suggestions.
  public static var allSpellings: [String] {
    keys.flatMap { [$0.japanese, $0.alias] } + BlockKind.allCases.flatMap { [$0.japanese, $0.alias] }
  }

  /// The closest known spelling to `word` among `candidates`, when it is close enough to be a
  /// likely typo (edit distance at most 1 for short words, 2 for longer ones; see
  /// `SuggestionIndex`). For a question asked once; words asked about again and again are asked
  /// of an index built once, like the ones below.
  public static func suggestion(for word: String, among candidates: [String]) -> String? {
    SuggestionIndex(candidates).suggestion(for: word)
  }

  /// Block keywords in both spellings, for suggestions.
  static let keywordSuggestions = SuggestionIndex(BlockKeywords.spellings)

  /// Every spelling of every key and keyword, for suggestions.
  static let spellingSuggestions = SuggestionIndex(allSpellings)

  /// The spellings of the keys of each kind of block (by `BlockKind.ordinal`), for suggestions.
  static let keySuggestions: [SuggestionIndex] = BlockKind.allCases.map { kind in
    SuggestionIndex(keys(in: kind).flatMap { [$0.japanese, $0.alias] })
  }

  /// The spellings of the keys that may appear in a block of `kind`, for suggestions.
  static func keySuggestions(in kind: BlockKind) -> SuggestionIndex { keySuggestions[kind.ordinal] }
}
