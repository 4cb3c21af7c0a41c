import Testing
import YosanSyntax

struct LexerTests {
  func kinds(_ text: String) -> [SyntaxKind] {
    Array(text.utf8).withUnsafeBufferPointer { Lexer.tokenize($0).map(\.kind) }
  }

  @Test func asciiAndFullWidthPunctuation() {
    #expect(kinds("{}=,()#x") == [.leftBrace, .rightBrace, .equals, .comma, .leftParen, .rightParen, .comment])
    #expect(kinds("｛｝＝，、（）＃x") == [.leftBrace, .rightBrace, .equals, .comma, .comma, .leftParen, .rightParen, .comment])
  }

  @Test func wordsStopAtDelimiters() {
    #expect(kinds("内数(kaigo-kikin)") == [.word, .leftParen, .word, .rightParen])
    #expect(kinds("1,804億円") == [.word, .comma, .word])
    #expect(kinds("７．９億円") == [.word])
  }

  @Test func ideographicSpaceIsWhitespace() {
    #expect(kinds("a　b") == [.word, .whitespace, .word])
  }

  @Test func stringsInValuesMaySpanLines() {
    #expect(kinds("x = \"a\nb\"\n") == [.word, .whitespace, .equals, .whitespace, .string, .newline])
    // Outside a value a string ends on its line.
    #expect(kinds("事業 \"a\nb\"\n").contains(.unterminatedString))
  }

  /// A title in Japanese quotation marks is a string outside values, when it closes on its line;
  /// in a value, or without its closing mark, the marks are part of words as before.
  @Test func japaneseQuotesMakeAStringOutsideValues() {
    #expect(kinds("事業 a 「救急 医療」 {") == [.word, .whitespace, .word, .whitespace, .string, .whitespace, .leftBrace])
    #expect(kinds("分野 “研究” {") == [.word, .whitespace, .string, .whitespace, .leftBrace])
    #expect(kinds("備考 = 「みんなで」を実施") == [.word, .whitespace, .equals, .whitespace, .word])
    #expect(kinds("事業 a 「救急 {") == [.word, .whitespace, .word, .whitespace, .word, .whitespace, .leftBrace])
    #expect(kinds("事業 a 「救急\n」 {").first(where: { $0 == .string }) == nil)
  }

  @Test func unterminatedStringLeavesTheHeaderBrace() {
    #expect(kinds("事業 a \"t {") == [.word, .whitespace, .word, .whitespace, .unterminatedString, .whitespace, .leftBrace])
  }

  @Test func multilineStringMustCloseCleanly() {
    // The quote that "closes" it is followed by more text: it was really unterminated.
    let k = kinds("x = \"a\ny = \"b\" {\n")
    #expect(k.first(where: { $0 == .string || $0 == .unterminatedString }) == .unterminatedString)
  }

  @Test func controlCharactersAreTheirOwnToken() {
    #expect(kinds("a\u{0}\u{1}b") == [.word, .controlCharacters, .word])
  }

  @Test func byteOrderMarkOnlyAtStart() {
    #expect(kinds("\u{FEFF}a") == [.byteOrderMark, .word])
    #expect(kinds("a\u{FEFF}") == [.word])
  }

  @Test func crlfIsOneNewline() {
    #expect(kinds("a\r\nb\rc\n") == [.word, .newline, .word, .newline, .word, .newline])
  }
}
