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
  let resolver: ConfigurationResolver
  private let readErrors: ErrorBox

  final class ErrorBox {
    var errors: [IOError] = []
    /// The folders walked so far: each as an absolute path (the form configuration paths come
    /// in) and resolved. A configuration file inside one is read under the walk's rule.
    var walked: [(absolute: String, resolved: String)] = []
  }

  init() {
    workingDirectory = FileSystem.currentDirectory()
    let box = ErrorBox()
    readErrors = box
    resolver = ConfigurationResolver { path in
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
    for error in readErrors.errors {
      let shown = IOError(path: display(error.path), reason: error.reason + " (a configuration file)")
      if !self.problems.contains(where: { $0.description == shown.description }) { self.problems.append(shown) }
    }
    readErrors.errors.removeAll()
    return configuration
  }

  /// Reads every path: files, folders (recursively, `*.yosan`, `include`/`exclude` applied) and
  /// `-` (standard input, named `stdinFilename` when given). Configuration files, named or found,
  /// go to `configurationFiles`.
  /// Problems are collected, not thrown, so that the readable files are still processed.
  static func gather(_ paths: [String], stdinFilename: String?, encoding: InputEncoding = .utf8) -> Inputs {
    var inputs = Inputs()
    inputs.encoding = encoding
    var seen = Set<String>()
    var seenSkipped = Set<String>()
    for path in paths {
      if path == "-" {
        let name = stdinFilename ?? "-"
        let absolute = Paths.absolute(stdinFilename ?? "-", in: inputs.workingDirectory)
        do {
          let bytes = try FileSystem.readAll(0, path: name)
          inputs.add(path: name, absolute: absolute, bytes: bytes, standardInput: true, explicit: true)
        } catch let error as IOError {
          inputs.problems.append(error)
        } catch {}
        continue
      }
      switch FileSystem.kind(of: path) {
      case .file:
        let absolute = Paths.absolute(path, in: inputs.workingDirectory)
        guard seen.insert(absolute).inserted else { continue }
        inputs.read(path: path, readPath: path, absolute: absolute, explicit: true)
      case .directory:
        if let resolved = FileSystem.resolvedPath(path) {
          inputs.readErrors.walked.append((Paths.absolute(path, in: inputs.workingDirectory), resolved))
        }
        let listing = FileSystem.yosanFiles(under: path)
        inputs.problems += listing.problems
        for (skipped, reason) in listing.skipped where seenSkipped.insert(skipped).inserted {
          inputs.notes.append("yosan: \(skipped): skipped: \(reason)")
        }
        if listing.files.isEmpty, listing.problems.isEmpty {
          inputs.problems.append(IOError(path: path, reason: "no .yosan files in this directory"))
        }
        for file in listing.files {
          let absolute = Paths.absolute(file.path, in: inputs.workingDirectory)
          guard seen.insert(absolute).inserted else { continue }
          inputs.read(path: file.path, readPath: file.readPath, absolute: absolute, explicit: false)
        }
      case .missing:
        inputs.problems.append(IOError(path: path, reason: "no such file or directory"))
      case .other:
        inputs.problems.append(IOError(path: path, reason: "not a regular file or directory"))
      }
    }
    return inputs
  }

  /// Reads a file named on the command line (links followed, as the user named it) or found in a
  /// folder (`readPath` is then inside the folder and no link: nothing outside is read).
  private mutating func read(path: String, readPath: String, absolute: String, explicit: Bool) {
    do {
      let bytes = try FileSystem.readFile(readPath, followingLinks: explicit)
      add(path: path, absolute: absolute, bytes: bytes, standardInput: false, explicit: explicit)
    } catch let error as IOError {
      problems.append(error)
    } catch {
      problems.append(IOError(path: path, reason: "\(error)"))
    }
  }

  private mutating func add(path: String, absolute: String, bytes read: [UInt8], standardInput: Bool, explicit: Bool) {
    var bytes = read
    var original: [UInt8]?
    if encoding != .utf8, !ConfigurationResolver.isConfigurationFile(absolute) {
      do {
        let (text, note) = try encoding.decode(read, path: path)
        if let note { notes.append(note) }
        if text != read { original = read }
        bytes = text
      } catch {
        problems.append(error)
        return
      }
    }
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
