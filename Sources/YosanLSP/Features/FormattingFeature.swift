import YosanCore
import YosanJSON
import YosanSyntax

/// Formatting with the canonical layout of `yosan fmt` (the core's `Formatter`), for the whole
/// document or the lines a range touches, as the smallest edits of the blanks that change. A file
/// with syntax errors is left as it is, and the client is told why. Formatting reads only the
/// text and its tree: it never waits for the model.
extension LanguageServer {
  /// The most edits one formatting answer carries: more are joined in runs (`Formatter.coalesced`).
  static let formattingEditLimit = 1_000

  func formatting(_ params: ParamReader) throws(ResponseError) -> JSON {
    let file = try file(params, model: false)
    return formattingEdits(file, range: nil)
  }

  func rangeFormatting(_ params: ParamReader) throws(ResponseError) -> JSON {
    let file = try file(params, model: false)
    let range = try file.view.range(params["range"])
    return formattingEdits(file, range: range)
  }

  func formattingEdits(_ file: FileContext, range: TextRange?) -> JSON {
    guard let edits = Formatter.edits(file.facts, in: range) else {
      let line = file.diagnostics.first { $0.ruleID == "syntax-error" }.map { file.view.position($0.range.start).line + 1 }
      let message = "yosan: \(LanguageServer.displayName(file.path)) was not formatted: it has a syntax error"
        + (line.map { " on line \($0)" } ?? "") + "; fix it first"
      logToClient(message, type: 2)
      notify("window/showMessage", .object([("type", .int(2)), ("message", .string(message))]))
      return .null
    }
    let sent = Formatter.coalesced(edits, in: file.facts.bytes, limit: LanguageServer.formattingEditLimit)
    return .array(sent.map { .object([("range", file.view.rangeJSON($0.range)), ("newText", .string($0.replacement))]) })
  }
}
