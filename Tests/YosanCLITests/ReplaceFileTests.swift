import Foundation
import Testing
import YosanTestSupport

@testable import YosanCLI

#if canImport(Glibc)
  import Glibc
#endif

/// `FileSystem.replaceFile` against the races and the metadata of issue 16 §2, §3 and §13: a save
/// that lands while a file is replaced is never lost; mode bits (setuid and setgid too), owner,
/// extended attributes and hard links are kept or the file is refused; stale temporary files are
/// cleaned up; two runs writing the same text do not fail each other.
@Suite(.serialized)
struct ReplaceFileTests {
  func entries(_ dir: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() }

  /// What an editor does when it saves: write a new file, rename it over the old one.
  static func saveByRename(_ text: String, to file: URL) {
    let side = file.deletingLastPathComponent().appendingPathComponent(".editor-save")
    _ = FileManager.default.createFile(atPath: side.path, contents: Data(text.utf8))
    #expect(rename(side.path, file.path) == 0)
  }

  func reason(_ body: () throws -> Replacement) -> String? {
    do {
      _ = try body()
      return nil
    } catch let error as IOError {
      return error.reason
    } catch {
      return "\(error)"
    }
  }

  // MARK: - §2: a save during the replacement

  @Test func aSaveByRenameBeforeTheExchangeIsKept() throws {
    let dir = try Scratch.folder(["a.yosan": "as read"])
    let file = dir.appendingPathComponent("a.yosan")
    var hooks = ReplaceHooks()
    hooks.beforeExchange = { Self.saveByRename("saved by the editor", to: file) }
    let reason = reason { try FileSystem.replaceFile(file.path, expected: Array("as read".utf8), with: Array("new".utf8), hooks: hooks) }
    #expect(reason == "changed on disk while being processed; it was not changed, run again")
    #expect(try Scratch.read(file) == "saved by the editor")
    #expect(try entries(dir) == ["a.yosan"])
  }

  @Test func aSaveInPlaceBeforeTheExchangeIsKept() throws {
    let dir = try Scratch.folder(["a.yosan": "as read"])
    let file = dir.appendingPathComponent("a.yosan")
    var hooks = ReplaceHooks()
    hooks.beforeExchange = { try? Data("written in place".utf8).write(to: file) }
    let reason = reason { try FileSystem.replaceFile(file.path, expected: Array("as read".utf8), with: Array("new".utf8), hooks: hooks) }
    #expect(reason == "changed on disk while being processed; it was not changed, run again")
    #expect(try Scratch.read(file) == "written in place")
    #expect(try entries(dir) == ["a.yosan"])
  }

  @Test func aSaveByRenameAfterTheExchangeWins() throws {
    // The editor replaces the new file: its save is what the path holds, nothing is lost.
    let dir = try Scratch.folder(["a.yosan": "as read"])
    let file = dir.appendingPathComponent("a.yosan")
    var hooks = ReplaceHooks()
    hooks.afterExchange = { Self.saveByRename("saved by the editor", to: file) }
    let outcome = try FileSystem.replaceFile(file.path, expected: Array("as read".utf8), with: Array("new".utf8), hooks: hooks)
    #expect(outcome == .replaced)
    #expect(try Scratch.read(file) == "saved by the editor")
    #expect(try entries(dir) == ["a.yosan"])
  }

