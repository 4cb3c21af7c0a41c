/// Path arithmetic on strings, without touching the file system.
enum Paths {
  /// `path` made absolute against `directory` and normalised: no `.` segments, `..` resolved
  /// lexically, no repeated or trailing `/`.
  static func absolute(_ path: String, in directory: String) -> String {
    let joined = path.hasPrefix("/") ? path : directory + "/" + path
    var parts: [Substring] = []
    for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
  }

  /// An absolute path as shown to the user: relative to `directory` when it is inside it.
  static func display(_ absolute: String, relativeTo directory: String) -> String {
    let base = directory.hasSuffix("/") ? directory : directory + "/"
    if absolute.hasPrefix(base) { return String(absolute.dropFirst(base.count)) }
    return absolute
  }

  /// True when `path` is `folder` or below it (both absolute and normalised, or both resolved).
  static func isInside(_ path: String, folder: String) -> Bool {
    path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
  }

  /// The folder and the name of an absolute, normalised path: `/a/b` gives `/a` and `b`, `/a`
  /// gives `/` and `a`.
  static func split(_ absolute: String) -> (folder: String, name: String) {
    guard let slash = absolute.lastIndex(of: "/") else { return (".", absolute) }
    let folder = String(absolute[..<slash])
    return (folder.isEmpty ? "/" : folder, String(absolute[absolute.index(after: slash)...]))
  }

  /// The path without a leading `./` (for reports that want repository-relative paths).
  static func withoutDotSlash(_ path: String) -> String {
    var path = path
    while path.hasPrefix("./") { path.removeFirst(2) }
    return path
  }
}
