#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The server's file-system access, on POSIX calls: it reads only regular files inside the
/// workspace folders (symbolic links are followed only when they stay inside their folder) and
/// never writes. `WorkspaceIndexer` walks the folders.
enum WorkspaceFiles {
  /// Files larger than this are not indexed (they are logged instead).
  static let maximumFileSize = 64 << 20

  /// A workspace folder: its path as the client named it and its resolved path.
  struct Folder: Equatable {
    var uri: String
    var path: String
    var realPath: String
  }

  static func folder(uri: String) -> Folder? {
    guard let path = DocumentURI.filePath(uri), let real = realPath(path) else { return nil }
    return Folder(uri: uri, path: path, realPath: real)
  }

  /// The canonical absolute path (symbolic links resolved), or nil when it does not exist.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// True when `real` (a resolved path) is `folder` or inside it.
  static func contains(_ folder: String, _ real: String) -> Bool {
    real == folder || real.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
  }

  /// True when `path` resolves to a place inside one of `folders`.
  static func isInside(_ path: String, _ folders: [Folder]) -> Bool {
    guard let real = realPath(path) else {
      // A file that no longer exists: judge by its parent folder.
      let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
      guard !parent.isEmpty, let realParent = realPath(parent) else { return false }
      return folders.contains { contains($0.realPath, realParent) }
    }
    return folders.contains { contains($0.realPath, real) }
  }

  /// The contents of a regular file, or a message saying why it cannot be read. The file is
  /// opened without blocking and checked on its descriptor: a FIFO (which would block the server
  /// until someone writes to it), a device or a socket is refused without a read.
  static func readFile(_ path: String) -> Result<[UInt8], ReadError> {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return .failure(ReadError(path: path, reason: String(cString: strerror(errno)))) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .failure(ReadError(path: path, reason: "not a regular file")) }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    guard Int(info.st_size) <= maximumFileSize else {
      return .failure(ReadError(path: path, reason: "larger than \(maximumFileSize >> 20) MiB; not indexed"))
    }
    var result: [UInt8] = []
    result.reserveCapacity(Int(info.st_size))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return .failure(ReadError(path: path, reason: String(cString: strerror(errno))))
      }
      if n == 0 { break }
      result.append(contentsOf: chunk[0..<n])
      if result.count > maximumFileSize { return .failure(ReadError(path: path, reason: "larger than \(maximumFileSize >> 20) MiB; not indexed")) }
    }
    return .success(result)
  }

  struct ReadError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): \(reason)" }
  }
}
