import Testing
import YosanSyntax
@testable import YosanCore

/// Value grammars: amounts in every unit, full-width digits, eras, rates, shares.
struct ValueParsingTests {
  func parser(_ text: String, unit: YenUnit? = nil) -> (ValueParser, Int) {
    let bytes = Array(text.utf8)
    let scalarText = ScalarText(source: bytes, range: TextRange(start: 0, end: bytes.count))
    return (ValueParser(text: scalarText, defaultUnit: unit), scalarText.count)
  }

  func amount(_ text: String, unit: YenUnit? = nil) -> Amount? {
    let (p, n) = parser(text, unit: unit)
    return try? p.amount(0, n).get()
  }

  func yen(_ text: String) -> String? { amount(text)?.yen.description }

  @Test(arguments: [
    ("1円", "1"), ("1千円", "1000"), ("1万円", "10000"), ("1百万円", "1000000"), ("1千万円", "10000000"),
    ("1億円", "100000000"), ("1兆円", "1000000000000"), ("7.9億円", "790000000"), ("1,804億円", "180400000000"),
    ("553,081千円", "553081000"), ("25.0百万円", "25000000"), ("3.26億円", "326000000"), ("1,381,400円", "1381400"),
    ("△5億円", "-500000000"), ("▲0.5億円", "-50000000"), ("-3千円", "-3000"), ("約106億円", "10600000000"),
  ])
  func amountsInEveryUnit(_ text: String, _ expected: String) {
    #expect(yen(text) == expected)
  }

  @Test func precisionIsKept() {
    #expect(amount("25.0百万円")?.fractionDigits == 1)
    #expect(amount("25百万円")?.fractionDigits == 0)
    #expect(amount("25.0百万円")?.unitOfLastPlace == ExactDecimal(significand: 1, exponent: 5))
    #expect(amount("約106億円")?.isApproximate == true)
  }

  @Test func fullWidthDigitsAndSeparators() {
    #expect(yen("１，６６５億円") == "166500000000")
    #expect(yen("７．９億円") == "790000000")
    #expect(yen("３９５億円") == "39500000000")
  }

  @Test func spaceBeforeUnitIsToleratedAndRecorded() {
    let a = amount("1.4 億円")
    #expect(a?.yen.description == "140000000")
    #expect(a?.gapRange == TextRange(start: 3, end: 4))
  }

  @Test func kanjiOneBeforeAUnitIsTheDigitOne() {
    let a = amount("一億円")
    #expect(a?.yen.description == "100000000")
    #expect(a?.kanjiOneRange == TextRange(start: 0, end: 3))
    #expect(yen("一千万円") == "10000000")
  }

  @Test func defaultUnitFromTheHeader() {
    #expect(amount("7.9", unit: .hundredMillion)?.yen.description == "790000000")
    #expect(amount("7.9") == nil)
  }

  @Test(arguments: ["abc", "1,80億円", "1.億円", "億円", "1億ドル", "12345678901234567890123456789012345678901億円", "1億円x"])
  func malformedAmounts(_ text: String) {
    #expect(amount(text) == nil, "\(text) should not parse")
  }

  @Test func amountExpressions() throws {
    func expr(_ text: String) -> AmountExpression? {
      let (p, n) = parser(text)
      return try? p.amountExpression(0, n).get()
    }
    #expect(expr("なし")?.isNone == true)
    #expect(expr("none")?.isNone == true)
    for dash in ["-", "ー", "－", "—", "-億円"] {
      guard case .none(let marker)? = expr(dash), case .dash = marker.spelling else {
        Issue.record("\(dash) should read as a dash for none")
        continue
      }
    }
    guard case .partOf(let p)? = expr("内数(kaigo-kikin)") else { Issue.record("内数(ID)"); return }
    #expect(p.reference?.id == "kaigo-kikin")
    guard case .partOf(let q)? = expr("内数(約106億円)") else { Issue.record("内数(amount)"); return }
    #expect(q.total?.isApproximate == true)
    guard case .pending(let r)? = expr("12億円 + 事項要求(国土強靭化分)") else { Issue.record("事項要求"); return }
    #expect(r.amount?.yen.description == "1200000000")
    #expect(r.reason == "国土強靭化分")
    guard case .pending(let s)? = expr("事項要求") else { Issue.record("bare 事項要求"); return }
    #expect(s.amount == nil)
    // The kanji 一 alone is not a dash.
    let (p1, n1) = parser("一")
    #expect((try? p1.amountExpression(0, n1).get()) == nil)
  }

  func year(_ text: String) -> FiscalYear? {
    let (p, n) = parser(text)
    return try? p.fiscalYear(0, n).get()
  }

