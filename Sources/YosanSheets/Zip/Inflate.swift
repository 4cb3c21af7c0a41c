/// A DEFLATE stream that cannot be decompressed: what is wrong, and where (the offset in the
/// compressed data of the byte being read when it was found).
public struct InflateError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public var offset: Int
  public var description: String { "\(message) (at byte \(offset) of the compressed data)" }
}

/// Decompression of raw DEFLATE data (RFC 1951: stored, fixed-Huffman and dynamic-Huffman
/// blocks; no zlib or gzip wrapper), as ZIP's method 8 holds it.
///
/// Every malformed stream is an error, never a trap: a truncated stream, an invalid block type,
/// a stored block whose length check fails, an over-subscribed or incomplete Huffman code (but
/// the single one-bit code that RFC 1951 allows), a missing end-of-block code, a length or
/// distance symbol out of range, a distance further back than the output. The output never
/// grows beyond `limit` bytes: a stream that would is refused as soon as it tries, so a "zip
/// bomb" costs no more memory than the limit.
public enum Inflate {
  /// Decompresses `input`. `expectedSize` (when known, as ZIP records it) sizes the output once;
  /// `limit` is the most the output may hold. Returns the output and how many input bytes the
  /// stream used (data after its final block is not read).
  public static func inflate(_ input: [UInt8], expectedSize: Int? = nil, limit: Int) throws -> (output: [UInt8], consumed: Int) {
    try input.withUnsafeBufferPointer { try inflate($0, expectedSize: expectedSize, limit: limit) }
  }

  public static func inflate(_ input: UnsafeBufferPointer<UInt8>, expectedSize: Int? = nil, limit: Int) throws -> (output: [UInt8], consumed: Int) {
    var state = State(input: input, limit: limit, capacity: min(limit, expectedSize ?? max(input.count * 4, 1024)))
    defer { state.output.deallocate() }
    try state.run()
    let consumed = state.bits.position - state.bits.count / 8
    return (Array(UnsafeBufferPointer(start: state.output, count: state.outputCount)), consumed)
  }

  // MARK: - Tables of RFC 1951 §3.2.5

