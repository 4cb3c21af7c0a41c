import YosanSyntax

/// Why a value could not be read, and where: a typed problem that says what was written and what
/// is wrong, never finished text. Each family of problems belongs to the rule that reports it
/// (`kind`), and is declared with its messages in that rule's file: `AmountProblem` in
/// `MalformedAmountRule.swift`, `UnitProblem` in `UnknownUnitRule.swift`, and so on.
public struct ValueError: Error, Hashable, Sendable {
  public enum Kind: String, Sendable, Hashable {
    case amount, unit, year, rate, share, value
    /// The kanji `一` alone where an amount or なし belongs (reported by the notation rule).
    case kanjiOne
  }

  public enum Problem: Hashable, Sendable {
    case amount(AmountProblem)
    case unit(UnitProblem)
    case year(YearProblem)
    case rate(RateProblem)
    case share(ShareProblem)
    case value(OtherValueProblem)
    /// The kanji `一` alone where an amount or なし belongs (`KanjiOneRule`).
    case kanjiOne
  }

  public var problem: Problem
  public var range: TextRange

  public init(_ problem: Problem, _ range: TextRange) {
    self.problem = problem
    self.range = range
  }

  /// Which rule reports the problem.
  public var kind: Kind {
    switch problem {
    case .amount: return .amount
    case .unit: return .unit
    case .year: return .year
    case .rate: return .rate
    case .share: return .share
    case .value: return .value
    case .kanjiOne: return .kanjiOne
    }
  }

  /// What is wrong and how to write it instead (without the key), in the words of the problem's rule.
  public var message: String {
    switch problem {
    case .amount(let problem): return problem.message
    case .unit(let problem): return problem.message
    case .year(let problem): return problem.message
    case .rate(let problem): return problem.message
    case .share(let problem): return problem.message
    case .value(let problem): return problem.message
    case .kanjiOne: return KanjiOneRule.bareKanjiOneProblem
    }
  }
}

/// How "no amount" was written.
public struct NoneMarker: Hashable, Sendable {
  public enum Spelling: Hashable, Sendable {
    /// `なし` or `none`: the canonical spellings.
    case word
    /// A dash seen in the documents (`-`, `ー`, `－`, `—`), possibly followed by a unit (`-億円`).
    case dash(String)
  }
  public var spelling: Spelling
  public var range: TextRange
}

/// `内数(ID)` or `内数(7.0億円)`: an unknown share of a larger total.
///
/// What is inside is decided by what resolves: a text that is an id and also reads as an amount
/// (`内数(97億円)`: `億` and `円` are letters) has both, and is the item's share when some file
/// defines that id, else the amount's (`UnknownReferenceRule`, `isAlsoAnAmount`).
public struct PartOf: Hashable, Sendable {
  /// The item whose amount this is part of.
  public var reference: Reference?
  /// The total, when it is not an item.
  public var total: Amount?
  public var range: TextRange
}

/// A reference to an item by id.
public struct Reference: Hashable, Sendable {
  public var id: String
  public var range: TextRange
  /// The text also reads as an amount (`内数(97億円)`): when no item has this id, it is that
  /// amount, not an unknown reference.
  public var isAlsoAnAmount = false

  public init(id: String, range: TextRange, isAlsoAnAmount: Bool = false) {
    self.id = id
    self.range = range
    self.isAlsoAnAmount = isAlsoAnAmount
  }

  /// The same reference `delta` bytes further on.
  public func shifted(by delta: Int) -> Reference { Reference(id: id, range: range.shifted(by: delta), isAlsoAnAmount: isAlsoAnAmount) }
}

/// `事項要求`: a request whose amount is settled during budget compilation.
public struct PendingRequest: Hashable, Sendable {
  /// The amount requested so far (`12億円 + 事項要求`), if any.
  public var amount: Amount?
  /// The reason in parentheses (`国土強靭化分`).
  public var reason: String?
  public var range: TextRange
}

/// The value of 要求額 / 予算額 / 前年度.
public enum AmountExpression: Hashable, Sendable {
  case amount(Amount)
  case none(NoneMarker)
  case partOf(PartOf)
  case pending(PendingRequest)
  /// `記載なし` (`not-stated`): the source states no amount. It counts in no sum, and a sum that
  /// needs it cannot be checked.
  case notStated(TextRange)

