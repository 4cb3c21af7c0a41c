#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension FileSystem {
  /// Writes `bytes` to `path`, which may not exist yet: an existing file is replaced as
  /// `replaceFile` does; a new one is written to a temporary file in the same folder, flushed to
  /// disk and renamed into place (readable by everyone, as the umask allows), so that a failure
  /// never leaves a half-written file.
  public static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    if let existing = try readIfExists(path) {
      try replaceFile(path, expected: existing, with: bytes)
      return
    }
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array((folder.isEmpty ? "/" : folder + "/").utf8CString.dropLast()) + Array(".\(name).yosan-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0 else {
      throw IOError(path: path, reason: "cannot create a file in \(folder.isEmpty ? "/" : folder) (\(errorText())); nothing was written")
    }
    let temporary = cString(template)
    var renamed = false
    defer { if !renamed { unlink(temporary) } }
    do {
      defer { close(fd) }
      var offset = 0
      while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 {
          if errno == EINTR { continue }
          throw IOError(path: path, reason: "cannot write (\(errorText())); nothing was written")
        }
        offset += n
      }
      let mask = umask(0)
      umask(mask)
      if fchmod(fd, 0o666 & ~mask) != 0 { throw IOError(path: path, reason: "cannot set the permissions (\(errorText())); nothing was written") }
      if fsync(fd) != 0 { throw IOError(path: path, reason: "cannot flush to disk (\(errorText())); nothing was written") }
    }
    guard rename(temporary, path) == 0 else { throw IOError(path: path, reason: "cannot create the file (\(errorText())); nothing was written") }
    renamed = true
  }
}
