/// An exact fraction in lowest terms with a positive denominator. Rates and shares are rationals.
public struct Rational: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let numerator: Int128
  public let denominator: Int128

  /// Nil when `denominator` is zero.
  public init?(_ numerator: Int128, _ denominator: Int128) {
    guard denominator != 0 else { return nil }
    var n = numerator
    var d = denominator
    if d < 0 {
      n = -n
      d = -d
    }
    let g = Rational.gcd(n.magnitude, d.magnitude)
    self.numerator = n / Int128(g)
    self.denominator = d / Int128(g)
  }

  public static let zero = Rational(0, 1)!
  public static let one = Rational(1, 1)!

  /// The value of an exact decimal as a fraction, or nil if it does not fit.
  public init?(_ decimal: ExactDecimal) {
    if decimal.exponent >= 0 {
      guard let scaled = decimal.rescaled(to: 0) else { return nil }
      self.init(scaled.significand, 1)
    } else {
      guard let denominator = ExactDecimal.powerOfTen(-decimal.exponent) else { return nil }
      self.init(decimal.significand, denominator)
    }
  }

  static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
    var a = a
    var b = b
    while b != 0 { (a, b) = (b, a % b) }
    return a == 0 ? 1 : a
  }

  public func adding(_ other: Rational) -> Rational? {
    let g = Int128(Rational.gcd(denominator.magnitude, other.denominator.magnitude))
    let (l, o1) = (denominator / g).multipliedReportingOverflow(by: other.denominator)
    let (a, o2) = numerator.multipliedReportingOverflow(by: other.denominator / g)
    let (b, o3) = other.numerator.multipliedReportingOverflow(by: denominator / g)
    let (s, o4) = a.addingReportingOverflow(b)
    if o1 || o2 || o3 || o4 { return nil }
    return Rational(s, l)
  }

  public func subtracting(_ other: Rational) -> Rational? { adding(Rational(-other.numerator, other.denominator)!) }

  public func multiplied(by other: Rational) -> Rational? {
    let (n, o1) = numerator.multipliedReportingOverflow(by: other.numerator)
    let (d, o2) = denominator.multipliedReportingOverflow(by: other.denominator)
    if o1 || o2 { return nil }
    return Rational(n, d)
  }

  public static func < (lhs: Rational, rhs: Rational) -> Bool {
    Rational.compare(lhs.numerator, lhs.denominator, rhs.numerator, rhs.denominator) < 0
  }

  /// Compares a/b with c/d (b, d > 0) without overflow, by continued fractions.
  static func compare(_ a: Int128, _ b: Int128, _ c: Int128, _ d: Int128) -> Int {
    var (a, b, c, d) = (a, b, c, d)
    var sign = 1
    while true {
      // Floor division for possibly negative numerators.
      var q1 = a / b
      if a % b != 0 && a < 0 { q1 -= 1 }
      var q2 = c / d
      if c % d != 0 && c < 0 { q2 -= 1 }
      if q1 != q2 { return q1 < q2 ? -sign : sign }
      let r1 = a - q1 * b
      let r2 = c - q2 * d
      if r1 == 0 || r2 == 0 {
        if r1 == r2 { return 0 }
        return r1 == 0 ? -sign : sign
      }
      // a/b = q + r1/b; compare r1/b with r2/d, i.e. d/r2 with b/r1 (order reverses).
      (a, b, c, d) = (b, r1, d, r2)
      sign = -sign
    }
  }

  public var isPositive: Bool { numerator > 0 }

  /// `1/2`, or `3` for whole numbers.
  public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

  /// The value as a percentage with up to `digits` decimals (at most 30), rounded half up
  /// (away from zero): `33.33%`. Exact for every value, however large its terms: the quotient is
  /// taken in 256-bit arithmetic, so there is no overflow to hide behind a placeholder.
  public func percentString(digits: Int = 2) -> String {
    let digits = Swift.max(0, Swift.min(digits, 30))
    // value × 100 × 10^digits = whole × scale + fraction, with whole = ⌊|n| / d⌋.
    let scale = UInt128(10).power(digits + 2)
    let d = denominator.magnitude
    var whole = numerator.magnitude / d
    let remainder = numerator.magnitude % d
    // remainder < d, so remainder × scale / d < scale fits, and the high half is below d.
    let (high, low) = remainder.multipliedFullWidth(by: scale)
    var (fraction, rest) = d.dividingFullWidth((high, low))
    // Round half up: rest / d ≥ 1/2 (compared without doubling rest, which may not fit).
    if rest >= d - rest {
      fraction += 1
      if fraction == scale {
        fraction = 0
        whole += 1
      }
    }
    // The percentage is whole × 100 + fraction / 10^digits: its integer part, then its decimals.
    let unit = UInt128(10).power(digits)
    let hundredths = String(fraction / unit)
    let integer = whole == 0 ? hundredths : String(whole) + String(repeating: "0", count: 2 - hundredths.count) + hundredths
    let decimalsText = digits == 0 ? "" : String(fraction % unit)
    var decimals = String(repeating: "0", count: digits - decimalsText.count) + decimalsText
    while decimals.hasSuffix("0") { decimals.removeLast() }
    let magnitude = decimals.isEmpty ? integer : integer + "." + decimals
    let isZero = whole == 0 && fraction == 0
    return (numerator < 0 && !isZero ? "-" : "") + magnitude + "%"
  }
}

extension UInt128 {
  /// `self` to the power `exponent` (no overflow check: callers keep it small).
  func power(_ exponent: Int) -> UInt128 {
    var result: UInt128 = 1
    for _ in 0..<exponent { result *= self }
    return result
  }
}
