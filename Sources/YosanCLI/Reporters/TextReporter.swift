import YosanCore
import YosanSyntax

/// The default output: `path:line:column: severity: message [rule-id]`, one line per diagnostic;
/// with `--show-source` (or on a terminal) an excerpt of the line with a caret under the range,
/// related places and the safe fix; with colour on a terminal or with `--color always`.
enum TextReporter {
  struct Style {
    var showSource = false
    var color = false
  }

  static func report(_ report: Report, style: Style = Style(), to output: Output) {
    let paint = Paint(enabled: style.color)
    for problem in report.configurationProblems {
      output.line(
        paint.bold("\(problem.path):\(problem.line):\(problem.column):") + " " + paint.severity(.error) + ": " + problem.message + " "
          + paint.dim("[\(ConfigurationProblem.ruleID)]"))
    }
    for file in report.analysis.files {
      for diagnostic in file.diagnostics {
        output.line(line(for: diagnostic, in: file.facts, paint: paint))
        guard style.showSource else { continue }
        let gutter = String(file.facts.position(of: diagnostic.range.end).line).count
        for text in excerpt(diagnostic.range, in: file.facts, gutter: gutter, paint: paint, severity: diagnostic.severity) {
          output.line(text)
        }
        let pad = String(repeating: " ", count: gutter + 1)
        for related in diagnostic.related {
          let target = report.facts(for: related, in: file.facts)
          let (line, column) = target.position(of: related.range.start)
          output.line("\(pad)= \(paint.bold("note")): \(target.path):\(line):\(column): \(related.message)")
        }
        // Only safe fixes: the others change figures and are offered in JSON, SARIF and the editor.
        if let fix = diagnostic.fixes.first(where: \.isSafe) {
          output.line("\(pad)= \(paint.bold("fix")): \(fix.title) (`yosan check --fix` applies it)")
        }
        output.line("")
      }
    }
  }

  /// The one-line form. Other tools and tests parse it: keep it exactly.
  static func line(for diagnostic: Diagnostic, in facts: FileFacts, paint: Paint = Paint(enabled: false)) -> String {
    let (line, column) = facts.position(of: diagnostic.range.start)
    return paint.bold("\(facts.path):\(line):\(column):") + " " + paint.severity(diagnostic.severity) + ": " + diagnostic.message + " "
      + paint.dim("[\(diagnostic.ruleID)]")
  }

  /// How much of a long line `--show-source` shows: characters before the range's start, and
  /// display columns from it on. The rest of the line is cut, with `…` where it was.
  static let charactersBefore = 60
  static let columnsAfter = 100

