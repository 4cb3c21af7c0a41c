#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing a folder of files (`yosan export --format datapackage -o DIR`, `yosan import -o DIR/`)
/// as safely as `writeFile` writes one: nothing is ever half-written.
extension FileSystem {
  static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let folder = String(path[..<slash])
    return folder.isEmpty ? "/" : folder
  }

  /// Writes the files (names without `/`) into the directory `path`. They are first written in
  /// full, each by `writeFile`, into a new folder beside `path`; a directory that did not exist
  /// is then that folder, renamed into place, so it appears complete or not at all; into an
  /// existing one the files are renamed one by one, once all of them are written. Files of the
  /// directory that are not among `files` are left alone. On a failure nothing is left behind.
  public static func writeDirectory(_ path: String, files: [(name: String, bytes: [UInt8])]) throws {
    let existing = kind(of: path)
    guard existing == .missing || existing == .directory else {
      throw IOError(path: path, reason: "is not a directory; give a directory to write the files into")
    }
    let parent = folder(of: path)
    let name = path.split(separator: "/").last.map(String.init) ?? path
    var template = Array((parent + "/").utf8CString.dropLast()) + Array(".\(name).yosan-XXXXXX".utf8CString)
    guard mkdtemp(&template) != nil else {
      throw IOError(path: path, reason: "cannot create a folder in \(parent) (\(errorText())); nothing was written")
    }
    let temporary = cString(template)
    defer {
      for file in files { unlink(temporary + "/" + file.name) }
      rmdir(temporary)
    }
    for file in files {
      do {
        try writeFile(temporary + "/" + file.name, file.bytes)
      } catch let error as IOError {
        throw IOError(path: path + "/" + file.name, reason: error.reason.replacing("it was not changed", with: "nothing was written"))
      }
    }
    if existing == .missing {
      let mask = umask(0)
      umask(mask)
      guard chmod(temporary, 0o777 & ~mask) == 0 else {
        throw IOError(path: path, reason: "cannot set the folder's permissions (\(errorText())); nothing was written")
      }
      guard rename(temporary, path) == 0 else {
        throw IOError(
          path: path,
          reason: errno == EEXIST || errno == ENOTEMPTY
            ? "appeared on disk while being written; nothing was written, run again" : "cannot create the folder (\(errorText())); nothing was written")
      }
      syncFolder(parent)
      return
    }
    for file in files {
      let target = path + "/" + file.name
      let kind = kind(of: target)
      guard kind == .file || kind == .missing else { throw IOError(path: target, reason: "is not a regular file; it was not replaced") }
    }
    for file in files {
      guard rename(temporary + "/" + file.name, path + "/" + file.name) == 0 else {
        throw IOError(path: path + "/" + file.name, reason: "cannot replace the file (\(errorText()))")
      }
    }
    syncFolder(path)
  }
}
