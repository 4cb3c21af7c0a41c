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
    #expect(ExactDecimal(significand: -1_234_500, exponent: -2).formatted(grouping: true) == "-12,345")
    #expect(ExactDecimal(significand: 12, exponent: 5).formatted(grouping: true) == "1,200,000")
    #expect(ExactDecimal(significand: 0, exponent: 5).formatted(grouping: true) == "0")
    #expect(ExactDecimal(significand: 0, exponent: -3).formatted(grouping: true, minimumFractionDigits: 1) == "0.0")
    #expect(ExactDecimal(significand: 100, exponent: -4).formatted(grouping: true, minimumFractionDigits: 3) == "0.010")
    #expect(ExactDecimal(significand: 123, exponent: 0).formatted(grouping: true) == "123")
    #expect(ExactDecimal(significand: 1234, exponent: 0).formatted(grouping: true) == "1,234")
    #expect(ExactDecimal(significand: 123_456, exponent: -1).formatted(grouping: true, minimumFractionDigits: 3) == "12,345.600")
    #expect(ExactDecimal(significand: Int128.min, exponent: 0).formatted(grouping: false) == "-170141183460469231731687303715884105728")
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

  /// Percentages are exact for every value (issue 16 §4): no `?` when the terms are large.
  @Test func percentagesOfAnyRational() {
    #expect(Rational(1, 2)!.percentString() == "50%")
    #expect(Rational(2, 3)!.percentString() == "66.67%")
    #expect(Rational(-2, 3)!.percentString() == "-66.67%")
    #expect(Rational(1, 200_000)!.percentString() == "0%")
    #expect(Rational(-1, 200_000)!.percentString() == "0%")
    #expect(Rational(1, 20_000)!.percentString() == "0.01%")
    #expect(Rational(9_999, 10_000)!.percentString() == "99.99%")
    #expect(Rational(19_999, 20_000)!.percentString() == "100%")
    #expect(Rational(39_999, 40_000)!.percentString() == "100%")
    #expect(Rational(7, 1)!.percentString() == "700%")
    #expect(Rational(1, 3)!.percentString(digits: 0) == "33%")
    #expect(Rational(Int128.max, 1)!.percentString() == "\(Int128.max)00%")
    #expect(Rational(Int128.min + 1, 1)!.percentString() == "-\(Int128.max)00%")
    #expect(Rational(1, Int128.max)!.percentString() == "0%")
    #expect(Rational(Int128.max - 1, Int128.max)!.percentString() == "100%")
    // 1e37/3: 333…33.33…%, with the decimals of the remainder.
    let big = ExactDecimal.powerOfTen(37)!
    #expect(Rational(big, 3)!.percentString() == String(repeating: "3", count: 39) + ".33%")
    #expect(Rational(big + 1, big)!.percentString() == "100%")
  }

  /// Shares whose exact sum leaves 128 bits are reported, like a breakdown beyond exact
  /// arithmetic, and not counted as checked (issue 16 §4).
  let header = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n"

  @Test func anOverflowingShareSumIsReported() {
    let text = header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = 国 1/99999999999999999999, 県 1/99999999999999999997\n}\n"
    let analysis = Analyzer.analyze([SourceFile(path: "a.yosan", text: text)])
    #expect(analysis.files[0].diagnostics.map(\.ruleID) == ["share-sum"])
    #expect(analysis.files[0].diagnostics.first?.message == "負担割合: the shares add up beyond the 38 digits Yosan computes exactly; this sum is not checked")
    #expect(analysis.counters.rates == 0)
    // A rate beyond 1 with huge terms gets its percentage, not `?`.
    let rate = header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  補助率 = 99999999999999999999999999999999999/3\n}\n"
    let messages = Check.diagnostics(rate).map(\.message)
    #expect(messages.contains { $0.contains("is " + String(repeating: "3", count: 35) + "00%, more than 1") }, "\(messages)")
    #expect(!messages.contains { $0.contains("?") })
  }
}
