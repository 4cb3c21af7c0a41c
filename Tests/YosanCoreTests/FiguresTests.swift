import Testing
import YosanCore

/// The one place that writes figures: percent change, 増△減 with △, amounts in the unit shown.
struct FiguresTests {
  func d(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

  @Test func percentChangeHasTwoDecimalsRoundedHalfAwayFromZero() throws {
    #expect(Figures.changeRatio(from: d("0"), to: d("5")) == nil, "no percentage of zero")
    let up = try #require(Figures.changeRatio(from: d("440000000"), to: d("790000000")))
    #expect(Figures.percent(up) == "79.55")
    #expect(Figures.signedPercent(up) == "+79.55%")
    // 1/8 = 12.5%: trailing zeros dropped; -1/3 = -33.33%; 0.005% rounds away from zero to 0.01%.
    #expect(Figures.percent(Rational(1, 8)!) == "12.5")
    #expect(Figures.percent(Rational(-1, 3)!) == "-33.33")
    #expect(Figures.percent(Rational(1, 20000)!) == "0.01")
    #expect(Figures.percent(Rational(-1, 20000)!) == "-0.01")
    #expect(Figures.signedPercent(.zero) == "+0%")
  }

  @Test func increasesAndDecreasesAreWrittenAsBudgetDocumentsPrintThem() throws {
    #expect(Figures.increaseDecrease(d("-120000000"), in: .hundredMillion, fractionDigits: 1) == "△1.2億円")
    #expect(Figures.increaseDecrease(d("66000"), in: .thousand) == "+66千円")
    #expect(Figures.increaseDecrease(d("0"), in: .million) == "±0百万円")
    // Exact: a change finer than the unit keeps its digits.
    #expect(Figures.increaseDecrease(d("1234567"), in: .thousand) == "+1,234.567千円")
    #expect(Figures.increaseDecreaseYen(d("-9881000")) == "△9,881,000円")
    #expect(Figures.increaseDecreaseYen(d("0")) == "±0円")
    #expect(Figures.increaseDecreasePercent(Rational(-9881, 195114)!) == "△5.06%")
    #expect(Figures.increaseDecreasePercent(Rational(1, 4)!) == "+25%")
    #expect(Figures.increaseDecreasePercent(.zero) == "±0%")
    // A decrease too small for two decimals is still a decrease.
    #expect(Figures.increaseDecreasePercent(Rational(-1, 1_000_000)!) == "△0%")
  }

  @Test func amountsInTheUnitShownWithThousandsSeparators() {
    #expect(Figures.amount(d("180400000000"), in: .million) == "180,400百万円")
    #expect(Figures.amount(d("217173000000"), in: .hundredMillion) == "2,171.73億円")
    #expect(Figures.amount(d("2500000000"), in: .hundredMillion, fractionDigits: 1) == "25.0億円")
    #expect(Figures.displayUnit(of: [YenUnit.thousand, .hundredMillion, .thousand]) == .thousand)
    #expect(Figures.displayUnit(of: [YenUnit.thousand, .hundredMillion]) == .hundredMillion, "a tie goes to the larger unit")
    #expect(Figures.displayUnit(of: [YenUnit]()) == nil)
  }

  /// Hover's wording, which the editor tests pin too.
  @Test func hoverChangeText() {
    #expect(Figures.change(from: d("440000000"), to: d("790000000")) == "+350,000,000円 (+79.55%)")
    #expect(Figures.change(from: d("0"), to: d("5")) == "+5円")
    #expect(Figures.change(from: d("100"), to: d("50")) == "-50円 (-50%)")
  }
}
