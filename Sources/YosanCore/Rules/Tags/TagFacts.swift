import YosanSyntax

/// What the tag rules compare: an item's request and previous year as written amounts. 内数
/// amounts are shares of something else and never compared; a request with 事項要求 is not final.
struct TagFacts {
  var request: Amount?
  var previous: AmountExpression?
  var previousRange: TextRange

  init?(_ item: Item) {
    guard let previous = item.previous else { return nil }
    if case .amount(let amount) = item.request?.value { request = amount }
    self.previous = previous.value
    previousRange = previous.value.range
  }

  /// The previous year as a concrete amount (`一億円` read literally is one).
  var previousAmount: Amount? {
    if case .amount(let amount) = previous { return amount }
    return nil
  }

  /// Both years as concrete amounts.
  var amounts: (request: Amount, previous: Amount)? {
    guard let request, let previous = previousAmount else { return nil }
    return (request, previous)
  }

  /// The label of a tag as written in the item (`新規` or `new`).
  static func spelling(_ tag: Tag, in item: Item, _ context: RuleContext) -> String {
    item.tags?.value.first { $0.tag == tag }.map { context.text($0.range) } ?? tag.rawValue
  }
}
