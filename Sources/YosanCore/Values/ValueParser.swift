import YosanSyntax

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads the values of format.md from a `ScalarText`. Every function takes a scalar range and
/// returns a typed value with source ranges, or a `ValueError` saying what is wrong and how to
/// write it instead.
public struct ValueParser {
  public let text: ScalarText
  /// The document's `単位`, used for amounts written without a unit.
  public let defaultUnit: YenUnit?

  public init(text: ScalarText, defaultUnit: YenUnit? = nil) {
    self.text = text
    self.defaultUnit = defaultUnit
  }

  public typealias Outcome<T> = Result<T, ValueError>

  /// The units as a list for messages: `円, 千円, 万円, 百万円, 千万円, 億円, 兆円`.
  static let unitList = Vocabulary.units.words.map(\.canonical).joined(separator: ", ")

  /// The units' spellings as scalars, longest first (a unit is matched at the first that fits).
  static let unitScalars: [(scalars: [Unicode.Scalar], unit: YenUnit)] = Vocabulary.units.words
    .map { (Array($0.canonical.unicodeScalars), $0.value) }
    .sorted { $0.0.count > $1.0.count }


  /// `なし`, `none` and `記載なし`, `not-stated` (`Vocabulary.valueWords`) as scalars, and the
  /// scalars they start with (most amounts start with none of them: one comparison each).
  static let noneWords: (none: [[Unicode.Scalar]], notStated: [[Unicode.Scalar]], firsts: [Unicode.Scalar]) = {
    let none = Vocabulary.valueWords.word(.none).spellings.map { Array($0.unicodeScalars) }
    let notStated = Vocabulary.valueWords.word(.notStated).spellings.map { Array($0.unicodeScalars) }
    return (none, notStated, (none + notStated).compactMap(\.first))
  }()

  /// `分の` of a fraction written denominator first (`2分の1`).
  static let japaneseFractionMark = "分の"

  /// `定額`, `相当`, `以上` (`Vocabulary.valueWords`), as scalars; and `相当定額`.
  static let rateWords: (fixed: [Unicode.Scalar], equivalent: [Unicode.Scalar], floor: [Unicode.Scalar], equivalentFixed: [Unicode.Scalar]) = {
    let words = Vocabulary.valueWords
    let fixed = Array(words.word(.fixed).canonical.unicodeScalars)
    let equivalent = Array(words.word(.equivalent).canonical.unicodeScalars)
    return (fixed, equivalent, Array(words.word(.floor).canonical.unicodeScalars), equivalent + fixed)
  }()

  /// True for the signs that make a number negative: `-`, `−`, `△`, `▲`.
  static func isSign(_ s: Unicode.Scalar) -> Bool {
    s == "-" || s == "−" || s == "△" || s == "▲"
  }

  /// True for the dashes the documents use for "none" (`Vocabulary.dashes`).
  static func isDash(_ s: Unicode.Scalar) -> Bool { Vocabulary.isDash(s) }

  // MARK: - Amounts

