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

/// The README's tour shows real output and runs as written: every `console` block's command is
/// run (in a folder with the files the README asks the reader to save, and the samples), and
/// what the block shows is what `yosan` prints: every line, in order; or, in an excerpt that
/// leaves lines out (`…`), each line it shows.
struct ReadmeTourTests {
  /// The README's fenced blocks in order, with their info strings and the paragraph before each.
  static func blocks(_ readme: String) -> [(info: String, code: String, before: String)] {
    var result: [(String, String, String)] = []
    var info: String?
    var code: [Substring] = []
    var paragraph: [Substring] = []
    var before: [Substring] = []
    for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("```") {
        if let open = info {
          result.append((open, code.joined(separator: "\n"), before.joined(separator: " ")))
          info = nil
          paragraph = []
        } else {
          if !paragraph.isEmpty { before = paragraph }
          info = String(line.dropFirst(3))
          code = []
        }
      } else if info != nil {
        code.append(line)
      } else if line.isEmpty {
        if !paragraph.isEmpty { before = paragraph }
        paragraph = []
      } else {
        paragraph.append(line)
        before = paragraph
      }
    }
    return result
  }

  @Test func everyConsoleBlockIsWhatYosanPrints() throws {
    let readme = try String(contentsOf: RepoPaths.url("README.md"), encoding: .utf8)
    let dir = try Scratch.folder([:])
    try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("Samples"), withDestinationURL: RepoPaths.url("Samples"))
    var consoles = 0
    for block in Self.blocks(readme) {
      if block.info == "yosan" {
        // "Save this as `NAME`": the reader's file.
        if let range = block.before.range(of: #"[Ss]ave this as `([^`]+)`"#, options: .regularExpression) {
          let name = block.before[range].split(separator: "`")[1]
          try Scratch.write(block.code + "\n", to: dir.appendingPathComponent(String(name)))
        }
        continue
      }
      guard block.info == "console" else { continue }
      consoles += 1
      let lines = block.code.split(separator: "\n").map(String.init)
      let command = try #require(lines.first)
      #expect(command.hasPrefix("$ yosan "), "a console block starts with the yosan command it shows: \(command)")
      let arguments = command.dropFirst("$ yosan ".count).split(separator: " ").map(String.init)
      for argument in arguments.dropFirst() where !argument.hasPrefix("-") {
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(argument).path), "`\(command)`: the README does not say where \(argument) comes from")
      }
      let result = try YosanBinary.run(arguments, in: dir)
      let printed = result.stdout.split(separator: "\n").map(String.init) + result.stderr.split(separator: "\n").map(String.init)
      let shown = Array(lines.dropFirst())
      if shown.contains("…") {
        for line in shown where line != "…" {
          let isPrinted = printed.contains(line)
          #expect(isPrinted, "README line is not what `\(command.dropFirst(2))` prints: \(line)")
        }
      } else {
        let same = printed == shown
        #expect(same, "`\(command.dropFirst(2))` prints:\n\(printed.joined(separator: "\n"))")
      }
    }
    #expect(consoles >= 3)
  }
}
