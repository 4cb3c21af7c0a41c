import Foundation
import Testing
import YosanJSON
import YosanTestSupport

/// The shapes that took exponential or quadratic time (issue 16 §8–§11), run through the built
/// binary at sizes that finish at once now. Each run has a generous time limit (a minute) that
/// only a runaway reaches: it guards against a hang, it measures nothing (the timings are in
/// `yosan-bench unbounded`).
struct UnboundedWorkTests {
  static let header = Scratch.header

  @Test func manyDoubleStarsInAnExclude() throws {
    // 16 `**` and a file 17 folders deep: 3^16 ways to split the path for the old matcher.
    let deep = (0..<17).map { "d\($0)" }.joined(separator: "/")
    let dir = try Scratch.folder([
      "yosan.config.yosan": "exclude = \"" + String(repeating: "**/", count: 16) + "nomatch\"\n",
      deep + "/a.yosan": Self.header + Scratch.item("a", ["担当 = 医政局", "要求額 = 1億円"]),
    ])
    let result = try YosanBinary.run(["check", "."], in: dir, timeout: 60)
    #expect(result.status == 0, "\(result.status): \(result.stderr)")
    #expect(result.stderr.contains("in 1 file (1 item"))
  }

  @Test func aConfigurationInEachOfManyNestedFolders() throws {
    var files: [String: String] = [:]
    var folder = ""
    for depth in 0..<80 {
      folder += "d\(depth)/"
      files[folder + "yosan.config.yosan"] = "exclude = \"**/**/**/skip-\(depth).yosan\"\n"
      files[folder + "a\(depth).yosan"] = Self.header + Scratch.item("a\(depth)", ["担当 = 医政局", "要求額 = 1億円"])
      files[folder + "skip-\(depth).yosan"] = "not even a budget"
    }
    let dir = try Scratch.folder(files)
    let result = try YosanBinary.run(["check", "."], in: dir, timeout: 60)
    #expect(result.status == 0, "\(result.status): \(result.stderr.prefix(300))")
    #expect(result.stderr.contains("in 80 files (80 items"), "\(result.stderr.prefix(300))")
  }

  @Test func showSourceShowsAWindowOfALongLine() throws {
    // A diagnostic in the middle of a 60,000-character line: the excerpt is a window around it,
    // with the caret under the character.
    let filler = String(repeating: "あ", count: 30_000)
    let text = Self.header + "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  備考 = " + filler + "\u{01}" + filler + "\n}\n"
    let dir = try Scratch.folder(["a.yosan": text])
    let result = try YosanBinary.run(["check", "--show-source", "a.yosan"], in: dir, timeout: 60)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count > 2, "\(result.stdout.prefix(500))")
    #expect(lines.allSatisfy { $0.count < 300 }, "the longest line has \(lines.map(\.count).max() ?? 0) characters")
    // The excerpt and its caret: `…` starts the cut line, the caret is under the range's start.
    guard let source = lines.firstIndex(where: { $0.contains(" | …") }) else {
      Issue.record("no cut excerpt in \(result.stdout.prefix(800))")
      return
    }
    let excerpt = String(lines[source])
    let caret = String(lines[source + 1])
    #expect(excerpt.hasSuffix("…"))
    let caretColumn = DisplayWidthProbe.width(String(caret.prefix { $0 != "^" }))
    let diagnostic = String(lines[source - 1])
    #expect(diagnostic == "a.yosan:9:30008: error: control character U+0001 in the text; remove it [syntax-error]")
    // What is above the caret is the text the diagnostic points at.
    var shown = ""
    var width = 0
    for character in excerpt {
      if width >= caretColumn { shown.append(character) }
      width += DisplayWidthProbe.width(String(character))
    }
    #expect(shown.hasPrefix("\u{FFFD}あ"), "\(shown.prefix(10))")
    #expect(caretColumn == "9 | ".count + 1 + 2 * TextReporterWindow.charactersBefore)
  }
}

/// The window's size as `TextReporter` has it (60 characters before the caret).
enum TextReporterWindow {
  static let charactersBefore = 60
}

/// Display width as a terminal shows it: two columns for the wide characters the tests use.
enum DisplayWidthProbe {
  static func width(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
      let v = scalar.value
      let wide = (0x3000...0x30FF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xFF01...0xFF60).contains(v)
      return width + (wide ? 2 : 1)
    }
  }
}
