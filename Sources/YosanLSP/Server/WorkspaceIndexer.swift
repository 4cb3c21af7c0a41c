#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds and reads the `.yosan` files of the workspace folders in small steps, within limits.
///
/// It knows nothing of the protocol or the analysis: whoever runs it gives it slices of time
/// (`step(until:)`, today the server's main loop when no message is waiting, later a scheduler)
/// and takes the files it read. Work is done in two phases: the walk (directories entered one
/// entry at a time, so even a folder of a million entries is left between two slices) and the
/// reading of the files found, in path order. Each limit stops the run where it is reached and
/// is reported in `stopped`: the number of files, their total size, how deep below a workspace
/// folder the walk goes, and how long the whole run may take.
final class WorkspaceIndexer {
  struct Limits: Equatable {
    /// At most this many `.yosan` files are indexed.
    var files = 20_000
    /// At most this many bytes of them in total.
    var bytes = 256 << 20
    /// Folders more than this many levels below a workspace folder are not entered.
    var depth = 32
    /// The walk and the reading together stop after this many seconds.
    var seconds = 60.0

    /// For the folder of an opened file when the client names no workspace folder: that folder
    /// may be a home folder or /tmp, so less is read, and not deep.
    static let folderless = Limits(files: 1_000, bytes: 32_000_000, depth: 3, seconds: 10)
  }

  /// What a step produced: files read (path and bytes) and files that could not be read.
  struct Output {
    var files: [(path: String, bytes: [UInt8])] = []
    var failures: [String] = []
  }

  enum Phase: Equatable { case walking, reading, finished }

  let folders: [WorkspaceFiles.Folder]
  let limits: Limits
  private let started: Double
  private(set) var phase = Phase.walking
  /// Why the run stopped before it had seen everything, when it did (a sentence for the log).
  private(set) var stopped: String?
  /// Folders not entered because they are deeper than the limit.
  private(set) var tooDeep = 0

  // The walk.
  private var pending: [(path: String, depth: Int, folder: Int)] = []
  private var open: (directory: OpaquePointer, path: String, depth: Int, folder: Int)?
  private var seenFiles = Set<FileIdentity>()
  /// Every `.yosan` file found (before the configuration's `include`/`exclude`, which the caller
  /// applies when reading), sorted once the walk is over.
  private(set) var found: [String] = []

  // The reading.
  private(set) var nextToRead = 0
  private(set) var bytesRead = 0
  /// The files the run took (read, or open in the editor), in order.
  private(set) var taken: [String] = []

  init(folders: [WorkspaceFiles.Folder], limits: Limits) {
    self.folders = folders
    self.limits = limits
    started = Clock.now
    for (index, folder) in folders.enumerated().reversed() { pending.append((folder.path, 0, index)) }
  }

  deinit {
    if let open { closedir(open.directory) }
  }

  var isFinished: Bool { phase == .finished }

  /// True when the run looked at every file of the folders (no limit stopped it).
  var isComplete: Bool { phase == .finished && stopped == nil }

  /// The milliseconds since the run started.
  var elapsedMilliseconds: Int { Int((Clock.now - started) * 1000) }

  /// Works until `deadline` (a `Clock.now` time) or the end of the run. `wanted` says whether a
  /// found file is to be indexed (the configuration's patterns); `isOpen` whether the editor has
  /// it open (then it is taken without reading: the editor's text overrides the disk).
  func step(until deadline: Double, wanted: (String) -> Bool, isOpen: (String) -> Bool) -> Output {
    var output = Output()
    var work = 0
    while phase != .finished {
      work += 1
      if work % 32 == 0 {
        let now = Clock.now
        if now - started > limits.seconds {
          stop("the time limit of \(Self.number(limits.seconds)) s was reached")
          break
        }
        if now >= deadline { break }
      }
      switch phase {
      case .walking: walkOneEntry()
      case .reading: readOneFile(&output, wanted: wanted, isOpen: isOpen)
      case .finished: break
      }
    }
    return output
  }

