/// The rules that report values their grammar cannot read, one rule per kind of value. They share
/// one check: lowering records each unreadable value with its kind.
protocol MalformedValueRule: FileRule {
  static var kind: ValueError.Kind { get }
}

extension MalformedValueRule {
  static func check(_ context: inout RuleContext) {
    for case .malformedValue(let error, let key) in context.document.issues where error.kind == kind {
      context.report("\(key): \(error.message)", at: error.range)
    }
  }
}