  @Test func twoSavesDuringTheReplacementLeaveTheLatestInPlace() throws {
    // One save before the exchange, another (by rename, over the new file) after it: the path
    // ends with the latest save, the earlier one is kept beside it, and the error says where.
    let dir = try Scratch.folder(["a.yosan": "as read"])
    let file = dir.appendingPathComponent("a.yosan")
    var hooks = ReplaceHooks()
    hooks.beforeExchange = { Self.saveByRename("first save", to: file) }
    hooks.afterExchange = { Self.saveByRename("second save", to: file) }
    let reason = reason { try FileSystem.replaceFile(file.path, expected: Array("as read".utf8), with: Array("new".utf8), hooks: hooks) } ?? ""
    #expect(try Scratch.read(file) == "second save")
    let others = try entries(dir).filter { $0 != "a.yosan" }
    #expect(others.count == 1 && others[0].hasPrefix(".a.yosan.yosan-"), "\(others)")
    if let other = others.first {
      #expect(try Scratch.read(dir.appendingPathComponent(other)) == "first save")
      #expect(reason.hasPrefix("changed on disk while being processed (saved twice meanwhile); it was not changed: it holds the latest save, the one before is in "), "\(reason)")
      #expect(reason.hasSuffix(other), "\(reason)")
    }
  }

  @Test func aSaveInPlaceAfterASaveByRenameIsKept() throws {
    // The second save writes into the new file in place, after the exchange: swapping back must
    // not remove it with the new file.
    let dir = try Scratch.folder(["a.yosan": "as read"])
    let file = dir.appendingPathComponent("a.yosan")
    var hooks = ReplaceHooks()
    hooks.beforeExchange = { Self.saveByRename("first save", to: file) }
    hooks.afterExchange = { try? Data("second save".utf8).write(to: file) }
    let reason = reason { try FileSystem.replaceFile(file.path, expected: Array("as read".utf8), with: Array("new".utf8), hooks: hooks) } ?? ""
    #expect(try Scratch.read(file) == "second save")
    let others = try entries(dir).filter { $0 != "a.yosan" }
    #expect(others.count == 1, "\(others)")
    if let other = others.first {
      #expect(try Scratch.read(dir.appendingPathComponent(other)) == "first save")
      #expect(reason.contains("it holds the latest save, the one before is in ") && reason.hasSuffix("/" + other), "\(reason)")
    }
  }

  @Test func withoutARaceTheFileIsReplaced() throws {
    let dir = try Scratch.folder(["a.yosan": "as read"])
    let file = dir.appendingPathComponent("a.yosan")
    var before = stat()
    #expect(stat(file.path, &before) == 0)
    #expect(try FileSystem.replaceFile(file.path, expected: Array("as read".utf8), with: Array("new".utf8)) == .replaced)
    #expect(try Scratch.read(file) == "new")
    var after = stat()
    #expect(stat(file.path, &after) == 0)
    #expect(after.st_ino != before.st_ino, "a new file took the name (atomic replacement, not a rewrite in place)")
    #expect(try entries(dir) == ["a.yosan"])
  }

  // MARK: - §13: the same text written by another run

  @Test func aFileThatAlreadyHoldsTheNewTextIsNotAnError() throws {
    let dir = try Scratch.folder(["a.yosan": "new"])
    let file = dir.appendingPathComponent("a.yosan")
    #expect(try FileSystem.replaceFile(file.path, expected: Array("old".utf8), with: Array("new".utf8)) == .alreadyCurrent)
    #expect(try Scratch.read(file) == "new")
    #expect(try entries(dir) == ["a.yosan"])
    // The other run writes the same text between the check and the exchange.
    let other = try Scratch.folder(["a.yosan": "old"])
    let otherFile = other.appendingPathComponent("a.yosan")
    var hooks = ReplaceHooks()
    hooks.beforeExchange = { Self.saveByRename("new", to: otherFile) }
    #expect(try FileSystem.replaceFile(otherFile.path, expected: Array("old".utf8), with: Array("new".utf8), hooks: hooks) == .alreadyCurrent)
    #expect(try Scratch.read(otherFile) == "new")
    #expect(try entries(other) == ["a.yosan"])
  }

