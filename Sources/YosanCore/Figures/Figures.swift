/// The text of figures, written once: exact yen, amounts in the unit the source uses, the change
/// from the previous year in yen and percent, and 増△減 with `△` for decreases as Japanese budget
/// documents print them. Export, hover, `yosan diff` and `yosan report` all write figures here.
public enum Figures {
  // MARK: - Exact yen

  /// `790,000,000円`.
  public static func yen(_ value: ExactDecimal) -> String { value.formatted(grouping: true) + "円" }

  /// `+350,000,000円`, `-12,000円`.
  public static func signedYen(_ value: ExactDecimal) -> String { (value.isNegative ? "" : "+") + yen(value) }

  /// `[785,000,000円, 795,000,000円]`, with `(` `)` for open ends.
  public static func interval(_ interval: Interval) -> String {
    "\(interval.lowerClosed ? "[" : "(")\(yen(interval.lower)), \(yen(interval.upper))\(interval.upperClosed ? "]" : ")")"
  }

  /// The same figure in 億円, 百万円 and 千円: `7.9億円 · 790百万円 · 790,000千円`.
  public static func inUnits(_ value: ExactDecimal) -> String {
    [YenUnit.hundredMillion, .million, .thousand].map { Amount.format(value, in: $0) }.joined(separator: " · ")
  }

  // MARK: - Amounts in the unit shown

  /// `value` in `unit` with thousands separators and at least `fractionDigits` decimals (more when
  /// the value needs them: the text is always exact): `527億円`, `1,234.5千円`.
  public static func amount(_ value: ExactDecimal, in unit: YenUnit, fractionDigits: Int = 0) -> String {
    Amount.format(value, in: unit, fractionDigits: fractionDigits)
  }

  /// The unit to show a set of figures in: the one most of them are written in (on a tie, the
  /// larger), or nil when there are none.
  public static func displayUnit(of units: some Sequence<YenUnit>) -> YenUnit? {
    var counts: [YenUnit: Int] = [:]
    for unit in units { counts[unit, default: 0] += 1 }
    return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key.exponent < b.key.exponent }?.key
  }

  // MARK: - Change from the previous year

  /// `(current − previous) / previous`, exact; nil when `previous` is zero or on overflow.
  public static func changeRatio(from previous: ExactDecimal, to current: ExactDecimal) -> Rational? {
    guard !previous.isZero, let difference = current.subtracting(previous), let d = Rational(difference), let p = Rational(previous),
      let inverse = Rational(p.denominator, p.numerator)
    else { return nil }
    return d.multiplied(by: inverse)
  }

  /// A ratio as a percentage with two decimals, rounded half away from zero, trailing zeros
  /// dropped, without the sign `%`: `79.55`, `-12.5`, `0`; nil beyond the exact range.
  public static func percent(_ ratio: Rational) -> String? {
    let text = ratio.percentString(digits: 2)
    return text == "?" ? nil : String(text.dropLast())
  }

  /// `+79.55%`, `-12.5%`, `+0%`.
  public static func signedPercent(_ ratio: Rational) -> String? {
    percent(ratio).map { (ratio.isPositive || ratio == .zero ? "+" : "") + $0 + "%" }
  }

  /// The change from `previous` to `current` in exact yen and percent: `+350,000,000円 (+79.55%)`.
  public static func change(from previous: ExactDecimal, to current: ExactDecimal) -> String? {
    guard let difference = current.subtracting(previous) else { return nil }
    var text = signedYen(difference)
    if let ratio = changeRatio(from: previous, to: current), let percent = signedPercent(ratio) { text += " (\(percent))" }
    return text
  }

  // MARK: - 増△減 (the Japanese convention)

  /// A change as Japanese budget documents print it: `△` before a decrease, `+` before an
  /// increase, `±0` for none, in `unit` with thousands separators: `+66千円`, `△1.2億円`.
  public static func increaseDecrease(_ value: ExactDecimal, in unit: YenUnit, fractionDigits: Int = 0) -> String {
    if value.isZero { return "±0" + unit.symbol }
    let magnitude = amount(value.isNegative ? value.negated() : value, in: unit, fractionDigits: fractionDigits)
    return (value.isNegative ? "△" : "+") + magnitude
  }

  /// A change in exact yen with `△` before a decrease: `+66,000円`, `△120,000,000円`.
  public static func increaseDecreaseYen(_ value: ExactDecimal) -> String {
    if value.isZero { return "±0円" }
    return (value.isNegative ? "△" + yen(value.negated()) : "+" + yen(value))
  }

  /// A ratio as a percentage with `△` before a decrease: `+5.3%`, `△12.5%`, `±0%`.
  public static func increaseDecreasePercent(_ ratio: Rational) -> String? {
    guard let text = percent(ratio) else { return nil }
    if ratio == .zero { return "±0%" }
    let magnitude = text.hasPrefix("-") ? String(text.dropFirst()) : text
    return (ratio.isPositive ? "+" : "△") + magnitude + "%"
  }
}
