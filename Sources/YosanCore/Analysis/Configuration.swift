/// Settings that change what the rules report. Discovered from configuration files by the CLI
/// and the language server; the core only consumes them.
public struct Configuration: Sendable, Hashable {
  /// Per-rule severity; a nil value turns the rule off.
  public var severities: [String: Severity?] = [:]
  /// The rounding mode of documents that declare no `端数`.
  public var rounding: RoundingMode?
  /// A request more than this many times the previous year without 拡充 is reported.
  public var growthThreshold: Rational = Rational(2, 1)!

  public init() {}

  public static let `default` = Configuration()

  /// The severity `rule` reports at, or nil when it is off.
  public func severity(of rule: RuleDescriptor) -> Severity? {
    if let configured = severities[rule.id] { return configured }
    return rule.defaultSeverity
  }
}
