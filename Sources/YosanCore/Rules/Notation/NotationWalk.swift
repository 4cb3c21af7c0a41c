import YosanSyntax

/// The values the notation rules look at, walked without building anything.
enum NotationWalk {
  /// An amount expression and the entry it is the value of.
  typealias ExpressionVisitor = (AmountExpression, EntryLocation) -> Void

  /// Every amount expression of the document: items' 要求額/予算額 and 前年度, breakdown rows and
  /// totals.
  static func forEachExpression(in document: Document, _ body: ExpressionVisitor) {
    for item in document.allItems {
      if let request = item.request { body(request.value, request.location) }
      if let previous = item.previous { body(previous.value, previous.location) }
      for breakdown in item.breakdowns { visit(breakdown, body) }
    }
  }

  static func visit(_ breakdown: Breakdown, _ body: ExpressionVisitor) {
    for child in breakdown.children {
      switch child {
      case .row(let row): if let value = row.value { body(value, row.location) }
      case .breakdown(let nested): visit(nested, body)
      }
    }
    if let total = breakdown.total, let value = total.value { body(value, total.location) }
  }

  /// Every amount written in the document, with whether it is the whole value of its entry (so
  /// that a fix may replace it by なし).
  static func forEachAmount(in document: Document, _ body: (Amount, _ isWholeValue: Bool) -> Void) {
    forEachExpression(in: document) { expression, _ in
      switch expression {
      case .amount(let amount): body(amount, true)
      case .pending(let pending): if let amount = pending.amount { body(amount, false) }
      case .partOf(let part): if let total = part.total { body(total, false) }
      case .none: break
      }
    }
    for section in document.allSections {
      if let total = section.total { body(total.value, true) }
    }
    for item in document.allItems {
      for field in item.supplementary { body(field.value.amount, false) }
      for field in item.multiYear { if let amount = field.value.amount { body(amount, false) } }
      for field in [item.unitAmount, item.cap, item.floor] { if let field { body(field.value.amount, false) } }
      for booking in item.bookedBy?.value ?? [] { if let amount = booking.amount { body(amount, false) } }
    }
  }

  /// The spelling of "none" that matches the entry's key: `none` after an ASCII key, else なし.
  static func noneSpelling(for location: EntryLocation, in file: FileFacts) -> String {
    let key = file.bytes[location.keyRange.start..<location.keyRange.end]
    return !key.isEmpty && key.allSatisfy({ $0 < 0x80 }) ? "none" : "なし"
  }
}
