import YosanSyntax

/// One sum of a budget file, evaluated within rounding: what adds up (the *rows*) against what it
/// must add up to (the *total*), both as intervals of exact yen.
///
/// The sum rules, hover and inlay hints all read this one evaluation (`SumChecks`), so what the
/// editor shows is what `yosan check` reports. It is a plain value: evaluating has no effects.
public struct SumCheck: Sendable {
  public enum Status: Sendable, Hashable {
    /// The rows' interval overlaps the total's (for a partial sum: their lower bound is at most
    /// the total's upper bound).
    case consistent
    case inconsistent
    /// A figure is approximate (`約`), or the sum left the exact range: nothing can be said.
    case unverifiable
  }

  /// What is added up against what.
  public enum Kind: Sendable, Hashable {
    /// A `内訳`'s rows against its own `小計`/`合計`.
    case breakdownTotal
    /// A top-level `内訳` (its total, or its rows) against the item's `要求額`.
    case breakdownRequest
    /// A nested `内訳` titled like a row of its parent, against that row.
    case detailRow
    /// A `うち`'s rows, at most its total (partial).
    case ofWhich
    /// Sub-items' requests against the parent's request.
    case subItems
    /// A `計上` split against the request (partial when some entries have no amount).
    case bookingSplit
    /// A `分野`'s items and nested sections against its `合計`.
    case sectionTotal

    /// The rule that reports this kind of sum.
    public var ruleID: String {
      switch self {
      case .breakdownTotal, .breakdownRequest, .detailRow: return "breakdown-sum"
      case .ofWhich: return "of-which-sum"
      case .subItems: return "sub-item-sum"
      case .bookingSplit: return "booking-split-sum"
      case .sectionTotal: return "section-total"
      }
    }
  }

  /// One figure that is added: a row, a nested breakdown's total, a sub-item's request.
  public struct Contribution: Sendable, Hashable {
    /// Where the figure is written (the amount, not the whole entry).
    public var range: TextRange
    public var amount: Amount
    public var mode: RoundingMode
    /// The values the figure may stand for.
    public var interval: Interval
  }

  public var kind: Kind
  public var status: Status
  /// True when the rows need only add up to at most the total (`うち`, a partial `計上` split).
  public var isPartial: Bool
  /// Where the total is written (the `小計`/`合計` value, the `要求額` value, the detailed row's value).
  public var totalRange: TextRange
  /// The total as written (the amount part of `… + 事項要求`).
  public var total: Amount
  /// The rounding mode in force where the total is written.
  public var mode: RoundingMode
  public var totalInterval: Interval?
  /// The sum of the rows' intervals.
  public var rowsInterval: Interval?
  /// The exact sum of the written row values, in yen.
  public var rowsSum: ExactDecimal?
  /// The total's unit, for messages and hints.
  public var unit: YenUnit
  /// The figures added up, in order (empty when evaluated without collecting).
  public var contributions: [Contribution]
  /// The `約` amounts that make the sum unverifiable (empty when evaluated without collecting).
  public var approximate: [TextRange]
  /// True when adding up left the exact range (38 digits).
  public var overflow: Bool
  /// The rows (their labels) whose amount could not be read: they make the sum unverifiable
  /// (empty when evaluated without collecting; `hasUnreadableRows` says whether there are any).
  public var unreadable: [TextRange]
  /// True when a row's amount could not be read (empty, malformed): the sum cannot be checked.
  public var hasUnreadableRows: Bool
  /// Where the total's key is written (`小計`, `合計`, `要求額`, or the label of the row a nested
  /// breakdown details): `totalLabel(in:)` reads it as the author spelt it.
  public var totalKeyRange: TextRange
  /// The title of the breakdown or section whose rows add up (nil when untitled or not a block).
  public var subject: String?
  /// Where the rows' block is: the `内訳`/`うち`/`分野` keyword, or the `計上` entry.
  public var anchor: TextRange

  /// The contributing rows and nested totals.
  public var rows: [TextRange] { contributions.map(\.range) }

  /// The total's key or row label as written: `小計`, `要求額`, `request`, `(1) 行政政策研究経費`.
  public func totalLabel(in file: FileFacts) -> String { file.text(totalKeyRange) }

  /// The written total closest to the one written that would make the sum consistent (in the
  /// total's unit and precision); nil when the sum is consistent or unverifiable.
  public var nearestConsistentTotal: ExactDecimal? {
    guard status == .inconsistent, let rowsInterval else { return nil }
    return SumChecks.nearestConsistent(to: total, mode: mode, rows: rowsInterval, partial: isPartial)
  }

