import YosanSyntax

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file-system problem, with a message ready for stderr.
public struct IOError: Error, CustomStringConvertible {
  public var path: String
  public var reason: String
  public var description: String { "\(path): \(reason)" }
}

/// The little file-system access the CLI needs, on POSIX calls (no Foundation).
public enum FileSystem {
  public enum Kind { case file, directory, missing, other }

  public static func kind(of path: String) -> Kind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .missing }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  static func errorText() -> String {
    let code = errno
    switch code {
    case ENOENT: return "no such file or directory"
    case EACCES: return "permission denied"
    case EISDIR: return "is a directory"
    case ENOSPC: return "no space left on the device"
    case EROFS: return "read-only file system"
    default: return String(cString: strerror(code))
    }
  }

  /// The whole contents of a file.
  public static func readFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw IOError(path: path, reason: errorText()) }
    defer { close(fd) }
    return try readAll(fd, path: path)
  }

  /// Everything readable from a file descriptor until end of file.
  ///
  /// A regular file is read straight into an array of its size plus one byte (one allocation, no
  /// copy); if that byte gets filled, the file grew, and the rest is read in chunks.
  public static func readAll(_ fd: Int32, path: String) throws -> [UInt8] {
    var info = stat()
    let size = fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : 0
    if size > TextRange.maximumOffset { throw tooLarge(path) }
    var failure: Int32 = 0
    var result = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
      while count < buffer.count {
        let n = systemRead(fd, buffer.baseAddress! + count, buffer.count - count)
        if n < 0, errno == EINTR { continue }
        if n < 0 { failure = errno }
        if n <= 0 { break }
        count += n
      }
    }
    if failure != 0 {
      errno = failure
      throw IOError(path: path, reason: errorText())
    }
    guard result.count == size + 1 else { return result }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw IOError(path: path, reason: errorText())
      }
      if n == 0 { break }
      result.append(contentsOf: chunk[0..<n])
      if result.count > TextRange.maximumOffset { throw tooLarge(path) }
    }
    return result
  }

  /// Offsets into a document are 32-bit (`TextRange`): larger files are refused.
  static func tooLarge(_ path: String) -> IOError {
    IOError(path: path, reason: "larger than 2 GiB, more than Yosan reads; split it into smaller files")
  }

  /// Every `*.yosan` file under `directory`, sorted, following no symbolic links to directories
  /// and skipping hidden directories such as `.git`. A `.yosan` link whose target is missing is
  /// listed, so that reading it reports it.
  public static func yosanFiles(under directory: String) throws -> [String] {
    var result: [String] = []
    var pending = [directory]
    while let current = pending.popLast() {
      guard let dir = opendir(current) else { throw IOError(path: current, reason: errorText()) }
      defer { closedir(dir) }
      while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
          pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
        }
        if name == "." || name == ".." { continue }
        let path = current.hasSuffix("/") ? current + name : current + "/" + name
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
          if !name.hasPrefix(".") { pending.append(path) }
        case S_IFREG:
          if name.hasSuffix(".yosan") { result.append(path) }
        case S_IFLNK:
          // A link to a file is checked; a broken one too, so that reading it reports the problem
          // instead of the file being skipped without a word. Links to folders are not followed.
          if name.hasSuffix(".yosan"), kind(of: path) != .directory { result.append(path) }
        default:
          break
        }
      }
    }
    return result.sorted()
  }

  /// The contents of a file, or nil when there is no file at `path`. Other failures (permission
  /// denied, a folder of that name) throw.
  public static func readIfExists(_ path: String) throws -> [UInt8]? {
    var info = stat()
    if stat(path, &info) != 0 {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw IOError(path: path, reason: errorText())
    }
    guard info.st_mode & S_IFMT == S_IFREG else { throw IOError(path: path, reason: "not a regular file") }
    return try readFile(path)
  }

  /// The current working directory.
  public static func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    return cString(buffer)
  }

  /// Replaces the contents of the file at `path` with `bytes`, safely.
  ///
  /// The new text goes to a temporary file in the same folder, which is flushed to disk (fsync)
  /// and given the original's permission bits; then the original is read again, and only if it
  /// still holds `expected` is the temporary file renamed over it (an atomic step). On any
  /// failure the temporary file is removed and the original is left as it was. A symbolic link
  /// stays a link: its target is replaced. A read-only file is not written.
  public static func replaceFile(_ path: String, expected: [UInt8], with bytes: [UInt8]) throws {
    var target = path
    if let resolved = realpath(path, nil) {
      target = String(cString: resolved)
      free(resolved)
    }
    var info = stat()
    guard stat(target, &info) == 0 else { throw IOError(path: path, reason: "\(errorText()); it was not changed") }
    // A file without write permission is read-only for us too, even when running as root (who
    // could rename over it): someone made it read-only on purpose.
    guard info.st_mode & 0o222 != 0 else { throw IOError(path: path, reason: "the file is read-only; it was not changed") }
    guard access(target, W_OK) == 0 else {
      throw IOError(path: path, reason: errno == EACCES || errno == EROFS ? "the file is read-only (\(errorText())); it was not changed" : "\(errorText()); it was not changed")
    }
    let slash = target.lastIndex(of: "/")
    let folder = slash.map { String(target[..<$0]) } ?? "."
    let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
    var template = Array((folder.isEmpty ? "/" : folder + "/").utf8CString.dropLast()) + Array(".\(name).yosan-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0 else { throw IOError(path: path, reason: "cannot create a temporary file in \(folder.isEmpty ? "/" : folder) (\(errorText())); the file was not changed") }
    let temporary = cString(template)
    var renamed = false
    defer { if !renamed { unlink(temporary) } }
    do {
      defer { close(fd) }
      var offset = 0
      while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
        if n < 0 {
          if errno == EINTR { continue }
          throw IOError(path: path, reason: "cannot write the new text (\(errorText())); the file was not changed")
        }
        offset += n
      }
      if fchmod(fd, info.st_mode & 0o7777) != 0 { throw IOError(path: path, reason: "cannot keep the file's permissions (\(errorText())); it was not changed") }
      if fchown(fd, info.st_uid, info.st_gid) != 0 && errno != EPERM {
        throw IOError(path: path, reason: "cannot keep the file's owner (\(errorText())); it was not changed")
      }
      if fsync(fd) != 0 { throw IOError(path: path, reason: "cannot flush the new text to disk (\(errorText())); the file was not changed") }
    }
    let current = try? readFile(target)
    guard current == expected else { throw IOError(path: path, reason: "changed on disk while being processed; it was not changed, run again") }
    guard rename(temporary, target) == 0 else { throw IOError(path: path, reason: "cannot replace the file (\(errorText())); it was not changed") }
    renamed = true
    let folderFD = open(folder.isEmpty ? "/" : folder, O_RDONLY)
    if folderFD >= 0 {
      _ = fsync(folderFD)
      close(folderFD)
    }
  }

  /// The text of a NUL-terminated buffer.
  static func cString(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// True when `fd` is a terminal.
  public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

  /// The value of an environment variable.
  public static func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
  }
}

