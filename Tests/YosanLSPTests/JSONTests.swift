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

  @Test func escapesAreWrittenAndRead() throws {
    let original = "quote \" backslash \\ newline \n tab \t cr \r nul \u{0} del \u{7F} ls \u{2028} 𠮷😀"
    let written = JSON.string(original).serialized()
    #expect(written == #""quote \" backslash \\ newline \n tab \t cr \r nul \u0000 del \u007f ls \u2028 𠮷😀""#)
    #expect(try JSON.parse(written) == .string(original))
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
