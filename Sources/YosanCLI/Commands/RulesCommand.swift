import YosanCore

/// `yosan rules`: the rule catalogue, one line per rule.
enum RulesCommand {
  static func run(_ arguments: [String], console: Console) throws -> Int32 {
    let args = try Arguments(arguments, command: "rules", valued: [], flags: ["--markdown"])
    guard args.positionals.isEmpty else { throw UsageError("yosan rules: takes no arguments") }
    if args.flag("--markdown") {
      console.output.write(RuleDocumentation.specDocument())
      return 0
    }
    let width = RuleRegistry.descriptors.map(\.id.count).max() ?? 0
    for rule in RuleRegistry.descriptors {
      let id = rule.id + String(repeating: " ", count: width - rule.id.count)
      let severity = rule.defaultSeverity.description + String(repeating: " ", count: 7 - rule.defaultSeverity.description.count)
      console.output.line("\(id)  \(severity)  \(rule.summary)")
    }
    return 0
  }
}

/// `yosan explain RULE-ID`: one rule's documentation.
enum ExplainCommand {
  static func run(_ arguments: [String], console: Console) throws -> Int32 {
    let args = try Arguments(arguments, command: "explain", valued: [], flags: [])
    guard args.positionals.count == 1, let id = args.positionals.first else {
      throw UsageError("yosan explain: give one rule id; `yosan rules` lists them")
    }
    guard let rule = RuleRegistry.descriptor(id: id) else {
      let suggestion = RuleRegistry.idSuggestions.suggestion(for: id)
      throw UsageError("yosan explain: no rule `\(id)`\(suggestion.map { "; did you mean `\($0)`?" } ?? ""); `yosan rules` lists them")
    }
    console.output.write(RuleDocumentation.markdown(for: rule, headingLevel: 1))
    return 0
  }
}