  /// `[約] [△▲-] number [unit]`.
  public func amount(_ from: Int, _ to: Int) -> Outcome<Amount> {
    let (a, b) = text.trimmed(from, to)
    guard a < b else { return .failure(ValueError(.amount(.missing), text.range(from, to))) }
    var i = a
    var approximate = false
    if text.scalars[i] == "約" {
      approximate = true
      i += 1
      while i < b, text.isSpace(i) { i += 1 }
    }
    var negative = false
    if i < b, text.scalars[i] == "△" || text.scalars[i] == "▲" || text.scalars[i] == "-" {
      negative = true
      i += 1
    }
    let numberStart = i
    var significand: Int128 = 0
    var fractionDigits = 0
    var kanjiOne: TextRange?
    if i < b, text.scalars[i] == "一", i + 1 < b, Vocabulary.isUnitLetter(text.scalars[i + 1]) {
      significand = 1
      kanjiOne = text.range(i, i + 1)
      i += 1
    } else {
      var digitsInGroup = 0
      var lastComma = i
      var sawComma = false
      var sawPoint = false
      var sawDigit = false
      while i < b {
        let s = text.scalars[i]
        if text.isDigit(i) {
          let (m, o1) = significand.multipliedReportingOverflow(by: 10)
          let (sum, o2) = m.addingReportingOverflow(Int128(s.value - 0x30))
          if o1 || o2 {
            var end = i
            while end < b, text.isDigit(end) || text.scalars[end] == "," || text.scalars[end] == "." { end += 1 }
            return .failure(ValueError(.amount(.tooManyDigits(leading: text.string(numberStart, Swift.min(end, numberStart + 20)))), text.range(numberStart, end)))
          }
          significand = sum
          sawDigit = true
          digitsInGroup += 1
          if sawPoint { fractionDigits += 1 }
        } else if s == ",", !sawPoint, sawDigit, text.original[i] != "、" {
          if sawComma ? digitsInGroup != 3 : digitsInGroup > 3 {
            return .failure(ValueError(.amount(.misplacedSeparator(written: text.string(a, b))), text.range(i, i + 1)))
          }
          sawComma = true
          lastComma = i
          digitsInGroup = 0
        } else if s == ".", !sawPoint, sawDigit {
          if sawComma, digitsInGroup != 3 {
            return .failure(ValueError(.amount(.misplacedSeparator(written: text.string(a, b))), text.range(lastComma, lastComma + 1)))
          }
          sawPoint = true
          digitsInGroup = 0
        } else {
          break
        }
        i += 1
      }
      if !sawDigit {
        return .failure(ValueError(.amount(.notAnAmount(written: text.string(a, b))), text.range(a, b)))
      }
      if sawComma, !sawPoint, digitsInGroup != 3 {
        return .failure(ValueError(.amount(.misplacedSeparator(written: text.string(a, b))), text.range(lastComma, lastComma + 1)))
      }
      if text.scalars[i - 1] == "." {
        return .failure(ValueError(.amount(.noDigitsAfterPoint(written: text.string(a, b))), text.range(i - 1, i)))
      }
    }
    let numberEnd = i
    var gap: TextRange?
    while i < b, text.isSpace(i) { i += 1 }
    if i > numberEnd { gap = text.range(numberEnd, i) }
    var unit: YenUnit?
    let unitStart = i
    if let (candidate, length) = self.unit(at: i, before: b) {
      unit = candidate
      i += length
    }
    if unit == nil {
      if i < b {
        return .failure(ValueError(.unit(.unknown(written: text.string(i, b))), text.range(i, b)))
      }
      guard let defaultUnit else {
        return .failure(ValueError(.unit(.missing(amount: text.string(a, b))), text.range(a, b)))
      }
      unit = defaultUnit
      gap = nil
    }
    if i < b {
      return .failure(ValueError(.amount(.unexpectedAfterAmount(written: text.string(i, b))), text.range(i, b)))
    }
    let yen = ExactDecimal(significand: negative ? -significand : significand, exponent: unit!.exponent - fractionDigits)
    return .success(
      Amount(
        yen: yen, unit: unit!, fractionDigits: fractionDigits, isApproximate: approximate, range: text.range(a, i),
        numberRange: text.range(numberStart, numberEnd), unitRange: text.range(unitStart, i == unitStart ? unitStart : i),
        gapRange: gap, kanjiOneRange: kanjiOne))
  }

  /// The unit written at scalar `i` and how many scalars it takes (`Vocabulary.units`, longest
  /// spelling first; most scalars start no unit, and are answered by the first comparison).
  func unit(at i: Int, before end: Int) -> (YenUnit, Int)? {
    guard i < end, Vocabulary.isUnitLetter(text.scalars[i]) else { return nil }
    candidates: for (scalars, unit) in ValueParser.unitScalars where i + scalars.count <= end {
      for (k, scalar) in scalars.enumerated() where text.scalars[i + k] != scalar { continue candidates }
      return (unit, scalars.count)
    }
    return nil
  }

  /// An amount expression: an amount, `なし`, a dash, `内数(…)`, or `… + 事項要求(…)`.
  public func amountExpression(_ from: Int, _ to: Int) -> Outcome<AmountExpression> {
    let (a, b) = text.trimmed(from, to)
    guard a < b else { return .failure(ValueError(.value(.missing), text.range(from, to))) }
    let first = text.scalars[a]
    let words = ValueParser.noneWords
    if words.firsts.contains(first) {
      if words.none.contains(where: { text.equals(a, b, scalars: $0) }) {
        return .success(.none(NoneMarker(spelling: .word, range: text.range(a, b))))
      }
      if words.notStated.contains(where: { text.equals(a, b, scalars: $0) }) { return .success(.notStated(text.range(a, b))) }
    }
    if ValueParser.isDash(text.original[a]) {
      // A dash alone, or a dash with a unit (`-億円`), means none.
      let (restA, restB) = text.trimmed(a + 1, b)
      if restA == restB || unit(at: restA, before: restB)?.1 == restB - restA {
        return .success(.none(NoneMarker(spelling: .dash(text.string(a, b)), range: text.range(a, b))))
      }
    }
    if first == "一", b == a + 1 {
      return .failure(ValueError(.kanjiOne, text.range(a, b)))
    }
    if first == "内", text.matches("内数", at: a) { return partOf(a, b).map { .partOf($0) } }
    if let pending = pendingRequest(a, b) { return pending.map { .pending($0) } }
    return amount(a, b).map { .amount($0) }
  }

