import YosanJSON

/// The bytes of an HTML document, written once from start to end: markup as it is, text from a
/// budget file escaped (`text`), strings in embedded JSON (`json`), numbers. Escaping copies the
/// runs of bytes that need nothing, so a report of 100,000 items is written in linear time
/// without a string per cell.
struct HTMLWriter {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int) { bytes.reserveCapacity(capacity) }

  /// Markup, as it is.
  static func += (writer: inout HTMLWriter, markup: String) { writer.raw(markup) }

  mutating func raw(_ markup: String) {
    var markup = markup
    markup.withUTF8 { bytes.append(contentsOf: $0) }
  }

  /// Text for HTML content and attribute values: `&`, `<`, `>`, `"` and `'` as entities, control
  /// characters (which HTML does not allow: C0 but tab and line feed, DEL, C1) as U+FFFD.
  mutating func text(_ text: String) {
    var text = text
    text.withUTF8 { source in
      var run = 0
      var index = 0
      func replace(_ replacement: StaticString, skipping count: Int) {
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[run..<index]))
        bytes.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
        index += count
        run = index
      }
      while index < source.count {
        switch source[index] {
        case 0x26: replace("&amp;", skipping: 1)
        case 0x3C: replace("&lt;", skipping: 1)
        case 0x3E: replace("&gt;", skipping: 1)
        case 0x22: replace("&quot;", skipping: 1)
        case 0x27: replace("&#39;", skipping: 1)
        case 0x09, 0x0A: index += 1
        case 0x00..<0x20, 0x7F: replace("\u{FFFD}", skipping: 1)
        // U+0080 to U+009F are C2 80 to C2 9F in UTF-8.
        case 0xC2 where index + 1 < source.count && (0x80..<0xA0).contains(source[index + 1]): replace("\u{FFFD}", skipping: 2)
        default: index += 1
        }
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[run...]))
    }
  }

  /// A JSON string literal that can stand in a `<script>` element: `<`, `>` and `&` escaped too,
  /// so that no text can end the element or start a comment.
  mutating func json(_ string: String) { JSON.writeString(string, into: &bytes, forScript: true) }

  mutating func int(_ value: Int) { raw(String(value)) }

  /// A coordinate of a chart to a tenth of a unit, without a trailing `.0`: `12`, `3.5`, `-0.4`.
  mutating func coordinate(_ value: Double) {
    guard value.isFinite, abs(value) < 1e15 else { return bytes.append(UInt8(ascii: "0")) }
    let tenths = Int((value * 10).rounded())
    if tenths < 0 { bytes.append(UInt8(ascii: "-")) }
    raw(String(tenths.magnitude / 10))
    if tenths % 10 != 0 {
      bytes.append(UInt8(ascii: "."))
      bytes.append(UInt8(ascii: "0") + UInt8(tenths.magnitude % 10))
    }
  }
}
