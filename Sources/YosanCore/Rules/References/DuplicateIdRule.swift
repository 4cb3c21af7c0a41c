/// An item id is defined once across the files checked together.
enum DuplicateIdRule: WorkspaceRule {
  static let descriptor = RuleDescriptor(
    id: "duplicate-id",
    category: .references,
    defaultSeverity: .error,
    summary: "An item id is defined once across all the files checked together.",
    rationale: """
      Ids are how 内数(ID) names an item, across files. Two items with one id make every reference
      to it ambiguous. Each later definition is reported, pointing at the first (in another file
      too).
      """,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n--- other.yosan\n事業 b \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n"),
      .failing(
        "事業 amed \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n事業 «amed» \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n",
        messages: ["item id `amed` is already defined on line 1; ids are unique across the files checked together"]),
      .failing(
        "事業 amed \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n--- other.yosan\n事業 «amed» \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n",
        messages: ["item id `amed` is already defined on example.yosan:1; ids are unique across the files checked together"]),
    ])

  static func check(_ workspace: Workspace, _ context: inout WorkspaceRuleContext) {
    for (id, definitions) in workspace.definitions where definitions.count > 1 {
      let (firstFile, first) = definitions[0]
      let firstRange = first.id.range
      for (file, definition) in definitions.dropFirst() {
        let range = definition.id.range
        context.report(
          file: file,
          "item id `\(id)` is already defined on \(References.place(firstRange, file: firstFile, from: file, in: workspace)); ids are unique across the files checked together",
          at: range,
          related: [
            RelatedLocation(
              path: References.path(firstFile, from: file, in: workspace), range: firstRange, message: "first definition of `\(id)`")
          ])
      }
    }
  }
}
