import YosanSheets

extension FuzzChecks {
  /// ZIP and DEFLATE: arbitrary bytes read as an archive (every entry decompressed to exactly its
  /// recorded size, or refused with a message), as a workbook (every sheet), and as a raw
  /// DEFLATE stream, whose output, if it has one, must compress and decompress back to itself.
  public static func archive(_ bytes: [UInt8]) -> String? {
    var limits = ZipArchive.Limits()
    limits.entrySize = 16 << 20
    limits.totalSize = 64 << 20
    if let archive = try? ZipArchive(bytes, limits: limits) {
      for entry in archive.entries {
        guard let data = try? archive.data(of: entry) else { continue }
        if data.count != entry.size { return "`\(entry.name)` gave \(data.count) bytes; its recorded size is \(entry.size)" }
      }
    }
    if let reader = try? XLSXReader(bytes, limits: limits) {
      for index in reader.sheets.indices { _ = try? reader.sheet(at: index) }
    }
    if let (output, consumed) = try? Inflate.inflate(bytes, limit: 1 << 20) {
      if consumed > bytes.count { return "inflate used \(consumed) bytes of \(bytes.count)" }
      let again = Deflate.deflate(output)
      guard let back = try? Inflate.inflate(again, expectedSize: output.count, limit: output.count), back.output == output else {
        return "\(output.count) bytes did not come back through deflate and inflate"
      }
    }
    return nil
  }

  /// XML: arbitrary bytes read, or refused at a position inside the text; a document that reads
  /// is written back by `XMLWriter` and reads as the same tree.
  public static func xml(_ bytes: [UInt8]) -> String? {
    let root: XMLElement
    do {
      root = try XMLElement.parse(bytes)
    } catch let error as XMLError {
      // Line ends as XML has them: LF, CRLF, or a CR alone.
      var lines = 1
      for (index, byte) in bytes.enumerated() where byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) {
        lines += 1
      }
      if error.line < 1 || error.column < 1 || error.line > lines { return "error at \(error.line):\(error.column) outside \(lines) lines" }
      return nil
    } catch {
      return "an error that is not an XMLError: \(error)"
    }
    var writer = XMLWriter()
    write(root, into: &writer)
    guard let again = try? XMLElement.parse(writer.finished()) else { return "the document written back does not read" }
    return same(root, again) ? nil : "the document written back reads as another tree"
  }

  /// Writes an element with each namespace declared where it is used (a default namespace for
  /// the element, `a1`, `a2`, … for the attributes).
  static func write(_ element: XMLElement, into writer: inout XMLWriter) {
    var attributes: [(String, String)] = [("xmlns", element.name.namespace)]
    for (index, attribute) in element.attributes.enumerated() {
      if attribute.name.namespace.isEmpty {
        attributes.append((attribute.name.local, attribute.value))
      } else if attribute.name.namespace == XMLReader.xmlNamespace {
        attributes.append(("xml:" + attribute.name.local, attribute.value))
      } else {
        attributes.append(("xmlns:a\(index)", attribute.name.namespace))
        attributes.append(("a\(index):" + attribute.name.local, attribute.value))
      }
    }
    writer.start(element.name.local, attributes)
    writer.text(element.text)
    for child in element.children { write(child, into: &writer) }
    writer.end()
  }

  static func same(_ a: XMLElement, _ b: XMLElement) -> Bool {
    guard a.name == b.name, a.text == b.text, a.attributes == b.attributes, a.children.count == b.children.count else { return false }
    return zip(a.children, b.children).allSatisfy { same($0, $1) }
  }
}
