#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs a program found on the `PATH` with arguments (no shell: spaces and quotes in arguments
/// are passed as they are) and collects its standard output and standard error.
enum Subprocess {
  struct Result {
    var status: Int32
    var output: [UInt8]
    var error: String
  }

  /// Nil when the program could not be started (not installed).
  static func run(_ program: String, _ arguments: [String]) -> Result? {
    var outPipe: [Int32] = [0, 0]
    var errPipe: [Int32] = [0, 0]
    guard pipe(&outPipe) == 0 else { return nil }
    guard pipe(&errPipe) == 0 else {
      close(outPipe[0])
      close(outPipe[1])
      return nil
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
    let argv = ([program] + arguments).map { strdup($0) }
    defer { for pointer in argv { free(pointer) } }
    var pid = pid_t()
    let spawned = posix_spawnp(&pid, program, &actions, nil, argv + [nil], environ)
    close(outPipe[1])
    close(errPipe[1])
    guard spawned == 0 else {
      close(outPipe[0])
      close(errPipe[0])
      return nil
    }
    // Both pipes are drained together, so that a child filling one cannot block on it.
    var output: [UInt8] = []
    var error: [UInt8] = []
    var open: [Int32] = [outPipe[0], errPipe[0]]
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while !open.isEmpty {
      var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
      if poll(&fds, nfds_t(fds.count), -1) < 0 {
        if errno == EINTR { continue }
        break
      }
      for entry in fds where entry.revents != 0 {
        let n = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
        if n < 0, errno == EINTR { continue }
        if n <= 0 {
          close(entry.fd)
          open.removeAll { $0 == entry.fd }
        } else if entry.fd == outPipe[0] {
          output += buffer[0..<n]
        } else {
          error += buffer[0..<n]
        }
      }
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
    let exited = status & 0x7F == 0
    return Result(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), output: output, error: String(decoding: error, as: UTF8.self))
  }
}
