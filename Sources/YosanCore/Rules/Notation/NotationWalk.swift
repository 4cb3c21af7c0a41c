import YosanSyntax

/// The values of one item that the notation rules look at, walked without building anything.
/// (Sub-items are items of their own: the analyzer visits them.)
enum NotationWalk {
  /// An amount expression and the entry it is the value of.
  typealias ExpressionVisitor = (AmountExpression, EntryLocation) -> Void

  /// Every amount expression of the item: its 要求額/予算額 and 前年度, its breakdown rows and totals.
  static func forEachExpression(in item: Item, _ body: ExpressionVisitor) {
    if let request = item.request { body(request.value, request.location) }
    if let previous = item.previous { body(previous.value, previous.location) }
    for index in item.breakdowns.indices { visit(item.breakdowns[index], body) }
  }

  static func visit(_ breakdown: Breakdown, _ body: ExpressionVisitor) {
    let children = breakdown.children
    for index in children.indices {
      switch children[index] {
      case .row(let row): if let value = row.value { body(value, row.location) }
      case .breakdown(let nested): visit(nested, body)
      }
    }
    if let total = breakdown.total, let value = total.value { body(value, total.location) }
  }

  /// Every amount written in the item, with whether it is the whole value of its entry (so that a
  /// fix may replace it by なし).
  static func forEachAmount(in item: Item, _ body: (Amount, _ isWholeValue: Bool) -> Void) {
    forEachExpression(in: item) { expression, _ in
      switch expression {
      case .amount(let amount): body(amount, true)
      case .pending(let pending): if let amount = pending.amount { body(amount, false) }
      case .partOf(let part): if let total = part.total { body(total, false) }
      case .none: break
      }
    }
    for field in item.supplementary { body(field.value.amount, false) }
    for field in item.multiYear { if let amount = field.value.amount { body(amount, false) } }
    if let field = item.unitAmount { body(field.value.amount, false) }
    if let field = item.cap { body(field.value.amount, false) }
    if let field = item.floor { body(field.value.amount, false) }
    for booking in item.bookedBy?.value ?? [] { if let amount = booking.amount { body(amount, false) } }
  }

  /// The spelling of "none" that matches the entry's key: `none` after an ASCII key, else なし.
  static func noneSpelling(for location: EntryLocation, in file: FileFacts) -> String {
    let key = file.bytes[location.keyRange.start..<location.keyRange.end]
    return !key.isEmpty && key.allSatisfy({ $0 < 0x80 }) ? "none" : "なし"
  }
}
