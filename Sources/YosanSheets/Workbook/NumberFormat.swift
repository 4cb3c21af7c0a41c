/// What a SpreadsheetML number format code (ECMA-376 Part 1, §18.8.31) says about the numbers it
/// shows, as far as reading them back needs: whether it shows a date, how many decimals and
/// which literal text (a unit such as `"億円"`) its first section shows, and whether it is a
/// percentage.
public struct NumberFormat: Equatable, Sendable {
  public let code: String
  public let isDate: Bool
  public let isPercent: Bool
  /// Digits after the decimal point in the first (positive) section; nil for General.
  public let decimals: Int?
  /// The literal text of the first section, quoted (`"億円"`) or escaped (`\円`), in order.
  public let literals: [String]

  public init(code: String) {
    self.code = code
    var isDate = false
    var isPercent = false
    var decimals: Int?
    var literals: [String] = []
    let scalars = Array(code.unicodeScalars)
    var i = 0
    var afterPoint = false
    var inExponent = false
    var sawDigitPlaceholder = false
    var count = 0
    // Only the first section (up to an unquoted `;`) describes positive numbers.
    sectionLoop: while i < scalars.count {
      let c = scalars[i]
      switch c {
      case ";": break sectionLoop
      case "\"":
        var literal = ""
        i += 1
        while i < scalars.count, scalars[i] != "\"" {
          literal.unicodeScalars.append(scalars[i])
          i += 1
        }
        if !literal.isEmpty { literals.append(literal) }
      case "\\":
        if i + 1 < scalars.count {
          literals.append(String(scalars[i + 1]))
          i += 1
        }
      case "_", "*":
        i += 1  // a padding or fill character follows
      case "[":
        // [Red], [$-411], [DBNum1], [h] (elapsed hours: a time), [>=100]
        var content = ""
        i += 1
        while i < scalars.count, scalars[i] != "]" {
          content.unicodeScalars.append(scalars[i])
          i += 1
        }
        let lower = content.lowercased()
        if !lower.isEmpty, lower.allSatisfy({ $0 == "h" || $0 == "m" || $0 == "s" }) { isDate = true }
      case "0", "#", "?":
        sawDigitPlaceholder = true
        if afterPoint, !inExponent { count += 1 }
      case ".":
        if sawDigitPlaceholder || (i + 1 < scalars.count && "0#?".unicodeScalars.contains(scalars[i + 1])) { afterPoint = true }
      case "%":
        isPercent = true
      case "E", "e":
        if i + 1 < scalars.count, scalars[i + 1] == "+" || scalars[i + 1] == "-" {
          i += 1  // scientific notation: the exponent's digits are not decimals
          inExponent = true
        } else {
          isDate = true  // e: the year of the era
        }
      case "y", "Y", "m", "M", "d", "D", "h", "H", "s", "S", "g", "G", "a", "A", "b", "B":
        // Date and time tokens (g: the era's name, b: the Buddhist year). `General`, `AM/PM`
        // are words of their own.
        if NumberFormat.matches(scalars, i, "General") || NumberFormat.matches(scalars, i, "general") || NumberFormat.matches(scalars, i, "GENERAL") {
          i += 7
          continue
        }
        if c == "a" || c == "A" {
          if NumberFormat.matches(scalars, i, "AM/PM") || NumberFormat.matches(scalars, i, "am/pm") || NumberFormat.matches(scalars, i, "A/P") || NumberFormat.matches(scalars, i, "a/p") {
            isDate = true
          }
        } else if c == "b" || c == "B" {
          if i + 1 < scalars.count, scalars[i + 1] == "b" || scalars[i + 1] == "B" { isDate = true }
        } else {
          isDate = true
        }
      default:
        break
      }
      i += 1
    }
    if sawDigitPlaceholder { decimals = count }
    self.isDate = isDate
    self.isPercent = isPercent && !isDate
    self.decimals = isDate ? nil : decimals
    self.literals = literals
  }

  static func matches(_ scalars: [Unicode.Scalar], _ i: Int, _ word: String) -> Bool {
    let w = Array(word.unicodeScalars)
    guard i + w.count <= scalars.count else { return false }
    return Array(scalars[i..<i + w.count]) == w
  }

