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
  public static func readAll(_ fd: Int32, path: String) throws -> [UInt8] {
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw IOError(path: path, reason: errorText())
      }
      if n == 0 { break }
      result.append(contentsOf: chunk[0..<n])
    }
    return result
  }

  /// Every `*.yosan` file under `directory`, sorted, following no symbolic links to directories
  /// and skipping hidden directories such as `.git`.
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
        case S_IFREG, S_IFLNK:
          if name.hasSuffix(".yosan"), kind(of: path) == .file { result.append(path) }
        default:
          break
        }
      }
    }
    return result.sorted()
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

/// Buffered output to a file descriptor.
public final class Output {
  let fd: Int32
  var buffer: [UInt8] = []

  public init(fd: Int32) { self.fd = fd }

  public func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count > 1 << 16 { flush() }
  }

  public func line(_ text: String) { write(text + "\n") }

  public func flush() {
    var offset = 0
    while offset < buffer.count {
      let n = buffer[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        break
      }
      offset += n
    }
    buffer.removeAll(keepingCapacity: true)
  }

  deinit { flush() }
}
