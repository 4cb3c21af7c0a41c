import YosanCore
import YosanSyntax

/// The encoding `--encoding` says the input files are in. Yosan's files are UTF-8; a file saved
/// as Shift_JIS (CP932) is read by converting it first, with the one CP932 codec (`CP932`).
enum InputEncoding: Equatable {
  case utf8, cp932

  /// The names `--encoding` takes (case does not matter).
  static let names: [String: InputEncoding] = [
    "utf-8": .utf8, "utf8": .utf8, "cp932": .cp932, "shift_jis": .cp932, "shift-jis": .cp932, "sjis": .cp932, "windows-31j": .cp932,
    "ms932": .cp932,
  ]

  /// The encoding named by `--encoding NAME` of `command`, or a usage error.
  static func parse(_ name: String?, command: String) throws -> InputEncoding {
    guard let name else { return .utf8 }
    guard let encoding = names[name.lowercased()] else {
      throw UsageError("yosan \(command): unknown encoding `\(name)`; use utf-8 or cp932 (Shift_JIS)")
    }
    return encoding
  }

  /// The UTF-8 text of a file's `bytes`, read in this encoding, and a note when they were kept as
  /// they are. A file already in UTF-8 (with any character beyond ASCII) is not converted:
  /// reading UTF-8 as CP932 would garble it.
  func decode(_ bytes: [UInt8], path: String) throws(IOError) -> (text: [UInt8], note: String?) {
    guard self == .cp932 else { return (bytes, nil) }
    let valid = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid($0) } == nil
    if valid {
      let ascii = !bytes.contains { $0 >= 0x80 }
      return (bytes, ascii ? nil : "yosan: \(path): already UTF-8, read as UTF-8 (not converted from CP932)")
    }
    switch CP932.decode(bytes) {
    case .success(let text): return (text, nil)
    case .failure(let error):
      let line = bytes[..<error.offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
      let hex = String(bytes[error.offset], radix: 16, uppercase: true)
      throw IOError(
        path: path,
        reason: "not CP932 (Shift_JIS) text: byte 0x\(hex.count == 1 ? "0" : "")\(hex) on line \(line) is not a CP932 character; the file is left as it is")
    }
  }
}
