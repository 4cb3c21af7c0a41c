#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The pipe that SIGINT and SIGTERM write to while `check --watch` runs (a signal handler can do
/// little else safely); `ChangeWaiter` polls its reading end.
nonisolated(unsafe) private var stopPipe: (read: Int32, write: Int32) = (-1, -1)

/// Waits, for `check --watch`, until something may have changed under the folders watched, or
/// until SIGINT or SIGTERM asks to stop.
///
/// With inotify (Linux), each folder is watched for its entries being created, written, removed,
/// renamed or changed in their attributes; a wake-up comes once no such event has come for
/// `quiet` (so a file written in several steps, or saved by renaming a new file into place, is
/// read once, whole). Without inotify, or when its limit of watches or instances is reached, it
/// wakes every `pollInterval` (the caller compares every file's stamp: `FileStamp`); `polling`
/// then says why. Either way the caller looks at the files again on waking: an event only says
/// when to look, never what to believe.
final class ChangeWaiter {
  enum Wake {
    /// Something may have changed (polling: the interval has passed).
    case look
    /// SIGINT or SIGTERM.
    case stop
  }

  /// How long the folders must stay quiet before a wake-up (milliseconds).
  static let quiet: Int32 = 100
  /// How often the files are looked at when polling (milliseconds).
  static let pollInterval: Int32 = 500

  /// `polling every 0.5 s: REASON`, for the messages.
  static func polling(_ reason: String) -> String { "polling every \(Double(pollInterval) / 1000) s: \(reason)" }

  /// Why the files are polled rather than watched with inotify, or nil when they are watched.
  private(set) var polling: String?
  private var inotify: Int32 = -1
  /// The folders watched: by watch descriptor, each with the names that matter in it (nil: every
  /// `.yosan` file and every folder).
  private var watches: [Int32: (folder: String, names: Set<String>?)] = [:]

  /// - Parameter forcePolling: a reason to poll even where inotify works.
  init(forcePolling: String?) {
    if pipe(&stopPipe.read) != 0 { stopPipe = (-1, -1) }
    for fd in [stopPipe.read, stopPipe.write] where fd >= 0 {
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }
    signal(SIGINT) { _ in
      var byte: UInt8 = 1
      _ = write(stopPipe.write, &byte, 1)
    }
    signal(SIGTERM) { _ in
      var byte: UInt8 = 1
      _ = write(stopPipe.write, &byte, 1)
    }
    // A process started from a thread that blocks them (a test runner's, some process managers)
    // starts with them blocked: the handlers would never run.
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    if let forcePolling {
      polling = forcePolling
      return
    }
    #if os(Linux)
      inotify = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
      if inotify < 0 {
        polling =
          errno == EMFILE
          ? "the limit of inotify instances is reached (fs.inotify.max_user_instances)" : "inotify is not available (\(FileSystem.errorText()))"
      }
    #else
      polling = "inotify is not available on this system"
    #endif
  }

  /// True once SIGINT or SIGTERM came (without waiting).
  var stopRequested: Bool { wait(for: 0) == .stop }

  /// Watches `folders` (each with the names that matter in it, nil for all) and stops watching the
  /// others. Returns the folders that were not watched before: files made in them before they
  /// were watched are only seen by looking again.
  @discardableResult
  func watch(_ folders: [String: Set<String>?]) -> [String] {
    #if os(Linux)
      guard polling == nil else { return [] }
      let mask = UInt32(
        IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF
          | IN_ONLYDIR)
      let before = Set(watches.values.map(\.folder))
      var current: [Int32: (folder: String, names: Set<String>?)] = [:]
      for (folder, names) in folders.sorted(by: { $0.key < $1.key }) {
        let descriptor = inotify_add_watch(inotify, folder, mask)
        if descriptor < 0 {
          if errno == ENOSPC {
            stopWatching(because: "the limit of inotify watches is reached (fs.inotify.max_user_watches)")
            return []
          }
          // Gone already, or not readable: looking again finds what there is to say.
          continue
        }
        if let other = current[descriptor] {
          // One folder under two names (a link to it): what matters in either.
          let merged: Set<String>? = other.names == nil || names == nil ? nil : other.names!.union(names!)
          current[descriptor] = (other.folder, merged)
        } else {
          current[descriptor] = (folder, names)
        }
      }
      for descriptor in watches.keys where current[descriptor] == nil { _ = inotify_rm_watch(inotify, descriptor) }
      watches = current
      return current.values.map(\.folder).filter { !before.contains($0) }
    #else
      return []
    #endif
  }