  public var range: TextRange {
    switch self {
    case .amount(let a): return a.range
    case .none(let n): return n.range
    case .partOf(let p): return p.range
    case .pending(let p): return p.range
    case .notStated(let range): return range
    }
  }

  /// The amount that counts in sums: a concrete amount, or the amount part of a pending request.
  public var countedAmount: Amount? {
    switch self {
    case .amount(let a): return a
    case .pending(let p): return p.amount
    default: return nil
    }
  }

  public var isNone: Bool {
    if case .none = self { return true }
    return false
  }

  public var isNotStated: Bool {
    if case .notStated = self { return true }
    return false
  }
}

/// A fiscal year (年度), in any of its spellings.
public struct FiscalYear: Hashable, Sendable, CustomStringConvertible {
  public enum Era: String, Hashable, Sendable {
    case reiwa = "令和"
    case heisei = "平成"
    case western = ""
  }
  public var era: Era
  /// The year within the era (for western years, the year itself).
  public var eraYear: Int
  public var range: TextRange

  public init(era: Era, eraYear: Int, range: TextRange) {
    self.era = era
    self.eraYear = eraYear
    self.range = range
  }

  /// The western year in which the fiscal year starts.
  public var western: Int {
    switch era {
    case .reiwa: return 2018 + eraYear
    case .heisei: return 1988 + eraYear
    case .western: return eraYear
    }
  }

  /// The last 令和 year taken for real: a larger one is a typo or a western year (令和2025年度).
  public static let lastPlausibleReiwaYear = 99

  /// True when the era year exists (令和 1 to 99, 平成 1 to 31).
  public var exists: Bool {
    switch era {
    case .reiwa: return eraYear >= 1 && eraYear <= FiscalYear.lastPlausibleReiwaYear
    case .heisei: return eraYear >= 1 && eraYear <= 31
    case .western: return eraYear >= 1
    }
  }

  /// `令和7年度` for every year from 2019, `平成30年度` before.
  public static func canonicalName(western: Int) -> String {
    if western >= 2019 { return western == 2019 ? "令和元年度" : "令和\(western - 2018)年度" }
    if western >= 1989 { return western == 1989 ? "平成元年度" : "平成\(western - 1988)年度" }
    return "\(western)年度"
  }

  public var description: String { FiscalYear.canonicalName(western: western) }
}

/// A fraction as written: `1/2`, `38.5/100`, `50%`, `2分の1`. The denominator may be zero (a
/// defect that a rule reports), so the exact value is optional.
public struct Fraction: Hashable, Sendable {
  public var numerator: ExactDecimal
  public var denominator: ExactDecimal
  public var isPercent: Bool
  public var range: TextRange
  /// Written the Japanese way, denominator first: `2分の1` is 1/2.
  public var isJapanese = false

  /// The exact value, or nil for a zero denominator or numbers beyond the exact range.
  public var value: Rational? {
    guard let n = Rational(numerator), let d = Rational(denominator), d.numerator != 0 else { return nil }
    return n.multiplied(by: Rational(d.denominator, d.numerator)!)
  }

  public var written: String {
    if isPercent { return "\(numerator)%" }
    return isJapanese ? "\(denominator)分の\(numerator)" : "\(numerator)/\(denominator)"
  }
}

/// A subsidy rate (補助率).
public indirect enum Rate: Hashable, Sendable {
  /// `1/2`, `10/10`, `50%`.
  case fraction(Fraction)
  /// `定額` (a fixed amount), optionally with what it amounts to: `定額(10/10相当)`, `1/2相当定額`.
  case fixed(equivalent: Fraction?, range: TextRange)
  /// `3/4以上`: at least this fraction.
  case floor(Fraction)
  /// `1/3(令和6年度) → 1/2`: a change over time; each step may name the year it applied to.
  case transition([RateStep])

  public var range: TextRange {
    switch self {
    case .fraction(let f): return f.range
    case .fixed(_, let r): return r
    case .floor(let f): return f.range
    case .transition(let steps): return steps.first!.range.union(steps.last!.range)
    }
  }

  /// Every fraction the rate mentions, for range checks.
  public var fractions: [Fraction] {
    switch self {
    case .fraction(let f): return [f]
    case .fixed(let f, _): return f.map { [$0] } ?? []
    case .floor(let f): return [f]
    case .transition(let steps): return steps.flatMap { $0.rate.fractions }
    }
  }
}

