/// DEFLATE compression (RFC 1951): LZ77 matches found through a hash of three-byte prefixes
/// (a 32 KiB window, a bounded search per position), coded in one fixed-Huffman block. Not the
/// smallest output a compressor can reach, but XML shrinks to a fraction, in one linear pass, and
/// every reader (Excel, LibreOffice, zlib) reads it.
public enum Deflate {
  static let windowSize = 1 << 15
  static let minimumMatch = 3
  static let maximumMatch = 258
  /// How many earlier positions with the same hash are tried per position.
  static let maximumChain = 12
  /// A match this long ends the search (a longer one would save little).
  static let niceMatch = 64
  static let hashBits = 15
  /// Matches up to this long have every position hashed; longer ones only their first.
  static let maximumInsert = 8

  /// The compressed form of `input`.
  public static func deflate(_ input: [UInt8]) -> [UInt8] {
    // The output is written into a buffer that holds the worst case: every byte a literal of
    // at most nine bits (a match never costs more per byte), the block's header and end, and
    // the slack of the writer's four-byte stores.
    let capacity = input.count + input.count / 8 + 64
    return [UInt8](unsafeUninitializedCapacity: capacity) { output, initialized in
      var writer = BitWriter(output: output.baseAddress!)
      compress(input, into: &writer)
      initialized = writer.position
      assert(initialized <= capacity)
    }
  }

  static func compress(_ input: [UInt8], into writer: inout BitWriter) {
    writer.write(1, 1)  // BFINAL: the only block
    writer.write(1, 2)  // BTYPE 01: fixed Huffman codes
    input.withUnsafeBufferPointer { bytes in
      let count = bytes.count
      let raw = UnsafeRawPointer(bytes.baseAddress)
      var head = [Int32](repeating: -1, count: 1 << hashBits)
      var previous = [Int32](repeating: -1, count: windowSize)
      head.withUnsafeMutableBufferPointer { head in
        previous.withUnsafeMutableBufferPointer { previous in
          @inline(__always) func hash(_ i: Int) -> Int {
            let value = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            return Int((value &* 2_654_435_761) >> UInt32(32 - hashBits))
          }
          @inline(__always) func insert(_ i: Int) {
            let h = hash(i)
            previous[i & (windowSize - 1)] = head[h]
            head[h] = Int32(i)
          }
          var i = 0
          while i < count {
            var bestLength = 0
            var bestDistance = 0
            if i + minimumMatch <= count {
              let limit = min(maximumMatch, count - i)
              var candidate = Int(head[hash(i)])
              var chain = maximumChain
              while candidate >= 0, i - candidate <= windowSize, chain > 0 {
                if bytes[candidate + bestLength] == bytes[i + bestLength] {
                  // Eight bytes at a time: the first that differs is the lowest set byte of
                  // the two words' difference (DEFLATE's data is compared in memory order).
                  var length = 0
                  var differs = false
                  while length + 8 <= limit {
                    let difference = raw!.loadUnaligned(fromByteOffset: candidate + length, as: UInt64.self).littleEndian
                      ^ raw!.loadUnaligned(fromByteOffset: i + length, as: UInt64.self).littleEndian
                    if difference != 0 {
                      length += difference.trailingZeroBitCount >> 3
                      differs = true
                      break
                    }
                    length += 8
                  }
                  if !differs {
                    while length < limit, bytes[candidate + length] == bytes[i + length] { length += 1 }
                  }
                  if length > bestLength {
                    bestLength = length
                    bestDistance = i - candidate
                    if length >= min(limit, niceMatch) { break }
                  }
                }
                candidate = Int(previous[candidate & (windowSize - 1)])
                chain -= 1
              }
            }
            if bestLength >= minimumMatch {
              writer.writeLength(bestLength)
              writer.writeDistance(bestDistance)
              // As zlib's fast levels do, only the start of a long match goes into the hash:
              // repetitive XML has many long matches, and inserting every position of them costs
              // more than it finds.
              let end = i + bestLength
              let inserted = bestLength <= maximumInsert ? end : i + 1
              while i < inserted {
                if i + minimumMatch <= count { insert(i) }
                i += 1
              }
              i = end
            } else {
              writer.writeLiteral(Int(bytes[i]))
              if i + minimumMatch <= count { insert(i) }
              i += 1
            }
          }
        }
      }
    }
    writer.writeLiteral(256)
    writer.flush()
  }

