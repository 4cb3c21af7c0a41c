import YosanCore
import YosanSheets

extension Exporter {
  /// The workbook of `yosan export --format xlsx`: the sheets 事業 (items), 内訳 (breakdown
  /// rows), 分野 (sections) and, with findings, 検証結果; each with the Japanese headers in row 1
  /// and the ASCII names in row 2 (both kept in view), figures as numbers: in yen, and in the
  /// unit written with a number format that shows it (`7.9` shown as `7.9億円`).
  func xlsx(_ analysis: WorkspaceAnalysis, withFindings: Bool) throws -> [UInt8] {
    // Each table becomes its sheet before the next is made (a table of 10,000 items' breakdown
    // rows is tens of megabytes), and the writer lets go of each sheet's cells once written.
    var sheets = [sheet(itemTable(analysis))]
    sheets.append(sheet(breakdownTable(analysis)))
    sheets.append(sheet(sectionTable(analysis)))
    if withFindings { sheets.append(sheet(findingTable(analysis))) }
    return try XLSXWriter.write(sheets)
  }

  static let headerStyle = XLSXWriter.Style(bold: true)
  static let yenStyle = XLSXWriter.Style(numberFormat: "#,##0;\"△\"#,##0")
  static let percentStyle = XLSXWriter.Style(numberFormat: "0.00;\"△\"0.00")

  /// The format that shows a number in `unit` with `decimals` digits after the point, negative
  /// numbers with △: `#,##0.0"億円";"△"#,##0.0"億円"`.
  static func unitFormat(_ unit: YenUnit, decimals: Int) -> String {
    let number = "#,##0" + (decimals > 0 ? "." + String(repeating: "0", count: decimals) : "") + "\"\(unit.symbol)\""
    return number + ";\"△\"" + number
  }

  func sheet(_ table: ExportTable) -> XLSXWriter.SheetData {
    var rows: [[XLSXWriter.Cell]] = [
      table.columns.map { XLSXWriter.Cell(.text($0.japanese), style: Exporter.headerStyle) },
      table.columns.map { XLSXWriter.Cell(.text($0.name)) },
    ]
    rows.reserveCapacity(table.rows.count + 2)
    for row in table.rows { rows.append(row.map(cell)) }
    let widths: [Double?] = table.columns.map { column in
      switch column.name {
      case "title", "message", "document": return 40
      case "division", "section", "label", "purpose", "summary", "results", "note", "file": return 28
      default: return column.kind == .text ? 14 : 16
      }
    }
    return XLSXWriter.SheetData(name: table.sheet, rows: rows, frozenRows: 2, columnWidths: widths)
  }

  /// The style of each unit and number of decimals (0–9), made once: a workbook has a million
  /// cells, and equal styles then share their text.
  static let unitStyles: [YenUnit: [XLSXWriter.Style]] = Dictionary(
    uniqueKeysWithValues: YenUnit.allCases.map { unit in (unit, (0...9).map { XLSXWriter.Style(numberFormat: unitFormat(unit, decimals: $0)) }) })

  func cell(_ value: TableValue) -> XLSXWriter.Cell {
    switch value {
    case .empty: return XLSXWriter.Cell(.empty)
    case .text(let text): return XLSXWriter.Cell(.text(text))
    case .integer(let n): return XLSXWriter.Cell(.number(String(n)))
    case .yen(let yen): return XLSXWriter.Cell(.number(yen.description), style: Exporter.yenStyle)
    case .decimal(let text): return XLSXWriter.Cell(.number(text), style: Exporter.percentStyle)
    case .written(let text, let amount):
      guard let amount else { return XLSXWriter.Cell(.text(text)) }
      let shown = ExactDecimal(significand: amount.yen.significand, exponent: amount.yen.exponent - amount.unit.exponent)
      let styles = Exporter.unitStyles[amount.unit]!
      let style = amount.fractionDigits < styles.count ? styles[amount.fractionDigits] : XLSXWriter.Style(numberFormat: Exporter.unitFormat(amount.unit, decimals: amount.fractionDigits))
      return XLSXWriter.Cell(.number(shown.description), style: style)
    }
  }
}