  /// The rows' exact sum rounded to the total's unit and precision under its rounding mode: what
  /// the total would be written as if it were computed from the rows. Always consistent.
  public var roundedRowsSum: ExactDecimal? {
    rowsSum.map { SumChecks.round($0, toExponent: total.unitOfLastPlace.exponent, mode: mode) }
  }
}

/// Evaluation of every sum of a file: breakdowns, sub-items, 計上 splits and sections.
public enum SumChecks {
  /// Every sum of one item (its breakdowns at every depth, its sub-items against it, its 計上
  /// split), in the order they are written. Sums of its sub-items' own breakdowns belong to those
  /// sub-items.
  ///
  /// With `collecting` false the checks carry no `contributions` and no `approximate` ranges
  /// (only their status, intervals and sums): the rules evaluate that way first, and again with
  /// the figures only for a sum they report.
  public static func evaluate(_ item: Item, in file: FileFacts, collecting: Bool = true) -> [SumCheck] {
    var checks = breakdowns(of: item, in: file, collecting: collecting)
    if let check = subItems(of: item, in: file, collecting: collecting) { checks.append(check) }
    if let check = bookingSplit(of: item, in: file, collecting: collecting) { checks.append(check) }
    return checks
  }

  /// The sums of an item's `内訳` and `うち` blocks, at every depth.
  public static func breakdowns(of item: Item, in file: FileFacts, collecting: Bool = true) -> [SumCheck] {
    var checks: [SumCheck] = []
    guard !item.breakdowns.isEmpty else { return checks }
    let mode = file.roundingMode
    let request = item.request.flatMap { TotalRef($0.value, location: $0.location, mode: mode) }
    for index in item.breakdowns.indices {
      visit(
        item.breakdowns[index], mode: item.breakdowns[index].rounding?.value ?? mode, enclosing: request, detailedRow: nil,
        isTopLevel: true,
        collecting: collecting, into: &checks)
    }
    return checks
  }

  /// The sum of an item's sub-items against its request, when it has sub-items and no `内訳`.
  public static func subItems(of item: Item, in file: FileFacts, collecting: Bool = true) -> SumCheck? {
    subItems(of: item, mode: file.roundingMode, collecting: collecting)
  }

  /// The sum of an item's `計上` split against its request, when the split gives amounts.
  public static func bookingSplit(of item: Item, in file: FileFacts, collecting: Bool = true) -> SumCheck? {
    bookingSplit(of: item, mode: file.roundingMode, collecting: collecting)
  }

  /// The sum of one section: its `合計` against its items and nested sections.
  public static func evaluate(_ section: Section, in file: FileFacts, collecting: Bool = true) -> SumCheck? {
    sectionTotal(section, mode: file.roundingMode, collecting: collecting)
  }

  // MARK: - Breakdowns

  /// A written figure that rows can be checked against.
  struct TotalRef {
    var amount: Amount
    var mode: RoundingMode
    /// The key (or row label) the total is written under.
    var keyRange: TextRange

    /// The total of an entry whose value counts as an amount (not 内数, なし or unreadable).
    init?(_ value: AmountExpression?, location: EntryLocation, mode: RoundingMode) {
      guard let amount = value?.countedAmount else { return nil }
      self.amount = amount
      self.mode = mode
      keyRange = location.keyRange
    }
  }

  /// Rows added up so far.
  struct Aggregate {
    /// Whether to keep the figures (`contributions`, `approximate`), or only count them.
    let collecting: Bool
    var interval = Interval.zero
    var sum = ExactDecimal.zero
    var count = 0
    var contributions: [SumCheck.Contribution] = []
    var approximateCount = 0
    var approximate: [TextRange] = []
    var overflow = false
    /// A row could not be read: the sum is unknown (another rule reports the row).
    var incomplete = false
    /// How many rows could not be read, and (when collecting) where their labels are.
    var unreadableCount = 0
    var unreadable: [TextRange] = []

    init(collecting: Bool) { self.collecting = collecting }

