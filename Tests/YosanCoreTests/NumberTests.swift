import Testing
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
    #expect(ExactDecimal(significand: -1_234_500, exponent: -2).formatted(grouping: true) == "-12,345")
    #expect(ExactDecimal(significand: 12, exponent: 5).formatted(grouping: true) == "1,200,000")
    #expect(ExactDecimal(significand: 0, exponent: 5).formatted(grouping: true) == "0")
    #expect(ExactDecimal(significand: 0, exponent: -3).formatted(grouping: true, minimumFractionDigits: 1) == "0.0")
    #expect(ExactDecimal(significand: 100, exponent: -4).formatted(grouping: true, minimumFractionDigits: 3) == "0.010")
    #expect(ExactDecimal(significand: 123, exponent: 0).formatted(grouping: true) == "123")
    #expect(ExactDecimal(significand: 1234, exponent: 0).formatted(grouping: true) == "1,234")
    #expect(ExactDecimal(significand: 123_456, exponent: -1).formatted(grouping: true, minimumFractionDigits: 3) == "12,345.600")
    #expect(ExactDecimal(significand: Int128.min, exponent: 0).formatted(grouping: false) == "-170141183460469231731687303715884105728")
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
