/// An exact decimal number: `significand × 10^exponent`, with a 128-bit significand.
///
/// Money is never binary floating point. Arithmetic that would overflow returns nil, so callers
/// report "beyond the exact range" instead of trapping.
public struct ExactDecimal: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var significand: Int128
  public var exponent: Int

  @inlinable
  public init(significand: Int128, exponent: Int = 0) {
    self.significand = significand
    self.exponent = exponent
  }

  public init(_ integer: Int) { self.init(significand: Int128(integer), exponent: 0) }

  public static let zero = ExactDecimal(significand: 0)

  public var isZero: Bool { significand == 0 }
  public var isNegative: Bool { significand < 0 }

  /// 10^n as Int128, or nil when it does not fit.
  @inlinable
  static func powerOfTen(_ n: Int) -> Int128? {
    n >= 0 && n <= 38 ? powersOfTen[n] : nil
  }

  /// 10^0 … 10^38.
  @usableFromInline
  static let powersOfTen: [Int128] = {
    var result: [Int128] = [1]
    for _ in 0..<38 { result.append(result.last! * 10) }
    return result
  }()

  /// The same value with a smaller (or equal) exponent, or nil on overflow.
  public func rescaled(to newExponent: Int) -> ExactDecimal? {
    if newExponent == exponent { return self }
    if newExponent > exponent {
      // Only exact when the dropped digits are zero.
      guard let divisor = ExactDecimal.powerOfTen(newExponent - exponent) else { return significand == 0 ? ExactDecimal(significand: 0, exponent: newExponent) : nil }
      guard significand % divisor == 0 else { return nil }
      return ExactDecimal(significand: significand / divisor, exponent: newExponent)
    }
    guard let factor = ExactDecimal.powerOfTen(exponent - newExponent) else { return significand == 0 ? ExactDecimal(significand: 0, exponent: newExponent) : nil }
    let (product, overflow) = significand.multipliedReportingOverflow(by: factor)
    return overflow ? nil : ExactDecimal(significand: product, exponent: newExponent)
  }

  /// The sum, or nil on overflow. Its exponent is the smaller of the two (equality and hashing
  /// do not depend on it; `normalized()` gives the canonical form).
  public func adding(_ other: ExactDecimal) -> ExactDecimal? {
    let e = Swift.min(exponent, other.exponent)
    guard let a = rescaled(to: e), let b = other.rescaled(to: e) else { return nil }
    let (sum, overflow) = a.significand.addingReportingOverflow(b.significand)
    return overflow ? nil : ExactDecimal(significand: sum, exponent: e)
  }

  public func subtracting(_ other: ExactDecimal) -> ExactDecimal? { adding(other.negated()) }

  public func negated() -> ExactDecimal { ExactDecimal(significand: -significand, exponent: exponent) }

  /// The product with an integer, or nil on overflow.
  public func multiplied(by factor: Int128) -> ExactDecimal? {
    let (product, overflow) = significand.multipliedReportingOverflow(by: factor)
    return overflow ? nil : ExactDecimal(significand: product, exponent: exponent)
  }

  /// Trailing zeros moved into the exponent (a canonical form for equal values).
  public func normalized() -> ExactDecimal {
    if significand == 0 { return ExactDecimal(significand: 0, exponent: 0) }
    var s = significand
    var e = exponent
    while s % 10 == 0 {
      s /= 10
      e += 1
    }
    return ExactDecimal(significand: s, exponent: e)
  }

  public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
    let a = lhs.normalized()
    let b = rhs.normalized()
    return a.significand == b.significand && a.exponent == b.exponent
  }

  public func hash(into hasher: inout Hasher) {
    let n = normalized()
    hasher.combine(n.significand)
    hasher.combine(n.exponent)
  }

  public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
    if lhs.significand.signum() != rhs.significand.signum() { return lhs.significand.signum() < rhs.significand.signum() }
    let e = Swift.min(lhs.exponent, rhs.exponent)
    if let a = lhs.rescaled(to: e), let b = rhs.rescaled(to: e) { return a.significand < b.significand }
    // One side is too large to rescale: compare by magnitude (number of digits), then sign.
    let magnitudeL = lhs.normalized().digitCount + lhs.normalized().exponent
    let magnitudeR = rhs.normalized().digitCount + rhs.normalized().exponent
    return lhs.significand >= 0 ? magnitudeL < magnitudeR : magnitudeL > magnitudeR
  }

  var digitCount: Int {
    var n = significand.magnitude
    var count = 1
    while n >= 10 {
      n /= 10
      count += 1
    }
    return count
  }

  /// Plain decimal notation, no grouping: `-1234.5`.
  public var description: String { formatted(grouping: false) }

  /// Decimal notation with at least `minimumFractionDigits` digits after the point.
  /// Built in one buffer of ASCII bytes (a report of 10,000 items formats some 100,000 figures).
  public func formatted(grouping: Bool, minimumFractionDigits: Int = 0) -> String {
    let zero = UInt8(ascii: "0")
    var digits = Array(String(significand.magnitude).utf8)
    // The digits before the point are digits[..<point], the ones after digits[point..<end].
    var point = digits.count
    var end = digits.count
    if exponent >= 0 {
      if significand != 0 {
        digits.append(contentsOf: repeatElement(zero, count: exponent))
        point = digits.count
        end = point
      }
    } else {
      let places = -exponent
      if digits.count <= places { digits.insert(contentsOf: repeatElement(zero, count: places - digits.count + 1), at: 0) }
      end = digits.count
      point = end - places
      while end - point > minimumFractionDigits, digits[end - 1] == zero { end -= 1 }
    }
    let padding = Swift.max(0, minimumFractionDigits - (end - point))
    var out: [UInt8] = []
    out.reserveCapacity(end + point / 3 + padding + 2)
    if significand < 0 { out.append(UInt8(ascii: "-")) }
    for i in 0..<point {
      if grouping, i > 0, (point - i) % 3 == 0 { out.append(UInt8(ascii: ",")) }
      out.append(digits[i])
    }
    if end > point || padding > 0 {
      out.append(UInt8(ascii: "."))
      out.append(contentsOf: digits[point..<end])
      out.append(contentsOf: repeatElement(zero, count: padding))
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Parses plain ASCII decimal text such as `-1234.50` (its UTF-8 bytes: anything but ASCII
  /// digits, one point and a leading `-` is not a number).
  public init?(_ text: String) {
    var negative = false
    var s: Int128 = 0
    var places = 0
    var sawPoint = false
    var sawDigit = false
    var utf8 = Substring(text).utf8[...]
    if utf8.first == UInt8(ascii: "-") {
      negative = true
      utf8 = utf8.dropFirst()
    }
    for c in utf8 {
      if c == UInt8(ascii: ".") {
        if sawPoint { return nil }
        sawPoint = true
        continue
      }
      guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
      let (m, o1) = s.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(Int128(c - UInt8(ascii: "0")))
      if o1 || o2 { return nil }
      s = a
      sawDigit = true
      if sawPoint { places += 1 }
    }
    guard sawDigit else { return nil }
    self.init(significand: negative ? -s : s, exponent: -places)
  }
}
