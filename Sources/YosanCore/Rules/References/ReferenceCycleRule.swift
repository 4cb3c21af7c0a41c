import YosanSyntax

/// `内数` references do not go round in a circle.
enum ReferenceCycleRule: WorkspaceRule {
  static let descriptor = RuleDescriptor(
    id: "reference-cycle",
    category: .references,
    defaultSeverity: .error,
    summary: "内数 references do not form a cycle: no amount is, through other items, part of itself.",
    rationale: """
      `要求額 = 内数(b)` in item a and `要求額 = 内数(a)` in item b say each is part of the other,
      so neither has an amount. Chains are fine (a part of a fund that is itself part of a
      larger programme); a chain that comes back to where it started is reported once, naming
      the whole cycle, at the reference that closes it in the first file and line. 要求額 and 前年度
      are followed separately, since they are amounts of different years.
      """,
    examples: [
      .passing(
        "事業 chiiki-shien \"地域支援事業\" {\n  担当 = 老健局\n  要求額 = 1,804億円\n}\n事業 houkatsu \"包括的支援事業\" {\n  担当 = 老健局\n  要求額 = 内数(chiiki-shien)\n}\n事業 ninchisho \"認知症総合支援事業\" {\n  担当 = 老健局\n  要求額 = 内数(houkatsu)\n}\n"
      ),
      .failing(
        "事業 a \"t\" {\n  担当 = 老健局\n  要求額 = 内数(«b»)\n}\n--- b.yosan\n事業 b \"t\" {\n  担当 = 老健局\n  要求額 = 内数(c)\n}\n事業 c \"t\" {\n  担当 = 老健局\n  要求額 = 内数(a)\n}\n",
        messages: ["要求額 amounts are 内数 of each other in a cycle: `a` → `b` → `c` → `a`; one of them must be an amount"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 老健局\n  要求額 = 1億円\n  前年度 = 内数(«a»)\n}\n",
        messages: ["前年度 amounts are 内数 of each other in a cycle: `a` → `a`; one of them must be an amount"]),
    ])

  /// An item's 内数 reference, with where the item is defined.
  struct Node {
    var file: Int
    var position: Int
    var reference: Reference
  }

  static func check(_ workspace: Workspace, _ context: inout WorkspaceRuleContext) {
    for key in [Key.request, .previous] {
      // Each item (its first definition) has at most one edge: the 内数 of this key.
      var edges: [String: Node] = [:]
      for (id, definitions) in workspace.definitions {
        let first = definitions[0].definition
        guard let reference = key == .request ? first.requestPartOf : first.previousPartOf, workspace.definitions[reference.id] != nil
        else { continue }
        edges[id] = Node(file: definitions[0].file, position: first.start, reference: reference)
      }
      guard !edges.isEmpty else { continue }
      // Follow edges from each item in file order; a walk that meets its own path found a cycle.
      let order = edges.sorted { ($0.value.file, $0.value.position) < ($1.value.file, $1.value.position) }.map(\.key)
      var done = Set<String>()
      for start in order where !done.contains(start) {
        var path: [String] = []
        var onPath: [String: Int] = [:]
        var current = start
        while !done.contains(current), let edge = edges[current] {
          if let index = onPath[current] {
            report(Array(path[index...]), edges: edges, key: key, workspace, &context)
            break
          }
          onPath[current] = path.count
          path.append(current)
          current = edge.reference.id
        }
        done.formUnion(path)
      }
    }
  }

  static func report(_ cycle: [String], edges: [String: Node], key: Key, _ workspace: Workspace, _ context: inout WorkspaceRuleContext) {
    // Start the cycle at its first item in file order, and report at that item's reference.
    let start = cycle.indices.min {
      (edges[cycle[$0]]!.file, edges[cycle[$0]]!.position) < (edges[cycle[$1]]!.file, edges[cycle[$1]]!.position)
    }!
    let rotated = Array(cycle[start...] + cycle[..<start])
    let names = (rotated + [rotated[0]]).map { "`\($0)`" }.joined(separator: " → ")
    let origin = edges[rotated[0]]!
    let related = rotated.dropFirst().map { id in
      let node = edges[id]!
      return RelatedLocation(
        path: References.path(node.file, from: origin.file, in: workspace), range: node.reference.range,
        message: "`\(id)` is 内数 of `\(node.reference.id)`")
    }
    context.report(
      file: origin.file, "\(key.descriptor.japanese) amounts are 内数 of each other in a cycle: \(names); one of them must be an amount",
      at: origin.reference.range, related: related)
  }
}
