import YosanCore

/// One file to process: its bytes and the configuration that applies to it.
struct InputFile {
  /// The path as given on the command line or found under a given folder (`--stdin-filename`'s
  /// value, or `-`, for standard input).
  var path: String
  /// The absolute, normalised path (configuration lookup, writing back).
  var absolutePath: String
  var bytes: [UInt8]
  /// The bytes as read, when `bytes` are their conversion to UTF-8 (`--encoding`): what a write
  /// must find on disk before it replaces the file.
  var originalBytes: [UInt8]?
  var isStandardInput: Bool
  var configuration: Configuration
  /// The `exclude` or `include` pattern that rules the file out, when it was named explicitly.
  var excludedBy: PathPattern?

  var source: SourceFile { SourceFile(path: path, bytes: bytes) }
}

/// The files named on a command line (files, folders, `-`), read, with their configurations;
/// the shared front of `check`, `fmt` and `export`.
struct Inputs {
  var files: [InputFile] = []
  /// Configuration files named explicitly (`yosan check yosan.config.yosan`): checked as
  /// configurations, never as budgets.
  var configurationFiles: [InputFile] = []
  /// Missing or unreadable files and folders: exit status 2.
  var problems: [IOError] = []
  /// Mistakes in the configuration files that apply: exit status 2.
  var configurationProblems: [ConfigurationProblem] = []
  /// What to say on standard error about how files were read: what a folder walk left out and
  /// why (links leading outside it, special files), a file already in UTF-8 given
  /// `--encoding cp932`.
  var notes: [String] = []
  /// The encoding the files are in (`--encoding`).
  var encoding = InputEncoding.utf8
  let workingDirectory: String
  private(set) var resolver: ConfigurationResolver
  private let readErrors: ErrorBox
  /// Reads (and converts, `--encoding`) a file to process; `yosan check --watch` puts a cache in
  /// front of it, so that only files that changed on disk are read again.
  var load: (_ request: LoadRequest) throws -> Loaded = Inputs.loadFromDisk
  /// The folders walked (each as given), for `--watch` to watch.
  var foldersWalked: [String] = []

  /// A file to read: the path to show, the path to read (inside the folder walked, no link, for a
  /// file found in a folder), the absolute path, and whether it was named on the command line.
  struct LoadRequest {
    var path: String
    var readPath: String
    var absolute: String
    var explicit: Bool
    var encoding: InputEncoding
  }

  /// A file read: its text in UTF-8, the bytes as read when they were converted, and a note.
  struct Loaded {
    var bytes: [UInt8]
    var original: [UInt8]?
    var note: String?
  }

  final class ErrorBox {
    var errors: [IOError] = []
    /// The folders walked so far: each as an absolute path (the form configuration paths come
    /// in) and resolved. A configuration file inside one is read under the walk's rule.
    var walked: [(absolute: String, resolved: String)] = []
    /// Every configuration file the resolver looked for (there or not), with its state on disk
    /// just before it was read: what `--watch` watches.
    var configurationLookups: [String: FileStamp?] = [:]
  }

  init() {
    workingDirectory = FileSystem.currentDirectory()
    let box = ErrorBox()
    readErrors = box
    resolver = Inputs.makeResolver(box)
  }

  static func makeResolver(_ box: ErrorBox) -> ConfigurationResolver {
    ConfigurationResolver { path in
      box.configurationLookups[path] = FileStamp(path)
      // Inside a folder walked, a configuration file that is a link leading outside it is not
      // read (the walk lists it as skipped), like any `.yosan` link there.
      if let root = box.walked.first(where: { Paths.isInside(path, folder: $0.absolute) }), !FileSystem.staysInside(path, root: root.resolved) {
        return nil
      }
      do {
        return try FileSystem.readIfExists(path)
      } catch let error as IOError {
        box.errors.append(error)
        return nil
      } catch {
        return nil
      }
    }
  }