  /// The codes of the built-in formats (ECMA-376 Part 1, §18.8.30) that matter when reading:
  /// the numeric ones and the dates, including the Japanese (ja-JP) date formats 27–36 and 50–58
  /// (their codes stand for any date format).
  public static func builtIn(_ id: Int) -> String? {
    switch id {
    case 0: return nil
    case 1: return "0"
    case 2: return "0.00"
    case 3: return "#,##0"
    case 4: return "#,##0.00"
    case 5, 6: return "\"¥\"#,##0;\"¥\"\\-#,##0"
    case 7, 8: return "\"¥\"#,##0.00;\"¥\"\\-#,##0.00"
    case 9: return "0%"
    case 10: return "0.00%"
    case 11: return "0.00E+00"
    case 12: return "# ?/?"
    case 13: return "# ??/??"
    case 14: return "yyyy/m/d"
    case 15: return "d-mmm-yy"
    case 16: return "d-mmm"
    case 17: return "mmm-yy"
    case 18: return "h:mm AM/PM"
    case 19: return "h:mm:ss AM/PM"
    case 20: return "h:mm"
    case 21: return "h:mm:ss"
    case 22: return "yyyy/m/d h:mm"
    case 27...36, 50...58: return "[$-411]ggge\"年\"m\"月\"d\"日\""
    case 37: return "#,##0 ;(#,##0)"
    case 38: return "#,##0 ;[Red](#,##0)"
    case 39: return "#,##0.00;(#,##0.00)"
    case 40: return "#,##0.00;[Red](#,##0.00)"
    case 45: return "mm:ss"
    case 46: return "[h]:mm:ss"
    case 47: return "mmss.0"
    case 48: return "##0.0E+0"
    case 49: return "@"
    default: return nil
    }
  }
}

/// Numbers as exact decimal text.
public enum DecimalText {
  /// The most significant digits a spreadsheet keeps (IEEE doubles shown as Excel shows them).
  public static let spreadsheetDigits = 15

  /// Plain decimal text (`-12.5`, `790000000`, `0.3`) of a number as SpreadsheetML stores it
  /// (`7.9E+8`, `0.30000000000000004`), rounded half away from zero to `significantDigits`
  /// (nil: exactly); nil when the text is not a number.
  public static func normalize(_ text: String, significantDigits: Int? = spreadsheetDigits) -> String? {
    if isAlreadyNormal(text, significantDigits: significantDigits) { return text }
    let scalars = Array(text.unicodeScalars)
    var i = 0
    var negative = false
    if i < scalars.count, scalars[i] == "-" || scalars[i] == "+" {
      negative = scalars[i] == "-"
      i += 1
    }
    var digits: [UInt8] = []
    var pointPosition: Int?
    var sawDigit = false
    while i < scalars.count {
      let c = scalars[i]
      if c.value >= 48, c.value <= 57 {
        sawDigit = true
        if digits.isEmpty, c == "0" {
          // A leading zero: only moves the point.
          if pointPosition != nil { pointPosition! -= 1 }
        } else {
          digits.append(UInt8(c.value - 48))
        }
      } else if c == ".", pointPosition == nil {
        pointPosition = digits.count
      } else {
        break
      }
      i += 1
    }
    guard sawDigit else { return nil }
    // The point sits after `point` digits of `digits` (negative: zeros before them).
    var point = pointPosition.map { $0 } ?? digits.count
    if pointPosition != nil, digits.isEmpty { point = 0 }
    if i < scalars.count {
      guard scalars[i] == "E" || scalars[i] == "e" else { return nil }
      i += 1
      var exponentNegative = false
      if i < scalars.count, scalars[i] == "-" || scalars[i] == "+" {
        exponentNegative = scalars[i] == "-"
        i += 1
      }
      var exponent = 0
      var sawExponentDigit = false
      while i < scalars.count, scalars[i].value >= 48, scalars[i].value <= 57 {
        exponent = exponent * 10 + Int(scalars[i].value - 48)
        sawExponentDigit = true
        guard exponent <= 400 else { return nil }
        i += 1
      }
      guard sawExponentDigit, i == scalars.count else { return nil }
      point += exponentNegative ? -exponent : exponent
    }
    if pointPosition == nil, digits.isEmpty { return "0" }
    if digits.isEmpty { return "0" }
    if let significantDigits, digits.count > significantDigits {
      let roundUp = digits[significantDigits] >= 5
      digits.removeLast(digits.count - significantDigits)
      if roundUp {
        var k = digits.count - 1
        while k >= 0 {
          if digits[k] == 9 {
            digits[k] = 0
            k -= 1
          } else {
            digits[k] += 1
            break
          }
        }
        if k < 0 {
          digits.insert(1, at: 0)
          point += 1
        }
      }
    }
    // Drop trailing zeros after the point.
    while let last = digits.last, last == 0, digits.count > max(point, 0) { digits.removeLast() }
    if digits.isEmpty { return "0" }
    var out = negative ? "-" : ""
    if point <= 0 {
      out += "0." + String(repeating: "0", count: -point)
      for d in digits { out.unicodeScalars.append(Unicode.Scalar(48 + d)) }
    } else {
      for (index, d) in digits.enumerated() {
        if index == point { out += "." }
        out.unicodeScalars.append(Unicode.Scalar(48 + d))
      }
      if point > digits.count { out += String(repeating: "0", count: point - digits.count) }
    }
    return out
  }

