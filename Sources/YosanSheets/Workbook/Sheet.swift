/// What a cell holds.
public enum CellValue: Equatable, Hashable, Sendable {
  case empty
  case text(String)
  /// A number as exact decimal text without exponent or grouping: `790000000`, `-12.5`, `0.3`.
  case number(String)
  case bool(Bool)
  /// A date, or a date and time, in ISO 8601: `2025-04-01`, `2025-04-01T09:30:00`.
  case date(String)
  /// An error value of a formula: `#N/A`, `#REF!`.
  case error(String)

  /// The text a spreadsheet shows for the value, without its number format.
  public var plainText: String {
    switch self {
    case .empty: return ""
    case .text(let text), .number(let text), .date(let text), .error(let text): return text
    case .bool(let value): return value ? "TRUE" : "FALSE"
    }
  }
}

/// A cell: its value and, for numbers and dates read from a workbook, the number format code
/// that says how it is shown (`#,##0.0"億円"`, `0%`, `yyyy/m/d`); nil for General or none.
public struct Cell: Equatable, Hashable, Sendable {
  public var value: CellValue
  public var format: String?

  public init(_ value: CellValue, format: String? = nil) {
    self.value = value
    self.format = format
  }

  public static let empty = Cell(.empty)
}

/// One row of a sheet: its 1-based number and its non-empty cells by 1-based column, in order.
public struct SheetRow: Equatable, Sendable {
  public var number: Int
  public var columns: [Int]
  public var cells: [Cell]

  public init(number: Int, columns: [Int] = [], cells: [Cell] = []) {
    self.number = number
    self.columns = columns
    self.cells = cells
  }

  /// The cell in a column (1-based), or an empty one.
  public subscript(column: Int) -> Cell {
    var low = 0
    var high = columns.count
    while low < high {
      let middle = (low + high) / 2
      if columns[middle] < column { low = middle + 1 } else { high = middle }
    }
    return low < columns.count && columns[low] == column ? cells[low] : .empty
  }

  /// Whether the row has a cell in a column (its cells are the non-empty ones): without
  /// copying the cell out.
  public func has(column: Int) -> Bool {
    var low = 0
    var high = columns.count
    while low < high {
      let middle = (low + high) / 2
      if columns[middle] < column { low = middle + 1 } else { high = middle }
    }
    return low < columns.count && columns[low] == column
  }

  public mutating func append(column: Int, _ cell: Cell) {
    columns.append(column)
    cells.append(cell)
  }

  public var lastColumn: Int { columns.last ?? 0 }
}

/// A sheet: a name and its rows with content, in order (rows that hold nothing are left out).
public struct Sheet: Equatable, Sendable {
  public var name: String
  public var rows: [SheetRow]

  public init(name: String, rows: [SheetRow]) {
    self.name = name
    self.rows = rows
  }

  /// A sheet of text records, as read from CSV: row N is record N, an empty field an empty cell.
  public init(name: String, records: [[String]]) {
    self.name = name
    rows = []
    rows.reserveCapacity(records.count)
    for (index, record) in records.enumerated() {
      var row = SheetRow(number: index + 1)
      for (column, field) in record.enumerated() where !field.isEmpty { row.append(column: column + 1, Cell(.text(field))) }
      if !row.columns.isEmpty { rows.append(row) }
    }
  }
}

/// A1-style cell references.
public enum CellReference {
  /// The letters of a 1-based column: 1 → `A`, 27 → `AA`.
  public static func columnName(_ column: Int) -> String {
    var n = max(column, 1)
    var letters: [Character] = []
    while n > 0 {
      let remainder = (n - 1) % 26
      letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
      n = (n - 1) / 26
    }
    return String(letters.reversed())
  }

  /// `C12` for row 12, column 3.
  public static func name(row: Int, column: Int) -> String { columnName(column) + String(row) }

  /// The 1-based column of letters (`AA` → 27), or nil (none, or beyond 16,384, Excel's last).
  public static func column(letters: Substring) -> Int? {
    guard !letters.isEmpty, letters.count <= 3 else { return nil }
    var value = 0
    for scalar in letters.unicodeScalars {
      let v = scalar.value
      switch v {
      case 65...90: value = value * 26 + Int(v - 64)
      case 97...122: value = value * 26 + Int(v - 96)
      default: return nil
      }
    }
    return value <= 16_384 ? value : nil
  }

  /// The row and column of `C12` (`$C$12` too), or nil.
  public static func parse(_ text: String) -> (row: Int, column: Int)? { parse(text.utf8) }

  /// The row and column of a reference given as UTF-8.
  @inline(__always) public static func parse<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> (row: Int, column: Int)? {
    var column = 0
    var row = 0
    var letters = 0
    var digits = 0
    for byte in bytes {
      switch byte {
      case 0x24:  // $
        continue
      case 0x41...0x5A, 0x61...0x7A:
        guard digits == 0, letters < 3 else { return nil }
        column = column * 26 + Int((byte | 0x20) - 0x60)
        letters += 1
      case 0x30...0x39:
        guard letters > 0, digits < 7 else { return nil }
        row = row * 10 + Int(byte - 0x30)
        digits += 1
      default:
        return nil
      }
    }
    guard letters > 0, digits > 0, column <= 16_384, row >= 1, row <= 1_048_576 else { return nil }
    return (row, column)
  }
}
