import Foundation
import Testing
import YosanTestSupport

/// `Samples/defects/` holds one small file per real defect of the seed documents, each with the
/// output `yosan check` must give beside it (`NAME.expected`, rewritten by `UPDATE_GOLDEN=1`).
/// The files are checked together, as `yosan check Samples/defects` does.
struct DefectSamplesTests {
  static let folder = "Samples/defects"

  @Test func everyDefectIsReportedAsExpected() throws {
    let samples = RepoPaths.files(under: Self.folder, withExtension: "yosan")
    #expect(samples.count >= 20)
    let result = try YosanBinary.run(["check", Self.folder])
    #expect(result.status == 1)
    var lines: [String: [Substring]] = [:]
    for line in result.stdout.split(separator: "\n") {
      let path = String(line.prefix { $0 != ":" })
      lines[path, default: []].append(line)
    }
    let paths = Set(samples.map(RepoPaths.relative))
    for path in lines.keys where !paths.contains(path) { Issue.record("output for a file that is not a sample: \(path)") }
    for sample in samples {
      let path = RepoPaths.relative(sample)
      let output = (lines[path] ?? []).map { $0 + "\n" }.joined()
      let expected = sample.deletingPathExtension().appendingPathExtension("expected")
      if let problem = Golden.check(output, against: expected) { Issue.record(Comment(rawValue: problem)) }
    }
    for expected in RepoPaths.files(under: Self.folder, withExtension: "expected") {
      let sample = expected.deletingPathExtension().appendingPathExtension("yosan")
      #expect(FileManager.default.fileExists(atPath: sample.path), "\(RepoPaths.relative(expected)) has no sample")
    }
  }

  /// Each sample says where in the seeds it comes from and what the defect is.
  @Test func everySampleNamesItsSource() throws {
    for sample in RepoPaths.files(under: Self.folder, withExtension: "yosan") {
      let text = try String(contentsOf: sample, encoding: .utf8)
      let comment = text.split(separator: "\n").prefix { $0.hasPrefix("#") }.joined(separator: "\n")
      #expect(comment.contains("seeds catalog §4"), "\(RepoPaths.relative(sample)) does not name its catalog entry")
      #expect(
        comment.range(of: #"Seed 00[0-4]_[0-9a-f]{16}\.txt"#, options: .regularExpression) != nil,
        "\(RepoPaths.relative(sample)) does not name its seed file")
      #expect(comment.contains("Expected:"), "\(RepoPaths.relative(sample)) does not say what is expected")
    }
  }
}

/// The README's tour shows real output: every line of its `yosan check` excerpts is printed by
/// `yosan check` today (the excerpts may leave lines out, marked `…`).
struct ReadmeTourTests {
  @Test func excerptsAreRealOutput() throws {
    let readme = try String(contentsOf: RepoPaths.url("README.md"), encoding: .utf8)
    let blocks = readme.components(separatedBy: "```console\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
    var checked = 0
    for block in blocks {
      let lines = block.split(separator: "\n").map(String.init)
      guard let command = lines.first, command.hasPrefix("$ yosan check Samples/") else { continue }
      let result = try YosanBinary.run(command.dropFirst(2).split(separator: " ").dropFirst().map(String.init))
      let printed = Set(result.stdout.split(separator: "\n").map(String.init) + result.stderr.split(separator: "\n").map(String.init))
      for line in lines.dropFirst() where line != "…" {
        #expect(printed.contains(line), "README line is not what `\(command.dropFirst(2))` prints: \(line)")
        checked += 1
      }
    }
    #expect(checked >= 10)
  }
}
