import Testing
import YosanSheets

struct CSVTests {
  static func parse(_ text: String, delimiter: UInt8 = 0x2C) throws -> [[String]] { try CSV.parse(Array(text.utf8), delimiter: delimiter) }

  static func error(_ text: String) -> CSVError? {
    do {
      _ = try parse(text)
      return nil
    } catch let error as CSVError {
      return error
    } catch {
      return nil
    }
  }

  @Test func readsRFC4180() throws {
    // The examples of RFC 4180 §2.
    #expect(try Self.parse("aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n") == [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
    #expect(try Self.parse("aaa,bbb,ccc\r\nzzz,yyy,xxx") == [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
    #expect(try Self.parse("\"aaa\",\"bbb\",\"ccc\"\r\n") == [["aaa", "bbb", "ccc"]])
    #expect(try Self.parse("\"aaa\",\"b\r\nbb\",\"ccc\"\r\nzzz,yyy,xxx") == [["aaa", "b\nbb", "ccc"], ["zzz", "yyy", "xxx"]])
    #expect(try Self.parse("\"aaa\",\"b\"\"bb\",\"ccc\"") == [["aaa", "b\"bb", "ccc"]])
  }

  @Test func readsWhatSpreadsheetsWrite() throws {
    #expect(try Self.parse("a,,c\n,\n") == [["a", "", "c"], ["", ""]])
    #expect(try Self.parse("a\rb\r\n\nc") == [["a"], ["b"], [""], ["c"]])
    #expect(try Self.parse("事業名,要求額\n\"医療, 介護\",1,234") == [["事業名", "要求額"], ["医療, 介護", "1", "234"]])
    #expect(try Self.parse("5\" disk,x") == [["5\" disk", "x"]], "a quote inside an unquoted field is a character")
    #expect(try Self.parse("a\tb\t\"c\td\"", delimiter: 0x09) == [["a", "b", "c\td"]])
    #expect(try Self.parse("") == [])
  }

  @Test func errorsNameLineColumnRowAndCell() throws {
    let unclosed = try #require(Self.error("id,title\nx,\"never closed\n"))
    #expect(unclosed.description == "line 2, column 3 (row 2, cell B2): a quoted field is never closed; close it with `\"`, and write a quote inside it as `\"\"`")
    let after = try #require(Self.error("予算,\"額\"円,x"))
    #expect(after.description == "line 1, column 7 (row 1, cell B1): text after the closing quote of a quoted field; a quote inside it is written `\"\"`")
  }

  @Test func guessesTheDelimiter() {
    #expect(CSV.guessDelimiter(Array("a\tb\tc\n1,2\t3".utf8)) == 0x09)
    #expect(CSV.guessDelimiter(Array("a,b,c\n".utf8)) == 0x2C)
    #expect(CSV.guessDelimiter(Array("\"a\tb\",c".utf8)) == 0x2C)
    #expect(CSV.guessDelimiter(Array("a;b;c".utf8)) == 0x3B)
  }

  @Test func writtenRecordsReadBack() throws {
    let records = [["plain", "with, comma", "with \"quote\"", "line\nbreak", "", "予算、内訳"], ["x", "y", "z", "w", "v", "u"]]
    let text = records.map { CSV.record($0) }.joined()
    #expect(text.hasPrefix("plain,\"with, comma\",\"with \"\"quote\"\"\",\"line\nbreak\",,予算、内訳\r\n"))
    #expect(try Self.parse(text) == records)
    let tsv = records.map { CSV.record($0, delimiter: "\t") }.joined()
    #expect(try CSV.parse(Array(tsv.utf8), delimiter: 0x09) == records)
    // The byte writer (a whole file in one buffer) writes each field as `field` does.
    for field in records.joined() + ["cr\rhere", "\"", "tab\there", "é", "e\u{301}"] {
      for (delimiter, scalar) in [(UInt8(0x2C), Unicode.Scalar(",")), (0x09, "\t")] {
        var bytes: [UInt8] = []
        CSV.appendField(field, to: &bytes, delimiter: delimiter)
        #expect(bytes == Array(CSV.field(field, delimiter: scalar).utf8), "\(field)")
      }
    }
  }
}

struct TextEncodingTests {
  static let cp932: [UInt8] = [0x97, 0x5C, 0x8E, 0x5A, 0x2C, 0x31, 0x0D, 0x0A, 0x8E, 0x96, 0x8B, 0xC6, 0x2C, 0x32]  // 予算,1 CRLF 事業,2

  @Test func detectsTheEncoding() throws {
    let plain = try TextDecoding.decode(Array("予算,1".utf8))
    #expect(plain.encoding == .utf8)
    #expect(plain.text == Array("予算,1".utf8))
    let bom = try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("予算".utf8))
    #expect(bom.encoding == .utf8)
    #expect(bom.text == Array("予算".utf8))
    let shiftJIS = try TextDecoding.decode(Self.cp932)
    #expect(shiftJIS.encoding == .cp932)
    #expect(String(decoding: shiftJIS.text, as: UTF8.self) == "予算,1\r\n事業,2")
    var utf16: [UInt8] = [0xFF, 0xFE]
    for unit in "事業名\t要求額".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    let unicode = try TextDecoding.decode(utf16)
    #expect(unicode.encoding == .utf16)
    #expect(String(decoding: unicode.text, as: UTF8.self) == "事業名\t要求額")
  }

  @Test func theEncodingNamedWins() throws {
    // Valid UTF-8 read as CP932 gives other characters; CP932 read as UTF-8 is an error.
    #expect(throws: TextDecodingError.self) { try TextDecoding.decode(Self.cp932, as: .utf8) }
    #expect(TextEncoding(name: "Shift_JIS") == .cp932)
    #expect(TextEncoding(name: "windows-31j") == .cp932)
    #expect(TextEncoding(name: "UTF8") == .utf8)
    #expect(TextEncoding(name: "latin1") == nil)
  }

  @Test func errorsNameLineAndColumn() {
    do {
      _ = try TextDecoding.decode(Array("予算,1\n事業,".utf8) + [0xFF, 0x41])
      Issue.record("decoded")
    } catch let error as TextDecodingError {
      #expect(error.description == "line 2, column 4: byte 0xFF is neither UTF-8 nor CP932 (Shift_JIS) text; name the encoding with --encoding")
    } catch {
      Issue.record("\(error)")
    }
    do {
      _ = try TextDecoding.decode([0x41, 0x0A, 0x97, 0x5C, 0x80], as: .cp932)
      Issue.record("decoded")
    } catch let error as TextDecodingError {
      #expect(error.description == "line 2, column 2: byte 0x80 is not CP932 (Shift_JIS) text")
    } catch {
      Issue.record("\(error)")
    }
  }
}