  @Test(arguments: [
    ("令和7年度", 2025), ("令和元年度", 2019), ("平成30年度", 2018), ("平成元年度", 1989), ("R7", 2025), ("R7年度", 2025),
    ("H30", 2018), ("2025年度", 2025), ("令和７年度", 2025),
  ])
  func fiscalYears(_ text: String, _ western: Int) {
    #expect(year(text)?.western == western)
  }

  @Test func eraYearsThatDoNotExistStillParse() {
    #expect(year("令和0年度")?.exists == false)
    #expect(year("平成35年度")?.exists == false)
    #expect(year("平成31年度")?.exists == true)
  }

  @Test(arguments: ["令和七年度", "令和7", "5年度", "令和7年度度", "R", "25年度"])
  func malformedYears(_ text: String) {
    #expect(year(text) == nil, "\(text) should not parse")
  }

  func rate(_ text: String) -> Rate? {
    let (p, n) = parser(text)
    return try? p.rate(0, n).get()
  }

  @Test func rates() {
    #expect(rate("1/2")?.fractions.first?.value == Rational(1, 2))
    #expect(rate("10/10")?.fractions.first?.value == Rational.one)
    #expect(rate("38.5/100")?.fractions.first?.value == Rational(77, 200))
    #expect(rate("50%")?.fractions.first?.value == Rational(1, 2))
    #expect(rate("１／２")?.fractions.first?.value == Rational(1, 2))
    #expect(rate("1 / 2")?.fractions.first?.value == Rational(1, 2))
    guard case .fixed(let equivalent, _)? = rate("定額(10/10相当)") else { Issue.record("定額(…)"); return }
    #expect(equivalent?.value == Rational.one)
    guard case .fixed(nil, _)? = rate("定額") else { Issue.record("定額"); return }
    guard case .floor(let floor)? = rate("3/4以上") else { Issue.record("floor"); return }
    #expect(floor.value == Rational(3, 4))
    guard case .transition(let steps)? = rate("1/3(令和6年度) → 1/2") else { Issue.record("transition"); return }
    #expect(steps.count == 2)
    #expect(steps[0].year?.western == 2024)
    #expect(steps[1].rate.fractions.first?.value == Rational(1, 2))
    // A zero denominator parses (a rule reports it) but has no value.
    #expect(rate("1/0")?.fractions.first?.value == nil)
    #expect(rate("半分") == nil)
  }

  @Test func shares() throws {
    let (p, n) = parser("国 1/2, 都道府県 1/4、市町村1/4")
    let shares = try p.shares(0, n).get()
    #expect(shares.map(\.party) == ["国", "都道府県", "市町村"])
    #expect(shares.compactMap(\.fraction.value) == [Rational(1, 2), Rational(1, 4), Rational(1, 4)])
    let (q, m) = parser("1号保険料23/100、国38.5/100")
    #expect(try q.shares(0, m).get().map(\.party) == ["1号保険料", "国"])
    let (r, k) = parser("国:1/2、都道府県：1/2")
    #expect(try r.shares(0, k).get().map(\.party) == ["国", "都道府県"])
    let (s, j) = parser("国 1/2, 都道府県")
    #expect((try? s.shares(0, j).get()) == nil)
  }

  /// Fractions as written in Japanese: denominator first (`2分の1`), full-width, and a fixed
  /// amount with what it amounts to written before it (`1/2相当定額`, seed 003:4840).
  @Test func japaneseFractions() throws {
    #expect(rate("2分の1")?.fractions.first?.value == Rational(1, 2))
    #expect(rate("２分の１")?.fractions.first?.value == Rational(1, 2))
    #expect(rate("10分の10")?.fractions.first?.value == Rational.one)
    #expect(rate("2分の1")?.fractions.first?.written == "2分の1")
    guard case .fixed(let equivalent, _)? = rate("1/2相当定額") else { Issue.record("1/2相当定額"); return }
    #expect(equivalent?.value == Rational(1, 2))
    guard case .fixed(let parenthesised, _)? = rate("定額（1/2相当）") else { Issue.record("定額（1/2相当）"); return }
    #expect(parenthesised?.value == Rational(1, 2))
    guard case .fixed(let fullWidth, _)? = rate("1／2相当定額") else { Issue.record("1／2相当定額"); return }
    #expect(fullWidth?.value == Rational(1, 2))
    guard case .floor(let floor)? = rate("4分の3以上") else { Issue.record("4分の3以上"); return }
    #expect(floor.value == Rational(3, 4))
    #expect(rate("分の1") == nil)
    #expect(rate("2分の") == nil)
    let (p, n) = parser("国 2分の1, 都道府県 4分の1、市町村4分の1")
    let shares = try p.shares(0, n).get()
    #expect(shares.map(\.party) == ["国", "都道府県", "市町村"])
    #expect(shares.compactMap(\.fraction.value) == [Rational(1, 2), Rational(1, 4), Rational(1, 4)])
    let (q, m) = parser("国 １／２, 都道府県 １／２")
    #expect(try q.shares(0, m).get().compactMap(\.fraction.value) == [Rational(1, 2), Rational(1, 2)])
  }

