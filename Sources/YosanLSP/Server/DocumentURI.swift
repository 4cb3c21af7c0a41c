/// `file:` URIs and the paths the core and the file system use.
///
/// A document is known to the analysis by its path (for messages and configuration lookup); the
/// client knows it by its URI. Non-file URIs (`untitled:…`) are their own path.
enum DocumentURI {
  /// The file-system path of a `file:` URI (percent-decoded), or nil for other schemes.
  static func filePath(_ uri: String) -> String? {
    guard uri.lowercased().hasPrefix("file://") else { return nil }
    var rest = Substring(uri.dropFirst(7))
    // The authority: empty or `localhost`.
    if !rest.hasPrefix("/") {
      guard let slash = rest.firstIndex(of: "/") else { return nil }
      guard rest[rest.startIndex..<slash].lowercased() == "localhost" else { return nil }
      rest = rest[slash...]
    }
    if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }
    return percentDecoded(String(rest))
  }

  /// The path the analysis knows a document by.
  static func sessionPath(_ uri: String) -> String { filePath(uri) ?? uri }

  /// The `file:` URI of a path, percent-encoding everything but unreserved characters and `/`.
  static func fileURI(_ path: String) -> String {
    var out = "file://"
    for byte in path.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
      }
    }
    return out
  }

  static func percentDecoded(_ text: String) -> String {
    var bytes: [UInt8] = []
    let utf8 = Array(text.utf8)
    var index = 0
    while index < utf8.count {
      if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count, let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
        bytes.append(high << 4 | low)
        index += 3
      } else {
        bytes.append(utf8[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - 0x30
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - 0x61 + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - 0x41 + 10
    default: return nil
    }
  }
}
