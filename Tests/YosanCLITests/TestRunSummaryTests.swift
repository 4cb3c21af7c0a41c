import Foundation
import Testing
import YosanTestSupport

/// Touches the repository's paths, as almost every suite does: that registers the last line.
struct TestRunSummaryProbe {
  @Test func touchesTheRepository() { #expect(FileManager.default.fileExists(atPath: RepoPaths.url("Package.swift").path)) }
}

/// `swift test` ends with one clear line of what ran: the test bundle, run as SwiftPM runs it for
/// Swift Testing (on one small suite), ends its output with the package's line.
struct TestRunSummaryTests {
  @Test func theTestRunEndsWithOneLineOfWhatRan() throws {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0])
    guard bundle.lastPathComponent.hasSuffix(".xctest"), FileManager.default.isExecutableFile(atPath: bundle.path) else {
      Issue.record("not run from the test bundle: \(bundle.path)")
      return
    }
    let process = Process()
    process.executableURL = bundle
    process.arguments = ["--testing-library", "swift-testing", "--filter", "TestRunSummaryProbe"]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let data = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    #expect(lines.last == TestRunSummary.line(status: 0), "\(lines.suffix(3))")
    #expect(lines.dropLast().last?.contains("Test run with 1 test") == true, "Swift Testing's summary comes just before")
  }
}