  /// What is inside 内数(…) is an id when it is one, an amount when it has a unit, and both when
  /// it is both (the workspace decides): ids may start with digits or with 約.
  @Test func partOfIsDecidedByWhatResolves() throws {
    func part(_ text: String, unit: YenUnit? = nil) -> PartOf? {
      let (p, n) = parser(text, unit: unit)
      guard case .partOf(let part)? = try? p.amountExpression(0, n).get() else { return nil }
      return part
    }
    #expect(part("内数(8020運動口腔保健推進事業)")?.reference?.id == "8020運動口腔保健推進事業")
    #expect(part("内数(8020運動口腔保健推進事業)")?.total == nil)
    #expect(part("内数(約款)")?.reference?.id == "約款")
    #expect(part("内数(約款)")?.reference?.isAlsoAnAmount == false)
    let both = try #require(part("内数(97億円)"))
    #expect(both.reference?.id == "97億円" && both.reference?.isAlsoAnAmount == true)
    #expect(both.total?.yen.description == "9700000000")
    #expect(part("内数(約106億円)")?.total?.isApproximate == true)
    #expect(part("内数(1,804億円)")?.reference == nil)
    #expect(part("内数(1,804億円)")?.total != nil)
    #expect(part("内数(97)", unit: .hundredMillion)?.reference?.isAlsoAnAmount == true)
    let (p, n) = parser("内数(ｂ)")
    guard case .failure(let error) = p.amountExpression(0, n) else { Issue.record("内数(ｂ)"); return }
    #expect(error.message == "`ｂ` is not an item id: it is written in full-width letters; write `b`")
  }

  /// Per-unit amounts with what they are multiplied by, a least count, or another amount under a
  /// condition (seed 000:1047-1049 and 000:454).
  @Test func perUnitAmountsWithABasisALeastCountOrAConditionalAmount() throws {
    func perUnit(_ text: String) -> PerUnitAmount? {
      let (p, n) = parser(text)
      return try? p.perUnitAmount(0, n).get()
    }
    let beds = try #require(perUnit("最大使用病床数 × 133千円（20床未満は20床）"))
    #expect(beds.per == "最大使用病床数" && beds.multiplies)
    #expect(beds.amount.yen.description == "133000")
    #expect(beds.minimumCount?.text == "20床")
    let cap = try #require(perUnit("500万円（一定の要件を満たした団体は1,000万円）"))
    #expect(cap.per == nil && !cap.multiplies)
    #expect(cap.amount.yen.description == "5000000")
    #expect(cap.alternative?.condition.text == "一定の要件を満たした団体")
    #expect(cap.alternative?.amount.yen.description == "10000000")
    #expect(perUnit("1個所当たり 30,000千円")?.per == "1個所当たり")
    #expect(perUnit("133千円 (20床)") == nil)
    #expect(perUnit("133千円 (20床未満は30床)") == nil)
    #expect(perUnit("× 133千円") == nil)
  }

  @Test func supplementaryAndMultiYear() throws {
    let (p, n) = parser("令和4年度第二次 3.0億円")
    let s = try p.supplementary(0, n).get()
    #expect(s.year.western == 2022)
    #expect(s.ordinal == 2)
    #expect(s.amount.fractionDigits == 1)
    let (q, m) = parser("令和6年度〜8年度")
    let y = try q.multiYear(0, m).get()
    #expect(y.from.western == 2024)
    #expect(y.to.western == 2026)
  }

  @Test func intervalsUnderEachMode() {
    let a = amount("525.9億円")!
    #expect(a.interval(.round) == Interval(lower: ExactDecimal("52585000000")!, upper: ExactDecimal("52595000000")!))
    let t = amount("3,002千円")!.interval(.truncate)
    #expect(t.lower == ExactDecimal(3_002_000) && t.upper == ExactDecimal(3_003_000) && t.lowerClosed && !t.upperClosed)
    let c = amount("3,002千円")!.interval(.ceiling)
    #expect(c.lower == ExactDecimal(3_001_000) && c.upper == ExactDecimal(3_002_000) && !c.lowerClosed && c.upperClosed)
  }
}