  func partOf(_ a: Int, _ b: Int) -> Outcome<PartOf> {
    var i = a + 2
    while i < b, text.isSpace(i) { i += 1 }
    guard i < b, text.scalars[i] == "(", text.scalars[b - 1] == ")" else {
      return .failure(ValueError(.amount(.partOfWithoutParentheses), text.range(a, b)))
    }
    let (innerA, innerB) = text.trimmed(i + 1, b - 1)
    guard innerA < innerB else {
      return .failure(ValueError(.amount(.emptyPartOf), text.range(a, b)))
    }
    // Decided by what resolves (see `PartOf`): an id is a reference; a text with a unit is an
    // amount; a text that is both is both, until the workspace says which.
    let looksLikeAmount = text.isDigit(innerA) || text.scalars[innerA] == "約"
    let total = looksLikeAmount ? amount(innerA, innerB) : nil
    if isIdentifier(innerA, innerB) {
      var reference = Reference(id: text.string(innerA, innerB), range: text.range(innerA, innerB))
      if case .success(let value)? = total {
        reference.isAlsoAnAmount = true
        return .success(PartOf(reference: reference, total: value, range: text.range(a, b)))
      }
      return .success(PartOf(reference: reference, total: nil, range: text.range(a, b)))
    }
    switch total {
    case .success(let value)?: return .success(PartOf(reference: nil, total: value, range: text.range(a, b)))
    case .failure(let error)?: return .failure(error)
    case nil: break
    }
    if let halfWidth = ValueParser.halfWidthIdentifier(text.string(innerA, innerB)) {
      return .failure(ValueError(.amount(.fullWidthIdentifier(written: text.string(innerA, innerB), halfWidth: halfWidth)), text.range(innerA, innerB)))
    }
    return .failure(ValueError(.amount(.neitherIdentifierNorAmount(written: text.string(innerA, innerB))), text.range(innerA, innerB)))
  }

  /// The id that `written` is in half-width (ASCII) letters and digits, when it is an id only with
  /// its full-width letters made ASCII (`ｂ` → `b`); nil otherwise.
  public static func halfWidthIdentifier(_ written: String) -> String? {
    guard written.unicodeScalars.contains(where: ScalarText.isFullWidthASCII) else { return nil }
    let half = String(String.UnicodeScalarView(written.unicodeScalars.map(ScalarText.normalize)))
    return !half.isEmpty && half.unicodeScalars.allSatisfy(isIdentifierScalar) ? half : nil
  }

  func pendingRequest(_ a: Int, _ b: Int) -> Outcome<PendingRequest>? {
    // Find 事項要求 at the top level (most values have no 事 at all: look for it first).
    var i = a
    var position: Int?
    while i < b {
      if text.scalars[i] == "事", text.matches("事項要求", at: i) {
        position = i
        break
      }
      i += 1
    }
    guard let position else { return nil }
    var reason: String?
    var end = position + 4
    while end < b, text.isSpace(end) { end += 1 }
    if end < b {
      guard text.scalars[end] == "(", text.scalars[b - 1] == ")" else {
        return .failure(ValueError(.amount(.unexpectedAfterPending(written: text.string(end, b))), text.range(end, b)))
      }
      let (ra, rb) = text.trimmed(end + 1, b - 1)
      reason = text.string(ra, rb)
    }
    if position == a { return .success(PendingRequest(amount: nil, reason: reason, range: text.range(a, b))) }
    // AMOUNT + 事項要求
    var plus = position - 1
    while plus > a, text.isSpace(plus) { plus -= 1 }
    guard plus >= a, text.scalars[plus] == "+" else {
      return .failure(ValueError(.amount(.pendingWithoutPlus), text.range(a, b)))
    }
    switch amount(a, plus) {
    case .success(let value): return .success(PendingRequest(amount: value, reason: reason, range: text.range(a, b)))
    case .failure(let error): return .failure(error)
    }
  }

  /// Letters of any script, digits, `-` and `_`.
  public func isIdentifier(_ a: Int, _ b: Int) -> Bool {
    guard a < b else { return false }
    for i in a..<b where !ValueParser.isIdentifierScalar(text.original[i]) { return false }
    return true
  }

