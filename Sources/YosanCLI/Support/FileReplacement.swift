#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `FileSystem.replaceFile` did.
public enum Replacement: Sendable, Equatable {
  /// The file now holds the new text, written by this call.
  case replaced
  /// The file already held the new text (another run wrote the same): nothing was written.
  case alreadyCurrent
}

/// Code run at the moments a concurrent save can land: the tests' way to put one there.
struct ReplaceHooks {
  /// After the file was checked against the text read, before the new file takes its place.
  var beforeExchange: () -> Void = {}
  /// After the exchange, before the file swapped out is compared with the text read.
  var afterExchange: () -> Void = {}
}

extension FileSystem {
  /// The prefix and suffix of Yosan's temporary files: `.NAME.yosan-XXXXXX` (mkstemp's six
  /// letters and digits), in the folder of the file being replaced.
  static let temporaryInfix = ".yosan-"

  /// How old (seconds since its last change) a temporary file must be before another run may
  /// remove it as stale.
  static let staleAge: time_t = 60

  /// Replaces the contents of the file at `path` with `bytes`, safely; `expected` is the text it
  /// was read with.
  ///
  /// - The new text goes to a temporary file in the same folder (`.NAME.yosan-XXXXXX`, locked
  ///   with `flock` while it exists), which gets the original's owner and group, then its mode
  ///   bits (setuid, setgid and sticky included) and its extended attributes (ACLs, SELinux
  ///   labels, `user.*`), and is flushed to disk.
  /// - The original is read again; if it no longer holds `expected`, nothing is written ("changed
  ///   on disk"), unless it already holds `bytes` (another run wrote the same: `.alreadyCurrent`).
  /// - On Linux the two files are swapped in one step (`renameat2` with `RENAME_EXCHANGE`), and
  ///   the file swapped out is compared with `expected` once more: if a save landed between the
  ///   check and the swap, the files are swapped back, so the save is what the path holds, and
  ///   the error says so. Where the exchange is not available (another system, a file system
  ///   without it) the temporary file is renamed over the original after the check.
  ///
  /// Refused, with the file left as it is: a file without write permission (even for root), a
  /// file with several hard links (replacing it would leave the other names with the old text),
  /// a file whose owner, group, mode bits or extended attributes the new file could not keep
  /// (another user's file, for someone not root). A symbolic link stays a link: its target is
  /// replaced. On any failure the temporary file is removed and the original is intact.
  @discardableResult
  public static func replaceFile(_ path: String, expected: [UInt8], with bytes: [UInt8]) throws -> Replacement {
    try replaceFile(path, expected: expected, with: bytes, hooks: ReplaceHooks())
  }

  static func replaceFile(_ path: String, expected: [UInt8], with bytes: [UInt8], hooks: ReplaceHooks) throws -> Replacement {
    func failure(_ reason: String) -> IOError { IOError(path: path, reason: reason) }
    let notChanged = "it was not changed"
    var target = path
    if let resolved = realpath(path, nil) {
      target = String(cString: resolved)
      free(resolved)
    }
    var info = stat()
    guard lstat(target, &info) == 0 else { throw failure("\(errorText()); \(notChanged)") }
    guard info.st_mode & S_IFMT == S_IFREG else { throw failure("not a regular file (\(typeName(info.st_mode))); \(notChanged)") }
    // A file without write permission is read-only for us too, even when running as root (who
    // could rename over it): someone made it read-only on purpose.
    guard info.st_mode & 0o222 != 0 else { throw failure("the file is read-only; \(notChanged)") }
    guard access(target, W_OK) == 0 else {
      throw failure(errno == EACCES || errno == EROFS ? "the file is read-only (\(errorText())); \(notChanged)" : "\(errorText()); \(notChanged)")
    }
    guard info.st_nlink <= 1 else {
      throw failure(
        "it has \(info.st_nlink) hard links, and replacing it would leave the other names with the old text; \(notChanged) (make it a file of its own first)"
      )
    }
    let (folder, name) = split(target)
    var template = Array((folder == "/" ? "/" : folder + "/").utf8CString.dropLast()) + Array(".\(name)\(temporaryInfix)XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0 else { throw failure("cannot create a temporary file in \(folder) (\(errorText())); the file was not changed") }
    defer { close(fd) }
    // Held until the file is gone: another run sees that this temporary file is not stale.
    _ = flock(fd, LOCK_EX | LOCK_NB)
    let temporary = cString(template)
    // True while `temporary` names the new file: only then may a failure remove it.
    var ownsTemporary = true
    defer { if ownsTemporary { unlink(temporary) } }
    var ours = stat()
    guard fstat(fd, &ours) == 0 else { throw failure("cannot create a temporary file in \(folder) (\(errorText())); the file was not changed") }

    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw failure("cannot write the new text (\(errorText())); the file was not changed")
      }
      offset += n
    }
    try keepMetadata(of: target, info, on: fd, ours, path: path)
    if fsync(fd) != 0 { throw failure("cannot flush the new text to disk (\(errorText())); the file was not changed") }