  /// Whether `normalize` would give `text` back as it is: `-`, then digits without a leading
  /// zero (but a lone `0` before the point), then `.` and digits not ending in `0`, at most
  /// `significantDigits` significant ones. What spreadsheets store is mostly this.
  static func isAlreadyNormal(_ text: String, significantDigits: Int?) -> Bool {
    var utf8 = Substring(text).utf8[...]
    if utf8.first == 0x2D { utf8 = utf8.dropFirst() }
    guard let first = utf8.first, first >= 0x30, first <= 0x39 else { return false }
    var significant = 0
    var sawPoint = false
    var leadingZeros = true
    var previous: UInt8 = 0
    var index = 0
    for byte in utf8 {
      if byte == 0x2E {
        guard !sawPoint, index > 0 else { return false }
        sawPoint = true
      } else if byte >= 0x30, byte <= 0x39 {
        if byte == 0x30, index == 0 {
          // A leading zero is only allowed as `0` or `0.…`.
          if utf8.count > 1 && utf8[utf8.index(after: utf8.startIndex)] != 0x2E { return false }
        } else if byte != 0x30 || !leadingZeros {
          leadingZeros = false
          significant += 1
        }
      } else {
        return false
      }
      previous = byte
      index += 1
    }
    if sawPoint, previous == 0x30 || previous == 0x2E { return false }
    if leadingZeros { return false }  // zero itself: `0`, `-0`, `0.0`
    return significant <= (significantDigits ?? Int.max)
  }

  /// Whether `text` is plain decimal text as `normalize` gives it (what a sheet may store).
  public static func isPlain(_ text: String) -> Bool {
    // Its UTF-8: every character it may hold is ASCII.
    var bytes = Substring(text).utf8[...]
    if bytes.first == 0x2D { bytes = bytes.dropFirst() }  // -
    guard let first = bytes.first, first != 0x2E else { return false }
    var sawPoint = false
    var sawDigit = false
    for c in bytes {
      if c == 0x2E, !sawPoint {
        sawPoint = true
      } else if c >= 0x30, c <= 0x39 {
        sawDigit = true
      } else {
        return false
      }
    }
    return sawDigit && bytes.last != 0x2E
  }

  /// The date (and time) of a spreadsheet serial number: days since 1899-12-30 (the 1900 date
  /// system, in which Excel counts a 29 February 1900 that never was: serial 60), or since
  /// 1904-01-01. Nil outside years 1900–9999.
  public static func date(serial text: String, date1904: Bool) -> String? {
    guard let plain = normalize(text, significantDigits: nil) else { return nil }
    let negative = plain.hasPrefix("-")
    guard !negative else { return nil }
    let parts = plain.split(separator: ".", maxSplits: 1)
    guard let days = Int(parts[0]), days < 3_000_000 else { return nil }
    var seconds = 0
    if parts.count == 2 {
      // The fraction of a day, to the nearest second.
      let fraction = String(parts[1].prefix(12))
      let scale = fraction.count
      var numerator = Int(fraction) ?? 0
      var denominator = 1
      for _ in 0..<scale { denominator *= 10 }
      numerator *= 86_400
      seconds = (numerator + denominator / 2) / denominator
    }
    var day = days
    if seconds >= 86_400 {
      day += 1
      seconds -= 86_400
    }
    // Days since 1970-01-01 of the serial's day.
    var unixDays: Int
    if date1904 {
      unixDays = day - 24_107
    } else {
      if day == 60 { return "1900-02-29" + time(seconds) }
      if day == 0 { return nil }
      unixDays = day - (day < 60 ? 25_568 : 25_569)
    }
    let (year, month, dayOfMonth) = civil(fromDays: unixDays)
    guard year >= 1900, year <= 9999 else { return nil }
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(year)-\(two(month))-\(two(dayOfMonth))" + time(seconds)
  }

  static func time(_ seconds: Int) -> String {
    guard seconds > 0 else { return "" }
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
  }

  /// The proleptic Gregorian date of a count of days since 1970-01-01 (Howard Hinnant's
  /// algorithm).
  static func civil(fromDays days: Int) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
  }
}