    mutating func add(_ amount: Amount, mode: RoundingMode) {
      let interval = amount.interval(mode)
      count += 1
      if collecting { contributions.append(SumCheck.Contribution(range: amount.range, amount: amount, mode: mode, interval: interval)) }
      if amount.isApproximate {
        approximateCount += 1
        if collecting { approximate.append(amount.range) }
      }
      guard !overflow, let i = self.interval.adding(interval), let s = sum.adding(amount.yen) else {
        overflow = true
        return
      }
      self.interval = i
      sum = s
    }

    mutating func merge(_ other: Aggregate) {
      count += other.count
      approximateCount += other.approximateCount
      if collecting {
        contributions += other.contributions
        approximate += other.approximate
      }
      incomplete = incomplete || other.incomplete
      unreadableCount += other.unreadableCount
      if collecting { unreadable += other.unreadable }
      guard !overflow, !other.overflow, let i = interval.adding(other.interval), let s = sum.adding(other.sum) else {
        overflow = true
        return
      }
      interval = i
      sum = s
    }

    /// Adds an amount expression: amounts and the amount part of a pending request count; 内数
    /// and なし never do; an unreadable value, or one the source does not state, makes the sum
    /// unknown.
    mutating func add(_ expression: AmountExpression?, mode: RoundingMode) {
      switch expression {
      case .amount(let amount)?: add(amount, mode: mode)
      case .pending(let pending)?: if let amount = pending.amount { add(amount, mode: mode) }
      case .none?, .partOf?: break
      case nil, .notStated?: incomplete = true
      }
    }

    /// Adds a breakdown's row (or a nested breakdown's total): a row whose value could not be
    /// read makes the sum unverifiable, and is remembered so that the sum can say why.
    mutating func add(_ row: Row, mode: RoundingMode) {
      switch row.value {
      case nil, .notStated?: noteUnreadable(row.location.keyRange)
      default: break
      }
      add(row.value, mode: mode)
    }

    mutating func noteUnreadable(_ label: TextRange) {
      incomplete = true
      unreadableCount += 1
      if collecting { unreadable.append(label) }
    }
  }

  /// Checks `breakdown` and the breakdowns inside it. `enclosing` is the nearest written total
  /// above it (for a `うち` without its own); `detailedRow` the parent's row it details.
  static func visit(
    _ breakdown: Breakdown, mode: RoundingMode, enclosing: TotalRef?, detailedRow: TotalRef?, isTopLevel: Bool, collecting: Bool,
    into checks: inout [SumCheck]
  ) {
    let aggregate = rows(of: breakdown, mode: mode, collecting: collecting)
    let ownTotal = breakdown.total.flatMap { TotalRef($0.value, location: $0.location, mode: mode) }
    let anchor = breakdown.keywordRange
    let title = breakdown.title?.text
    switch breakdown.kind {
    case .full:
      if let ownTotal, reportable(aggregate) {
        checks.append(make(.breakdownTotal, aggregate, against: ownTotal, subject: title, anchor: anchor))
      }
      // What the breakdown amounts to, as seen from above: its total, else its rows.
      var asWhole = aggregate
      if let ownTotal {
        asWhole = Aggregate(collecting: collecting)
        asWhole.add(ownTotal.amount, mode: ownTotal.mode)
      } else if let total = breakdown.total {
        if total.value == nil { asWhole.noteUnreadable(total.location.keyRange) } else { asWhole.incomplete = true }
      }
      if !reportable(asWhole) {
        // Nothing counts, or a total is 内数 or なし: another rule says why.
      } else if let detailedRow {
        checks.append(make(.detailRow, asWhole, against: detailedRow, subject: title, anchor: anchor))
      } else if isTopLevel, let enclosing {
        checks.append(make(.breakdownRequest, asWhole, against: enclosing, subject: title, anchor: anchor))
      }
    case .ofWhich:
      if let total = ownTotal ?? detailedRow ?? (breakdown.total == nil ? enclosing : nil), reportable(aggregate) {
        checks.append(make(.ofWhich, aggregate, against: total, subject: title, anchor: anchor, partial: true))
      }
    }
    // Nested breakdowns see this one's written total, else the row this one details, else the
    // total above.
    let enclosingInside = ownTotal ?? detailedRow ?? enclosing
    let children = breakdown.children
    for index in children.indices {
      guard case .breakdown(let nested) = children[index] else { continue }
      let row = rowDetailed(by: nested, in: breakdown).flatMap { TotalRef($0.value, location: $0.location, mode: mode) }
      visit(
        nested, mode: nested.rounding?.value ?? mode, enclosing: enclosingInside, detailedRow: row, isTopLevel: false,
        collecting: collecting,
        into: &checks)
    }
  }

