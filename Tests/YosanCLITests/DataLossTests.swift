import Foundation
import Testing
import YosanGenerator
import YosanTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// No data loss when writing (issue 6 §4), through the built binary: `fmt` and `check --fix` into
/// a full folder, into an unwritable folder, and on a file that changes while it is processed.
/// In every case the original is intact, no temporary file is left behind, and the message says
/// what happened.
@Suite(.serialized, .tags(.slow))
struct DataLossTests {
  /// An unformatted file with a safe fix to apply (full-width digits).
  static let messy = Scratch.header + "事業 a \"t\" {\n担当=医政局\n要求額=１億円\n}\n"

  func leftovers(in folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".yosan-") }
  }

  @Test(arguments: [["fmt", "a.yosan"], ["check", "--fix", "a.yosan"]])
  func aWriteThatRunsOutOfSpace(_ arguments: [String]) throws {
    // Big enough that the rewritten file cannot be written under a 4 KiB limit.
    let text = Self.messy + String(repeating: "# 注記\n", count: 2_000)
    let dir = try Scratch.folder(["a.yosan": text])
    let result = try YosanBinary.run(arguments, in: dir, fileSizeLimit: 4)
    #expect(result.status == 2)
    #expect(result.stderr.contains("a.yosan: cannot write the new text"), "\(result.stderr)")
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")) == text)
    #expect(try leftovers(in: dir).isEmpty)
  }

  @Test func aFullFileSystem() throws {
    // A real full disk: a 256 KiB tmpfs filled up (needs root, as the tests run here).
    let dir = try Scratch.folder([:])
    guard getuid() == 0 else {
      Issue.record("this test needs root to mount a small file system; it runs as root on this project's machines")
      return
    }
    let mount = Process()
    mount.executableURL = URL(fileURLWithPath: "/bin/mount")
    mount.arguments = ["-t", "tmpfs", "-o", "size=256k", "tmpfs", dir.path]
    try mount.run()
    mount.waitUntilExit()
    #expect(mount.terminationStatus == 0, "mount a tmpfs")
    defer {
      let umount = Process()
      umount.executableURL = URL(fileURLWithPath: "/bin/umount")
      umount.arguments = [dir.path]
      try? umount.run()
      umount.waitUntilExit()
    }
    let text = Self.messy + String(repeating: "# 注記\n", count: 2_000)
    try Scratch.write(text, to: dir.appendingPathComponent("a.yosan"))
    // Fill the rest of the file system.
    let filler = dir.appendingPathComponent("filler")
    _ = FileManager.default.createFile(atPath: filler.path, contents: nil)
    let handle = try FileHandle(forWritingTo: filler)
    let block = Data(repeating: 0x2E, count: 4096)
    while (try? handle.write(contentsOf: block)) != nil {}
    try? handle.close()
    let result = try YosanBinary.run(["fmt", "a.yosan"], in: dir)
    #expect(result.status == 2)
    #expect(result.stderr.contains("a.yosan: cannot write the new text") || result.stderr.contains("cannot create a temporary file"), "\(result.stderr)")
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")) == text)
    #expect(try leftovers(in: dir).isEmpty)
  }

  @Test(arguments: [["fmt", "a.yosan"], ["check", "--fix", "a.yosan"]])
  func anUnwritableFolder(_ arguments: [String]) throws {
    let dir = try Scratch.folder(["a.yosan": Self.messy])
    // Root writes into any folder whatever its mode: make the folder immutable instead.
    let lock = getuid() == 0 ? ["chattr", "+i", dir.path] : ["chmod", "555", dir.path]
    let unlock = getuid() == 0 ? ["chattr", "-i", dir.path] : ["chmod", "755", dir.path]
    func run(_ command: [String]) throws -> Int32 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = command
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus
    }
    #expect(try run(lock) == 0, "lock the folder with \(lock)")
    defer { _ = try? run(unlock) }
    let result = try YosanBinary.run(arguments, in: dir)
    #expect(result.status == 2)
    #expect(result.stderr.contains("a.yosan: cannot create a temporary file in"), "\(result.stderr)")
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")) == Self.messy)
  }

  @Test func permissionsAndTheByteOrderMarkSurviveARewrite() throws {
    let dir = try Scratch.folder([:])
    let file = dir.appendingPathComponent("a.yosan")
    try Data([0xEF, 0xBB, 0xBF] + Array(Self.messy.replacingOccurrences(of: "\n", with: "\r\n").utf8)).write(to: file)
    #expect(chmod(file.path, 0o640) == 0)
    let result = try YosanBinary.run(["fmt", "a.yosan"], in: dir)
    #expect(result.status == 0)
    var info = stat()
    #expect(stat(file.path, &info) == 0)
    #expect(info.st_mode & 0o7777 == 0o640)
    let bytes = try Scratch.bytes(file)
    #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    #expect(String(decoding: bytes, as: UTF8.self).contains("担当   = 医政局\r\n"))
  }

  /// A real race: the file is rewritten after `fmt` has read it and before it writes. The
  /// process's read counter (/proc/PID/io) says when the whole file has been read. That counter
  /// also counts other reads, so on a busy machine the rewrite can land while `fmt` is still
  /// reading, and `fmt` sees a torn text (with syntax errors, so it writes nothing): each attempt
  /// checks that nothing is lost, and one of up to five attempts must hit the race proper.
  @Test func aFileThatChangesWhileItIsProcessed() throws {
    let generated = BudgetGenerator.generate(.init(items: 10_000, seed: 3))[0].text
    // Without indentation: formatting has work to do, and a file to write.
    let text = generated.split(separator: "\n", omittingEmptySubsequences: false).map { $0.drop { $0 == " " } }.joined(separator: "\n")
    var outcomes: [Int32] = []
    for _ in 0..<5 {
      let dir = try Scratch.folder(["a.yosan": text])
      let file = dir.appendingPathComponent("a.yosan")
      let process = Process()
      process.executableURL = YosanBinary.url
      process.arguments = ["fmt", "a.yosan"]
      process.currentDirectoryURL = dir
      let errors = Pipe()
      process.standardError = errors
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      let size = text.utf8.count
      var read = 0
      let deadline = Date().addingTimeInterval(60)
      while read < size, process.isRunning, Date() < deadline {
        let io = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/io", encoding: .utf8)) ?? ""
        read = io.split(separator: "\n").first { $0.hasPrefix("rchar:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
        if read < size { usleep(500) }
      }
      #expect(process.isRunning, "fmt must still be formatting when the file has been read")
      let edited = "# 別の人が編集した\n" + text
      try Scratch.write(edited, to: file)
      let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      outcomes.append(process.terminationStatus)
      if process.terminationStatus == 2 {
        #expect(stderr.contains("a.yosan: changed on disk while being processed"), "\(stderr)")
      } else {
        #expect(process.terminationStatus == 1 && stderr.contains("not formatted: it has syntax errors"), "\(stderr)")
      }
      // Either way the other person's edit is what the file holds, and no temporary file is left.
      #expect(try Scratch.read(file) == edited)
      #expect(try leftovers(in: dir).isEmpty)
      if process.terminationStatus == 2 { break }
    }
    #expect(outcomes.last == 2, "the race was never hit: exit statuses \(outcomes)")
  }
}
