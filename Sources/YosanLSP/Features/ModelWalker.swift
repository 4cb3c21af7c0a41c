import YosanCore
import YosanSyntax

/// A value inside an entry that editor features point at: amounts, fractions, ids in `内数(…)`,
/// and words of the value grammar.
enum ValueSpan {
  case amount(Amount, AmountRole)
  case fraction(Fraction, FractionRole)
  case reference(Reference)
  /// `内数`, `事項要求`, `なし`, `定額`, `以上`, `約`: words the value grammar knows.
  case valueKeyword(TextRange)
  /// An enumerated value: a 区分, 端数, 単位 or 種別.
  case enumValue(TextRange)

  var range: TextRange {
    switch self {
    case .amount(let amount, _): return amount.range
    case .fraction(let fraction, _): return fraction.range
    case .reference(let reference): return reference.range
    case .valueKeyword(let range), .enumValue(let range): return range
    }
  }
}

/// What an amount is, for hover.
struct AmountRole {
  enum Kind: Equatable { case request, previous, row, total, sectionTotal, partOfTotal, other }
  var kind: Kind
  /// The key or row label it is the value of, as written.
  var label: String
  /// The rounding mode in force where it is written.
  var rounding: RoundingMode
}

/// What a fraction is, for hover.
enum FractionRole {
  case rate
  case share(party: String, all: [Share])
}

/// Visits the values of a document in model order (not sorted), optionally only those in items
/// and sections that overlap a window.
struct ModelWalker {
  let facts: FileFacts
  let window: TextRange?
  let visit: (ValueSpan) -> Void

  static let partOfWord = Array("内数".utf8)
  static let pendingWord = Array("事項要求".utf8)
  static let fixedWord = Array("定額".utf8)
  static let floorWord = Array("以上".utf8)
  static let aboutWord = Array("約".utf8)

  /// Visits every value of `facts` (in `window`, when given).
  static func walk(_ facts: FileFacts, window: TextRange? = nil, _ visit: @escaping (ValueSpan) -> Void) {
    ModelWalker(facts: facts, window: window, visit: visit).walkDocument()
  }

  /// Visits the values of one item (a unit) of `facts`, whose ranges must be where it stands.
  static func walk(_ item: Item, in facts: FileFacts, _ visit: @escaping (ValueSpan) -> Void) {
    ModelWalker(facts: facts, window: nil, visit: visit).walk(item, rounding: facts.roundingMode)
  }

  /// Visits the values outside the items (the header's, the sections' totals), in `window` when
  /// given: what the document's shell says, exact even while its items stand where they were lowered.
  static func walkShell(_ facts: FileFacts, window: TextRange?, _ visit: @escaping (ValueSpan) -> Void) {
    ModelWalker(facts: facts, window: window, visit: visit).walkDocument(items: false)
  }

  func overlaps(_ range: TextRange) -> Bool {
    guard let window else { return true }
    return range.start <= window.end && range.end >= window.start
  }

  func walkDocument(items: Bool = true) {
    let document = facts.document
    let rounding = facts.roundingMode
    if let header = document.header, overlaps(header.range) {
      for field in [header.kind?.location, header.unit?.location, header.rounding?.location].compactMap({ $0 }) {
        visit(.enumValue(field.valueRange))
      }
    }
    walk(document.members, rounding: rounding, items: items)
  }

  func walk(_ members: [Member], rounding: RoundingMode, items: Bool = true) {
    for member in members {
      switch member {
      case .section(let section):
        guard overlaps(section.range) else { continue }
        if let total = section.total { amount(total.value, .sectionTotal, facts.text(total.location.keyRange), rounding) }
        walk(section.members, rounding: rounding, items: items)
      case .item(let item):
        if items { walk(item, rounding: rounding) }
      }
    }
  }

