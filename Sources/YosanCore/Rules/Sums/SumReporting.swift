import YosanSyntax

extension RuleContext {
  /// Reports the sums of `kinds` of `item`, evaluated once for all the item rules.
  mutating func reportSums(of item: Item, kinds: [SumCheck.Kind]) {
    let file = self.file
    SumReporting.report(scratch.sums(of: item, in: file), { SumChecks.evaluate(item, in: file) }, kinds: kinds, &self)
  }
}

/// Turns evaluated sums into diagnostics: one piece of code for every sum rule, so that all of
/// them say the same things the same way. Nothing here runs unless a sum is reported.
enum SumReporting {
  /// Counts every checked sum of `kinds` among `sums` (evaluated without their figures) and
  /// reports the inconsistent ones (and those that left the exact range) under the context's rule.
  /// `evaluate` gives the same sums with their figures; it is called only when something is
  /// reported.
  static func report(_ sums: [SumCheck], _ evaluate: () -> [SumCheck], kinds: [SumCheck.Kind], _ context: inout RuleContext) {
    var failed = false
    for check in sums where kinds.contains(check.kind) {
      if check.overflow || check.status == .inconsistent { failed = true }
      if check.status != .unverifiable { context.countSum() }
    }
    guard failed else { return }
    for check in evaluate() where kinds.contains(check.kind) {
      if check.overflow {
        context.report(
          "\(subject(check, context.file).noun) add up beyond the 38 digits Yosan computes exactly; this sum is not checked",
          at: check.totalRange)
      } else if check.status == .inconsistent {
        reportInconsistent(check, &context)
      }
    }
  }

  static func reportInconsistent(_ check: SumCheck, _ context: inout RuleContext) {
    guard let rows = check.rowsInterval, let totalInterval = check.totalInterval, let sum = check.rowsSum else { return }
    let file = context.file
    let unit = check.unit
    let digits = check.total.fractionDigits
    let (noun, plural) = subject(check, file)
    let label = check.totalLabel(in: file)
    let written = file.text(check.totalRange)
    let totalPhrase = check.kind == .detailRow ? "the row `\(label)` it details, `\(written)`," : "\(label) `\(written)`"
    var message: String
    if check.isPartial {
      message =
        "\(noun) \(plural ? "add" : "adds") up to at least \(number(rows.lower, unit, digits))\(unit.symbol) "
        + "(\(describe(rows, unit, digits)) with rounding), more than \(totalPhrase) allows (\(describe(totalInterval, unit, digits)))"
    } else {
      message =
        "\(noun) \(plural ? "add" : "adds") up to \(number(sum, unit, digits))\(unit.symbol) "
        + "(\(describe(rows, unit, digits)) with rounding), but \(totalPhrase) stands for \(describe(totalInterval, unit, digits))"
    }
    if let nearest = check.nearestConsistentTotal, let change = nearest.subtracting(check.total.yen) {
      let amount = Amount.format(change.isNegative ? change.negated() : change, in: unit, fractionDigits: digits)
      message +=
        "; write `\(label) = \(writtenAmount(nearest, check.total))` (\(amount) \(change.isNegative ? "less" : "more")), or \(remedy(check))"
    }
    var fixes: [Fix] = []
    if !check.isPartial, let rounded = check.roundedRowsSum {
      let replacement = writtenAmount(rounded, check.total)
      fixes.append(
        Fix(
          title: "set \(label) to the rows' sum, \(replacement)", edits: [TextEdit(range: check.totalRange, replacement: replacement)],
          isSafe: false))
    }
    let related = check.contributions.map { c in
      RelatedLocation(
        range: c.range, message: "`\(file.text(c.range))` stands for \(describe(c.interval, c.amount.unit, c.amount.fractionDigits))")
    }
    context.report(message, at: check.totalRange, related: related, fixes: fixes)
  }

  /// What adds up, as the subject of a sentence, and whether it takes a plural verb.
  static func subject(_ check: SumCheck, _ file: FileFacts) -> (noun: String, plural: Bool) {
    let titled: (String) -> String = { keyword in check.subject.map { "\(keyword) `\($0)`" } ?? "this \(keyword)" }
    switch check.kind {
    case .breakdownTotal: return ("the rows of \(titled("内訳"))", true)
    case .breakdownRequest, .detailRow: return (titled("内訳"), false)
    case .ofWhich: return ("the rows of \(titled("うち"))", true)
    case .subItems: return ("the sub-items' requests", true)
    case .bookingSplit:
      let key = file.text(check.anchor)
      return check.isPartial ? ("the amounts of \(key)", true) : ("the \(key) split", false)
    case .sectionTotal: return ("the items of \(titled("分野"))", true)
    }
  }

  static func remedy(_ check: SumCheck) -> String {
    switch check.kind {
    case .breakdownTotal, .ofWhich: return "correct a row"
    case .breakdownRequest, .detailRow: return "correct the 内訳"
    case .subItems: return "correct a sub-item's request"
    case .bookingSplit: return "correct the split"
    case .sectionTotal: return "correct an item"
    }
  }

  /// A value written like `total`: in its unit, with its decimals, `△` for a negative value.
  static func writtenAmount(_ value: ExactDecimal, _ total: Amount) -> String {
    let text = Amount.format(value.isNegative ? value.negated() : value, in: total.unit, fractionDigits: total.fractionDigits)
    return value.isNegative ? "△" + text : text
  }

  /// A value in `unit` without the unit's symbol: `525.55`.
  static func number(_ value: ExactDecimal, _ unit: YenUnit, _ digits: Int) -> String {
    ExactDecimal(significand: value.significand, exponent: value.exponent - unit.exponent).formatted(
      grouping: true, minimumFractionDigits: digits)
  }

  /// `[525.55, 526.25]億円`, with `(` or `)` at an open end.
  static func describe(_ interval: Interval, _ unit: YenUnit, _ digits: Int) -> String {
    "\(interval.lowerClosed ? "[" : "(")\(number(interval.lower, unit, digits)), \(number(interval.upper, unit, digits))\(interval.upperClosed ? "]" : ")")\(unit.symbol)"
  }
}
