import YosanSyntax

/// The `内数(ID)` references of the files checked together.
enum References {
  /// Every reference written in an item: its request, its previous year and its breakdown rows.
  static func forEach(in item: Item, _ body: (Reference) -> Void) {
    if case .partOf(let part)? = item.request?.value, let reference = part.reference { body(reference) }
    if case .partOf(let part)? = item.previous?.value, let reference = part.reference { body(reference) }
    func visit(_ breakdown: Breakdown) {
      let children = breakdown.children
      for index in children.indices {
        switch children[index] {
        case .row(let row):
          if case .partOf(let part)? = row.value, let reference = part.reference { body(reference) }
        case .breakdown(let nested): visit(nested)
        }
      }
      if case .partOf(let part)? = breakdown.total?.value, let reference = part.reference { body(reference) }
    }
    for breakdown in item.breakdowns { visit(breakdown) }
  }

  /// Where another file's location is, for a related location: nil for the same file.
  static func path(_ file: Int, from origin: Int, in workspace: Workspace) -> String? {
    file == origin ? nil : workspace.files[file].path
  }

  /// `line 5`, or `a.yosan:5` in another file.
  static func place(_ range: TextRange, file: Int, from origin: Int, in workspace: Workspace) -> String {
    let line = workspace.files[file].lineNumber(range.start)
    return file == origin ? "line \(line)" : "\(workspace.files[file].path):\(line)"
  }
}