  // MARK: - Codes

  /// The fixed literal/length code of each symbol, bit-reversed for writing, and its length.
  static let literalCodes: [(code: UInt32, length: Int)] = (0..<288).map { symbol in
    let (code, length): (Int, Int)
    switch symbol {
    case 0..<144: (code, length) = (0x30 + symbol, 8)
    case 144..<256: (code, length) = (0x190 + symbol - 144, 9)
    case 256..<280: (code, length) = (symbol - 256, 7)
    default: (code, length) = (0xC0 + symbol - 280, 8)
    }
    return (reversed(code, length), length)
  }

  /// For each match length 3…258: its symbol's index (0…28) in `Inflate.lengthBase`.
  static let lengthIndex: [UInt8] = (0...maximumMatch).map { length in
    guard length >= minimumMatch else { return 0 }
    var index = 28
    while Int(Inflate.lengthBase[index]) > length { index -= 1 }
    return UInt8(index)
  }

  /// The fixed five-bit code of each distance symbol, bit-reversed for writing.
  static let distanceCodes: [UInt32] = (0..<30).map { reversed($0, 5) }

  static func reversed(_ code: Int, _ length: Int) -> UInt32 {
    var result: UInt32 = 0
    for bit in 0..<length where code & (1 << bit) != 0 { result |= 1 << UInt32(length - 1 - bit) }
    return result
  }

  /// The distance symbol (0…29) of a distance 1…32768.
  @inline(__always) static func distanceIndex(_ distance: Int) -> Int {
    // Symbols come in pairs per power of two above 4: find the highest bit.
    if distance <= 4 { return distance - 1 }
    let d = distance - 1
    let high = (Int.bitWidth - 1) - d.leadingZeroBitCount
    return 2 * high + ((d >> (high - 1)) & 1)
  }

  /// Writes codes least significant bit first, four bytes at a time, into a buffer large
  /// enough for them (`deflate` sizes it); the code tables are the caller's, read without
  /// going through their lazy initialisation per code.
  struct BitWriter {
    let output: UnsafeMutablePointer<UInt8>
    var position = 0
    var buffer: UInt64 = 0
    var count = 0
    let literalCodes = Deflate.literalCodes
    let lengthIndex = Deflate.lengthIndex
    let distanceCodes = Deflate.distanceCodes
    let lengthBase = Inflate.lengthBase
    let lengthExtra = Inflate.lengthExtra
    let distanceBase = Inflate.distanceBase
    let distanceExtra = Inflate.distanceExtra

    init(output: UnsafeMutablePointer<UInt8>) { self.output = output }

    /// `length` (at most 13) bits of `value`.
    @inline(__always) mutating func write(_ value: UInt32, _ length: Int) {
      buffer |= UInt64(value) << UInt64(count)
      count += length
      if count >= 32 {
        UnsafeMutableRawPointer(output + position).storeBytes(of: UInt32(truncatingIfNeeded: buffer).littleEndian, as: UInt32.self)
        position += 4
        buffer >>= 32
        count -= 32
      }
    }

    @inline(__always) mutating func writeLiteral(_ symbol: Int) {
      let entry = literalCodes[symbol]
      write(entry.code, entry.length)
    }

    @inline(__always) mutating func writeLength(_ length: Int) {
      let index = Int(lengthIndex[length])
      writeLiteral(257 + index)
      let extra = Int(lengthExtra[index])
      if extra > 0 { write(UInt32(length - Int(lengthBase[index])), extra) }
    }

    @inline(__always) mutating func writeDistance(_ distance: Int) {
      let index = Deflate.distanceIndex(distance)
      write(distanceCodes[index], 5)
      let extra = Int(distanceExtra[index])
      if extra > 0 { write(UInt32(distance - Int(distanceBase[index])), extra) }
    }

    /// The bits left, padded to a whole byte.
    mutating func flush() {
      while count > 0 {
        output[position] = UInt8(truncatingIfNeeded: buffer)
        position += 1
        buffer >>= 8
        count -= 8
      }
      buffer = 0
      count = 0
    }
  }
}
