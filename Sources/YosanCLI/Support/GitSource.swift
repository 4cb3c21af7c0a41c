/// `git:REV:PATH`: a file or folder as it is in a git revision, read with `git show`. PATH is
/// relative to the current directory, like any other path on the command line (empty: the current
/// directory).
struct GitSource {
  var revision: String
  var path: String

  /// The argument as written, for messages.
  var argument: String { "git:\(revision):\(path)" }

  /// Nil when `argument` does not start with `git:`; a usage error when the rest is not `REV:PATH`.
  static func parse(_ argument: String) throws -> GitSource? {
    guard argument.hasPrefix("git:") else { return nil }
    let rest = argument.dropFirst(4)
    guard let colon = rest.firstIndex(of: ":"), colon != rest.startIndex else {
      throw UsageError("yosan diff: `\(argument)` needs a revision and a path: git:REV:PATH, like git:HEAD~1:budgets (git:HEAD: for the current folder)")
    }
    var path = String(rest[rest.index(after: colon)...])
    while path.hasPrefix("./") { path.removeFirst(2) }
    return GitSource(revision: String(rest[..<colon]), path: path)
  }

  struct File {
    /// How messages name it: `HEAD~1:budgets/a.yosan`.
    var path: String
    /// Its path relative to the current directory (for its configuration).
    var workingPath: String
    /// Its path within the folder read (empty when a single file was named).
    var name: String
    var bytes: [UInt8]
  }

  /// The `.yosan` files at the revision and path (a folder is read recursively, hidden folders
  /// and configuration files left out), or a message saying what is wrong.
  func read() -> Result<[File], IOError> {
    func fail(_ reason: String) -> Result<[File], IOError> { .failure(IOError(path: argument, reason: reason)) }
    guard let inside = Subprocess.run("git", ["rev-parse", "--is-inside-work-tree"]) else {
      return fail("git is not installed (it is needed to read git:REV:PATH)")
    }
    guard inside.status == 0 else {
      return fail("not inside a git repository; run yosan diff in the repository, or name files and folders instead")
    }
    guard let commit = Subprocess.run("git", ["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"]), commit.status == 0 else {
      return fail("no revision `\(revision)` in this repository (a branch, tag, commit or HEAD~N)")
    }
    let object = revision + ":./" + path
    guard let type = Subprocess.run("git", ["cat-file", "-t", object]), type.status == 0 else {
      return fail("no file or folder `\(path.isEmpty ? "." : path)` in \(revision)")
    }
    let kind = String(decoding: type.output, as: UTF8.self).trimmingNewline
    if kind == "blob" {
      guard let shown = Subprocess.run("git", ["show", object]), shown.status == 0 else { return fail("git show failed") }
      return .success([File(path: "\(revision):\(path)", workingPath: path, name: "", bytes: shown.output)])
    }
    guard kind == "tree" else { return fail("`\(path)` is a \(kind) in \(revision), not a file or folder") }
    guard let listed = Subprocess.run("git", ["ls-tree", "-r", "-z", "--name-only", revision, "--", path.isEmpty ? "." : path]), listed.status == 0 else {
      return fail("git ls-tree failed: \(Subprocess.run("git", ["ls-tree", revision])?.error ?? "")")
    }
    let prefix = path.isEmpty || path.hasSuffix("/") ? path : path + "/"
    var files: [File] = []
    for entry in listed.output.split(separator: 0) {
      let name = String(decoding: entry, as: UTF8.self)
      guard name.hasSuffix(".yosan") else { continue }
      let components = name.split(separator: "/")
      if components.dropLast().contains(where: { $0.hasPrefix(".") }) { continue }
      if components.last == "yosan.config.yosan" { continue }
      guard let shown = Subprocess.run("git", ["show", revision + ":./" + name]), shown.status == 0 else {
        return fail("git show \(revision):\(name) failed")
      }
      let relative = name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
      files.append(File(path: "\(revision):\(name)", workingPath: name, name: relative, bytes: shown.output))
    }
    if files.isEmpty { return fail("no .yosan files in this folder") }
    return .success(files.sorted { $0.name < $1.name })
  }
}

extension String {
  /// Without one final line break.
  var trimmingNewline: String {
    var text = self
    if text.hasSuffix("\n") { text.removeLast() }
    return text
  }
}
