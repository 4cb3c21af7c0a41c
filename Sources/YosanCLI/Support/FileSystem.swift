import YosanJSON
import YosanLSP
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

/// What `stat` says of a file that changes when it is written, replaced (a new inode: an editor
/// that saves by renaming a new file into place) or changed in size or mode: `check --watch`
/// reads a file again only when its stamp changed.
struct FileStamp: Hashable {
  var device: UInt64
  var inode: UInt64
  var size: Int64
  var mode: UInt32
  var modified: Int64
  var modifiedNanoseconds: Int
  var changed: Int64
  var changedNanoseconds: Int

  /// The stamp of the file at `path` (links followed), or nil when there is none.
  init?(_ path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
    size = Int64(info.st_size)
    mode = UInt32(info.st_mode)
    #if canImport(Darwin)
      modified = Int64(info.st_mtimespec.tv_sec)
      modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
      changed = Int64(info.st_ctimespec.tv_sec)
      changedNanoseconds = Int(info.st_ctimespec.tv_nsec)
    #else
      modified = Int64(info.st_mtim.tv_sec)
      modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
      changed = Int64(info.st_ctim.tv_sec)
      changedNanoseconds = Int(info.st_ctim.tv_nsec)
    #endif
  }
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
    case EPERM: return "operation not permitted"
    default: return String(cString: strerror(code))
    }
  }

  /// The whole contents of a regular file. Anything else (a FIFO, a device, a socket) is refused
  /// without being read: the file is opened without blocking (a FIFO with no writer would wait
  /// forever) and checked with `fstat` on the descriptor, so it cannot be swapped in between.
  /// With `followingLinks` false, a symbolic link is refused too.
  public static func readFile(_ path: String, followingLinks: Bool = true) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
    guard fd >= 0 else {
      if !followingLinks, errno == ELOOP { throw IOError(path: path, reason: "is a symbolic link") }
      throw IOError(path: path, reason: errorText())
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw IOError(path: path, reason: errorText()) }
    guard info.st_mode & S_IFMT == S_IFREG else { throw IOError(path: path, reason: "not a regular file (\(typeName(info.st_mode)))") }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return try readAll(fd, path: path)
  }

  /// What kind of file a mode describes, for messages.
  static func typeName(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFREG: return "a regular file"
    case S_IFDIR: return "a directory"
    case S_IFLNK: return "a symbolic link"
    case S_IFIFO: return "a FIFO"
    case S_IFSOCK: return "a socket"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    default: return "a special file"
    }
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

  /// What walking a directory found.
  public struct DirectoryListing {
    /// A `.yosan` file to read: the path to show (as found under the directory), and the path to
    /// read, which is inside the directory and not a symbolic link (a link's resolved target).
    public struct File {
      public var path: String
      public var readPath: String
    }

    public var files: [File] = []
    /// Entries that are not read, each with why: symbolic links that lead outside the directory,
    /// `.yosan` names that are not regular files (a FIFO, a device, a socket). Listed once each.
    public var skipped: [(path: String, reason: String)] = []
    /// Folders that could not be read, and links that lead nowhere.
    public var problems: [IOError] = []
    /// The folders walked (the directory itself first), for `check --watch` to watch.
    public var folders: [String] = []
  }

  /// Every `*.yosan` file under `directory`, sorted by path.
  ///
  /// Only regular files are read. Hidden directories (`.git`) are not entered. A symbolic link is
  /// followed only when its target is inside `directory` (resolved, with every link in between):
  /// a link to a `.yosan` file inside is checked (once: a file reached under two names is listed
  /// under the first, a real name before a link's), a link to a folder is not entered (the folder
  /// is walked anyway when it is inside), and a link that leads outside is skipped and listed in
  /// `skipped`, as is a `.yosan` name that is a FIFO, a device or a socket. A `.yosan` link whose
  /// target is missing is a problem, as is a folder that cannot be read; the walk goes on.
  public static func yosanFiles(under directory: String) -> DirectoryListing {
    var listing = DirectoryListing()
    guard let root = resolvedPath(directory) else {
      listing.problems.append(IOError(path: directory, reason: errorText()))
      return listing
    }
    struct Found {
      var file: DirectoryListing.File
      var isLink: Bool
    }
    var found: [FileIdentity: Found] = [:]
    var pending = [directory]
    while let current = pending.popLast() {
      listing.folders.append(current)
      guard let dir = opendir(current) else {
        listing.problems.append(IOError(path: current, reason: "\(errorText()) (a folder; its files are not checked)"))
        continue
      }
      defer { closedir(dir) }
      while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
          pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
        }
        if name == "." || name == ".." { continue }
        let path = current.hasSuffix("/") ? current + name : current + "/" + name
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        let isYosan = name.hasSuffix(".yosan")
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
          if !name.hasPrefix(".") { pending.append(path) }
        case S_IFREG:
          guard isYosan else { continue }
          let identity = FileIdentity(info)
          if let earlier = found[identity], !earlier.isLink, earlier.file.path < path { continue }
          found[identity] = Found(file: .init(path: path, readPath: path), isLink: false)
        case S_IFLNK:
          guard !name.hasPrefix(".") || isYosan else { continue }
          var target = stat()
          guard stat(path, &target) == 0 else {
            if isYosan { listing.problems.append(IOError(path: path, reason: "a symbolic link to \(linkTarget(path)), which does not exist")) }
            continue
          }
          let kind = target.st_mode & S_IFMT
          guard kind == S_IFDIR || isYosan else { continue }
          // A target without a path (`/dev/stdin` is a pipe or a terminal) is outside too.
          let real = resolvedPath(path)
          guard let real, Paths.isInside(real, folder: root) else {
            let what = kind == S_IFDIR ? "a folder" : kind == S_IFREG ? "a file" : typeName(target.st_mode)
            listing.skipped.append((
              path, "a symbolic link to \(what) outside \(directory) (\(real ?? linkTarget(path))); links are followed only inside the folder checked"
            ))
            continue
          }
          // A folder inside is walked as itself; a link to it would only list its files twice.
          guard kind != S_IFDIR else { continue }
          guard kind == S_IFREG else {
            listing.skipped.append((path, "a symbolic link to \(typeName(target.st_mode)), not a regular file"))
            continue
          }
          let identity = FileIdentity(target)
          if let earlier = found[identity], !earlier.isLink || earlier.file.path < path { continue }
          found[identity] = Found(file: .init(path: path, readPath: real), isLink: true)
        default:
          if isYosan { listing.skipped.append((path, "\(typeName(info.st_mode)), not a regular file")) }
        }
      }
    }
    listing.files = found.values.map(\.file).sorted { $0.path < $1.path }
    listing.skipped.sort { $0.path < $1.path }
    return listing
  }

  /// False when `path` is a symbolic link that does not resolve to a place inside `root` (a
  /// resolved path): what a directory walk does not follow. True for anything that is not a link.
  static func staysInside(_ path: String, root: String) -> Bool {
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return true }
    guard let real = resolvedPath(path) else { return true }
    return Paths.isInside(real, folder: root)
  }

  /// The canonical absolute path (every symbolic link resolved), or nil when it does not exist.
  static func resolvedPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// What a symbolic link says (its target as written), for messages.
  static func linkTarget(_ path: String) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { return "a target that cannot be read" }
    return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
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

