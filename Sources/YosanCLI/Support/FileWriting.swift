#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing files that may not exist yet (`yosan import -o`, `yosan export -o`), as safely as
/// `replaceFile` rewrites existing ones: nothing is ever half-written.
extension FileSystem {
  /// Writes `bytes` to `path`. An existing file is replaced by `replaceFile` (its permissions
  /// kept, a change on disk while writing refused); a new one is written to a temporary file in
  /// the same folder, flushed, and linked into place only if no file of that name appeared
  /// meanwhile. On any failure nothing is left behind and `path` is as it was.
  public static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    switch kind(of: path) {
    case .file:
      try replaceFile(path, expected: try readFile(path), with: bytes)
    case .missing:
      try createFile(path, bytes)
    case .directory:
      throw IOError(path: path, reason: "is a directory; give the name of a file to write")
    case .other:
      throw IOError(path: path, reason: "is not a regular file; nothing was written")
    }
  }

  /// The permission bits a new file gets: 0666 less the process's umask.
  static func newFileMode() -> mode_t {
    let mask = umask(0)
    umask(mask)
    return 0o666 & ~mask
  }

  static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let folder = String(path[..<slash])
    return folder.isEmpty ? "/" : folder
  }

  /// Writes `bytes` to a new temporary file in `folder` (flushed to disk, with `mode`), and
  /// returns its path.
  static func temporaryFile(in folder: String, named name: String, _ bytes: [UInt8], mode: mode_t, for path: String) throws -> String {
    var template = Array((folder + "/").utf8CString.dropLast()) + Array(".\(name).yosan-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0 else { throw IOError(path: path, reason: "cannot create a temporary file in \(folder) (\(errorText())); nothing was written") }
    let temporary = cString(template)
    var ok = false
    defer {
      close(fd)
      if !ok { unlink(temporary) }
    }
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw IOError(path: path, reason: "cannot write (\(errorText())); nothing was written")
      }
      offset += n
    }
    guard fchmod(fd, mode) == 0 else { throw IOError(path: path, reason: "cannot set the permissions (\(errorText())); nothing was written") }
    guard fsync(fd) == 0 else { throw IOError(path: path, reason: "cannot flush to disk (\(errorText())); nothing was written") }
    ok = true
    return temporary
  }

  static func syncFolder(_ folder: String) {
    let fd = open(folder, O_RDONLY)
    if fd >= 0 {
      _ = fsync(fd)
      close(fd)
    }
  }

  static func createFile(_ path: String, _ bytes: [UInt8]) throws {
    let folder = folder(of: path)
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let temporary = try temporaryFile(in: folder, named: name, bytes, mode: newFileMode(), for: path)
    defer { unlink(temporary) }
    // link() fails if the name exists: a file that appeared meanwhile is not overwritten.
    guard link(temporary, path) == 0 else {
      let reason = errno == EEXIST ? "appeared on disk while being written; nothing was written, run again" : "cannot create the file (\(errorText())); nothing was written"
      throw IOError(path: path, reason: reason)
    }
    syncFolder(folder)
  }

  /// Writes the files into the directory `path` (names without `/`). A directory that does not
  /// exist is made in full under a temporary name beside it and renamed into place, so it
  /// appears complete or not at all. In an existing directory every file is first written in
  /// full to a temporary file; only when all are written are they renamed over the old ones.
  /// Files of the directory that are not among `files` are left alone.
  public static func writeDirectory(_ path: String, files: [(name: String, bytes: [UInt8])]) throws {
    switch kind(of: path) {
    case .missing:
      let parent = folder(of: path)
      let name = path.split(separator: "/").last.map(String.init) ?? path
      var template = Array((parent + "/").utf8CString.dropLast()) + Array(".\(name).yosan-XXXXXX".utf8CString)
      guard mkdtemp(&template) != nil else {
        throw IOError(path: path, reason: "cannot create a directory in \(parent) (\(errorText())); nothing was written")
      }
      let temporary = cString(template)
      var done = false
      defer {
        if !done {
          for file in files { unlink(temporary + "/" + file.name) }
          rmdir(temporary)
        }
      }
      for file in files {
        let written = try temporaryFile(in: temporary, named: file.name, file.bytes, mode: newFileMode(), for: path + "/" + file.name)
        guard rename(written, temporary + "/" + file.name) == 0 else {
          unlink(written)
          throw IOError(path: path, reason: "cannot write \(file.name) (\(errorText())); nothing was written")
        }
      }
      let mask = umask(0)
      umask(mask)
      guard chmod(temporary, 0o777 & ~mask) == 0 else { throw IOError(path: path, reason: "cannot set the directory's permissions (\(errorText())); nothing was written") }
      guard rename(temporary, path) == 0 else {
        throw IOError(path: path, reason: errno == EEXIST || errno == ENOTEMPTY ? "appeared on disk while being written; nothing was written, run again" : "cannot create the directory (\(errorText())); nothing was written")
      }
      done = true
      syncFolder(parent)
    case .directory:
      var temporaries: [(String, String)] = []
      var done = false
      defer { if !done { for (temporary, _) in temporaries { unlink(temporary) } } }
      for file in files {
        let target = path + "/" + file.name
        if kind(of: target) == .directory || kind(of: target) == .other {
          throw IOError(path: target, reason: "is not a regular file; nothing was written")
        }
        temporaries.append((try temporaryFile(in: path, named: file.name, file.bytes, mode: newFileMode(), for: target), target))
      }
      for (temporary, target) in temporaries {
        guard rename(temporary, target) == 0 else { throw IOError(path: target, reason: "cannot replace the file (\(errorText()))") }
      }
      done = true
      syncFolder(path)
    case .file, .other:
      throw IOError(path: path, reason: "is not a directory; give a directory to write the files into")
    }
  }
}
