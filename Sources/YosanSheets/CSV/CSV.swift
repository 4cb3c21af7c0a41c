/// A CSV or TSV text that cannot be read: what is wrong, and where (1-based line and column of
/// the text, columns in characters; and the record and field, as a spreadsheet numbers rows and
/// columns).
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public var line: Int
  public var column: Int
  public var record: Int
  public var field: Int
  public var description: String { "line \(line), column \(column) (row \(record), cell \(CellReference.columnName(field))\(record)): \(message)" }
}

/// CSV as RFC 4180 describes it (and spreadsheets write it), with the delimiter as a parameter
/// (a comma; a tab for TSV). Records end with CRLF, LF or CR; a field that starts with `"` is
/// quoted and may hold delimiters, quotes (doubled) and line breaks. As spreadsheets read it, a
/// quote inside an unquoted field is a character. Text after a quoted field's closing quote,
/// and a quoted field never closed, are errors (the data cannot be meant).
public enum CSV {
  /// The records of UTF-8 `text`, each a list of fields. A line break inside a quoted field is
  /// kept as LF. The last line break does not start an empty record.
  public static func parse(_ text: [UInt8], delimiter: UInt8) throws -> [[String]] {
    try text.withUnsafeBufferPointer { bytes in
      var records: [[String]] = []
      var record: [String] = []
      var field: [UInt8] = []
      var i = 0
      var line = 1
      var lineStart = 0
      let n = bytes.count
      func error(_ message: String, at offset: Int, line: Int, lineStart: Int) -> CSVError {
        var column = 1
        var k = lineStart
        while k < offset {
          if bytes[k] & 0xC0 != 0x80 { column += 1 }
          k += 1
        }
        return CSVError(message: message, line: line, column: column, record: records.count + 1, field: record.count + 1)
      }
      func endField() {
        record.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
      }
      while i < n {
        // The start of a field.
        if bytes[i] == 0x22 {
          let quoteLine = line
          let quoteLineStart = lineStart
          let quoteOffset = i
          i += 1
          while true {
            guard i < n else {
              throw error("a quoted field is never closed; close it with `\"`, and write a quote inside it as `\"\"`", at: quoteOffset, line: quoteLine, lineStart: quoteLineStart)
            }
            let c = bytes[i]
            if c == 0x22 {
              if i + 1 < n, bytes[i + 1] == 0x22 {
                field.append(0x22)
                i += 2
                continue
              }
              i += 1
              break
            }
            if c == 0x0D || c == 0x0A {
              field.append(0x0A)
              i += c == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A ? 2 : 1
              line += 1
              lineStart = i
              continue
            }
            field.append(c)
            i += 1
          }
          if i < n, bytes[i] != delimiter, bytes[i] != 0x0D, bytes[i] != 0x0A {
            throw error("text after the closing quote of a quoted field; a quote inside it is written `\"\"`", at: i, line: line, lineStart: lineStart)
          }
        } else {
          while i < n, bytes[i] != delimiter, bytes[i] != 0x0D, bytes[i] != 0x0A {
            field.append(bytes[i])
            i += 1
          }
        }
        endField()
        guard i < n else { break }
        if bytes[i] == delimiter {
          i += 1
          if i == n { endField() }
          continue
        }
        // A line break ends the record.
        i += bytes[i] == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A ? 2 : 1
        line += 1
        lineStart = i
        records.append(record)
        record.removeAll(keepingCapacity: true)
      }
      if !record.isEmpty { records.append(record) }
      return records
    }
  }

  /// The delimiter of a text: a tab when its first record has more tabs than commas (outside
  /// quotes), a semicolon when it has only semicolons, else a comma.
  public static func guessDelimiter(_ text: [UInt8]) -> UInt8 {
    var tabs = 0
    var commas = 0
    var semicolons = 0
    var quoted = false
    for c in text {
      if c == 0x22 { quoted.toggle() }
      if quoted { continue }
      if c == 0x0A || c == 0x0D { break }
      if c == 0x09 { tabs += 1 } else if c == 0x2C { commas += 1 } else if c == 0x3B { semicolons += 1 }
    }
    if tabs > commas, tabs >= semicolons { return 0x09 }
    if commas == 0, semicolons > 0 { return 0x3B }
    return 0x2C
  }

  /// A field as RFC 4180 writes it: quoted when it holds the delimiter, a quote or a line
  /// break, quotes doubled.
  public static func field(_ text: String, delimiter: Unicode.Scalar = ",") -> String {
    let needsQuotes = text.unicodeScalars.contains { $0 == delimiter || $0 == "\"" || $0 == "\r" || $0 == "\n" }
    guard needsQuotes else { return text }
    var out = "\""
    for character in text.unicodeScalars {
      if character == "\"" { out += "\"\"" } else { out.unicodeScalars.append(character) }
    }
    return out + "\""
  }

  /// Appends the UTF-8 of a field as `field` writes it (an ASCII delimiter): for writers that
  /// build a whole file of records in one buffer.
  public static func appendField(_ text: String, to out: inout [UInt8], delimiter: UInt8 = 0x2C) {
    var text = text
    text.withUTF8 { bytes in
      guard bytes.contains(where: { $0 == delimiter || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else {
        out.append(contentsOf: bytes)
        return
      }
      out.append(0x22)
      for byte in bytes {
        if byte == 0x22 { out.append(0x22) }
        out.append(byte)
      }
      out.append(0x22)
    }
  }

  /// One record: the fields joined by the delimiter, ended by CRLF.
  public static func record(_ fields: [String], delimiter: Unicode.Scalar = ",") -> String {
    var out = ""
    for (index, text) in fields.enumerated() {
      if index > 0 { out.unicodeScalars.append(delimiter) }
      out += field(text, delimiter: delimiter)
    }
    return out + "\r\n"
  }
}