func systemRead(_ fd: Int32, _ pointer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(fd, pointer, count)
}

func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
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
    if buffer.count > Output.chunk { flush() }
  }

  public func line(_ text: String) { write(text + "\n") }

  /// Raw bytes, as they are.
  public func bytes(_ bytes: [UInt8]) {
    guard failure == nil else { return }
    buffer.append(contentsOf: bytes)
    if buffer.count > Output.chunk { flush() }
  }

  /// A JSON document, indented, and a line break: written as it is made, in pieces of the
  /// buffer's size, so that a large document (SARIF of many findings) is never held whole as
  /// text, nor copied.
  public func json(_ value: JSON) {
    guard failure == nil else { return }
    flush()
    value.writePrettyPrinted(chunk: Output.chunk) { [self] bytes in
      send(bytes)
      bytes.removeAll(keepingCapacity: true)
    }
    buffer.append(0x0A)
  }

  /// How much is buffered before it is written.
  static let chunk = 1 << 16

  /// Writes what is buffered; returns false when this or an earlier write failed.
  @discardableResult
  public func flush() -> Bool {
    send(buffer)
    buffer.removeAll(keepingCapacity: true)
    return failure == nil
  }

  /// Writes `bytes` (nothing after a failure: the first is kept in `failure`).
  private func send(_ bytes: [UInt8]) {
    var offset = 0
    while failure == nil, offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      if n <= 0 {
        // A write that writes nothing and reports no error would loop forever: treat it as full.
        if n == 0 { errno = ENOSPC }
        failure = FileSystem.errorText()
        break
      }
      offset += n
    }
  }

  deinit { flush() }
}