    let changedOnDisk = "changed on disk while being processed; \(notChanged), run again"
    let current = try? readFile(target, followingLinks: false)
    if current != expected {
      if current == bytes { return .alreadyCurrent }
      throw failure(changedOnDisk)
    }
    hooks.beforeExchange()
    switch exchange(temporary, target) {
    case .unsupported:
      // No atomic exchange here: the check above is the last look (a save in between is lost).
      guard rename(temporary, target) == 0 else { throw failure("cannot replace the file (\(errorText())); \(notChanged)") }
      ownsTemporary = false
      syncFolder(folder)
      return .replaced
    case .failed(let code):
      errno = code
      throw failure("cannot replace the file (\(errorText())); \(notChanged)")
    case .exchanged:
      break
    }
    // `temporary` now names the file that was at `target` a moment ago.
    ownsTemporary = false
    hooks.afterExchange()
    let swappedOut = try? readFile(temporary, followingLinks: false)
    if swappedOut == expected || swappedOut == bytes {
      unlink(temporary)
      syncFolder(folder)
      return swappedOut == expected ? .replaced : .alreadyCurrent
    }
    // A save landed between the check and the exchange: it goes back to its place.
    guard case .exchanged = exchange(temporary, target) else {
      throw failure("changed on disk while being processed, and the version saved meanwhile could not be put back (\(errorText())); it is in \(temporary)")
    }
    var now = stat()
    if lstat(temporary, &now) == 0, now.st_dev == ours.st_dev, now.st_ino == ours.st_ino,
      (try? readFile(temporary, followingLinks: false)) == bytes
    {
      unlink(temporary)
      syncFolder(folder)
      throw failure(changedOnDisk)
    }
    // Another save replaced the new file after the exchange (or wrote into it in place): what
    // came back to `temporary` is that later save, and the path holds the earlier one. One more
    // exchange puts the latest save at the path; the earlier one stays in `temporary`, and the
    // error says where.
    guard case .exchanged = exchange(temporary, target) else {
      syncFolder(folder)
      throw failure("changed on disk while being processed (saved twice meanwhile); \(notChanged): it holds the earlier save, the later one is in \(temporary)")
    }
    syncFolder(folder)
    throw failure("changed on disk while being processed (saved twice meanwhile); \(notChanged): it holds the latest save, the one before is in \(temporary)")
  }

  /// The folder and the name of an absolute or relative path.
  static func split(_ path: String) -> (folder: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let folder = String(path[..<slash])
    return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
  }

  /// Gives the new file (`fd`, described by `ours`) the original's owner and group, mode bits and
  /// extended attributes, in that order (a change of owner clears setuid and setgid, and may
  /// clear a file capability). Throws when one of them cannot be kept.
  static func keepMetadata(of target: String, _ info: stat, on fd: Int32, _ ours: stat, path: String) throws {
    func failure(_ what: String) -> IOError { IOError(path: path, reason: "cannot keep \(what) (\(errorText())); it was not changed") }
    if ours.st_uid != info.st_uid || ours.st_gid != info.st_gid {
      guard fchown(fd, info.st_uid, info.st_gid) == 0 else {
        let reason = errorText()
        throw IOError(
          path: path,
          reason: "it belongs to user \(info.st_uid), group \(info.st_gid), which a rewritten file could not keep (\(reason)); it was not changed (run as its owner)")
      }
    }
    let mode = info.st_mode & 0o7777
    guard fchmod(fd, mode) == 0 else { throw failure("the file's permissions") }
    // The kernel drops setgid without an error for a group the process is not in: check.
    var after = stat()
    guard fstat(fd, &after) == 0 else { throw failure("the file's permissions") }
    guard after.st_mode & 0o7777 == mode else {
      errno = EPERM
      throw failure("the file's permissions \(String(mode, radix: 8))")
    }
    for attribute in try extendedAttributes(of: target, path: path) {
      let value = attribute.value
      if setExtendedAttribute(attribute.name, value, fd: fd) { continue }
      let code = errno
      // Already right (an SELinux label the folder gives every new file): nothing to keep.
      if let present = extendedAttribute(attribute.name, fd: fd), present == value { continue }
      errno = code
      throw failure("the extended attribute `\(attribute.name)`")
    }
  }

  /// The extended attributes of a file (not following a link), as far as this process may read
  /// them.
  static func extendedAttributes(of path: String, path shown: String) throws -> [(name: String, value: [UInt8])] {
    guard let calls = ExtendedAttributeCalls.load() else { return [] }
    var size = calls.list(path, nil, 0)
    if size < 0 {
      if errno == ENOTSUP || errno == ENOSYS { return [] }
      throw IOError(path: shown, reason: "cannot read the file's extended attributes (\(errorText())); it was not changed")
    }
    guard size > 0 else { return [] }
    var names = [CChar](repeating: 0, count: size)
    size = calls.list(path, &names, names.count)
    guard size >= 0 else { throw IOError(path: shown, reason: "cannot read the file's extended attributes (\(errorText())); it was not changed") }
    var result: [(String, [UInt8])] = []
    for raw in names[..<size].split(separator: 0) {
      let name = String(decoding: raw.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      let length = calls.get(path, name, nil, 0)
      guard length >= 0 else { continue }
      var value = [UInt8](repeating: 0, count: length)
      let read = value.withUnsafeMutableBytes { calls.get(path, name, $0.baseAddress, $0.count) }
      guard read >= 0 else { continue }
      result.append((name, Array(value[..<read])))
    }
    return result
  }

  static func setExtendedAttribute(_ name: String, _ value: [UInt8], fd: Int32) -> Bool {
    guard let calls = ExtendedAttributeCalls.load() else { return false }
    return value.withUnsafeBytes { calls.fset(fd, name, $0.baseAddress, $0.count, 0) } == 0
  }

  static func extendedAttribute(_ name: String, fd: Int32) -> [UInt8]? {
    guard let calls = ExtendedAttributeCalls.load() else { return nil }
    let length = calls.fget(fd, name, nil, 0)
    guard length >= 0 else { return nil }
    var value = [UInt8](repeating: 0, count: length)
    let read = value.withUnsafeMutableBytes { calls.fget(fd, name, $0.baseAddress, $0.count) }
    return read >= 0 ? Array(value[..<read]) : nil
  }

  enum Exchange: Equatable {
    case exchanged
    case unsupported
    case failed(Int32)
  }

  /// Swaps two paths in one step: `renameat2(…, RENAME_EXCHANGE)` on Linux (glibc 2.28 or later,
  /// found at run time; the Glibc module does not declare it).
  static func exchange(_ a: String, _ b: String) -> Exchange {
    #if os(Linux)
      typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
      guard let symbol = dlsym(nil, "renameat2") else { return .unsupported }
      let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
      let renameExchange: UInt32 = 1 << 1  // RENAME_EXCHANGE, <linux/fs.h>
      if renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 { return .exchanged }
      let code = errno
      return code == EINVAL || code == ENOSYS || code == ENOTSUP ? .unsupported : .failed(code)
    #else
      return .unsupported
    #endif
  }

  static func syncFolder(_ folder: String) {
    let fd = open(folder, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
  }

  /// Removes the temporary files that a run of Yosan killed mid-write left in `folder`, and
  /// returns their names. Only files that are certainly such leftovers go: named like Yosan's
  /// (`.NAME.yosan-` and six letters or digits), regular, with one link, owned by this user,
  /// unchanged for a minute, and not locked (a run that is writing one holds its lock).
  public static func removeStaleTemporaryFiles(in folder: String) -> [String] {
    guard let directory = opendir(folder) else { return [] }
    defer { closedir(directory) }
    var removed: [String] = []
    let now = time(nil)
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
      }
      guard isTemporaryName(name) else { continue }
      let path = folder == "/" ? "/" + name : folder + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1, info.st_uid == geteuid(),
        now - info.st_mtim.tv_sec >= staleAge
      else { continue }
      let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
      guard fd >= 0 else { continue }
      defer { close(fd) }
      var opened = stat()
      guard fstat(fd, &opened) == 0, opened.st_ino == info.st_ino, opened.st_dev == info.st_dev, flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
      if unlink(path) == 0 { removed.append(name) }
    }
    return removed.sorted()
  }

  /// True for `.NAME.yosan-XXXXXX` with a name and six letters or digits.
  static func isTemporaryName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    let infix = Array(temporaryInfix.utf8)
    guard bytes.count > 1 + infix.count + 6, bytes[0] == UInt8(ascii: ".") else { return false }
    let suffix = bytes.suffix(6)
    guard suffix.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }) else { return false }
    return Array(bytes.dropLast(6).suffix(infix.count)) == infix
  }
}

