/// A readable dump of a tree: one line per node or token, indented by depth, tokens with their text.
///
/// ```
/// FILE@0..12
///   BLOCK@0..12
///     WORD@0..6 "予算"
/// ```
/// This is the format of the parser's golden files.
public enum TreeDump {
  public static func dump(_ root: GreenNode, text bytes: [UInt8]) -> String {
    var out = ""
    write(SyntaxNode(green: root, offset: 0), bytes: bytes, depth: 0, into: &out)
    return out
  }

  private static func write(_ node: SyntaxNode, bytes: [UInt8], depth: Int, into out: inout String) {
    let indent = String(repeating: "  ", count: depth)
    out += "\(indent)\(node.kind)@\(node.range.start)..\(node.range.end)"
    if let code = node.green.errorCode { out += " !\(code)" }
    out += "\n"
    for child in node.children {
      switch child {
      case .node(let inner):
        write(inner, bytes: bytes, depth: depth + 1, into: &out)
      case .token(let token):
        let text = String(decoding: bytes[token.range.start..<token.range.end], as: UTF8.self)
        out += "\(indent)  \(token.kind)@\(token.range.start)..\(token.range.end) \(quote(text))\n"
      }
    }
  }

  /// Quotes text so that line breaks, tabs and quotes stay on one line.
  static func quote(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          result += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}

extension GreenNode {
  /// The bytes of the tree: the concatenation of its tokens' text, taken from `source`.
  /// Because the tree is lossless, this equals `source` for a root parsed from it.
  public func reconstructText(from source: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(textLength)
    SyntaxNode(green: self, offset: 0).forEachToken { token in
      out.append(contentsOf: source[token.range.start..<token.range.end])
    }
    return out
  }
}
