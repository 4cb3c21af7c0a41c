import Foundation
import Testing
import YosanTestSupport

/// The server (and the whole `yosan` binary) never runs a program or opens a network connection
/// (issue 6 §5): the executable does not even import the functions that would do it, nor link
/// the libraries that wrap them.
struct BoundaryTests {
  func output(_ tool: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(tool) \(arguments)")
    return text
  }

  @Test func theBinaryImportsNoWayToRunProgramsOrOpenConnections() throws {
    let symbols = try output("nm", ["-D", "--undefined-only", YosanBinary.url.path])
      .split(separator: "\n").compactMap { $0.split(separator: " ").last.map { String($0.split(separator: "@").first!) } }
    #expect(symbols.count > 20, "nm listed the imported symbols")
    let forbidden: Set = [
      "fork", "vfork", "execve", "execv", "execvp", "execl", "execlp", "posix_spawn", "posix_spawnp", "system", "popen",
      "socket", "connect", "bind", "listen", "accept", "getaddrinfo", "gethostbyname", "sendto", "recvfrom",
    ]
    #expect(Set(symbols).intersection(forbidden).isEmpty, "imports \(Set(symbols).intersection(forbidden).sorted())")
  }

  @Test func theBinaryLinksNeitherFoundationNorItsNetworking() throws {
    let needed = try output("readelf", ["-d", YosanBinary.url.path]).split(separator: "\n").filter { $0.contains("(NEEDED)") }
    #expect(!needed.isEmpty)
    #expect(!needed.contains { $0.contains("Foundation") || $0.contains("curl") }, "\(needed)")
  }
}
