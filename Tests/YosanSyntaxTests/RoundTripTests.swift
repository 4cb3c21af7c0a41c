import Foundation
import Testing
import YosanSyntax
import YosanTestSupport

/// The tree is lossless: concatenating its tokens gives back the input, for any input.
struct RoundTripTests {
  @Test("every sample round-trips", arguments: RepoPaths.files(under: "Samples", withExtension: "yosan"))
  func sample(_ url: URL) throws {
    let bytes = Array(try Data(contentsOf: url))
    #expect(Parser.parse(bytes).reconstructText(from: bytes) == bytes)
  }

  /// A deterministic generator (SplitMix64), so failures reproduce.
  struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  }

  static let fragments: [[UInt8]] = [
    "{", "}", "｛", "｝", "=", "＝", "\"", "\\\"", "\n", "\r\n", "\r", " ", "\t", "　", "#", "＃", ",", "、", "(", "）",
    "事業", "内訳", "うち", "予算", "分野", "要求額", "1,804億円", "7.9", "令和7年度", "1/2", "なし", "内数(a)", "a", "ー",
    "\u{1F600}", "𠮷", "\u{FEFF}",
  ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE3, 0x80], [0x00], [0x7F], [0xEF, 0xBB, 0xBF], [0xED, 0xA0, 0x80]]

  @Test("random token soup round-trips (5,000 inputs)")
  func randomInputs() {
    var random = Random(state: 20_251_122)
    for _ in 0..<5_000 {
      var bytes: [UInt8] = []
      for _ in 0..<random.below(60) { bytes += Self.fragments[random.below(Self.fragments.count)] }
      let tree = Parser.parse(bytes)
      #expect(tree.reconstructText(from: bytes) == bytes, "input \(bytes)")
      #expect(tree.textLength == bytes.count)
    }
  }

  @Test("random bytes round-trip (2,000 inputs)")
  func randomBytes() {
    var random = Random(state: 7)
    for _ in 0..<2_000 {
      let bytes = (0..<random.below(200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
      #expect(Parser.parse(bytes).reconstructText(from: bytes) == bytes)
    }
  }

  @Test func crlfAndBOM() {
    let text: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("事業 a \"t\" {\r\n  要求額 = 1億円\r\n}\r\n".utf8)
    let tree = Parser.parse(text)
    #expect(tree.reconstructText(from: text) == text)
    #expect(!tree.containsError)
  }
}