  @Test func twoConcurrentFormatRunsOnTheSameFilesBothSucceed() throws {
    let messy = Scratch.header + "事業 a \"t\" {\n担当=医政局\n要求額=1億円\n}\n"
    var files: [String: String] = [:]
    for index in 0..<300 { files["f\(index).yosan"] = messy.replacingOccurrences(of: "事業 a ", with: "事業 a\(index) ") }
    let dir = try Scratch.folder(files)
    var processes: [(Process, Pipe)] = []
    for _ in 0..<2 {
      let process = Process()
      process.executableURL = YosanBinary.url
      process.arguments = ["fmt", "."]
      process.currentDirectoryURL = dir
      let errors = Pipe()
      process.standardError = errors
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      processes.append((process, errors))
    }
    for (process, errors) in processes {
      let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(stderr.prefix(500))")
      #expect(!stderr.contains("changed on disk"))
    }
    for (name, text) in files {
      let formatted = try Scratch.read(dir.appendingPathComponent(name))
      #expect(formatted.contains("  担当   = 医政局\n"), "\(name)")
      #expect(formatted.count > text.count)
    }
    #expect(try entries(dir).count == 300)
  }

  // MARK: - §3: metadata

  @Test func setuidAndSetgidBitsAreKept() throws {
    let dir = try Scratch.folder(["a.yosan": "old"])
    let file = dir.appendingPathComponent("a.yosan")
    #expect(chmod(file.path, 0o6754) == 0)
    try FileSystem.replaceFile(file.path, expected: Array("old".utf8), with: Array("new".utf8))
    var info = stat()
    #expect(stat(file.path, &info) == 0)
    #expect(String(info.st_mode & 0o7777, radix: 8) == "6754")
  }

  @Test func theOwnerIsKept() throws {
    guard getuid() == 0 else {
      Issue.record("this test needs root to give a file another owner; it runs as root on this project's machines")
      return
    }
    let dir = try Scratch.folder(["a.yosan": "old"])
    let file = dir.appendingPathComponent("a.yosan")
    #expect(chown(file.path, 4321, 4322) == 0)
    #expect(chmod(file.path, 0o2664) == 0)
    try FileSystem.replaceFile(file.path, expected: Array("old".utf8), with: Array("new".utf8))
    var info = stat()
    #expect(stat(file.path, &info) == 0)
    #expect(info.st_uid == 4321 && info.st_gid == 4322)
    #expect(String(info.st_mode & 0o7777, radix: 8) == "2664")
  }

