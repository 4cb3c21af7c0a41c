import YosanCore
import YosanJSON
import YosanSyntax

/// Sums in the editor: an inlay hint after each total with the rows' computed sum and ✓ or ✗, and
/// the rows' sum and interval in the hover of a total. Both read `SumChecks`, the evaluation the
/// sum rules report from, so the editor shows what `yosan check` says.
enum SumsFeature {
  /// An inlay hint: after a total, its rows' sum.
  struct Hint {
    var totalRange: TextRange
    var label: String
    var tooltip: String

    init(_ check: SumCheck, in file: FileFacts) {
      totalRange = check.totalRange
      label = SumsFeature.label(check)
      tooltip = SumsFeature.explanation(check, in: file)
    }
  }

  /// The hints of one item and its sub-items (`item` where it stands in `file`), in model order.
  static func hints(_ item: Item, in file: FileFacts) -> [Hint] {
    var hints = SumChecks.evaluate(item, in: file).map { Hint($0, in: file) }
    for sub in item.subItems { hints += self.hints(sub, in: file) }
    return hints
  }

  /// `Σ 527億円 ✓`, `Σ 3,003千円 ✗`, `Σ 525.9億円 ≤ ✓` (a partial sum), `Σ 527億円 ?` (unverifiable).
  static func label(_ check: SumCheck) -> String {
    let sum = check.rowsSum.map { Amount.format($0, in: check.unit, fractionDigits: check.total.fractionDigits) } ?? "?"
    let mark: String
    switch check.status {
    case .consistent: mark = "✓"
    case .inconsistent: mark = "✗"
    case .unverifiable: mark = "?"
    }
    return "Σ \(sum)\(check.isPartial ? " ≤" : "") \(mark)"
  }

  /// What the hint's tooltip and the hover say about a sum.
  static func explanation(_ check: SumCheck, in file: FileFacts) -> String {
    let rows = check.contributions.count
    var text = "\(rows) \(rows == 1 ? "figure adds" : "figures add") up to "
    text += check.rowsSum.map { Figures.yen($0) } ?? "an unknown sum"
    if let interval = check.rowsInterval { text += ", \(Figures.interval(interval)) with rounding" }
    if let total = check.totalInterval {
      text += "; \(check.totalLabel(in: file)) `\(file.text(check.totalRange))` stands for \(Figures.interval(total))"
    }
    switch check.status {
    case .consistent:
      text += check.isPartial ? ": at most the total ✓" : ": consistent ✓"
    case .inconsistent:
      text += check.isPartial ? ": more than the total allows ✗" : ": inconsistent ✗"
      if let nearest = check.nearestConsistentTotal {
        text += " (the nearest consistent total is \(Amount.format(nearest, in: check.unit, fractionDigits: check.total.fractionDigits)))"
      }
    case .unverifiable:
      if check.overflow {
        text += ": beyond the exact range, not checked"
      } else {
        text += check.hasUnreadableRows ? ": unverifiable (a row's amount cannot be read)" : ": unverifiable (an amount is 約, approximate)"
      }
    }
    return text
  }
}

extension LanguageServer {
  /// Every sum whose total is written in `range`: those of the items and sections it overlaps.
  func sumChecks(in file: FileContext, overlapping range: TextRange) -> [SumCheck] {
    var checks: [SumCheck] = []
    func overlaps(_ r: TextRange) -> Bool { r.start <= range.end && r.end >= range.start }
    func visit(_ item: Item) {
      guard overlaps(item.range) else { return }
      checks += SumChecks.evaluate(item, in: file.facts)
      for sub in item.subItems { visit(sub) }
    }
    func visit(_ members: [Member]) {
      for member in members {
        switch member {
        case .section(let section):
          guard overlaps(section.range) else { continue }
          if let check = SumChecks.evaluate(section, in: file.facts) { checks.append(check) }
          visit(section.members)
        case .item(let item):
          visit(item)
        }
      }
    }
    visit(file.document.members)
    return checks.filter { overlaps($0.totalRange) }
  }

  /// The sums whose total is written in `range`, after each: the sections' found now, each
  /// unit's kept while the unit is the same.
  func inlayHints(_ params: ParamReader) throws(ResponseError) -> JSON {
    let units = try fileUnits(params)
    let file = units.file
    let range = try file.view.range(params["range"])
    func overlaps(_ r: TextRange) -> Bool { r.start <= range.end && r.end >= range.start }
    var hints: [SumsFeature.Hint] = []
    func visit(_ members: [Member]) {
      for member in members {
        guard case .section(let section) = member, overlaps(section.range) else { continue }
        if let check = SumChecks.evaluate(section, in: file.facts), overlaps(check.totalRange) { hints.append(SumsFeature.Hint(check, in: file.facts)) }
        visit(section.members)
      }
    }
    visit(file.document.members)
    for (index, unit) in units.units(meeting: range).enumerated() {
      try checkStale(index)
      let found = kept(unit, path: file.path, \.hints) { hint, delta in
        var moved = hint
        moved.totalRange = hint.totalRange.shifted(by: delta)
        return moved
      } compute: { item in
        SumsFeature.hints(item, in: file.facts)
      }
      hints += found.filter { overlaps($0.totalRange) }
    }
    pruneUnitCache(units, whole: range.start == 0 && range.end == file.view.bytes.count)
    let ordered = hints.enumerated().sorted { ($0.element.totalRange.end, $0.offset) < ($1.element.totalRange.end, $1.offset) }
    return .array(ordered.map { _, hint in
      .object([
        ("position", file.view.positionJSON(hint.totalRange.end)), ("label", .string(hint.label)), ("tooltip", .string(hint.tooltip)),
        ("paddingLeft", .bool(true)),
      ])
    })
  }

  /// On a total: the rows' sum and interval, and whether they are consistent with it.
  func sumHover(_ role: AmountRole, offset: Int, in file: FileContext, into text: inout HoverText) {
    guard [.request, .total, .sectionTotal, .row].contains(role.kind) else { return }
    for check in sumChecks(in: file, overlapping: TextRange.empty(at: offset)) where check.totalRange.touches(offset) {
      text.add("**\(SumsFeature.label(check))** \(SumsFeature.explanation(check, in: file.facts))")
    }
  }
}