  /// Stops using inotify, from now on polling.
  private func stopWatching(because reason: String) {
    if inotify >= 0 { close(inotify) }
    inotify = -1
    watches = [:]
    polling = reason
  }

  /// Blocks until a change may have happened (then until the folders are quiet) or a signal
  /// asks to stop.
  ///
  /// - Parameter soon: look again once the folders are quiet even if no event comes (folders
  ///   just watched: what was made in them before is seen only by looking).
  func next(soon: Bool = false) -> Wake {
    guard polling == nil else { return wait(for: ChangeWaiter.pollInterval) }
    // Wait for a first event that matters, then for `quiet` without one, and for the files
    // written to be closed (for at most `writeWait` in all): a file written in several steps, by
    // a slow writer, is read once it is whole.
    var first: Int64? = soon ? ChangeWaiter.milliseconds() : nil
    var last: Int64 = first ?? 0
    while true {
      var timeout: Int32 = -1
      if let first {
        let now = ChangeWaiter.milliseconds()
        let left = Int64(ChangeWaiter.quiet) - (now - last)
        if left > 0 {
          timeout = Int32(left)
        } else if writing.isEmpty || now - first >= Int64(ChangeWaiter.writeWait) {
          writing = []
          return .look
        } else {
          timeout = ChangeWaiter.quiet
        }
      }
      guard wait(for: timeout, inotify: true) == .look else { return .stop }
      if readEvents() {
        last = ChangeWaiter.milliseconds()
        if first == nil { first = last }
      }
      if polling != nil { return .look }
    }
  }

  /// How long a wake-up may wait for files still being written (milliseconds).
  static let writeWait: Int64 = 2000

  /// The files written to and not yet closed (by watch descriptor and name).
  private var writing: Set<String> = []

  /// Sleeps `milliseconds` (less when a signal comes).
  func pause(_ milliseconds: Int32) -> Wake { wait(for: milliseconds) }

  /// Waits up to `timeout` milliseconds (-1: without end) for a signal, or, with `inotify`, for
  /// events. `.look` when the time has passed or events are there.
  private func wait(for timeout: Int32, inotify watching: Bool = false) -> Wake {
    var fds = [pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)]
    if watching, inotify >= 0 { fds.append(pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)) }
    var deadline = timeout
    let start = ChangeWaiter.milliseconds()
    while true {
      let n = poll(&fds, nfds_t(fds.count), deadline)
      if n < 0, errno == EINTR {
        if timeout >= 0 { deadline = Swift.max(0, timeout - Int32(ChangeWaiter.milliseconds() - start)) }
        continue
      }
      break
    }
    if fds[0].revents != 0 { return .stop }
    return .look
  }

  /// Reads the events pending (one buffer of them: a folder written to without pause must not
  /// keep the signals from being seen); true when one of them matters (a `.yosan` file, a folder,
  /// a name watched for, the folder itself, or events lost).
  private func readEvents() -> Bool {
    #if os(Linux)
      var buffer = [UInt8](repeating: 0, count: 1 << 16)
      let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
      guard count > 0 else { return false }
      var matters = false
      var offset = 0
      // Each event: descriptor, mask, cookie, name length (32 bits each, native order), name.
      while offset + 16 <= count {
        let (descriptor, mask, length) = buffer.withUnsafeBytes { raw in
          (
            raw.loadUnaligned(fromByteOffset: offset, as: Int32.self), raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
            Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
          )
        }
        let name = String(decoding: buffer[(offset + 16)..<Swift.min(count, offset + 16 + length)].prefix { $0 != 0 }, as: UTF8.self)
        offset += 16 + length
        if mask & UInt32(IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
          matters = true
        } else if let watch = watches[descriptor] {
          let relevant = watch.names.map { $0.contains(name) } ?? (name.hasSuffix(".yosan") || mask & UInt32(IN_ISDIR) != 0)
          guard relevant else { continue }
          matters = true
          let key = "\(descriptor)/\(name)"
          if mask & UInt32(IN_MODIFY) != 0 { writing.insert(key) }
          if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_FROM | IN_DELETE) != 0 { writing.remove(key) }
        }
      }
      return matters
    #else
      return false
    #endif
  }

  static func milliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
  }
}