  static let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
  static let lengthExtra: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
  static let distanceBase: [UInt16] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  ]
  static let distanceExtra: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
  /// The order in which a dynamic block gives the code lengths of the code-length alphabet.
  static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

  /// The fixed literal/length code: 0–143 eight bits, 144–255 nine, 256–279 seven, 280–287 eight.
  static let fixedLengths: [UInt8] = (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 }
  static let fixedLiteral = try! Huffman(fixedLengths, incompleteAllowed: false)
  /// The fixed distance code: 30 symbols of five bits (with the two unused ones, 30 and 31, that
  /// complete it; the decoder refuses them).
  static let fixedDistance = try! Huffman([UInt8](repeating: 5, count: 32), incompleteAllowed: false)

  // MARK: - Bits

  /// Reads bits least significant first, as DEFLATE packs them.
  struct BitReader {
    let input: UnsafeBufferPointer<UInt8>
    /// The next byte to load into `buffer`.
    var position = 0
    var buffer: UInt64 = 0
    /// How many bits of `buffer` are loaded.
    var count = 0

    /// Loads bytes until at least 57 bits are buffered or the input ends.
    @inline(__always) mutating func refill() {
      while count <= 56, position < input.count {
        buffer |= UInt64(input[position]) << UInt64(count)
        position += 1
        count += 8
      }
    }

    func error(_ message: String) -> InflateError { InflateError(message: message, offset: max(0, position - count / 8)) }

    /// The next `n` bits (n ≤ 32).
    @inline(__always) mutating func bits(_ n: Int) throws -> Int {
      if count < n {
        refill()
        if count < n { throw error("the compressed data ends in the middle of a block") }
      }
      let value = Int(buffer & ((1 << UInt64(n)) - 1))
      buffer >>= UInt64(n)
      count -= n
      return value
    }

    /// Drops the bits up to the next byte boundary and gives the unread bytes back to the input.
    mutating func alignToByte() {
      let drop = count % 8
      buffer >>= UInt64(drop)
      count -= drop
      position -= count / 8
      buffer = 0
      count = 0
    }
  }

  // MARK: - Huffman codes

  /// A canonical Huffman code: a table indexed by the next `fastBits` bits for codes up to that
  /// long, and the counts per length and the symbols in code order for the longer ones.
  struct Huffman {
    static let fastBits = 10
    /// `symbol << 4 | length` for each `fastBits`-bit prefix whose code is that short; 0 otherwise.
    var fast = [UInt16](repeating: 0, count: 1 << fastBits)
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int] = []

    /// Builds the code of `lengths` (0: the symbol is not used). Over-subscribed codes are
    /// errors; incomplete ones too, unless `incompleteAllowed` and the code is a single symbol
    /// of one bit (RFC 1951 allows that for the distance code), or has no symbol at all.
    init(_ lengths: [UInt8], incompleteAllowed: Bool) throws {
      for length in lengths { counts[Int(length)] += 1 }
      counts[0] = 0
      var left = 1
      for length in 1...15 {
        left <<= 1
        left -= counts[length]
        if left < 0 { throw InflateError(message: "a Huffman code is over-subscribed", offset: 0) }
      }
      let used = counts.reduce(0, +)
      if left > 0, !(incompleteAllowed && (used == 0 || (used == 1 && counts[1] == 1))) {
        throw InflateError(message: "a Huffman code is incomplete", offset: 0)
      }
      var offsets = [Int](repeating: 0, count: 16)
      for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
      symbols = [Int](repeating: 0, count: used)
      for (symbol, length) in lengths.enumerated() where length != 0 {
        symbols[offsets[Int(length)]] = symbol
        offsets[Int(length)] += 1
      }
      // The fast table: codes in canonical order, each reversed (DEFLATE sends a code's most
      // significant bit first, the reader takes bits least significant first).
      var code = 0
      var index = 0
      for length in 1...15 {
        for _ in 0..<counts[length] {
          if length <= Huffman.fastBits {
            var reversed = 0
            for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            let entry = UInt16(symbols[index] << 4 | length)
            var slot = reversed
            while slot < 1 << Huffman.fastBits {
              fast[slot] = entry
              slot += 1 << length
            }
          }
          code += 1
          index += 1
        }
        code <<= 1
      }
    }

    /// The next symbol.
    @inline(__always) func decode(_ bits: inout BitReader) throws -> Int {
      if bits.count < 15 { bits.refill() }
      let entry = fast[Int(bits.buffer & UInt64((1 << Huffman.fastBits) - 1))]
      if entry != 0 {
        let length = Int(entry & 15)
        guard length <= bits.count else { throw bits.error("the compressed data ends in the middle of a block") }
        bits.buffer >>= UInt64(length)
        bits.count -= length
        return Int(entry >> 4)
      }
      // A longer code: one bit at a time (canonical decoding).
      var code = 0
      var first = 0
      var index = 0
      for length in 1...15 {
        guard bits.count > 0 else { throw bits.error("the compressed data ends in the middle of a block") }
        code |= Int(bits.buffer & 1)
        bits.buffer >>= 1
        bits.count -= 1
        let count = counts[length]
        if code - first < count { return symbols[index + code - first] }
        index += count
        first += count
        first <<= 1
        code <<= 1
      }
      throw bits.error("an invalid Huffman code")
    }
  }

  // MARK: - The decoder

  struct State {
    var bits: BitReader
    let limit: Int
    var output: UnsafeMutablePointer<UInt8>
    var outputCount = 0
    var capacity: Int

    /// `capacity` never exceeds `limit`, so that checking it checks the limit.
    init(input: UnsafeBufferPointer<UInt8>, limit: Int, capacity: Int) {
      bits = BitReader(input: input)
      self.limit = max(limit, 0)
      self.capacity = max(min(capacity, self.limit), 0)
      output = UnsafeMutablePointer<UInt8>.allocate(capacity: max(self.capacity, 1))
    }

    /// Makes room for `n` more bytes, within the limit.
    @inline(__always) mutating func reserve(_ n: Int) throws {
      let needed = outputCount + n
      guard needed <= limit else {
        throw bits.error("the data decompresses to more than \(limit) bytes")
      }
      if needed <= capacity { return }
      var newCapacity = capacity
      while newCapacity < needed { newCapacity = min(limit, max(newCapacity * 2, 16)) }
      let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
      grown.update(from: output, count: outputCount)
      output.deallocate()
      output = grown
      capacity = newCapacity
    }

    mutating func run() throws {
      var final = false
      while !final {
        final = try bits.bits(1) == 1
        switch try bits.bits(2) {
        case 0: try stored()
        case 1: try codes(literal: Inflate.fixedLiteral, distance: Inflate.fixedDistance)
        case 2:
          let (literal, distance) = try dynamicCodes()
          try codes(literal: literal, distance: distance)
        default: throw bits.error("an invalid block type (3)")
        }
      }
    }

    mutating func stored() throws {
      bits.alignToByte()
      let input = bits.input
      guard bits.position + 4 <= input.count else { throw bits.error("the compressed data ends in a stored block's header") }
      let length = Int(input[bits.position]) | Int(input[bits.position + 1]) << 8
      let check = Int(input[bits.position + 2]) | Int(input[bits.position + 3]) << 8
      guard length == ~check & 0xFFFF else { throw bits.error("a stored block's length does not match its check") }
      bits.position += 4
      guard bits.position + length <= input.count else { throw bits.error("the compressed data ends in a stored block") }
      try reserve(length)
      (output + outputCount).update(from: input.baseAddress! + bits.position, count: length)
      outputCount += length
      bits.position += length
    }

    mutating func dynamicCodes() throws -> (Huffman, Huffman) {
      let literalCount = try bits.bits(5) + 257
      let distanceCount = try bits.bits(5) + 1
      let codeLengthCount = try bits.bits(4) + 4
      guard literalCount <= 286 else { throw bits.error("a dynamic block declares \(literalCount) literal/length codes (at most 286)") }
      guard distanceCount <= 30 else { throw bits.error("a dynamic block declares \(distanceCount) distance codes (at most 30)") }
      var codeLengthLengths = [UInt8](repeating: 0, count: 19)
      for index in 0..<codeLengthCount { codeLengthLengths[Inflate.codeLengthOrder[index]] = UInt8(try bits.bits(3)) }
      let codeLengthCode: Huffman
      do { codeLengthCode = try Huffman(codeLengthLengths, incompleteAllowed: false) } catch let error as InflateError {
        throw bits.error(error.message + " (the code-length code)")
      }
      var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
      var index = 0
      while index < lengths.count {
        let symbol = try codeLengthCode.decode(&bits)
        if symbol < 16 {
          lengths[index] = UInt8(symbol)
          index += 1
          continue
        }
        var repeated: UInt8 = 0
        var times: Int
        switch symbol {
        case 16:
          guard index > 0 else { throw bits.error("a repeated code length with no length before it") }
          repeated = lengths[index - 1]
          times = 3 + (try bits.bits(2))
        case 17: times = 3 + (try bits.bits(3))
        default: times = 11 + (try bits.bits(7))
        }
        guard index + times <= lengths.count else { throw bits.error("code lengths run past the declared number of codes") }
        for _ in 0..<times {
          lengths[index] = repeated
          index += 1
        }
      }
      guard lengths[256] != 0 else { throw bits.error("a dynamic block has no end-of-block code") }
      do {
        let literal = try Huffman(Array(lengths[0..<literalCount]), incompleteAllowed: true)
        let distance = try Huffman(Array(lengths[literalCount...]), incompleteAllowed: true)
        return (literal, distance)
      } catch let error as InflateError {
        throw bits.error(error.message)
      }
    }

    mutating func codes(literal: Huffman, distance: Huffman) throws {
      while true {
        let symbol = try literal.decode(&bits)
        if symbol < 256 {
          if outputCount == capacity { try reserve(1) }
          output[outputCount] = UInt8(truncatingIfNeeded: symbol)
          outputCount += 1
          continue
        }
        if symbol == 256 { return }
        let lengthIndex = symbol - 257
        guard lengthIndex < 29 else { throw bits.error("an invalid length symbol (\(symbol))") }
        let length = Int(Inflate.lengthBase[lengthIndex]) + (try bits.bits(Int(Inflate.lengthExtra[lengthIndex])))
        let distanceSymbol = try distance.decode(&bits)
        guard distanceSymbol < 30 else { throw bits.error("an invalid distance symbol (\(distanceSymbol))") }
        let back = Int(Inflate.distanceBase[distanceSymbol]) + (try bits.bits(Int(Inflate.distanceExtra[distanceSymbol])))
        guard back <= outputCount else { throw bits.error("a distance (\(back)) reaches back before the start of the data") }
        try reserve(length)
        var from = outputCount - back
        if back >= length {
          (output + outputCount).update(from: output + from, count: length)
          outputCount += length
        } else {
          for _ in 0..<length {
            output[outputCount] = output[from]
            outputCount += 1
            from += 1
          }
        }
      }
    }
  }
}
