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

  /// Applies one setting: a rule id with `off`, `style`, `info`, `warning` or `error`;
  /// `rounding` with 四捨五入, 切り捨て or 切り上げ (or round, truncate, ceiling); `growth-threshold`
  /// with a positive number. Returns a message when the setting is not valid.
  public mutating func apply(_ key: String, _ value: String) -> String? {
    switch key {
    case "rounding":
      switch value {
      case "四捨五入", "round": rounding = .round
      case "切り捨て", "truncate": rounding = .truncate
      case "切り上げ", "ceiling": rounding = .ceiling
      default: return "unknown rounding `\(value)`; use 四捨五入, 切り捨て or 切り上げ"
      }
    case "growth-threshold":
      guard let decimal = ExactDecimal(value), !decimal.isNegative, !decimal.isZero, let rational = Rational(decimal) else {
        return "growth-threshold must be a positive number, like 2 or 1.5"
      }
      growthThreshold = rational
    default:
      guard RuleRegistry.descriptor(id: key) != nil else {
        let suggestion = Catalog.suggestion(for: key, among: RuleRegistry.descriptors.map(\.id) + ["rounding", "growth-threshold"])
        return "unknown rule or setting `\(key)`" + (suggestion.map { "; did you mean `\($0)`?" } ?? "")
      }
      if value == "off" {
        severities[key] = .some(nil)
      } else if let severity = Severity(name: value) {
        severities[key] = severity
      } else {
        return "unknown severity `\(value)`; use off, style, info, warning or error"
      }
    }
    return nil
  }

  /// The severity `rule` reports at, or nil when it is off.
  public func severity(of rule: RuleDescriptor) -> Severity? {
    if let configured = severities[rule.id] { return configured }
    return rule.defaultSeverity
  }
}
