import YosanSyntax

/// The encodings a CSV or TSV file comes in: UTF-8 (with or without a byte order mark), CP932
/// (Microsoft's Shift_JIS, what Excel on a Japanese system saves "CSV" in), and UTF-16 with a
/// byte order mark (Excel's "Unicode text").
public enum TextEncoding: String, Sendable, CaseIterable {
  case utf8 = "utf-8"
  case cp932 = "cp932"
  case utf16 = "utf-16"

  /// The encoding a user names: `utf-8`/`utf8`, `cp932`/`shift_jis`/`sjis`/`windows-31j`,
  /// `utf-16`; nil for any other name.
  public init?(name: String) {
    switch name.lowercased().replacing("_", with: "-") {
    case "utf-8", "utf8": self = .utf8
    case "cp932", "shift-jis", "sjis", "windows-31j", "ms932", "cp-932": self = .cp932
    case "utf-16", "utf16": self = .utf16
    default: return nil
    }
  }
}

/// Text that cannot be decoded: what, and where (1-based line and column of the byte).
public struct TextDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public var line: Int
  public var column: Int
  public var description: String { "line \(line), column \(column): \(message)" }
}

public enum TextDecoding {
  /// UTF-8 bytes of a text file, without its byte order mark, and the encoding it was in.
  /// Without `encoding`: a byte order mark decides (UTF-8 or UTF-16); else valid UTF-8 is UTF-8;
  /// else text that decodes as CP932 is CP932; anything else is an error at the first byte that is
  /// not UTF-8.
  public static func decode(_ bytes: [UInt8], as encoding: TextEncoding? = nil) throws -> (text: [UInt8], encoding: TextEncoding) {
    let utf16BOM = bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))
    let utf8BOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    switch encoding ?? (utf16BOM ? .utf16 : nil) {
    case .utf16?:
      guard utf16BOM else {
        throw TextDecodingError(message: "UTF-16 text must start with a byte order mark (FF FE or FE FF)", line: 1, column: 1)
      }
      let little = bytes[0] == 0xFF
      var units: [UInt16] = []
      units.reserveCapacity(bytes.count / 2)
      var i = 2
      while i + 1 < bytes.count {
        units.append(little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
        i += 2
      }
      var output: [UInt8] = []
      output.reserveCapacity(units.count * 2)
      let failed = transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: true) { output.append($0) }
      if failed || bytes.count % 2 != 0 {
        throw TextDecodingError(message: "the text is not valid UTF-16 (after \(output.count) bytes of text)", line: 1 + output.filter { $0 == 0x0A }.count, column: 1)
      }
      return (output, .utf16)
    case .cp932?:
      switch CP932.decode(bytes) {
      case .success(let text): return (text, .cp932)
      case .failure(let error):
        let (line, column) = position(of: error.offset, in: bytes, cp932: true)
        throw TextDecodingError(message: "byte 0x\(hex(bytes[error.offset])) is not CP932 (Shift_JIS) text", line: line, column: column)
      }
    case .utf8?:
      let start = utf8BOM ? 3 : 0
      if let bad = invalidUTF8(bytes, from: start) {
        let (line, column) = position(of: bad, in: bytes, cp932: false)
        throw TextDecodingError(message: "byte 0x\(hex(bytes[bad])) is not UTF-8 text", line: line, column: column)
      }
      return (start == 0 ? bytes : Array(bytes[start...]), .utf8)
    case nil:
      if utf8BOM { return try decode(bytes, as: .utf8) }
      guard let bad = invalidUTF8(bytes, from: 0) else { return (bytes, .utf8) }
      if CP932.looksLikeCP932(bytes) { return try decode(bytes, as: .cp932) }
      let (line, column) = position(of: bad, in: bytes, cp932: false)
      throw TextDecodingError(
        message: "byte 0x\(hex(bytes[bad])) is neither UTF-8 nor CP932 (Shift_JIS) text; name the encoding with --encoding", line: line, column: column)
    }
  }

  static func hex(_ byte: UInt8) -> String {
    let text = String(byte, radix: 16, uppercase: true)
    return text.count == 1 ? "0" + text : text
  }

  /// The offset of the first byte that does not belong to valid UTF-8 (overlong forms and
  /// surrogates included), or nil.
  static func invalidUTF8(_ bytes: [UInt8], from start: Int) -> Int? {
    bytes.withUnsafeBufferPointer { b in
      var i = start
      let n = b.count
      let raw = UnsafeRawPointer(b.baseAddress)
      while i < n {
        // Eight ASCII bytes at a time (most of an office document's XML).
        while i + 8 <= n, raw!.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
        guard i < n else { break }
        let c = b[i]
        if c < 0x80 {
          i += 1
          continue
        }
        var length = 0
        var minimum: UInt32 = 0
        var value: UInt32 = 0
        switch c {
        case 0xC2...0xDF: (length, value, minimum) = (2, UInt32(c & 0x1F), 0x80)
        case 0xE0...0xEF: (length, value, minimum) = (3, UInt32(c & 0x0F), 0x800)
        case 0xF0...0xF4: (length, value, minimum) = (4, UInt32(c & 0x07), 0x10000)
        default: return i
        }
        guard i + length <= n else { return i }
        for k in 1..<length {
          let next = b[i + k]
          guard next & 0xC0 == 0x80 else { return i }
          value = value << 6 | UInt32(next & 0x3F)
        }
        if value < minimum || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return i }
        i += length
      }
      return nil
    }
  }

  /// The 1-based line and column of a byte offset; columns count characters (two-byte CP932
  /// characters as one).
  static func position(of offset: Int, in bytes: [UInt8], cp932: Bool) -> (Int, Int) {
    bytes.withUnsafeBufferPointer { position(of: offset, in: $0, cp932: cp932) }
  }

  static func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, cp932: Bool) -> (Int, Int) {
    var line = 1
    var column = 1
    var i = 0
    while i < min(offset, bytes.count) {
      let c = bytes[i]
      if c == 0x0A || (c == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) {
        line += 1
        column = 1
        i += 1
        continue
      }
      if cp932 {
        i += (0x81...0x9F).contains(c) || (0xE0...0xFC).contains(c) ? 2 : 1
        column += 1
        continue
      }
      if c & 0xC0 != 0x80 { column += 1 }
      i += 1
    }
    return (line, column)
  }
}
