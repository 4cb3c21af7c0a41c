import YosanSyntax

/// Helpers of the rules about `内数(ID)` references and item ids.
enum References {
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