  /// Stops the run, saying why (the first reason is kept): nothing more is walked or read.
  private func stop(_ reason: String) {
    if stopped == nil { stopped = reason }
    if let open {
      closedir(open.directory)
      self.open = nil
    }
    pending = []
    phase = .finished
  }

  // MARK: - The walk

  private func walkOneEntry() {
    guard let current = open else {
      guard let next = pending.popLast() else {
        found.sort()
        phase = .reading
        return
      }
      if let directory = opendir(next.path) { open = (directory, next.path, next.depth, next.folder) }
      return
    }
    guard let entry = readdir(current.directory) else {
      closedir(current.directory)
      open = nil
      return
    }
    let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
      pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
    }
    // Hidden files and folders (`.git`) are not indexed.
    if name.hasPrefix(".") { return }
    let path = current.path.hasSuffix("/") ? current.path + name : current.path + "/" + name
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    switch info.st_mode & S_IFMT {
    case S_IFDIR:
      if current.depth + 1 > limits.depth {
        tooDeep += 1
      } else {
        pending.append((path, current.depth + 1, current.folder))
      }
    case S_IFREG:
      if name.hasSuffix(".yosan") { add(path, info) }
    case S_IFLNK:
      // A link to a file is indexed when it stays inside its folder; a link to a folder is not
      // entered (a folder inside is walked as itself, and no link can make the walk loop).
      guard name.hasSuffix(".yosan"), let real = WorkspaceFiles.realPath(path),
        WorkspaceFiles.contains(folders[current.folder].realPath, real)
      else { return }
      var target = stat()
      guard stat(real, &target) == 0, target.st_mode & S_IFMT == S_IFREG else { return }
      add(path, target)
    default:
      break
    }
  }

  private func add(_ path: String, _ info: stat) {
    guard seenFiles.insert(FileIdentity(info)).inserted else { return }
    guard found.count < limits.files else {
      // The files found so far are still read; the walk ends here.
      stopped = "more than \(Self.number(limits.files)) .yosan files were found (the limit)"
      if let open {
        closedir(open.directory)
        self.open = nil
      }
      pending = []
      found.sort()
      phase = .reading
      return
    }
    found.append(path)
  }

  // MARK: - The reading

  private func readOneFile(_ output: inout Output, wanted: (String) -> Bool, isOpen: (String) -> Bool) {
    guard nextToRead < found.count else {
      phase = .finished
      return
    }
    let path = found[nextToRead]
    nextToRead += 1
    guard wanted(path) else { return }
    if isOpen(path) {
      taken.append(path)
      return
    }
    switch WorkspaceFiles.readFile(path) {
    case .success(let bytes):
      guard bytesRead + bytes.count <= limits.bytes else {
        stop("the files found add up to more than \(Self.size(limits.bytes)) (the limit)")
        return
      }
      bytesRead += bytes.count
      taken.append(path)
      output.files.append((path, bytes))
    case .failure(let error):
      output.failures.append(error.description)
    }
  }

  /// `1.2 MB`, `340 KB`, `12 bytes`: sizes for messages.
  static func size(_ bytes: Int) -> String {
    if bytes >= 1_000_000 { return "\(number(bytes / 1_000_000)).\(bytes / 100_000 % 10) MB" }
    if bytes >= 1_000 { return "\(bytes / 1_000) KB" }
    return "\(bytes) byte\(bytes == 1 ? "" : "s")"
  }

  /// `20,000`, `1.5`: numbers for messages.
  static func number(_ value: Double) -> String {
    value == value.rounded() ? number(Int(value)) : String(value)
  }

  static func number(_ value: Int) -> String {
    let digits = Array(String(value))
    var text = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
      text.append(digit)
    }
    return text
  }
}

/// A file's device and inode: one file under two names has one identity (indexed once, checked
/// once by the CLI's walk too).
public struct FileIdentity: Hashable, Sendable {
  public var device: UInt64
  public var inode: UInt64

  public init(_ info: stat) {
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
  }
}
