import Testing
import YosanJSON

@testable import YosanLSP

/// Pathological documents (issue 11 §6): a budget written on one long line, with kanji and emoji
/// before every position, answers hover, completion, semantic tokens and inlay hints at the right
/// characters at its far end, before and after an edit at its start. (How long they take is
/// measured by `yosan-bench pathological`, not here.)
struct PathologicalDocumentTests {
  /// One line of about `bytes` bytes: a header, then items of one entry each (an entry's value
  /// ends at a `}`); the UTF-16 columns of the last item's amount and of its unit.
  static func oneLine(bytes: Int) -> (text: String, amount: Int, unit: Int, items: Int) {
    var text = "予算 \"一行の予算\" { 年度 = 令和7年度 } "
    var (amount, unit, items) = (0, 0, 0)
    while text.utf8.count < bytes {
      let head = "事業 a\(items) \"事業その\(items)🏥\" { 要求額 = "
      let figure = "\(items % 97 + 1)"
      amount = text.utf16.count + head.utf16.count
      unit = amount + figure.utf16.count
      text += head + "\(figure)億円 } "
      items += 1
    }
    return (text, amount, unit, items)
  }

  /// The absolute (line, character, length) of each semantic token.
  static func decode(_ data: [JSON]) -> [(line: Int, character: Int, length: Int)] {
    var result: [(Int, Int, Int)] = []
    var line = 0
    var character = 0
    for index in stride(from: 0, to: data.count - 4, by: 5) {
      let deltaLine = data[index].intValue ?? 0
      line += deltaLine
      character = deltaLine == 0 ? character + (data[index + 1].intValue ?? 0) : (data[index + 1].intValue ?? 0)
      result.append((line, character, data[index + 2].intValue ?? 0))
    }
    return result
  }

  @Test("hover, tokens and hints at the far end of a 200 KB line, before and after an edit at its start; completion answers")
  func oneLongLine() throws {
    let (text, amount, unit, items) = Self.oneLine(bytes: 200_000)
    #expect(items > 3_000)
    let server = UnitCacheTests.Driven(text: text, version: 1)
    for shift in [0, 1] {
      if shift == 1 {
        // A character typed in the header's title moves everything after it by one.
        server.change(version: 2, LSP.range(0, 4, 0, 4), "新")
      }
      let hover = try #require(server.ask("textDocument/hover", [("position", LSP.position(0, amount + shift))]))
      #expect(hover["range"]?["start"]?["character"]?.intValue == amount + shift)
      #expect(hover["range"]?["start"]?["line"]?.intValue == 0)
      #expect(hover["contents"]?["value"]?.stringValue?.contains("億円") == true)
      // Completion is line by line (keys at a line's start, values after its `=`): on a line of
      // blocks it has nothing to offer, and says so.
      let completion = try #require(server.ask("textDocument/completion", [("position", LSP.position(0, unit + shift))]))
      #expect(completion["items"]?.arrayValue != nil || completion.arrayValue != nil || completion == .null)
      let tokens = try #require(server.ask("textDocument/semanticTokens/full")?["data"]?.arrayValue)
      let decoded = Self.decode(tokens)
      // Every item has its keyword, id, title, key, number and unit.
      #expect(decoded.count >= items * 6)
      let last = try #require(decoded.last)
      #expect(last.line == 0 && last.character == unit + shift && last.length == 2, "\(last)")
      let range = try #require(
        server.ask("textDocument/semanticTokens/range", [("range", LSP.range(0, amount + shift, 0, unit + shift + 2))]))
      #expect(Self.decode(range["data"]?.arrayValue ?? []).map(\.character) == [amount + shift, unit + shift])
      let hints = try #require(server.ask("textDocument/inlayHint", [("range", LSP.range(0, 0, 1, 0))]))
      #expect(hints.arrayValue != nil)
      #expect(server.ask("textDocument/foldingRange")?.arrayValue?.isEmpty == true)
    }
  }
}