private func systemRead(_ fd: Int32, _ pointer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(fd, pointer, count)
}

private func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
  write(fd, pointer, count)
}

/// Buffered output to a file descriptor. Every write is checked: the first failure (a full disk,
/// `/dev/full`, a closed terminal) is kept in `failure`, and what follows is dropped, so that the
/// command can say the output is incomplete and exit 2 instead of reporting success.
public final class Output {
  let fd: Int32
  var buffer: [UInt8] = []
  /// The reason of the first write that failed, if one did.
  public private(set) var failure: String?

  public init(fd: Int32) { self.fd = fd }

  public func write(_ text: String) {
    guard failure == nil else { return }
    buffer.append(contentsOf: text.utf8)
    if buffer.count > 1 << 16 { flush() }
  }

  public func line(_ text: String) { write(text + "\n") }

  /// Raw bytes, as they are.
  public func bytes(_ bytes: [UInt8]) {
    guard failure == nil else { return }
    buffer.append(contentsOf: bytes)
    if buffer.count > 1 << 16 { flush() }
  }

  /// Writes what is buffered; returns false when this or an earlier write failed.
  @discardableResult
  public func flush() -> Bool {
    var offset = 0
    while failure == nil, offset < buffer.count {
      let n = buffer[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      if n <= 0 {
        // A write that writes nothing and reports no error would loop forever: treat it as full.
        if n == 0 { errno = ENOSPC }
        failure = FileSystem.errorText()
        break
      }
      offset += n
    }
    buffer.removeAll(keepingCapacity: true)
    return failure == nil
  }

  deinit { flush() }
}
