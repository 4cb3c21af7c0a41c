import YosanCore
import YosanSyntax

/// What navigation and completion need of one file: its items with ids, the 内数 references, and
/// the divisions and implementers it names. Built once per version of the file (kept while the
/// file's syntax tree is the same object) and small next to the file's model.
final class FileIndex {
  /// An item, summarised.
  struct ItemSummary {
    var id: String?
    var idRange: TextRange?
    var headerRange: TextRange
    var range: TextRange
    var title: String?
    /// The amount as written (`7.9億円`, `内数(x)`), when there is one.
    var request: String?
    var requestKey: String
    var divisions: [String]
  }

  /// The version of the file (counted by the server) this index was built from.
  let generation: Int
  var items: [ItemSummary] = []
  var definitions: [String: [Int]] = [:]
  var references: [String: [Reference]] = [:]
  var divisions: [String: Int] = [:]
  var implementers: [String: Int] = [:]

  init(_ facts: FileFacts, generation: Int) {
    self.generation = generation
    // A walk in place: no array of every item is built (items are large values to copy).
    func visit(_ members: [Member]) {
      for member in members {
        switch member {
        case .section(let section): visit(section.members)
        case .item(let item): add(item, facts)
        }
      }
    }
    visit(facts.document.members)
  }

  private func add(_ item: Item, _ facts: FileFacts) {
    var summary = ItemSummary(
      id: item.id?.id, idRange: item.id?.range, headerRange: item.headerRange, range: item.range, title: item.title?.text,
      request: item.request.map { facts.text($0.location.valueRange) }, requestKey: item.requestKey.map { $0.descriptor.japanese } ?? "要求額",
      divisions: item.divisions?.value.map(\.text) ?? [])
    if summary.request?.isEmpty == true { summary.request = nil }
    if let id = item.id?.id { definitions[id, default: []].append(items.count) }
    items.append(summary)
    for division in summary.divisions where !division.isEmpty { divisions[division, default: 0] += 1 }
    for implementer in item.implementers?.value ?? [] where !implementer.text.isEmpty { implementers[implementer.text, default: 0] += 1 }
    note(item.request?.value)
    note(item.previous?.value)
    for breakdown in item.breakdowns { visit(breakdown) }
    for sub in item.subItems { add(sub, facts) }
  }

  private func note(_ expression: AmountExpression?) {
    if case .partOf(let part) = expression, let reference = part.reference { references[reference.id, default: []].append(reference) }
  }

  private func visit(_ breakdown: Breakdown) {
    for child in breakdown.children {
      switch child {
      case .row(let row): note(row.value)
      case .breakdown(let inner): visit(inner)
      }
    }
    note(breakdown.total?.value)
  }
}

/// A place in the workspace: a file's session path and a range in it.
struct WorkspaceLocation: Hashable {
  var path: String
  var range: TextRange
}

extension LanguageServer {
  /// The index of one file, rebuilt only when its analysis changed.
  func index(of facts: FileFacts) -> FileIndex {
    let generation = fileGenerations[facts.path] ?? 0
    if let cached = fileIndexes[facts.path], cached.generation == generation { return cached }
    let index = FileIndex(facts, generation: generation)
    fileIndexes[facts.path] = index
    return index
  }

  /// Every file's index, in the session's order.
  func allIndexes() -> [(path: String, index: FileIndex)] {
    let files = currentAnalysis().files
    if fileIndexes.count > files.count {
      let live = Set(files.map(\.facts.path))
      for path in fileIndexes.keys where !live.contains(path) { fileIndexes[path] = nil }
    }
    return files.map { ($0.facts.path, index(of: $0.facts)) }
  }

  /// Where item `id` is defined, across the workspace.
  func definitions(of id: String) -> [(path: String, item: FileIndex.ItemSummary)] {
    allIndexes().flatMap { entry in (entry.index.definitions[id] ?? []).map { (entry.path, entry.index.items[$0]) } }
  }

  /// Every `内数(id)` across the workspace.
  func references(to id: String) -> [WorkspaceLocation] {
    allIndexes().flatMap { entry in (entry.index.references[id] ?? []).map { WorkspaceLocation(path: entry.path, range: $0.range) } }
  }
}
