import Foundation
import Testing
import YosanTestSupport

/// The server (and the whole `yosan` binary) never opens a network connection and runs no program
/// (issue 6 §5), with one exception: `yosan diff` and `yosan report --base` run `git` to read a
/// `git:REV:PATH` (issue 14). The executable imports no other function that would run a program,
/// nor links the libraries that wrap them; the one call is in the CLI (which the server's target
/// cannot import), and runs only `git`.
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
      "fork", "vfork", "execve", "execv", "execvp", "execl", "execlp", "posix_spawn", "system", "popen",
      "socket", "connect", "bind", "listen", "accept", "getaddrinfo", "gethostbyname", "sendto", "recvfrom",
    ]
    #expect(Set(symbols).intersection(forbidden).isEmpty, "imports \(Set(symbols).intersection(forbidden).sorted())")
  }

  /// `posix_spawnp` is called in one place, `Subprocess.run`, and that is called only to run git.
  @Test func theOnlyProgramRunIsGit() throws {
    var spawns: [String] = []
    var runs: [String] = []
    // The product's targets (the benchmark runs the binary it measures; it is not shipped).
    let product = ["YosanSyntax", "YosanCore", "YosanJSON", "YosanLSP", "YosanCLI", "yosan"]
    for url in product.flatMap({ RepoPaths.files(under: "Sources/" + $0, withExtension: "swift") }) {
      let text = try String(contentsOf: url, encoding: .utf8)
      let path = RepoPaths.relative(url)
      if text.contains("posix_spawn") { spawns.append(path) }
      for line in text.split(separator: "\n") where line.contains("Subprocess.run(") {
        runs.append(String(line))
        #expect(line.contains("Subprocess.run(\"git\""), "\(path) runs something else than git: \(line)")
      }
    }
    #expect(spawns == ["Sources/YosanCLI/Support/Subprocess.swift"])
    #expect(runs.count >= 5, "the git calls were found")
  }

  @Test func theBinaryLinksNeitherFoundationNorItsNetworking() throws {
    let needed = try output("readelf", ["-d", YosanBinary.url.path]).split(separator: "\n").filter { $0.contains("(NEEDED)") }
    #expect(!needed.isEmpty)
    #expect(!needed.contains { $0.contains("Foundation") || $0.contains("curl") }, "\(needed)")
  }
}
