import Testing
import YosanSyntax

struct CP932Tests {
  /// Byte values from the Shift_JIS code chart (JIS X 0208 row/cell → CP932), typed by hand.
  @Test func decodesKanjiKanaAndASCII() throws {
    let bytes: [UInt8] = [0x97, 0x5C, 0x8E, 0x5A, 0x20, 0x3D, 0x20, 0x31, 0x89, 0xAD, 0x89, 0x7E, 0xB1, 0xB2]
    let text = try #require(try? CP932.decode(bytes).get())
    #expect(String(decoding: text, as: UTF8.self) == "予算 = 1億円ｱｲ")
  }

  @Test func decodesTheNECAndIBMExtensions() throws {
    // ① (NEC row 13), ⅰ both as NEC-selected IBM (0xEEEF) and as IBM (0xFA40), 髙 (0xFBFC).
    let bytes: [UInt8] = [0x87, 0x40, 0xEE, 0xEF, 0xFA, 0x40, 0xFB, 0xFC]
    let text = try #require(try? CP932.decode(bytes).get())
    #expect(String(decoding: text, as: UTF8.self) == "①ⅰⅰ髙")
  }

  @Test func encodesWhatWindowsWrites() throws {
    let encoded = try #require(try? CP932.encode(utf8: Array("①ⅰ髙∵予算～".utf8)).get())
    // ∵ has three codes (0x81E6, 0x879A, 0xFA5B): the JIS X 0208 one is written.
    #expect(encoded == [0x87, 0x40, 0xFA, 0x40, 0xFB, 0xFC, 0x81, 0xE6, 0x97, 0x5C, 0x8E, 0x5A, 0x81, 0x60])
  }

  @Test func firstByteThatIsNotCP932() {
    // A lead byte at the end; a lead byte followed by a byte that is no trail; a lone 0x80 and 0xA0.
    #expect(CP932.decode([0x41, 0x97]) == .failure(.init(offset: 1)))
    #expect(CP932.decode([0x41, 0x42, 0x97, 0x0A]) == .failure(.init(offset: 2)))
    #expect(CP932.decode([0x80]) == .failure(.init(offset: 0)))
    #expect(CP932.decode([0x41, 0xA0]) == .failure(.init(offset: 1)))
    // 0x85 0x40 is a lead and trail pair with no character in the table.
    #expect(CP932.decode([0x85, 0x40]) == .failure(.init(offset: 0)))
  }

  @Test func charactersCP932CannotHold() {
    // 𠮷 is outside CP932 (the seeds hold it); its UTF-8 offset is after `ab`.
    let result = CP932.encode(utf8: Array("ab𠮷".utf8))
    #expect(result == .failure(.init(offset: 2, scalar: "𠮷")))
    #expect(CP932.encode(utf8: Array("¥".utf8)) == .failure(.init(offset: 0, scalar: "¥")))
  }

  @Test func everyCharacterRoundTrips() throws {
    // Every double-byte code that decodes, encoded again, decodes to the same text.
    var codes: [UInt8] = []
    for lead in Array(0x81...0x9F) + Array(0xE0...0xFC) {
      for trail in 0x40...0xFC where trail != 0x7F {
        let pair = [UInt8(lead), UInt8(trail)]
        if case .success = CP932.decode(pair) { codes += pair }
      }
    }
    #expect(codes.count / 2 > 9_000)
    let text = try #require(try? CP932.decode(codes).get())
    let again = try #require(try? CP932.encode(utf8: text).get())
    #expect(try CP932.decode(again).get() == text)
  }

  @Test func recognisesAFileSavedAsShiftJIS() {
    let cp932: [UInt8] = [0x97, 0x5C, 0x8E, 0x5A, 0x0A]
    #expect(CP932.looksLikeCP932(cp932))
    #expect(!CP932.looksLikeCP932(Array("予算 = 1億円\n".utf8)))
    #expect(!CP932.looksLikeCP932(Array("plain ascii".utf8)))
  }
}