  /// The row of `parent` whose label is `nested`'s title (the same text, byte for byte, spaces
  /// around the title aside), if any.
  static func rowDetailed(by nested: Breakdown, in parent: Breakdown) -> Row? {
    guard var title = nested.title?.text.utf8[...] else { return nil }
    while let first = title.first, first == UInt8(ascii: " ") { title = title.dropFirst() }
    while let last = title.last, last == UInt8(ascii: " ") { title = title.dropLast() }
    guard !title.isEmpty else { return nil }
    let children = parent.children
    for index in children.indices {
      if case .row(let row) = children[index], row.label.utf8.elementsEqual(title) { return row }
    }
    return nil
  }

  /// The rows of a breakdown added up: its rows, and for each nested `内訳` that details no row
  /// its total (or, without one, its rows). A `うち` adds nothing to its parent.
  static func rows(of breakdown: Breakdown, mode: RoundingMode, collecting: Bool) -> Aggregate {
    var aggregate = Aggregate(collecting: collecting)
    let children = breakdown.children
    for index in children.indices {
      switch children[index] {
      case .row(let row):
        aggregate.add(row, mode: mode)
      case .breakdown(let nested):
        guard nested.kind == .full, rowDetailed(by: nested, in: breakdown) == nil else { continue }
        let nestedMode = nested.rounding?.value ?? mode
        if let total = nested.total {
          aggregate.add(total, mode: nestedMode)
          if case .some(.partOf) = total.value { aggregate.incomplete = true }
          if case .some(.none) = total.value { aggregate.incomplete = true }
        } else {
          aggregate.merge(rows(of: nested, mode: nestedMode, collecting: collecting))
        }
      }
    }
    return aggregate
  }

  // MARK: - Sub-items, 計上, sections

  static func subItems(of item: Item, mode: RoundingMode, collecting: Bool) -> SumCheck? {
    guard !item.subItems.isEmpty, !item.breakdowns.contains(where: { $0.kind == .full }) else { return nil }
    guard let field = item.request, let total = TotalRef(field.value, location: field.location, mode: mode) else { return nil }
    var aggregate = Aggregate(collecting: collecting)
    for sub in item.subItems where !sub.has(.restated) {
      aggregate.add(sub.request?.value, mode: mode)
    }
    return checkable(aggregate) ? make(.subItems, aggregate, against: total, subject: item.title?.text, anchor: item.keywordRange) : nil
  }

  static func bookingSplit(of item: Item, mode: RoundingMode, collecting: Bool) -> SumCheck? {
    guard let bookings = item.bookedBy, bookings.value.contains(where: { $0.amount != nil }) else { return nil }
    guard let field = item.request, let total = TotalRef(field.value, location: field.location, mode: mode) else { return nil }
    var aggregate = Aggregate(collecting: collecting)
    var partial = false
    for booking in bookings.value {
      if let value = booking.amount { aggregate.add(value, mode: mode) } else { partial = true }
    }
    return make(.bookingSplit, aggregate, against: total, subject: nil, anchor: bookings.location.keyRange, partial: partial)
  }

  static func sectionTotal(_ section: Section, mode: RoundingMode, collecting: Bool) -> SumCheck? {
    guard let total = section.total else { return nil }
    let aggregate = members(of: section, mode: mode, collecting: collecting)
    guard let ref = TotalRef(.amount(total.value), location: total.location, mode: mode) else { return nil }
    return checkable(aggregate)
      ? make(.sectionTotal, aggregate, against: ref, subject: section.title?.text, anchor: section.keywordRange) : nil
  }

  /// A section's items (not restated ones) and nested sections (their 合計, else their members).
  static func members(of section: Section, mode: RoundingMode, collecting: Bool) -> Aggregate {
    var aggregate = Aggregate(collecting: collecting)
    let members = section.members
    for index in members.indices {
      switch members[index] {
      case .item(let item):
        guard !item.has(.restated) else { continue }
        aggregate.add(item.request?.value, mode: mode)
      case .section(let nested):
        if let total = nested.total {
          aggregate.add(total.value, mode: mode)
        } else {
          aggregate.merge(self.members(of: nested, mode: mode, collecting: collecting))
        }
      }
    }
    return aggregate
  }

  // MARK: - Verdicts