/// One side of a rate transition.
public struct RateStep: Hashable, Sendable {
  public var rate: Rate
  public var year: FiscalYear?
  public var range: TextRange
}

/// One party's share of a cost (負担割合).
public struct Share: Hashable, Sendable {
  public var party: String
  public var partyRange: TextRange
  public var fraction: Fraction
  public var range: TextRange
}

/// `補正 = 令和5年度 25.0百万円`, or `令和4年度第2次 3.0億円`.
public struct Supplementary: Hashable, Sendable {
  public var year: FiscalYear
  /// The supplementary budget's number within the year (第2次), if written.
  public var ordinal: Int?
  public var amount: Amount
  public var range: TextRange
}

/// `国庫債務負担 = 令和6年度〜令和8年度 [amount]`.
public struct MultiYear: Hashable, Sendable {
  public var from: FiscalYear
  public var to: FiscalYear
  public var amount: Amount?
  public var range: TextRange
}

/// An amount optionally preceded by what it is per: `1個所当たり 30,000千円`, or by what it is
/// multiplied by: `最大使用病床数 × 133千円`; optionally followed by a condition in parentheses:
/// the least count it is multiplied by (`（20床未満は20床）`), or another amount under a
/// condition (`（一定の要件を満たした団体は1,000万円）`).
public struct PerUnitAmount: Hashable, Sendable {
  /// What the amount is per, or what it is multiplied by (`multiplies`).
  public var per: String?
  public var amount: Amount
  public var range: TextRange
  /// Written `BASIS × AMOUNT`: the amount times the count of `per`.
  public var multiplies = false
  /// The least count of `per` counted, as written (`20床`): `（20床未満は20床）`.
  public var minimumCount: TextValue?
  /// Another amount that holds under a condition: `（一定の要件を満たした団体は1,000万円）`.
  public var alternative: ConditionalAmount?

  public init(per: String?, amount: Amount, range: TextRange) {
    self.per = per
    self.amount = amount
    self.range = range
  }
}

/// An amount that holds under a condition: `一定の要件を満たした団体は1,000万円`.
public struct ConditionalAmount: Hashable, Sendable {
  public var condition: TextValue
  public var amount: Amount
}

/// One entry of `計上`: who books the money, and how much when the request is split.
public struct Booking: Hashable, Sendable {
  public var name: String
  public var nameRange: TextRange
  public var amount: Amount?
  public var range: TextRange
}

/// A piece of text with where it was written.
public struct TextValue: Hashable, Sendable {
  public var text: String
  public var range: TextRange

  public init(_ text: String, _ range: TextRange) {
    self.text = text
    self.range = range
  }
}

/// An item tag (種別); its spellings and meanings are in `Vocabulary.tags`.
public enum Tag: String, CaseIterable, Hashable, Sendable {
  case new = "新規"
  case expanded = "拡充"
  case priority = "推進枠"
  case restated = "再掲"

  public var alias: String { Vocabulary.tags.word(self).alias! }

  public init?(spelling: String) {
    guard let tag = Vocabulary.tags.value(spelled: spelling) else { return nil }
    self = tag
  }
}

/// What a document is (区分); its spellings and meanings are in `Vocabulary.documentKinds`.
public enum DocumentKind: String, CaseIterable, Hashable, Sendable {
  case request = "概算要求"
  case initial = "当初予算"
  case draft = "予算案"
  case supplementary = "補正予算"
  /// A list of programs or a status report: items need neither an amount nor a division.
  case programList = "事業一覧"

  public var alias: String { Vocabulary.documentKinds.word(self).alias! }

  public init?(spelling: String) {
    guard let kind = Vocabulary.documentKinds.value(spelled: spelling) else { return nil }
    self = kind
  }

  /// The key that holds an item's amount in this kind of document.
  public var usesBudgetAmount: Bool { self == .initial || self == .draft }

  /// Whether an item must state its amount and its division (not in a program list).
  public var requiresAmounts: Bool { self != .programList }

  /// The key an item's amount is written under, when the kind decides it (a program list takes
  /// either).
  public var amountKey: Key? {
    switch self {
    case .initial, .draft: return .budgetAmount
    case .request, .supplementary: return .request
    case .programList: return nil
    }
  }
}
