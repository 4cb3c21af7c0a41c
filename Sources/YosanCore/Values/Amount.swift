import YosanSyntax

/// A unit of yen as written in budget documents.
public enum YenUnit: Int, CaseIterable, Sendable, Hashable {
  case yen = 0
  case thousand = 3
  case tenThousand = 4
  case million = 6
  case tenMillion = 7
  case hundredMillion = 8
  case trillion = 12

  /// The power of ten that turns one of this unit into yen.
  public var exponent: Int { rawValue }

  /// The spelling in documents: `億円` (from `Vocabulary.units`).
  public var symbol: String { Vocabulary.units.word(self).canonical }

  public init?(symbol: String) {
    guard let unit = Vocabulary.units.value(spelled: symbol) else { return nil }
    self = unit
  }
}

/// How published figures were rounded to the digits they show (端数処理).
public enum RoundingMode: String, CaseIterable, Sendable, Hashable {
  /// 四捨五入: to the nearest; an exact half could have gone either way.
  case round
  /// 切り捨て: toward zero.
  case truncate
  /// 切り上げ: away from zero.
  case ceiling

  /// The canonical spelling (from `Vocabulary.roundingModes`).
  public var japanese: String { Vocabulary.roundingModes.word(self).canonical }
}

/// A closed, open or half-open interval of exact decimals: the values a rounded figure may stand for.
public struct Interval: Hashable, Sendable, CustomStringConvertible {
  public var lower: ExactDecimal
  public var upper: ExactDecimal
  public var lowerClosed: Bool
  public var upperClosed: Bool

  public init(lower: ExactDecimal, upper: ExactDecimal, lowerClosed: Bool = true, upperClosed: Bool = true) {
    self.lower = lower
    self.upper = upper
    self.lowerClosed = lowerClosed
    self.upperClosed = upperClosed
  }

  public static func exactly(_ value: ExactDecimal) -> Interval { Interval(lower: value, upper: value) }
  public static let zero = Interval.exactly(.zero)

  /// Interval addition: an end is closed only when both addends' ends are. Nil on overflow.
  public func adding(_ other: Interval) -> Interval? {
    guard let lo = lower.adding(other.lower), let hi = upper.adding(other.upper) else { return nil }
    return Interval(lower: lo, upper: hi, lowerClosed: lowerClosed && other.lowerClosed, upperClosed: upperClosed && other.upperClosed)
  }

  /// True when the two intervals share at least one value.
  public func overlaps(_ other: Interval) -> Bool {
    // The larger lower bound and its closedness.
    let (lo, loClosed): (ExactDecimal, Bool) =
      lower == other.lower ? (lower, lowerClosed && other.lowerClosed) : (lower > other.lower ? (lower, lowerClosed) : (other.lower, other.lowerClosed))
    let (hi, hiClosed): (ExactDecimal, Bool) =
      upper == other.upper ? (upper, upperClosed && other.upperClosed) : (upper < other.upper ? (upper, upperClosed) : (other.upper, other.upperClosed))
    if lo < hi { return true }
    if lo == hi { return loClosed && hiClosed }
    return false
  }

  /// True when some value of `self` is at most some value of `other` (lower ≤ upper).
  public func canBeAtMost(_ other: Interval) -> Bool {
    if lower < other.upper { return true }
    if lower == other.upper { return lowerClosed && other.upperClosed }
    return false
  }

  public var description: String {
    "\(lowerClosed ? "[" : "(")\(lower), \(upper)\(upperClosed ? "]" : ")")"
  }
}

/// A money amount as written: its exact value in yen, its unit and the precision it shows.
public struct Amount: Hashable, Sendable {
  /// The exact value in yen.
  public var yen: ExactDecimal
  /// The unit it was written in.
  public var unit: YenUnit
  /// Digits written after the decimal point (`25.0百万円` has 1). Trailing zeros count.
  public var fractionDigits: Int
  /// Written with `約` (about): an approximation that no sum can verify.
  public var isApproximate: Bool
  /// Where the amount is written (from `約` or the sign to the end of the unit).
  public var range: TextRange
  /// The number part only.
  public var numberRange: TextRange
  /// The unit part only (empty when the unit came from the document's `単位`).
  public var unitRange: TextRange
  /// Whitespace between number and unit, when there is any (a notation finding).
  public var gapRange: TextRange?
  /// Where the kanji `一` was read as the digit 1 (`一億円`).
  public var kanjiOneRange: TextRange?

  public init(
    yen: ExactDecimal, unit: YenUnit, fractionDigits: Int, isApproximate: Bool = false, range: TextRange,
    numberRange: TextRange? = nil, unitRange: TextRange? = nil, gapRange: TextRange? = nil, kanjiOneRange: TextRange? = nil
  ) {
    self.yen = yen
    self.unit = unit
    self.fractionDigits = fractionDigits
    self.isApproximate = isApproximate
    self.range = range
    self.numberRange = numberRange ?? range
    self.unitRange = unitRange ?? TextRange.empty(at: range.end)
    self.gapRange = gapRange
    self.kanjiOneRange = kanjiOneRange
  }

  /// The unit of the last place shown, in yen: `U × 10^-k`.
  public var unitOfLastPlace: ExactDecimal { ExactDecimal(significand: 1, exponent: unit.exponent - fractionDigits) }

  /// The values this figure may stand for under `mode` (format.md, "Sums, with rounding").
  public func interval(_ mode: RoundingMode) -> Interval {
    Amount.interval(of: yen, unitOfLastPlace: unitOfLastPlace, mode: mode)
  }

  public static func interval(of v: ExactDecimal, unitOfLastPlace u: ExactDecimal, mode: RoundingMode) -> Interval {
    switch mode {
    case .round:
      let half = ExactDecimal(significand: 5, exponent: u.exponent - 1)
      return Interval(lower: v.subtracting(half) ?? v, upper: v.adding(half) ?? v)
    case .truncate:
      if v.isZero { return Interval(lower: u.negated(), upper: u, lowerClosed: false, upperClosed: false) }
      if v.isNegative { return Interval(lower: v.subtracting(u) ?? v, upper: v, lowerClosed: false, upperClosed: true) }
      return Interval(lower: v, upper: v.adding(u) ?? v, lowerClosed: true, upperClosed: false)
    case .ceiling:
      if v.isZero { return Interval.exactly(.zero) }
      if v.isNegative { return Interval(lower: v, upper: v.adding(u) ?? v, lowerClosed: true, upperClosed: false) }
      return Interval(lower: v.subtracting(u) ?? v, upper: v, lowerClosed: false, upperClosed: true)
    }
  }

  /// The value in `unit`, as the document would write it: `527億円`, `25.0百万円`.
  public var written: String { Amount.format(yen, in: unit, fractionDigits: fractionDigits) }

  /// `value` expressed in `unit` with at least `fractionDigits` decimals and thousands grouping.
  public static func format(_ value: ExactDecimal, in unit: YenUnit, fractionDigits: Int = 0) -> String {
    let scaled = ExactDecimal(significand: value.significand, exponent: value.exponent - unit.exponent)
    return scaled.formatted(grouping: true, minimumFractionDigits: fractionDigits) + unit.symbol
  }
}