  /// The line of `range`'s start and a caret line under the range (to the end of that line for a
  /// range that goes on), aligned by display width: a kanji takes two columns. A long line is shown
  /// as a window around the range's start (`charactersBefore`, `columnsAfter`), so each excerpt
  /// costs the same however long its line is.
  static func excerpt(_ range: TextRange, in facts: FileFacts, gutter: Int, paint: Paint, severity: Severity) -> [String] {
    let lineNumber = facts.lineIndex.line(containing: range.start)
    let start = facts.lineIndex.start(ofLine: lineNumber)
    var end = facts.lineIndex.end(ofLine: lineNumber)
    let bytes = facts.bytes
    while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
    // The window's start: up to `charactersBefore` characters back from the range's start.
    var from = Swift.max(start, Swift.min(range.start, end))
    for _ in 0..<charactersBefore where from > start {
      from -= 1
      while from > start, bytes[from] & 0xC0 == 0x80 { from -= 1 }
    }
    let ellipsis: Unicode.Scalar = "…"
    var text = ""
    var column = 0
    if from > start {
      text.unicodeScalars.append(ellipsis)
      column += DisplayWidth.of(ellipsis)
    }
    var caretStart = -1
    var caretEnd = -1
    var cut = false
    bytes.withUnsafeBufferPointer { buffer in
      var offset = from
      while offset < end {
        if offset >= range.start, caretStart < 0 { caretStart = column }
        if offset >= range.end, caretEnd < 0, caretStart >= 0 { caretEnd = column }
        if caretStart >= 0, column - caretStart >= columnsAfter {
          cut = true
          break
        }
        let length = UTF8Validation.sequenceLength(buffer, at: offset, end: end) ?? 1
        let scalar = length == 1 && bytes[offset] >= 0x80 ? "\u{FFFD}" : decode(buffer, offset, length)
        switch scalar.value {
        case 0x09:
          text += "    "
          column += 4
        case 0..<0x20, 0x7F:
          text += "\u{FFFD}"
          column += 1
        case 0xFEFF:
          break
        default:
          text.unicodeScalars.append(scalar)
          column += DisplayWidth.of(scalar)
        }
        offset += length
      }
    }
    if caretStart < 0 { caretStart = column }
    if caretEnd < 0 { caretEnd = column }
    if cut { text.unicodeScalars.append(ellipsis) }
    let number = String(lineNumber + 1)
    let blank = String(repeating: " ", count: gutter)
    let carets = String(repeating: " ", count: caretStart) + String(repeating: "^", count: Swift.max(1, caretEnd - caretStart))
    return [
      paint.dim(String(repeating: " ", count: gutter - number.count) + number + " |") + (text.isEmpty ? "" : " " + text),
      paint.dim(blank + " |") + " " + paint.colored(carets, severity),
    ]
  }

  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ length: Int) -> Unicode.Scalar {
    var value: UInt32
    switch length {
    case 1: return Unicode.Scalar(bytes[offset])
    case 2: value = UInt32(bytes[offset] & 0x1F)
    case 3: value = UInt32(bytes[offset] & 0x0F)
    default: value = UInt32(bytes[offset] & 0x07)
    }
    for i in 1..<length { value = value << 6 | UInt32(bytes[offset + i] & 0x3F) }
    return Unicode.Scalar(value) ?? "\u{FFFD}"
  }

  /// `2 errors, 1 warning in 12 files (340 items, 85 sums, 120 rates checked)`, with the fixes
  /// applied when there were some.
  static func summary(_ report: Report) -> String {
    let counts = report.counts
    var parts = [plural(counts[.error] ?? 0, "error"), plural(counts[.warning] ?? 0, "warning")]
    if let infos = counts[.info] { parts.append(plural(infos, "info", "infos")) }
    if let styles = counts[.style] { parts.append(plural(styles, "style note")) }
    let analysis = report.analysis
    let c = analysis.counters
    let checked = "\(plural(c.items, "item")), \(plural(c.sums, "sum")), \(plural(c.rates, "rate")) checked"
    var line = "\(parts.joined(separator: ", ")) in \(plural(analysis.files.count, "file")) (\(checked))"
    if report.fixesApplied > 0 {
      line += "; \(plural(report.fixesApplied, "fix", "fixes")) applied to \(plural(report.filesFixed, "file"))"
    }
    if report.filesNotWritten > 0 { line += "; \(notWritten(report.filesNotWritten))" }
    if !report.configurationProblems.isEmpty { line += "; \(plural(report.configurationProblems.count, "configuration problem"))" }
    return line
  }

  /// `N files could not be written`, for the summaries of `check --fix` and `fmt`.
  static func notWritten(_ n: Int) -> String { "\(plural(n, "file")) could not be written" }

  static func plural(_ n: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : pluralForm ?? singular + "s")"
  }
}

/// ANSI colours, or plain text when disabled.
struct Paint {
  var enabled: Bool

  func wrap(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
  func bold(_ text: String) -> String { wrap(text, "1") }
  func dim(_ text: String) -> String { wrap(text, "2") }

  func code(_ severity: Severity) -> String {
    switch severity {
    case .error: return "1;31"
    case .warning: return "1;33"
    case .info: return "1;34"
    case .style: return "1;36"
    }
  }

  func severity(_ severity: Severity) -> String { wrap(severity.description, code(severity)) }
  func colored(_ text: String, _ severity: Severity) -> String { wrap(text, code(severity)) }
}