  /// A sum can be checked when every row was read and at least one row counts.
  static func checkable(_ aggregate: Aggregate) -> Bool {
    !aggregate.incomplete && aggregate.count > 0
  }

  /// A sum is kept when it can be checked, or when a row could not be read: it is then
  /// unverifiable, and `unverifiable-sum` says so rather than let it pass in silence.
  static func reportable(_ aggregate: Aggregate) -> Bool {
    checkable(aggregate) || aggregate.unreadableCount > 0
  }

  static func make(
    _ kind: SumCheck.Kind, _ aggregate: Aggregate, against total: TotalRef, subject: String?, anchor: TextRange, partial: Bool = false
  ) -> SumCheck {
    let totalInterval = total.amount.interval(total.mode)
    var status: SumCheck.Status
    if !checkable(aggregate) {
      // Callers only keep checkable sums; a nested breakdown's unreadable total lands here.
      status = .unverifiable
    } else if total.amount.isApproximate || aggregate.approximateCount > 0 || aggregate.overflow {
      status = .unverifiable
    } else if partial {
      status = aggregate.interval.canBeAtMost(totalInterval) ? .consistent : .inconsistent
    } else {
      status = aggregate.interval.overlaps(totalInterval) ? .consistent : .inconsistent
    }
    var approximate = aggregate.approximate
    if total.amount.isApproximate, aggregate.collecting { approximate.insert(total.amount.range, at: 0) }
    return SumCheck(
      kind: kind, status: status, isPartial: partial, totalRange: total.amount.range, total: total.amount, mode: total.mode,
      totalInterval: totalInterval, rowsInterval: aggregate.overflow ? nil : aggregate.interval,
      rowsSum: aggregate.overflow ? nil : aggregate.sum, unit: total.amount.unit, contributions: aggregate.contributions,
      approximate: approximate, overflow: aggregate.overflow, unreadable: aggregate.unreadable,
      hasUnreadableRows: aggregate.unreadableCount > 0, totalKeyRange: total.keyRange, subject: subject, anchor: anchor)
  }

  // MARK: - Rounding arithmetic

  /// `value` rounded to a multiple of 10^exponent yen under `mode`: 四捨五入 to the nearest (a
  /// half away from zero), 切り捨て toward zero, 切り上げ away from zero.
  public static func round(_ value: ExactDecimal, toExponent exponent: Int, mode: RoundingMode) -> ExactDecimal {
    if value.exponent >= exponent { return value }
    guard let divisor = ExactDecimal.powerOfTen(exponent - value.exponent) else { return ExactDecimal(significand: 0, exponent: exponent) }
    let magnitude = value.significand.magnitude
    var quotient = magnitude / UInt128(divisor)
    let remainder = magnitude % UInt128(divisor)
    switch mode {
    case .round: if remainder * 2 >= UInt128(divisor) { quotient += 1 }
    case .truncate: break
    case .ceiling: if remainder != 0 { quotient += 1 }
    }
    let signed = Int128(quotient)
    return ExactDecimal(significand: value.isNegative ? -signed : signed, exponent: exponent)
  }

  /// The multiple of the total's unit of last place nearest to the written total whose interval
  /// makes the sum consistent (a partial sum: whose upper bound reaches the rows' lower bound).
  static func nearestConsistent(to total: Amount, mode: RoundingMode, rows: Interval, partial: Bool) -> ExactDecimal? {
    let u = total.unitOfLastPlace
    func consistent(_ k: Int128) -> Bool {
      let candidate = Amount.interval(of: ExactDecimal(significand: k, exponent: u.exponent), unitOfLastPlace: u, mode: mode)
      return partial ? rows.canBeAtMost(candidate) : rows.overlaps(candidate)
    }
    guard let written = total.yen.rescaled(to: u.exponent)?.significand else { return nil }
    let totalInterval = total.interval(mode)
    // The total is too large when it starts above the rows (a partial sum is never too large).
    let tooLarge = !partial && !totalInterval.canBeAtMost(rows)
    let target = tooLarge ? rows.upper : rows.lower
    let k = round(target, toExponent: u.exponent, mode: .truncate).rescaled(to: u.exponent)?.significand ?? written
    // Consistent multiples form a run; near the target, one of k − 3 … k + 3 is its end.
    let window = (k - 3)...(k + 3)
    let found = tooLarge ? window.reversed().first(where: consistent) : window.first(where: consistent)
    return found.map { ExactDecimal(significand: $0, exponent: u.exponent) }
  }
}
