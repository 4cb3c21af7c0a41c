import YosanSyntax

/// Facts about one item that several item rules need, kept for the item being checked. The
/// analyzer gives all item rules of one file the same scratch (it is never shared across
/// threads), so that the item's rows are walked and its sums evaluated once, not once per rule.
final class ItemScratch {
  /// The item the facts are of (its start offset).
  private var sumsOf = -1
  private var sums: [SumCheck] = []
  private var valuesOf = -1
  private var values = ItemValues()

  /// The sums of `item` (`SumChecks.evaluate` without collecting figures), evaluated once.
  func sums(of item: Item, in file: FileFacts) -> [SumCheck] {
    if sumsOf != item.range.start {
      sums = SumChecks.evaluate(item, in: file, collecting: false)
      sumsOf = item.range.start
    }
    return sums
  }

  /// What the notation and year rules look for in `item`'s values, found in one walk.
  func values(of item: Item, in file: FileFacts) -> ItemValues {
    if valuesOf != item.range.start {
      values = ItemValues(item, bytes: file.bytes)
      valuesOf = item.range.start
    }
    return values
  }
}

/// The few things in an item's values that the notation and year rules report, found in one walk
/// over the item (its entries, its amounts, its breakdowns' titles, rows and totals). Almost
/// always every list is empty, and an empty list costs nothing.
struct ItemValues {
  /// `なし` written as a dash, and the entry it is the value of.
  var dashes: [(marker: NoneMarker, location: EntryLocation)] = []
  /// Amounts that read the kanji 一 as one, and whether each is the whole value of its entry.
  var kanjiOnes: [(amount: Amount, isWholeValue: Bool)] = []
  /// Amounts with a space between number and unit.
  var spaced: [Amount] = []
  /// Entries whose value holds the byte EF (a full-width form may be there): item entries (with
  /// their key, nil when unknown) and breakdown rows and totals (`isRow`), with whether the value
  /// is a なし marker.
  var fullWidth: [(location: EntryLocation, key: Key?, isRow: Bool, isNone: Bool)] = []
  /// Breakdown titles that contain 年度.
  var titlesWithYear: [TextValue] = []
  /// Breakdown row labels that contain 年度.
  var labelsWithYear: [TextRange] = []

  init() {}

  init(_ item: Item, bytes: [UInt8]) {
    for entry in item.entries where ItemValues.containsEF(entry.location.valueRange, bytes) {
      fullWidth.append((entry.location, entry.key, false, false))
    }
    if let request = item.request { note(request.value, request.location, bytes, isEntryOfItem: true) }
    if let previous = item.previous { note(previous.value, previous.location, bytes, isEntryOfItem: true) }
    for index in item.breakdowns.indices { visit(item.breakdowns[index], bytes) }
    for field in item.supplementary { note(field.value.amount, isWholeValue: false) }
    for field in item.multiYear { if let amount = field.value.amount { note(amount, isWholeValue: false) } }
    if let field = item.unitAmount { note(field.value.amount, isWholeValue: false) }
    if let field = item.cap { note(field.value.amount, isWholeValue: false) }
    if let field = item.floor { note(field.value.amount, isWholeValue: false) }
    for booking in item.bookedBy?.value ?? [] { if let amount = booking.amount { note(amount, isWholeValue: false) } }
  }

  mutating func visit(_ breakdown: Breakdown, _ bytes: [UInt8]) {
    if let title = breakdown.title, YearMentions.contains年度(bytes, title.range) { titlesWithYear.append(title) }
    let children = breakdown.children
    for index in children.indices {
      switch children[index] {
      case .row(let row):
        if YearMentions.contains年度(bytes, row.location.keyRange) { labelsWithYear.append(row.location.keyRange) }
        if let value = row.value { note(value, row.location, bytes, isEntryOfItem: false) }
      case .breakdown(let nested):
        visit(nested, bytes)
      }
    }
    if let total = breakdown.total, let value = total.value { note(value, total.location, bytes, isEntryOfItem: false) }
  }

  /// An amount expression and its entry. Item entries were already looked at for full-width forms.
  mutating func note(_ expression: AmountExpression, _ location: EntryLocation, _ bytes: [UInt8], isEntryOfItem: Bool) {
    switch expression {
    case .amount(let amount): note(amount, isWholeValue: true)
    case .pending(let pending): if let amount = pending.amount { note(amount, isWholeValue: false) }
    case .partOf(let part): if let total = part.total { note(total, isWholeValue: false) }
    case .none(let marker):
      if case .dash = marker.spelling { dashes.append((marker, location)) }
    case .notStated: break
    }
    if isEntryOfItem {
      // Mark an item entry whose value is なし, so that a full-width dash is left to dash-none.
      if expression.isNone, let index = fullWidth.firstIndex(where: { $0.location.range == location.range }) {
        fullWidth[index].isNone = true
      }
    } else if ItemValues.containsEF(location.valueRange, bytes) {
      fullWidth.append((location, nil, true, expression.isNone))
    }
  }

  mutating func note(_ amount: Amount, isWholeValue: Bool) {
    if amount.kanjiOneRange != nil { kanjiOnes.append((amount, isWholeValue)) }
    if amount.gapRange != nil { spaced.append(amount) }
  }

  /// True when `range` holds a byte EF, which every full-width form starts with.
  static func containsEF(_ range: TextRange, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
      var i = range.start
      while i < range.end {
        if buffer[i] == 0xEF { return true }
        i += 1
      }
      return false
    }
  }
}