  func walk(_ item: Item, rounding: RoundingMode) {
    guard overlaps(item.range) else { return }
    for tag in item.tags?.value ?? [] { visit(.enumValue(tag.range)) }
    if let request = item.request { expression(request.value, .request, facts.text(request.location.keyRange), rounding) }
    if let previous = item.previous { expression(previous.value, .previous, facts.text(previous.location.keyRange), rounding) }
    for field in item.supplementary { amount(field.value.amount, .other, facts.text(field.location.keyRange), rounding) }
    for field in item.multiYear {
      if let value = field.value.amount { amount(value, .other, facts.text(field.location.keyRange), rounding) }
    }
    if let rate = item.rate { walk(rate.value) }
    if let shares = item.shares {
      for share in shares.value { visit(.fraction(share.fraction, .share(party: share.party, all: shares.value))) }
    }
    for field in [item.unitAmount, item.cap, item.floor].compactMap({ $0 }) {
      amount(field.value.amount, .other, facts.text(field.location.keyRange), rounding)
      if let other = field.value.alternative { amount(other.amount, .other, facts.text(field.location.keyRange), rounding) }
    }
    if let bookings = item.bookedBy {
      for booking in bookings.value {
        if let value = booking.amount { amount(value, .other, booking.name, rounding) }
      }
    }
    for breakdown in item.breakdowns { walk(breakdown, rounding: breakdown.rounding?.value ?? rounding) }
    for sub in item.subItems { walk(sub, rounding: rounding) }
  }

  func walk(_ breakdown: Breakdown, rounding: RoundingMode) {
    guard overlaps(breakdown.range) else { return }
    if let field = breakdown.rounding { visit(.enumValue(field.location.valueRange)) }
    for child in breakdown.children {
      switch child {
      case .row(let row):
        if let value = row.value, overlaps(row.location.range) { expression(value, .row, row.label, rounding) }
      case .breakdown(let inner):
        walk(inner, rounding: inner.rounding?.value ?? rounding)
      }
    }
    if let total = breakdown.total, let value = total.value { expression(value, .total, total.label, rounding) }
  }

  func walk(_ rate: Rate) {
    switch rate {
    case .fraction(let fraction):
      visit(.fraction(fraction, .rate))
    case .fixed(let equivalent, let range):
      keyword(ModelWalker.fixedWord, in: range)
      if let equivalent { visit(.fraction(equivalent, .rate)) }
    case .floor(let fraction):
      visit(.fraction(fraction, .rate))
      keyword(ModelWalker.floorWord, in: TextRange(start: fraction.range.end, end: Swift.min(facts.bytes.count, fraction.range.end + 16)))
    case .transition(let steps):
      for step in steps { walk(step.rate) }
    }
  }

  func expression(_ expression: AmountExpression, _ kind: AmountRole.Kind, _ label: String, _ rounding: RoundingMode) {
    switch expression {
    case .amount(let value):
      amount(value, kind, label, rounding)
    case .none(let marker):
      visit(.valueKeyword(marker.range))
    case .notStated(let range):
      visit(.valueKeyword(range))
    case .partOf(let part):
      keyword(ModelWalker.partOfWord, in: part.range)
      // A text that is an id and an amount (`内数(97億円)`) shows as the amount.
      if let reference = part.reference, part.total == nil { visit(.reference(reference)) }
      if let total = part.total { amount(total, .partOfTotal, label, rounding) }
    case .pending(let pending):
      if let value = pending.amount { amount(value, kind, label, rounding) }
      keyword(ModelWalker.pendingWord, in: pending.range)
    }
  }

  func amount(_ amount: Amount, _ kind: AmountRole.Kind, _ label: String, _ rounding: RoundingMode) {
    if amount.isApproximate { keyword(ModelWalker.aboutWord, in: amount.range) }
    visit(.amount(amount, AmountRole(kind: kind, label: label, rounding: rounding)))
  }

  /// Reports the first occurrence of `word` in `range` as a value keyword.
  func keyword(_ word: [UInt8], in range: TextRange) {
    let bytes = facts.bytes
    let end = Swift.min(range.end, bytes.count)
    var index = range.start
    while index + word.count <= end {
      if bytes[index] == word[0], bytes[index..<(index + word.count)].elementsEqual(word) {
        visit(.valueKeyword(TextRange(start: index, length: word.count)))
        return
      }
      index += 1
    }
  }
}
