import Testing
import YosanSheets

struct DeflateTests {
  static func bytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      out.append(UInt8(hex[index..<next], radix: 16)!)
      index = next
    }
    return out
  }

  @Test func crc32CheckValue() {
    // The check value of the CRC-32 used by ZIP, PNG and gzip: the CRC of "123456789".
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([]) == 0)
  }

  /// Streams written by zlib (Python's `zlib.compressobj(level, DEFLATED, -15)`), pasted here.
  @Test func inflatesWhatZlibWrites() throws {
    let short = try Inflate.inflate(Self.bytes("7bb2abe3f9bae90ab60a864f5b5a9eb6b50100"), limit: 1000)
    #expect(String(decoding: short.output, as: UTF8.self) == "予算 = 1億円")
    #expect(short.consumed == 19)
    let fixed = try Inflate.inflate(Self.bytes("4b4c4a4ea4000100"), limit: 1000)
    #expect(fixed.output == Array(String(repeating: "abc", count: 21).utf8))
    let text = String(repeating: "内訳 { 医薬品プロジェクト = 187.5億円 }\n", count: 20)
    let long = try Inflate.inflate(
      Self.bytes(
        "7bdad6fa62c566856a85a73dbb5f4c5bf37472e3e3e6e98f9bd73e6edaf1b869f9e3a6f58f9b3b146c150c2dccf54c9fb6b43c6d6b53a8e57a3aaa6954d3a8a691a20900"
      ), limit: 2000)
    #expect(long.output == Array(text.utf8))
    let stored = try Inflate.inflate(Self.bytes("010500faff68656c6c6f"), limit: 100)
    #expect(stored.output == Array("hello".utf8))
  }

  @Test func refusesMalformedStreams() {
    func failure(_ hex: String, limit: Int = 1000) -> String? {
      do {
        _ = try Inflate.inflate(Self.bytes(hex), limit: limit)
        return nil
      } catch let error as InflateError {
        return error.message
      } catch {
        return "\(error)"
      }
    }
    #expect(failure("") == "the compressed data ends in the middle of a block")
    #expect(failure("07") == "an invalid block type (3)")
    // A stored block whose length check is not the complement of its length.
    #expect(failure("010500faef68656c6c6f") == "a stored block's length does not match its check")
    #expect(failure("010500faff6865") == "the compressed data ends in a stored block")
    // zlib's stream cut short.
    #expect(failure("7bb2abe3f9bae90a") == "the compressed data ends in the middle of a block")
    // Fixed Huffman, built bit by bit: the literal `a`, then a match of length 3 at distance 2
    // with one byte of output (zlib: "invalid distance too far back").
    #expect(failure("4b044200") == "a distance (2) reaches back before the start of the data")
    // Dynamic blocks whose code-length code has 19 one-bit codes, and two two-bit codes (zlib:
    // "invalid code lengths set" for both).
    #expect(failure("05e09324499224499200") == "a Huffman code is over-subscribed (the code-length code)")
    #expect(failure("05002400") == "a Huffman code is incomplete (the code-length code)")
    // More output than the limit allows.
    #expect(failure("010500faff68656c6c6f", limit: 4) == "the data decompresses to more than 4 bytes")
  }

  @Test func roundTripsThroughItsOwnCompressor() throws {
    var generator = SystemRandomNumberGenerator()
    let samples: [[UInt8]] = [
      [], [0], Array("a".utf8), Array(String(repeating: "予算 = 1億円\n", count: 5000).utf8),
      (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) },
      (0..<100_000).map { UInt8($0 % 7) }, [UInt8](repeating: 0x41, count: 70_000),
    ]
    for sample in samples {
      let compressed = Deflate.deflate(sample)
      let back = try Inflate.inflate(compressed, expectedSize: sample.count, limit: sample.count)
      #expect(back.output == sample)
      #expect(back.consumed == compressed.count)
    }
    // Repetitive text shrinks to a fraction.
    let text = Array(String(repeating: "<c r=\"A1\" t=\"s\"><v>12</v></c>", count: 10_000).utf8)
    #expect(Deflate.deflate(text).count < text.count / 20)
  }

  @Test func everyMatchLengthAndDistanceRoundTrips() throws {
    // Lengths 3…258 at distances that cross every distance code.
    var data: [UInt8] = []
    var seed: UInt32 = 1
    for _ in 0..<40_000 {
      seed = seed &* 1_103_515_245 &+ 12345
      data.append(UInt8(truncatingIfNeeded: seed >> 16))
    }
    for length in stride(from: 3, through: 258, by: 5) {
      for distance in [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 65, 129, 257, 513, 1025, 2049, 4097, 8193, 16385, 32768] where distance < data.count {
        let start = data.count - distance
        for k in 0..<length { data.append(data[start + k]) }
        if data.count > 300_000 { break }
      }
    }
    let compressed = Deflate.deflate(data)
    #expect(try Inflate.inflate(compressed, limit: data.count).output == data)
  }
}
