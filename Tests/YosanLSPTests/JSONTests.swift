import Testing
import YosanJSON

/// The JSON reader and writer the server and the CLI use.
struct JSONTests {
  @Test func roundTripKeepsKeyOrderAndNumbersAsWritten() throws {
    let text = #"{"b":1,"a":[true,false,null,"予算",12345678901234567890123,-0.5e3],"c":{}}"#
    let value = try JSON.parse(text)
    #expect(value.serialized() == text)
    #expect(value["a"]?[4] == .number("12345678901234567890123"))
  }

  /// The CLI writes large documents in pieces: together they are the indented text, and no piece
  /// but the last is smaller than the chunk asked for (a piece ends between two values).
  @Test func writingInPiecesGivesTheIndentedText() throws {
    let rows: [JSON] = (0..<500).map { i in
      .object([("id", .string("事業-\(i)")), ("amounts", .array([.int(i), .int(i * 7), .null])), ("nested", .object([("x", .bool(i % 2 == 0))]))])
    }
    let document = JSON.object([("version", .int(2)), ("rows", .array(rows)), ("empty", .array([]))])
    var pieces: [[UInt8]] = []
    document.writePrettyPrinted(chunk: 100) { bytes in
      pieces.append(bytes)
      bytes.removeAll()
    }
    #expect(String(decoding: pieces.joined(), as: UTF8.self) == document.prettyPrinted())
    #expect(pieces.count > 100)
    #expect(pieces.dropLast().allSatisfy { $0.count >= 100 })
  }

  @Test func escapesAreWrittenAndRead() throws {
    let original = "quote \" backslash \\ newline \n tab \t cr \r nul \u{0} del \u{7F} ls \u{2028} 𠮷😀"
    let written = JSON.string(original).serialized()
    #expect(written == #""quote \" backslash \\ newline \n tab \t cr \r nul \u0000 del \u007f ls \u2028 𠮷😀""#)
    #expect(try JSON.parse(written) == .string(original))
  }

  /// Strings are scanned eight bytes at a time: every character that needs an escape is still
  /// found wherever it falls in a word, and the text round-trips.
  @Test func escapesAtEveryPlaceOfAWord() throws {
    let special: [String] = ["\"", "\\", "\n", "\u{1}", "\u{7F}", "\u{2028}", "\u{2029}", "\u{2027}", "予", "a", "<", ">", "&"]
    for length in 0..<20 {
      for position in 0..<Swift.max(1, length) {
        for mark in special {
          var characters = Array(repeating: "x", count: length)
          if length > 0 { characters[position] = mark }
          let text = characters.joined()
          let written = JSON.string(text).serialized()
          #expect(try JSON.parse(written) == .string(text), "\(text.debugDescription)")
          #expect(written == Self.escapedOneByOne(text), "\(text.debugDescription)")
          var script: [UInt8] = []
          JSON.writeString(text, into: &script, forScript: true)
          #expect(String(decoding: script, as: UTF8.self) == Self.escapedOneByOne(text, forScript: true), "\(text.debugDescription)")
        }
      }
    }
  }

  /// The escaping, one character at a time.
  static func escapedOneByOne(_ text: String, forScript: Bool = false) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x09: out += "\\t"
      case 0..<0x20, 0x7F: out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
      case 0x2028, 0x2029: out += "\\u" + String(scalar.value, radix: 16)
      case 0x26 where forScript, 0x3C where forScript, 0x3E where forScript: out += "\\u00" + String(scalar.value, radix: 16)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// `isValid` accepts what `parse` accepts, at any depth, and nothing else.
  @Test func validityAtAnyDepth() {
    let valid = [
      "0", "-1.5e3", "\"x\"", "true", "null", "[]", "{}", " [1, {\"a\": [true, null, {}]}, \"s\"] ", #"{"a":{"b":[1,2,{"c":"d"}]},"e":[]}"#,
    ]
    let invalid = ["", "[", "{", "[1,]", "{\"a\"}", "{\"a\":}", "{1:2}", "[1 2]", "01", "tru", "{} {}", "[}", "{]", "\"\u{1}\"", "[1],"]
    for text in valid {
      #expect(JSON.isValid(Array(text.utf8)), "\(text)")
      #expect((try? JSON.parse(text)) != nil, "\(text)")
    }
    for text in invalid {
      #expect(!JSON.isValid(Array(text.utf8)), "\(text)")
      #expect((try? JSON.parse(text)) == nil, "\(text)")
    }
    let deep = String(repeating: "[{\"k\":", count: 5_000) + "1" + String(repeating: "}]", count: 5_000)
    #expect(JSON.isValid(Array(deep.utf8)))
    #expect(!JSON.isValid(Array(deep.dropLast().utf8)))
    #expect(!JSON.isValid(Array(String(repeating: "[", count: 100_000).utf8)))
  }

  @Test func forAScriptElementNothingCanEndItOrStartAComment() throws {
    let original = "</script><!-- a&b --> \u{2028} 予算"
    var plain: [UInt8] = []
    JSON.writeString(original, into: &plain)
    #expect(String(decoding: plain, as: UTF8.self) == #""</script><!-- a&b --> \u2028 予算""#)
    var script: [UInt8] = []
    JSON.writeString(original, into: &script, forScript: true)
    let written = String(decoding: script, as: UTF8.self)
    #expect(written == #""\u003c/script\u003e\u003c!-- a\u0026b --\u003e \u2028 予算""#)
    #expect(try JSON.parse(written) == .string(original))
  }

  @Test func surrogatePairsAndLoneSurrogates() throws {
    #expect(try JSON.parse(#""\ud842\udfb7\uD83D\uDE00""#) == .string("𠮷😀"))
    #expect(try JSON.parse(#""a\ud800b""#) == .string("a\u{FFFD}b"))
    #expect(try JSON.parse(#""\u4e88\u7b97/\/""#) == .string("予算//"))
  }

  @Test func invalidTextIsRefusedWithAnOffset() {
    for text in ["", "{", #"{"a" 1}"#, "[1,]", "01", #""\x""#, "tru", "{} {}", "\"\u{1}\""] {
      #expect(throws: JSONError.self, "\(text)") { try JSON.parse(text) }
    }
    let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    #expect(throws: JSONError.self) { try JSON.parse(deep) }
  }

  @Test func prettyPrinting() {
    let value = JSON.object([("a", .array([.int(1), .object([("b", .null)])])), ("c", .object([]))])
    #expect(value.prettyPrinted() == "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {}\n}")
  }
}
