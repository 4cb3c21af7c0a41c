/// Writes XML 1.0 in UTF-8: a declaration, elements, attributes and text, escaped so that any
/// reader gets back exactly the text given. `&`, `<` and `>` are escaped everywhere, `"` and tab
/// and line ends in attribute values (which readers would otherwise turn into spaces); a CR in
/// text is written `&#13;` (readers turn a literal one into LF). Characters that XML 1.0 cannot
/// hold at all (control characters but tab, LF and CR; U+FFFE, U+FFFF) are written as U+FFFD:
/// callers with their own convention for them (SpreadsheetML's `_xHHHH_`) encode them first.
public struct XMLWriter {
  public private(set) var bytes: [UInt8] = []
  var open: [String] = []

  public init(declaration: Bool = true) {
    if declaration { raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n") }
  }

  public mutating func start(_ name: String, _ attributes: [(String, String)] = []) {
    tag(name, attributes)
    bytes.append(0x3E)
    open.append(name)
  }

  public mutating func end() {
    let name = open.removeLast()
    raw("</")
    raw(name)
    bytes.append(0x3E)
  }

  /// `<name attributes/>`.
  public mutating func empty(_ name: String, _ attributes: [(String, String)] = []) {
    tag(name, attributes)
    raw("/>")
  }

  /// `<name attributes>text</name>`.
  public mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String) {
    start(name, attributes)
    self.text(text)
    end()
  }

  public mutating func text(_ text: String) {
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": raw("&amp;")
      case "<": raw("&lt;")
      case ">": raw("&gt;")
      case "\r": raw("&#13;")
      default: append(scalar)
      }
    }
  }

  /// Everything written so far; the open elements must all be closed.
  public func finished() -> [UInt8] {
    precondition(open.isEmpty, "XMLWriter: \(open) not closed")
    return bytes
  }

  mutating func tag(_ name: String, _ attributes: [(String, String)]) {
    bytes.append(0x3C)
    raw(name)
    for (key, value) in attributes {
      bytes.append(0x20)
      raw(key)
      raw("=\"")
      for scalar in value.unicodeScalars {
        switch scalar {
        case "&": raw("&amp;")
        case "<": raw("&lt;")
        case ">": raw("&gt;")
        case "\"": raw("&quot;")
        case "\t": raw("&#9;")
        case "\n": raw("&#10;")
        case "\r": raw("&#13;")
        default: append(scalar)
        }
      }
      bytes.append(0x22)
    }
  }

  @inline(__always) mutating func append(_ scalar: Unicode.Scalar) {
    if XMLWriter.isAllowed(scalar) {
      bytes.append(contentsOf: UTF8.encode(scalar)!)
    } else {
      bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
    }
  }

  /// Whether XML 1.0 can hold the character.
  public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    return v == 0x09 || v == 0x0A || v == 0x0D || (v >= 0x20 && v != 0xFFFE && v != 0xFFFF)
  }

  /// Markup written as it is: the caller guarantees that it is well-formed and escaped.
  public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

  /// Markup written as it is, as bytes.
  public mutating func raw(bytes markup: [UInt8]) { bytes.append(contentsOf: markup) }

  /// Markup written as it is, by `body` straight into the output.
  public mutating func raw(_ body: (inout [UInt8]) throws -> Void) rethrows { try body(&bytes) }
}

extension Array<UInt8> {
  /// Appends the bytes of `literal`.
  @inline(__always) mutating func append(_ literal: StaticString) {
    append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
  }

  /// Appends `n` (≥ 0) in decimal digits.
  @inline(__always) mutating func appendDecimal(_ n: Int) {
    precondition(n >= 0)
    if n < 10 {
      append(UInt8(0x30 + n))
      return
    }
    var width = 1
    var shifted = n / 10
    while shifted > 0 {
      width += 1
      shifted /= 10
    }
    let end = count + width
    append(contentsOf: repeatElement(0x30, count: width))
    var rest = n
    var k = end - 1
    while rest > 0 {
      self[k] = UInt8(0x30 + rest % 10)
      rest /= 10
      k -= 1
    }
  }
}