/// The extended-attribute calls of Linux's C library, found at run time (the Glibc module does
/// not declare them). Nil elsewhere: extended attributes are then not copied.
struct ExtendedAttributeCalls {
  typealias List = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<CChar>?, Int) -> Int
  typealias Get = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?, Int) -> Int
  typealias FGet = @convention(c) (Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?, Int) -> Int
  typealias FSet = @convention(c) (Int32, UnsafePointer<CChar>?, UnsafeRawPointer?, Int, Int32) -> Int32
  let list: List
  let get: Get
  let fget: FGet
  let fset: FSet

  static func load() -> ExtendedAttributeCalls? {
    #if os(Linux)
      guard let list = dlsym(nil, "llistxattr"), let get = dlsym(nil, "lgetxattr"), let fget = dlsym(nil, "fgetxattr"),
        let fset = dlsym(nil, "fsetxattr")
      else { return nil }
      return ExtendedAttributeCalls(
        list: unsafeBitCast(list, to: List.self), get: unsafeBitCast(get, to: Get.self), fget: unsafeBitCast(fget, to: FGet.self),
        fset: unsafeBitCast(fset, to: FSet.self))
    #else
      return nil
    #endif
  }
}

/// Replaces files for one run of `fmt` or `check --fix`: each through `FileSystem.replaceFile`,
/// after removing the stale temporary files of its folder (once per folder), which it says.
final class FileReplacer {
  private var cleaned: Set<String> = []
  private let note: (String) -> Void

  init(note: @escaping (String) -> Void) { self.note = note }

  func replace(_ file: InputFile, with bytes: [UInt8], display: (String) -> String) throws -> Replacement {
    var real = file.absolutePath
    if let resolved = realpath(file.path, nil) {
      real = String(cString: resolved)
      free(resolved)
    }
    let folder = FileSystem.split(real).folder
    if cleaned.insert(folder).inserted {
      for name in FileSystem.removeStaleTemporaryFiles(in: folder) {
        note("yosan: removed \(display(folder == "/" ? "/" + name : folder + "/" + name)), a temporary file left by an interrupted run")
      }
    }
    // With --encoding the file on disk is `originalBytes` (converted to UTF-8 in `bytes`).
    return try FileSystem.replaceFile(file.path, expected: file.originalBytes ?? file.bytes, with: bytes)
  }
}