  /// The configuration files looked for so far, each with its state on disk when it was read
  /// (nil: there was none).
  var configurationLookups: [String: FileStamp?] { readErrors.configurationLookups }

  /// Forgets the configuration files read, so that the next files configured read them again
  /// (`--watch`, after one of them changed).
  mutating func reloadConfiguration() {
    readErrors.errors = []
    readErrors.configurationLookups = [:]
    resolver = Inputs.makeResolver(readErrors)
  }

  /// Forgets the files, notes and problems of the last `gather(into:)`, keeping the configuration
  /// read.
  mutating func startOver() {
    files = []
    configurationFiles = []
    problems = []
    configurationProblems = []
    notes = []
    foldersWalked = []
    readErrors.walked = []
  }

  /// Reads a file from disk (and converts it: `converted`).
  static func loadFromDisk(_ request: LoadRequest) throws -> Loaded {
    try converted(FileSystem.readFile(request.readPath, followingLinks: request.explicit), request)
  }

  /// The bytes read for `request`, converted to UTF-8 when `--encoding` names another encoding
  /// (configuration files are always UTF-8).
  static func converted(_ read: [UInt8], _ request: LoadRequest) throws -> Loaded {
    guard request.encoding != .utf8, !ConfigurationResolver.isConfigurationFile(request.absolute) else { return Loaded(bytes: read) }
    let (text, note) = try request.encoding.decode(read, path: request.path)
    return Loaded(bytes: text, original: text != read ? read : nil, note: note)
  }

  /// A path as the user should see it (relative to the working directory when inside it).
  func display(_ absolute: String) -> String { Paths.display(absolute, relativeTo: workingDirectory) }

  /// The configuration for a path, recording the problems of the configuration files read.
  mutating func configuration(forAbsolutePath absolute: String) -> Configuration {
    let (configuration, problems) = resolver.configuration(forFile: absolute)
    for problem in problems where !configurationProblems.contains(problem) {
      var shown = problem
      shown.path = display(problem.path)
      if !configurationProblems.contains(shown) { configurationProblems.append(shown) }
    }
    // The errors stay with the resolver that met them: while it is used (`--watch`), every run
    // reports them.
    for error in readErrors.errors {
      let shown = IOError(path: display(error.path), reason: error.reason + " (a configuration file)")
      if !self.problems.contains(where: { $0.description == shown.description }) { self.problems.append(shown) }
    }
    return configuration
  }

  /// Reads every path: files, folders (recursively, `*.yosan`, `include`/`exclude` applied) and
  /// `-` (standard input, named `stdinFilename` when given). Configuration files, named or found,
  /// go to `configurationFiles`.
  /// Problems are collected, not thrown, so that the readable files are still processed.
  static func gather(_ paths: [String], stdinFilename: String?, encoding: InputEncoding = .utf8) -> Inputs {
    var inputs = Inputs()
    inputs.encoding = encoding
    inputs.gather(paths, stdinFilename: stdinFilename)
    return inputs
  }

