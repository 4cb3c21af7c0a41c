import Testing
import YosanGenerator
import YosanTestSupport
@testable import YosanCore

struct NumberTests {
  @Test func decimalArithmeticIsExact() {
    let a = ExactDecimal("0.1")!
    let b = ExactDecimal("0.2")!
    #expect(a.adding(b) == ExactDecimal("0.3")!)
    #expect(ExactDecimal("525.9")!.adding(ExactDecimal("1.2")!) == ExactDecimal("527.1")!)
  }

  @Test func overflowIsNilNotATrap() {
    let big = ExactDecimal(significand: Int128.max, exponent: 0)
    #expect(big.adding(big) == nil)
    #expect(big.rescaled(to: -1) == nil)
  }

  @Test func comparisonAcrossExponents() {
    #expect(ExactDecimal("1.5")! < ExactDecimal(2))
    #expect(ExactDecimal(significand: 15, exponent: 7) > ExactDecimal(significand: 149_999_999, exponent: 0))
    #expect(ExactDecimal(significand: -1, exponent: 30) < ExactDecimal(significand: 1, exponent: -30))
  }

  @Test func formatting() {
    #expect(ExactDecimal("1234567.5")!.formatted(grouping: true) == "1,234,567.5")
    #expect(ExactDecimal(significand: 79, exponent: -1).formatted(grouping: false, minimumFractionDigits: 2) == "7.90")
    #expect(ExactDecimal(significand: -5, exponent: -3).description == "-0.005")
    #expect(ExactDecimal(significand: Int128.min, exponent: -2).formatted(grouping: true) == "-1,701,411,834,604,692,317,316,873,037,158,841,057.28")
    #expect(ExactDecimal(significand: 0, exponent: 5).formatted(grouping: true, minimumFractionDigits: 1) == "0.0")
  }

  /// Formatting as strings do it, digit by digit: the definition the byte-built one must match.
  static func formattedAsStrings(_ value: ExactDecimal, grouping: Bool, minimumFractionDigits: Int) -> String {
    var digits = String(value.significand.magnitude)
    var fraction = ""
    if value.exponent >= 0 {
      if value.significand != 0 { digits += String(repeating: "0", count: value.exponent) }
    } else {
      let places = -value.exponent
      if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
      fraction = String(digits.suffix(places))
      digits = String(digits.dropLast(places))
      while fraction.count > minimumFractionDigits, fraction.last == "0" { fraction.removeLast() }
    }
    while fraction.count < minimumFractionDigits { fraction += "0" }
    if grouping { digits = TestText.groupedByThrees(digits) }
    return (value.significand < 0 ? "-" : "") + digits + (fraction.isEmpty ? "" : "." + fraction)
  }

  @Test func formattingAnswersAsStringsDo() {
    var random = SplitMix64(seed: 3)
    for _ in 0..<20_000 {
      // Significands of every length, with zeros at the end now and then, and small exponents.
      var significand = Int128(random.below(10))
      for _ in 0..<random.below(39) { significand = significand &* 10 &+ Int128(random.below(3) == 0 ? 0 : random.below(10)) }
      if random.below(2) == 0 { significand = 0 &- significand }
      let value = ExactDecimal(significand: significand, exponent: random.below(13) - 8)
      let grouping = random.below(2) == 0
      let minimum = random.below(4)
      #expect(value.formatted(grouping: grouping, minimumFractionDigits: minimum) == Self.formattedAsStrings(value, grouping: grouping, minimumFractionDigits: minimum))
    }
  }

  @Test func rationalsReduceAndCompare() {
    #expect(Rational(2, 4) == Rational(1, 2))
    #expect(Rational(1, -2) == Rational(-1, 2))
    #expect(Rational(1, 0) == nil)
    #expect(Rational(1, 3)!.adding(Rational(1, 3)!)!.adding(Rational(1, 3)!) == Rational.one)
    #expect(Rational(2, 3)! < Rational(3, 4)!)
    let huge = Rational(Int128.max - 1, Int128.max)!
    let other = Rational(Int128.max - 2, Int128.max - 1)!
    #expect(other < huge)
    #expect(Rational(1, 3)!.percentString() == "33.33%")
  }
}
