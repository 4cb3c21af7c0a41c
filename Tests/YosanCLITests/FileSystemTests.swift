import Foundation
import Testing
import YosanCLI

/// `FileSystem.replaceFile`: the one way `--fix` and `fmt` write, never leaving a half-written or
/// lost file behind.
struct FileSystemTests {
  func entries(_ dir: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() }

  @Test func replacesAtomicallyAndKeepsPermissions() throws {
    let dir = try Scratch.folder(["a.yosan": "old"])
    let file = dir.appendingPathComponent("a.yosan")
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    try FileSystem.replaceFile(file.path, expected: Array("old".utf8), with: Array("new".utf8))
    #expect(try Scratch.read(file) == "new")
    #expect((try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    #expect(try entries(dir) == ["a.yosan"])
  }

  @Test func aFileThatChangedOnDiskIsNotOverwritten() throws {
    let dir = try Scratch.folder(["a.yosan": "edited meanwhile"])
    let file = dir.appendingPathComponent("a.yosan")
    #expect(throws: IOError.self) { try FileSystem.replaceFile(file.path, expected: Array("as read".utf8), with: Array("new".utf8)) }
    do {
      try FileSystem.replaceFile(file.path, expected: Array("as read".utf8), with: Array("new".utf8))
    } catch let error as IOError {
      #expect(error.reason.hasPrefix("changed on disk while being processed"))
    }
    #expect(try Scratch.read(file) == "edited meanwhile")
    #expect(try entries(dir) == ["a.yosan"], "the temporary file is removed")
  }

  @Test func aReadOnlyFileIsNotReplaced() throws {
    let dir = try Scratch.folder(["a.yosan": "old"])
    let file = dir.appendingPathComponent("a.yosan")
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file.path)
    #expect(throws: IOError.self) { try FileSystem.replaceFile(file.path, expected: Array("old".utf8), with: Array("new".utf8)) }
    #expect(try Scratch.read(file) == "old")
    #expect(try entries(dir) == ["a.yosan"])
  }

  @Test func aSymbolicLinkStaysALink() throws {
    let dir = try Scratch.folder(["real.yosan": "old"])
    let link = dir.appendingPathComponent("link.yosan")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.yosan")
    try FileSystem.replaceFile(link.path, expected: Array("old".utf8), with: Array("new".utf8))
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real.yosan")
    #expect(try Scratch.read(dir.appendingPathComponent("real.yosan")) == "new")
  }

  @Test func aFileTooLargeForTheOffsetsIsRefusedWithAMessage() throws {
    let dir = try Scratch.folder(["big.yosan": ""])
    let file = dir.appendingPathComponent("big.yosan")
    // A sparse file one byte larger than 2 GiB: refused from its size, without reading it.
    let handle = try FileHandle(forWritingTo: file)
    try handle.truncate(atOffset: UInt64(Int32.max) + 1)
    try handle.close()
    do {
      _ = try FileSystem.readFile(file.path)
      Issue.record("a file larger than 2 GiB was read")
    } catch let error as IOError {
      #expect(error.description == "\(file.path): larger than 2 GiB, more than Yosan reads; split it into smaller files")
    }
  }
}