  /// `gather` into these inputs (after `startOver`, for `--watch`: its configuration and `load`
  /// stay).
  mutating func gather(_ paths: [String], stdinFilename: String?) {
    var seen = Set<String>()
    var seenSkipped = Set<String>()
    for path in paths {
      if path == "-" {
        let name = stdinFilename ?? "-"
        let absolute = Paths.absolute(stdinFilename ?? "-", in: workingDirectory)
        do {
          let request = LoadRequest(path: name, readPath: name, absolute: absolute, explicit: true, encoding: encoding)
          let loaded = try Inputs.converted(FileSystem.readAll(0, path: name), request)
          if let note = loaded.note { notes.append(note) }
          place(path: name, absolute: absolute, bytes: loaded.bytes, original: loaded.original, standardInput: true, explicit: true)
        } catch let error as IOError {
          problems.append(error)
        } catch {}
        continue
      }
      switch FileSystem.kind(of: path) {
      case .file:
        let absolute = Paths.absolute(path, in: workingDirectory)
        guard seen.insert(absolute).inserted else { continue }
        read(path: path, readPath: path, absolute: absolute, explicit: true)
      case .directory:
        if let resolved = FileSystem.resolvedPath(path) {
          readErrors.walked.append((Paths.absolute(path, in: workingDirectory), resolved))
        }
        let listing = FileSystem.yosanFiles(under: path)
        foldersWalked += listing.folders
        problems += listing.problems
        for (skipped, reason) in listing.skipped where seenSkipped.insert(skipped).inserted {
          notes.append("yosan: \(skipped): skipped: \(reason)")
        }
        if listing.files.isEmpty, listing.problems.isEmpty {
          problems.append(IOError(path: path, reason: "no .yosan files in this directory"))
        }
        for file in listing.files {
          let absolute = Paths.absolute(file.path, in: workingDirectory)
          guard seen.insert(absolute).inserted else { continue }
          read(path: file.path, readPath: file.readPath, absolute: absolute, explicit: false)
        }
      case .missing:
        problems.append(IOError(path: path, reason: "no such file or directory"))
      case .other:
        problems.append(IOError(path: path, reason: "not a regular file or directory"))
      }
    }
  }

  /// Reads a file named on the command line (links followed, as the user named it) or found in a
  /// folder (`readPath` is then inside the folder and no link: nothing outside is read).
  private mutating func read(path: String, readPath: String, absolute: String, explicit: Bool) {
    do {
      let loaded = try load(LoadRequest(path: path, readPath: readPath, absolute: absolute, explicit: explicit, encoding: encoding))
      if let note = loaded.note { notes.append(note) }
      place(path: path, absolute: absolute, bytes: loaded.bytes, original: loaded.original, standardInput: false, explicit: explicit)
    } catch let error as IOError {
      problems.append(error)
    } catch {
      problems.append(IOError(path: path, reason: "\(error)"))
    }
  }

  /// Adds a file read (and converted) with its configuration, as a budget or a configuration file.
  private mutating func place(path: String, absolute: String, bytes: [UInt8], original: [UInt8]?, standardInput: Bool, explicit: Bool) {
    let configuration = configuration(forAbsolutePath: absolute)
    var file = InputFile(
      path: path, absolutePath: absolute, bytes: bytes, originalBytes: original, isStandardInput: standardInput, configuration: configuration)
    if ConfigurationResolver.isConfigurationFile(absolute) {
      configurationFiles.append(file)
      return
    }
    if let pattern = configuration.excludingPattern(for: absolute) {
      // Files found in folders are left out quietly: that is what the patterns are for. A file
      // named on the command line is left out too (pre-commit names files), with a note.
      guard explicit else { return }
      file.excludedBy = pattern
    }
    files.append(file)
  }

  /// The problems of a configuration file named on the command line.
  mutating func checkConfigurationFiles() {
    for file in configurationFiles {
      let folder = file.absolutePath.lastIndex(of: "/").map { String(file.absolutePath[..<$0]) } ?? ""
      let parsed = ConfigurationFile(path: display(file.absolutePath), bytes: file.bytes, folder: folder.isEmpty ? "/" : folder)
      for problem in parsed.problems where !configurationProblems.contains(problem) { configurationProblems.append(problem) }
    }
  }

  /// The files to process, and notes for those named explicitly but excluded by configuration.
  func included(notes: inout [String]) -> [InputFile] {
    notes += self.notes
    var result: [InputFile] = []
    for file in files {
      if let pattern = file.excludedBy {
        let kind = file.configuration.exclude.contains(pattern) ? "excluded by the pattern" : "not matched by the include patterns, such as"
        let source = display(ConfigurationResolver.path(inFolder: pattern.base))
        notes.append("yosan: \(file.path): skipped: \(kind) `\(pattern.pattern)` of \(source)")
      } else {
        result.append(file)
      }
    }
    return result
  }
}
