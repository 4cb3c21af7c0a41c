#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension FileSystem {
  /// Writes `bytes` to `path`, which may not exist yet, through `replaceFile` (a temporary file in
  /// the same folder, flushed, renamed over the target), so that a failure never leaves a
  /// half-written file. A new file is first created empty (readable by everyone, as the umask
  /// allows), and removed again if the write fails.
  public static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    if let existing = try readIfExists(path) {
      try replaceFile(path, expected: existing, with: bytes)
      return
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o666)
    guard fd >= 0 else { throw IOError(path: path, reason: "cannot create the file (\(errorText())); nothing was written") }
    close(fd)
    do {
      try replaceFile(path, expected: [], with: bytes)
    } catch {
      unlink(path)
      throw error
    }
  }
}