  @Test func anotherUsersFileIsRefusedRatherThanMadeOurs() throws {
    guard getuid() == 0 else {
      Issue.record("this test needs root to run yosan as another user; it runs as root on this project's machines")
      return
    }
    // A file of root's that `nobody` may write, in a folder `nobody` may write: a rewrite by
    // `nobody` could not keep root as the owner.
    let text = Scratch.header + "事業 a \"t\" {\n担当=医政局\n要求額=1億円\n}\n"
    let dir = try Scratch.folder(["a.yosan": text])
    let file = dir.appendingPathComponent("a.yosan")
    #expect(chmod(dir.path, 0o777) == 0)
    #expect(chmod(file.path, 0o666) == 0)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
    process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", YosanBinary.url.path, "fmt", "a.yosan"]
    process.currentDirectoryURL = dir
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    #expect(
      stderr.contains(
        "yosan: a.yosan: it belongs to user 0, group 0, which a rewritten file could not keep (operation not permitted); it was not changed (run as its owner)"
      ), "\(stderr)")
    #expect(try Scratch.read(file) == text)
    var info = stat()
    #expect(stat(file.path, &info) == 0)
    #expect(info.st_uid == 0)
    #expect(try entries(dir) == ["a.yosan"])
  }

  @Test func extendedAttributesAreKept() throws {
    let dir = try Scratch.folder(["a.yosan": "old"])
    let file = dir.appendingPathComponent("a.yosan")
    let calls = try #require(ExtendedAttributeCalls.load())
    let value = Array("承認済み".utf8)
    let fd = open(file.path, O_RDONLY)
    let set = value.withUnsafeBytes { calls.fset(fd, "user.yosan.review", $0.baseAddress, $0.count, 0) }
    close(fd)
    guard set == 0 else {
      Issue.record("the scratch folder's file system does not take user extended attributes (errno \(errno))")
      return
    }
    try FileSystem.replaceFile(file.path, expected: Array("old".utf8), with: Array("new".utf8))
    var buffer = [UInt8](repeating: 0, count: 64)
    let length = buffer.withUnsafeMutableBytes { calls.get(file.path, "user.yosan.review", $0.baseAddress, $0.count) }
    #expect(length == value.count)
    #expect(Array(buffer.prefix(Swift.max(0, length))) == value)
    #expect(try Scratch.read(file) == "new")
  }

  @Test func aFileWithSeveralHardLinksIsRefused() throws {
    let text = Scratch.header + "事業 a \"t\" {\n担当=医政局\n要求額=1億円\n}\n"
    let dir = try Scratch.folder(["a.yosan": text])
    let file = dir.appendingPathComponent("a.yosan")
    let other = dir.appendingPathComponent("b.yosan")
    #expect(link(file.path, other.path) == 0)
    let result = try YosanBinary.run(["fmt", "a.yosan"], in: dir)
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "yosan: a.yosan: it has 2 hard links, and replacing it would leave the other names with the old text; it was not changed (make it a file of its own first)"
      ), "\(result.stderr)")
    #expect(try Scratch.read(file) == text)
    #expect(try Scratch.read(other) == text)
    var a = stat()
    var b = stat()
    #expect(stat(file.path, &a) == 0 && stat(other.path, &b) == 0)
    #expect(a.st_ino == b.st_ino, "still one file with two names")
    #expect(try entries(dir) == ["a.yosan", "b.yosan"])
  }

  // MARK: - §3: temporary files left by a killed run

  @Test func staleTemporaryFilesAreRemovedOnTheNextRun() throws {
    let messy = Scratch.header + "事業 a \"t\" {\n担当=医政局\n要求額=1億円\n}\n"
    let dir = try Scratch.folder([
      "a.yosan": messy,
      ".a.yosan.yosan-Ab12Cd": "left by a killed run",  // stale: removed
      ".b.yosan.yosan-Zz99zz": "left by a killed run",  // stale: removed
      ".a.yosan.yosan-Fresh1": "being written right now",  // changed a moment ago: kept
      ".a.yosan.yosan-Lock3d": "held by a running yosan",  // locked: kept
      ".a.yosan.yosan-short": "not Yosan's naming",  // five letters: kept
      "a.yosan.yosan-Ab12Cd": "not Yosan's naming",  // no leading dot: kept
      ".notes.txt": "someone else's",
    ])
    let old = timeval(tv_sec: time(nil) - 3600, tv_usec: 0)
    for name in [".a.yosan.yosan-Ab12Cd", ".b.yosan.yosan-Zz99zz", ".a.yosan.yosan-Lock3d", ".a.yosan.yosan-short", "a.yosan.yosan-Ab12Cd"] {
      var times = [old, old]
      #expect(utimes(dir.appendingPathComponent(name).path, &times) == 0)
    }
    let locked = open(dir.appendingPathComponent(".a.yosan.yosan-Lock3d").path, O_RDONLY)
    #expect(flock(locked, LOCK_EX) == 0)
    defer { close(locked) }
    let result = try YosanBinary.run(["fmt", "a.yosan"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("yosan: removed .a.yosan.yosan-Ab12Cd, a temporary file left by an interrupted run\n"), "\(result.stderr)")
    #expect(result.stderr.contains("yosan: removed .b.yosan.yosan-Zz99zz, a temporary file left by an interrupted run\n"))
    #expect(
      try entries(dir) == [".a.yosan.yosan-Fresh1", ".a.yosan.yosan-Lock3d", ".a.yosan.yosan-short", ".notes.txt", "a.yosan", "a.yosan.yosan-Ab12Cd"])
  }
}