  public static func isIdentifierScalar(_ s: Unicode.Scalar) -> Bool {
    if s == "-" || s == "_" { return true }
    if s.value < 0x80 { return (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") }
    if ScalarText.isFullWidthASCII(s) { return false }
    let p = s.properties
    return p.isAlphabetic || p.numericType == .decimal
  }

  // MARK: - Years

  /// `令和7年度`, `令和元年度`, `平成30年度`, `R7`, `H30`, `2025年度`.
  public func fiscalYear(_ from: Int, _ to: Int, eraForBareYear: FiscalYear.Era? = nil) -> Outcome<FiscalYear> {
    let (a, b) = text.trimmed(from, to)
    guard a < b else { return .failure(ValueError(.year(.missing), text.range(from, to))) }
    var i = a
    var era: FiscalYear.Era
    var needsSuffix = true
    if text.matches("令和", at: i) {
      era = .reiwa
      i += 2
    } else if text.matches("平成", at: i) {
      era = .heisei
      i += 2
    } else if text.scalars[i] == "R" || text.scalars[i] == "H" {
      era = text.scalars[i] == "R" ? .reiwa : .heisei
      needsSuffix = false
      i += 1
    } else if text.isDigit(i) {
      era = eraForBareYear ?? .western
    } else {
      return .failure(ValueError(.year(.notAYear(written: text.string(a, b))), text.range(a, b)))
    }
    var year = 0
    let digitsStart = i
    if era != .western, i < b, text.scalars[i] == "元" {
      year = 1
      i += 1
    } else {
      while i < b, text.isDigit(i), i - digitsStart < 6 {
        year = year * 10 + Int(text.scalars[i].value - 0x30)
        i += 1
      }
      if i == digitsStart {
        return .failure(ValueError(.year(.noYearNumber(written: text.string(a, b))), text.range(a, b)))
      }
      if i < b, text.isDigit(i) {
        return .failure(ValueError(.year(.notAYear(written: text.string(a, b))), text.range(a, b)))
      }
    }
    if text.matches("年度", at: i) {
      i += 2
    } else if needsSuffix {
      return .failure(ValueError(.year(.missingSuffix(written: text.string(a, b))), text.range(a, b)))
    }
    guard i == b else { return .failure(ValueError(.year(.unexpectedAfterYear(written: text.string(i, b))), text.range(i, b))) }
    // A bare year of four digits is a western year, whatever era the range started in
    // (`令和6年度〜2026年度`).
    if eraForBareYear != nil, era == eraForBareYear, era != .western, text.isDigit(a), year >= 1000 { era = .western }
    if era == .western, year < 1000 {
      return .failure(ValueError(.year(.notAYear(written: text.string(a, b))), text.range(a, b)))
    }
    return .success(FiscalYear(era: era, eraYear: year, range: text.range(a, b)))
  }

  /// Where a fiscal year written at `from` ends (after 年度, or after the digits of `R7`).
  func fiscalYearEnd(_ from: Int, _ to: Int) -> Int? {
    var i = from
    while i < to, text.isSpace(i) { i += 1 }
    if text.matches("令和", at: i) || text.matches("平成", at: i) {
      i += 2
    } else if i < to, text.scalars[i] == "R" || text.scalars[i] == "H" {
      i += 1
      while i < to, text.isDigit(i) { i += 1 }
      if text.matches("年度", at: i) { i += 2 }
      return i
    }
    if i < to, text.scalars[i] == "元" { i += 1 }
    while i < to, text.isDigit(i) { i += 1 }
    guard text.matches("年度", at: i) else { return nil }
    return i + 2
  }

  /// `令和5年度 25.0百万円`, `令和4年度第2次 3.0億円`.
  public func supplementary(_ from: Int, _ to: Int) -> Outcome<Supplementary> {
    let (a, b) = text.trimmed(from, to)
    guard let yearEnd = fiscalYearEnd(a, b) else {
      // A year that is written but malformed (令和五年度) gets the year grammar's message.
      if let suffix = (a..<Swift.max(a, b - 1)).first(where: { text.matches("年度", at: $0) }), case .failure(let error) = fiscalYear(a, suffix + 2) {
        return .failure(error)
      }
      return .failure(ValueError(.year(.supplementaryYearFirst), text.range(a, b)))
    }
    let year: FiscalYear
    switch fiscalYear(a, yearEnd) {
    case .success(let y): year = y
    case .failure(let e): return .failure(e)
    }
    var i = yearEnd
    var ordinal: Int?
    if i < b, text.scalars[i] == "第" {
      var j = i + 1
      var n = 0
      let kanji: [Unicode.Scalar: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5]
      if j < b, let k = kanji[text.scalars[j]] {
        n = k
        j += 1
      } else {
        while j < b, text.isDigit(j) {
          n = n * 10 + Int(text.scalars[j].value - 0x30)
          j += 1
        }
      }
      guard n > 0, j < b, text.scalars[j] == "次" else {
        return .failure(ValueError(.value(.supplementaryOrdinal), text.range(i, Swift.min(j + 1, b))))
      }
      ordinal = n
      i = j + 1
    }
    switch amount(i, b) {
    case .success(let value): return .success(Supplementary(year: year, ordinal: ordinal, amount: value, range: text.range(a, b)))
    case .failure(let e): return .failure(e)
    }
  }

  /// `令和6年度〜令和8年度 [amount]`; the end year may omit its era (`令和6年度〜8年度`).
  public func multiYear(_ from: Int, _ to: Int) -> Outcome<MultiYear> {
    let (a, b) = text.trimmed(from, to)
    var separator: Int?
    var i = a
    while i < b {
      if text.scalars[i] == "~" || text.original[i] == "～" {
        separator = i
        break
      }
      i += 1
    }
    guard let separator else {
      return .failure(ValueError(.year(.notARange), text.range(a, b)))
    }
    let fromYear: FiscalYear
    switch fiscalYear(a, separator) {
    case .success(let y): fromYear = y
    case .failure(let e): return .failure(e)
    }
    var endStart = separator + 1
    while endStart < b, text.isSpace(endStart) { endStart += 1 }
    guard let endOfYear = fiscalYearEnd(endStart, b) else {
      return .failure(ValueError(.year(.missingLastYear), text.range(separator, b)))
    }
    let toYear: FiscalYear
    switch fiscalYear(endStart, endOfYear, eraForBareYear: fromYear.era) {
    case .success(let y): toYear = y
    case .failure(let e): return .failure(e)
    }
    let (restA, restB) = text.trimmed(endOfYear, b)
    var total: Amount?
    if restA < restB {
      switch amount(restA, restB) {
      case .success(let value): total = value
      case .failure(let e): return .failure(e)
      }
    }
    return .success(MultiYear(from: fromYear, to: toYear, amount: total, range: text.range(a, b)))
  }

  // MARK: - Rates and shares

  /// `1/2`, `38.5/100`, `50%`, and as written in Japanese, denominator first: `2分の1` (1/2).
  public func fraction(_ from: Int, _ to: Int) -> Outcome<Fraction> {
    let (a, b) = text.trimmed(from, to)
    guard a < b else { return .failure(ValueError(.rate(.missingFraction), text.range(from, to))) }
    if text.scalars[b - 1] == "%" {
      guard let n = decimal(a, b - 1) else {
        return .failure(ValueError(.rate(.notAPercentage(written: text.string(a, b))), text.range(a, b)))
      }
      return .success(Fraction(numerator: n, denominator: ExactDecimal(100), isPercent: true, range: text.range(a, b)))
    }
    if let bun = (a..<b).first(where: { text.scalars[$0] == "分" && text.matches(ValueParser.japaneseFractionMark, at: $0) }) {
      guard let d = decimal(a, bun), let n = decimal(bun + 2, b) else {
        return .failure(ValueError(.rate(.notAFraction(written: text.string(a, b))), text.range(a, b)))
      }
      return .success(Fraction(numerator: n, denominator: d, isPercent: false, range: text.range(a, b), isJapanese: true))
    }
    var slash: Int?
    for i in a..<b where text.scalars[i] == "/" {
      slash = i
      break
    }
    guard let slash, let n = decimal(a, slash), let d = decimal(slash + 1, b) else {
      return .failure(ValueError(.rate(.notAFraction(written: text.string(a, b))), text.range(a, b)))
    }
    return .success(Fraction(numerator: n, denominator: d, isPercent: false, range: text.range(a, b)))
  }

  /// A plain decimal number (`38.5`), trimmed; nil if it is not one.
  func decimal(_ from: Int, _ to: Int) -> ExactDecimal? {
    let (a, b) = text.trimmed(from, to)
    guard a < b, b - a <= 40 else { return nil }
    return text.decimal(a, b)
  }

  /// A rate: fraction, `定額`, `定額(10/10相当)`, `3/4以上`, or a transition `1/3(令和6年度) → 1/2`.
  public func rate(_ from: Int, _ to: Int) -> Outcome<Rate> {
    let (a, b) = text.trimmed(from, to)
    guard a < b else { return .failure(ValueError(.rate(.missing), text.range(from, to))) }
    // Transitions.
    var arrows: [Int] = []
    var i = a
    while i < b {
      if text.scalars[i] == "→" || text.scalars[i] == "⇒" {
        arrows.append(i)
      } else if text.scalars[i] == "-", i + 1 < b, text.scalars[i + 1] == ">" {
        arrows.append(i)
      }
      i += 1
    }
    if !arrows.isEmpty {
      var steps: [RateStep] = []
      var start = a
      for stop in arrows + [b] {
        switch rateStep(start, stop) {
        case .success(let step): steps.append(step)
        case .failure(let e): return .failure(e)
        }
        start = stop < b && text.scalars[stop] == "-" ? stop + 2 : stop + 1
      }
      return .success(.transition(steps))
    }
    return simpleRate(a, b)
  }

  func rateStep(_ from: Int, _ to: Int) -> Outcome<RateStep> {
    let (a, b) = text.trimmed(from, to)
    guard a < b else { return .failure(ValueError(.rate(.emptyTransitionStep), text.range(from, to))) }
    var year: FiscalYear?
    var rateEnd = b
    if text.scalars[b - 1] == ")", let open = (a..<b).last(where: { text.scalars[$0] == "(" }), fiscalYearEnd(open + 1, b - 1) != nil {
      switch fiscalYear(open + 1, b - 1) {
      case .success(let y):
        year = y
        rateEnd = open
      case .failure(let e): return .failure(e)
      }
    }
    return simpleRate(a, rateEnd).map { RateStep(rate: $0, year: year, range: text.range(a, b)) }
  }

  func simpleRate(_ from: Int, _ to: Int) -> Outcome<Rate> {
    let (a, b) = text.trimmed(from, to)
    guard a < b else { return .failure(ValueError(.rate(.emptyRate), text.range(from, to))) }
    let words = ValueParser.rateWords
    if text.matches(scalars: words.fixed, at: a) {
      var i = a + words.fixed.count
      while i < b, text.isSpace(i) { i += 1 }
      if i == b { return .success(.fixed(equivalent: nil, range: text.range(a, b))) }
      guard text.scalars[i] == "(", text.scalars[b - 1] == ")" else {
        return .failure(ValueError(.rate(.fixedWithoutParentheses), text.range(i, b)))
      }
      var inner = b - 1
      let length = words.equivalent.count
      if inner - length >= i + 1, text.matches(scalars: words.equivalent, at: inner - length) { inner -= length }
      return fraction(i + 1, inner).map { .fixed(equivalent: $0, range: text.range(a, b)) }
    }
    // `1/2相当定額`: what the fixed amount amounts to, written before it.
    let suffix = words.equivalentFixed.count
    if b - a > suffix, text.matches(scalars: words.equivalentFixed, at: b - suffix) {
      return fraction(a, b - suffix).map { .fixed(equivalent: $0, range: text.range(a, b)) }
    }
    let floor = words.floor.count
    if b - a >= floor, text.matches(scalars: words.floor, at: b - floor) {
      return fraction(a, b - floor).map { .floor($0) }
    }
    return fraction(a, b).map { .fraction($0) }
  }

  /// `国 1/2, 都道府県 1/4, 市町村 1/4` (also `国1/2、都道府県1/2` and `国:1/2`).
  public func shares(_ from: Int, _ to: Int) -> Outcome<[Share]> {
    var result: [Share] = []
    for (a, b) in text.splitList(from, to, keepThousands: false) {
      guard a < b else {
        return .failure(ValueError(.share(.empty), text.range(a, Swift.max(a, b))))
      }
      // The fraction is the numeric tail: digits, '.', '/', '%' and spaces around '/'.
      var start = b
      while start > a {
        let s = text.scalars[start - 1]
        if text.isDigit(start - 1) || s == "." || s == "/" || s == "%" || (text.isSpace(start - 1) && start - 2 >= a && (text.scalars[start - 2] == "/" || (start < b && text.scalars[start] == "/"))) {
          start -= 1
        } else {
          break
        }
      }
      // A party name may end in digits (`1号保険料23/100` keeps `1号保険料`): only the tail counts.
      while start < b, text.isSpace(start) { start += 1 }
      // `国 2分の1`: the denominator and `分の` come before the numerator's digits.
      if start - 2 > a, text.matches(ValueParser.japaneseFractionMark, at: start - 2), text.isDigit(start - 3) {
        start -= 2
        while start > a, text.isDigit(start - 1) || text.scalars[start - 1] == "." { start -= 1 }
      }
      guard start < b else {
        return .failure(ValueError(.share(.noFraction(written: text.string(a, b))), text.range(a, b)))
      }
      // A sign written before the fraction (`-1/3`, `▲1/3`) is the fraction's, as for amounts.
      var sign = start
      while sign > a, text.isSpace(sign - 1) { sign -= 1 }
      let negative = sign > a && ValueParser.isSign(text.scalars[sign - 1])
      if negative { sign -= 1 }
      var partyEnd = negative ? sign : start
      while partyEnd > a, text.isSpace(partyEnd - 1) || text.scalars[partyEnd - 1] == ":" { partyEnd -= 1 }
      guard partyEnd > a else {
        return .failure(ValueError(.share(.noParty(written: text.string(a, b))), text.range(a, b)))
      }
      switch fraction(start, b) {
      case .success(var f):
        if negative {
          f.numerator = f.numerator.negated()
          f.range = text.range(sign, b)
        }
        result.append(Share(party: text.string(a, partyEnd), partyRange: text.range(a, partyEnd), fraction: f, range: text.range(a, b)))
      case .failure(let e):
        // A fraction's problems are the rate grammar's, reported here as the share's.
        guard case .rate(let problem) = e.problem else { return .failure(e) }
        return .failure(ValueError(.share(.fraction(problem)), e.range))
      }
    }
    return .success(result)
  }

  // MARK: - Words

  /// The word of `table` that scalars `a..<b` spell (any of its spellings, normalised).
  func word<Value>(_ table: WordTable<Value>, _ a: Int, _ b: Int) -> Value? {
    for spelling in table.scalarSpellings where text.equals(a, b, scalars: spelling.scalars) { return spelling.value }
    return nil
  }

  /// The error for a word that is not one of `table`'s: `problem` of what was written and of the
  /// closest word, when one is close.
  func unknownWord<Value>(
    _ table: WordTable<Value>, _ a: Int, _ b: Int, written: String? = nil, _ problem: (String, String?) -> ValueError.OtherValueProblem
  ) -> ValueError {
    ValueError(.value(problem(written ?? text.string(a, b), table.suggestion(for: text.normalizedString(a, b)))), text.range(a, b))
  }

  /// `新規, 推進枠`: the tags of 種別. Every element that is not a tag is an error of its own.
  public func tags(_ from: Int, _ to: Int) -> (tags: [TagValue], errors: [ValueError]) {
    var tags: [TagValue] = []
    var errors: [ValueError] = []
    for (x, y) in text.splitList(from, to, keepThousands: false) where x < y {
      if let tag = word(Vocabulary.tags, x, y) {
        tags.append(TagValue(tag: tag, range: text.range(x, y)))
      } else {
        errors.append(unknownWord(Vocabulary.tags, x, y, ValueError.OtherValueProblem.unknownTag))
      }
    }
    return (tags, errors)
  }

  /// `概算要求`, `当初予算`, `予算案`, `補正予算`, `事業一覧` (or an alias or synonym): the 区分.
  public func documentKind(_ from: Int, _ to: Int) -> Outcome<DocumentKind> {
    let (a, b) = text.trimmed(from, to)
    if let kind = word(Vocabulary.documentKinds, a, b) { return .success(kind) }
    return .failure(unknownWord(Vocabulary.documentKinds, a, b, ValueError.OtherValueProblem.unknownDocumentKind))
  }

  /// `四捨五入`, `切り捨て`, `切り上げ` (or an alias or synonym): a 端数.
  public func roundingMode(_ from: Int, _ to: Int) -> Outcome<RoundingMode> {
    let (a, b) = text.trimmed(from, to)
    if let mode = word(Vocabulary.roundingModes, a, b) { return .success(mode) }
    return .failure(unknownWord(Vocabulary.roundingModes, a, b, written: text.normalizedString(a, b), ValueError.OtherValueProblem.unknownRoundingMode))
  }

  /// A unit on its own (the header's 単位): `億円`.
  public func unitName(_ from: Int, _ to: Int) -> Outcome<YenUnit> {
    let (a, b) = text.trimmed(from, to)
    if let unit = word(Vocabulary.units, a, b) { return .success(unit) }
    return .failure(ValueError(.unit(.unknown(written: text.string(a, b))), text.range(a, b)))
  }

  /// `4165, 4035`: extension numbers (digits, with `-` allowed). Every element that is not one is
  /// an error of its own.
  public func extensions(_ from: Int, _ to: Int) -> (numbers: [TextValue], errors: [ValueError]) {
    var numbers: [TextValue] = []
    var errors: [ValueError] = []
    for (x, y) in text.splitList(from, to, keepThousands: false) where x < y {
      if (x..<y).allSatisfy({ text.isDigit($0) || text.scalars[$0] == "-" }) {
        numbers.append(TextValue(text.normalizedString(x, y), text.range(x, y)))
      } else {
        errors.append(ValueError(.value(.notAnExtension(written: text.string(x, y))), text.range(x, y)))
      }
    }
    return (numbers, errors)
  }

  // MARK: - Other values

  /// An amount, optionally preceded by what it is per (`1個所当たり 30,000千円`) or multiplied by
  /// (`最大使用病床数 × 133千円`), optionally followed by a condition in parentheses: the least
  /// count (`(20床未満は20床)`) or another amount under a condition (`（一定の要件を満たした団体は
  /// 1,000万円）`).
  public func perUnitAmount(_ from: Int, _ to: Int) -> Outcome<PerUnitAmount> {
    let (a, whole) = text.trimmed(from, to)
    // A condition in parentheses at the end.
    var b = whole
    var condition: (Int, Int)?
    if whole > a, text.scalars[whole - 1] == ")", let open = matchingOpen(before: whole - 1, from: a), open > a {
      condition = (open + 1, whole - 1)
      b = text.trimmed(a, open).1
    }
    var value: PerUnitAmount
    switch basicPerUnit(a, b) {
    case .success(let found): value = found
    case .failure(let error): return .failure(error)
    }
    value.range = text.range(a, whole)
    guard let (ca, cb) = condition else { return .success(value) }
    // `CONDITION は VALUE`: the last は splits them.
    guard let wa = (ca..<cb).last(where: { text.scalars[$0] == "は" }) else {
      return .failure(ValueError(.amount(.conditionWithoutTopic(written: text.string(ca - 1, cb + 1))), text.range(ca - 1, cb + 1)))
    }
    let (conditionA, conditionB) = text.trimmed(ca, wa)
    let (valueA, valueB) = text.trimmed(wa + 1, cb)
    if case .success(let other) = amount(valueA, valueB) {
      guard conditionA < conditionB else {
        return .failure(ValueError(.amount(.alternativeWithoutCondition(amount: text.string(valueA, valueB))), text.range(ca, cb)))
      }
      value.alternative = ConditionalAmount(condition: TextValue(text.string(conditionA, conditionB), text.range(conditionA, conditionB)), amount: other)
      return .success(value)
    }
    // `N床未満はN床`: counted as at least N.
    let below = ValueParser.belowWord.unicodeScalars.count
    if conditionB - conditionA > below, text.matches(ValueParser.belowWord, at: conditionB - below),
      text.string(conditionA, conditionB - below) == text.string(valueA, valueB), text.isDigit(valueA)
    {
      value.minimumCount = TextValue(text.string(valueA, valueB), text.range(valueA, valueB))
      return .success(value)
    }
    return .failure(ValueError(.amount(.unreadableCondition(written: text.string(ca, cb))), text.range(ca, cb)))
  }

  /// `未満` of a least count (`20床未満は20床`).
  static let belowWord = "未満"

  /// The `(` that opens the parenthesis closed at scalar `close`, searching back to `from`.
  func matchingOpen(before close: Int, from: Int) -> Int? {
    var depth = 0
    var i = close
    while i >= from {
      if text.scalars[i] == ")" { depth += 1 } else if text.scalars[i] == "(" {
        depth -= 1
        if depth == 0 { return i }
      }
      i -= 1
    }
    return nil
  }

  /// `[PER] AMOUNT` or `BASIS × AMOUNT`.
  func basicPerUnit(_ a: Int, _ b: Int) -> Outcome<PerUnitAmount> {
    if case .success(let value) = amount(a, b) {
      return .success(PerUnitAmount(per: nil, amount: value, range: text.range(a, b)))
    }
    if let times = (a..<b).last(where: { text.scalars[$0] == "×" || text.scalars[$0] == "*" }) {
      let (pa, pb) = text.trimmed(a, times)
      guard pa < pb else {
        return .failure(ValueError(.amount(.missingMultiplicand), text.range(a, times + 1)))
      }
      return amount(times + 1, b).map {
        var value = PerUnitAmount(per: text.string(pa, pb), amount: $0, range: text.range(a, b))
        value.multiplies = true
        return value
      }
    }
    guard let space = (a..<b).last(where: { text.isSpace($0) }) else {
      return amount(a, b).map { PerUnitAmount(per: nil, amount: $0, range: text.range(a, b)) }
    }
    let (pa, pb) = text.trimmed(a, space)
    return amount(space, b).map { PerUnitAmount(per: text.string(pa, pb), amount: $0, range: text.range(a, b)) }
  }

  /// `デジタル庁 50.7百万円, 厚生労働省 3.6百万円`, or names only.
  public func bookings(_ from: Int, _ to: Int) -> Outcome<[Booking]> {
    var result: [Booking] = []
    for (a, b) in text.splitList(from, to, keepThousands: true) where a < b {
      if let space = (a..<b).last(where: { text.isSpace($0) }), text.isDigit(space + 1) || text.scalars[space + 1] == "約" {
        let (na, nb) = text.trimmed(a, space)
        switch amount(space, b) {
        case .success(let value):
          result.append(Booking(name: text.string(na, nb), nameRange: text.range(na, nb), amount: value, range: text.range(a, b)))
        case .failure(let e): return .failure(e)
        }
      } else {
        result.append(Booking(name: text.string(a, b), nameRange: text.range(a, b), amount: nil, range: text.range(a, b)))
      }
    }
    return .success(result)
  }

  /// A list of texts; each element may be quoted.
  public func textList(_ from: Int, _ to: Int) -> [TextValue] {
    text.splitList(from, to, keepThousands: false).compactMap { (a, b) in
      guard a < b else { return nil }
      if b - a >= 2, text.scalars[a] == "\"", text.scalars[b - 1] == "\"" {
        return TextValue(ValueParser.unescape(text.string(a + 1, b - 1)), text.range(a, b))
      }
      return TextValue(text.string(a, b), text.range(a, b))
    }
  }

  /// The inside of a quoted string with `\"` and `\\` resolved.
  public static func unescape(_ s: String) -> String {
    var probe = s
    let hasBackslash = probe.withUTF8 { utf8 in utf8.baseAddress.flatMap { memchr($0, 0x5C, utf8.count) } != nil }
    guard hasBackslash else { return s }
    var out = ""
    var escaping = false
    for c in s {
      if escaping {
        if c != "\"" && c != "\\" { out.append("\\") }
        out.append(c)
        escaping = false
      } else if c == "\\" {
        escaping = true
      } else {
        out.append(c)
      }
    }
    if escaping { out.append("\\") }
    return out
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\u{3000}" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\u{3000}" { s = s.dropLast() }
    return String(s)
  }
}
