import YosanCore
import YosanSheets
import YosanSyntax

/// A cell of an export table, typed so that each format writes it in its own way: CSV as text,
/// XLSX as a number where it is one, the Data Package with a field type.
enum TableValue: Equatable {
  case empty
  case text(String)
  case integer(Int)
  /// Exact yen.
  case yen(ExactDecimal)
  /// A decimal number (a percentage).
  case decimal(String)
  /// An amount expression as written, with its amount when it is a plain one (not 約, 内数,
  /// なし or 事項要求): XLSX shows that as a number in its unit.
  case written(String, Amount?)

  /// The text CSV writes.
  var text: String {
    switch self {
    case .empty: return ""
    case .text(let text), .decimal(let text), .written(let text, _): return text
    case .integer(let n): return String(n)
    case .yen(let yen): return yen.description
    }
  }
}

/// A column of an export table: its ASCII name (CSV header, XLSX second header row, Data
/// Package field), its Japanese header (XLSX first header row), its type and meaning.
struct TableColumn {
  enum Kind { case text, integer, yen, decimal, amount }
  var name: String
  var japanese: String
  var kind: Kind
  var meaning: String
  /// The Fiscal Data Package column type, where one applies.
  var fiscal: String? = nil
}

/// One table of an export: items, breakdown rows, sections or findings.
struct ExportTable {
  /// The resource name (`items`) and the sheet name (`事業`).
  var name: String
  var sheet: String
  var columns: [TableColumn]
  var rows: [[TableValue]]
}

extension Exporter {
  // MARK: - Items

  /// The items table's columns: the CSV export's first seventeen (unchanged since version 1),
  /// then the document's header and every other key of an item, as written.
  static let itemColumns: [TableColumn] = [
    TableColumn(name: "file", japanese: "ファイル", kind: .text, meaning: "the file the item is in"),
    TableColumn(name: "line", japanese: "行", kind: .integer, meaning: "the 1-based line of the item's 事業 keyword"),
    TableColumn(name: "id", japanese: "ID", kind: .text, meaning: "the item's id", fiscal: "budget-line-id"),
    TableColumn(name: "parent", japanese: "親事業", kind: .text, meaning: "the id of the enclosing item, for sub-items"),
    TableColumn(name: "section", japanese: "分野", kind: .text, meaning: "the titles of the enclosing 分野, outermost first, joined by ` / `",
      fiscal: "functional-classification:generic:label"),
    TableColumn(name: "title", japanese: "事業名", kind: .text, meaning: "the item's title", fiscal: "activity:generic:program:label"),
    TableColumn(name: "division", japanese: "担当", kind: .text, meaning: "担当: the responsible divisions, joined by `、`",
      fiscal: "administrative-classification:generic:level2:label"),
    TableColumn(name: "fiscal_year", japanese: "年度", kind: .text, meaning: "the document's 年度 (canonical name)"),
    TableColumn(name: "tags", japanese: "種別", kind: .text, meaning: "種別: the item's tags, joined by `、`"),
    TableColumn(name: "request_yen", japanese: "要求額（円）", kind: .yen, meaning: "要求額 (or 予算額) in yen: the amount part of `12億円 + 事項要求`; empty for 内数 and なし",
      fiscal: "value"),
    TableColumn(name: "request", japanese: "要求額", kind: .amount, meaning: "要求額 (or 予算額) as written"),
    TableColumn(name: "previous_yen", japanese: "前年度（円）", kind: .yen, meaning: "前年度 in yen", fiscal: "value"),
    TableColumn(name: "previous", japanese: "前年度", kind: .amount, meaning: "前年度 as written"),
    TableColumn(name: "change_yen", japanese: "増△減額（円）", kind: .yen, meaning: "the request minus the previous year, in yen, when both are plain amounts"),
    TableColumn(name: "change_percent", japanese: "増△減率（%）", kind: .decimal, meaning: "the change as a percentage of the previous year (two decimals)"),
    TableColumn(name: "rate", japanese: "補助率", kind: .text, meaning: "補助率 as written"),
    TableColumn(name: "shares", japanese: "負担割合", kind: .text, meaning: "負担割合 as written"),
    TableColumn(name: "document", japanese: "文書", kind: .text, meaning: "the title of the document's 予算 header"),
    TableColumn(name: "ministry", japanese: "府省", kind: .text, meaning: "the header's 府省", fiscal: "administrative-classification:generic:level1:label"),
    TableColumn(name: "kind", japanese: "区分", kind: .text, meaning: "the header's 区分 (概算要求, 当初予算, 予算案, 補正予算)", fiscal: "phase:label"),
    TableColumn(name: "unit", japanese: "単位", kind: .text, meaning: "the header's 単位, the unit of amounts written without one"),
    TableColumn(name: "rounding", japanese: "端数", kind: .text, meaning: "the header's 端数, when it declares one"),
    TableColumn(name: "fiscal_year_western", japanese: "年度（西暦）", kind: .integer, meaning: "the document's fiscal year as a western year", fiscal: "date:fiscal-year"),
    TableColumn(name: "extension", japanese: "内線", kind: .text, meaning: "内線, joined by `、`"),
    TableColumn(name: "supplementary", japanese: "補正", kind: .text, meaning: "each 補正 as written, joined by `、`"),
    TableColumn(name: "multi_year", japanese: "国庫債務負担", kind: .text, meaning: "each 国庫債務負担 as written, joined by `、`"),
    TableColumn(name: "implementer", japanese: "実施主体", kind: .text, meaning: "実施主体 as written"),
    TableColumn(name: "recipient", japanese: "補助先", kind: .text, meaning: "補助先 as written"),
    TableColumn(name: "contractor", japanese: "委託先", kind: .text, meaning: "委託先 as written"),
    TableColumn(name: "eligible_costs", japanese: "対象経費", kind: .text, meaning: "対象経費 as written"),
    TableColumn(name: "unit_amount", japanese: "補助単価", kind: .text, meaning: "補助単価 as written"),
    TableColumn(name: "cap", japanese: "上限額", kind: .text, meaning: "上限額 as written"),
    TableColumn(name: "floor", japanese: "下限額", kind: .text, meaning: "下限額 as written"),
    TableColumn(name: "booked_by", japanese: "計上", kind: .text, meaning: "計上 as written"),
    TableColumn(name: "shared_with", japanese: "分担", kind: .text, meaning: "分担, joined by `、`"),
    TableColumn(name: "purpose", japanese: "目的", kind: .text, meaning: "目的"),
    TableColumn(name: "summary", japanese: "概要", kind: .text, meaning: "概要"),
    TableColumn(name: "results", japanese: "実績", kind: .text, meaning: "実績"),
    TableColumn(name: "status", japanese: "状況", kind: .text, meaning: "状況"),
    TableColumn(name: "note", japanese: "備考", kind: .text, meaning: "備考"),
  ]

  /// The item keys whose values the items table holds as written, in its column order, with
  /// the column of each.
  static let writtenKeyColumns: [(Key, String)] = [
    (.implementer, "implementer"), (.recipient, "recipient"), (.contractor, "contractor"), (.eligibleCosts, "eligible_costs"),
    (.unitAmount, "unit_amount"), (.cap, "cap"), (.floor, "floor"), (.bookedBy, "booked_by"),
  ]

  /// One row per item (sub-items included), in document order.
  func itemTable(_ analysis: WorkspaceAnalysis) -> ExportTable {
    var rows: [[TableValue]] = []
    for file in analysis.files {
      let facts = file.facts
      let document = facts.document
      let header = document.header
      let fiscalYear = document.fiscalYear
      let headerValues: [TableValue] = [
        optional(header?.title?.text), optional(header?.ministry?.value), optional(header?.kind?.value.rawValue),
        optional(header?.unit?.value.symbol), optional(header?.rounding?.value.japanese), fiscalYear.map { .integer($0.western) } ?? .empty,
      ]
      func asWritten<Value>(_ field: Field<Value>?) -> TableValue { field.map { .text(facts.text($0.location.valueRange)) } ?? .empty }
      func expression(_ field: Field<AmountExpression>?) -> TableValue {
        guard let field else { return .empty }
        return written(facts.text(field.location.valueRange), field.value)
      }
      func row(_ item: Item, parent: String?, sections: [String]) {
        let change = change(item)
        var values: [TableValue] = []
        values.reserveCapacity(Exporter.itemColumns.count)
        values += [
          .text(facts.path), .integer(facts.lineNumber(item.keywordRange.start)), optional(item.id?.id), optional(parent),
          optional(sections.isEmpty ? nil : sections.joined(separator: " / ")), optional(item.title?.text),
          list(item.divisions), optional(fiscalYear?.description), optional((item.tags?.value ?? []).map(\.tag.rawValue).joined(separator: "、")),
          item.request?.value.countedAmount.map { .yen($0.yen) } ?? .empty, expression(item.request),
          item.previous?.value.countedAmount.map { .yen($0.yen) } ?? .empty, expression(item.previous),
          change.map { .yen($0.yen) } ?? .empty, change?.percent.map { .decimal($0) } ?? .empty,
          asWritten(item.rate), asWritten(item.shares),
        ]
        values += headerValues
        values.append(list(item.extensions))
        values.append(optional(item.supplementary.map { facts.text($0.location.valueRange) }.joined(separator: "、")))
        values.append(optional(item.multiYear.map { facts.text($0.location.valueRange) }.joined(separator: "、")))
        values += [
          asWritten(item.implementers), asWritten(item.recipients), asWritten(item.contractors), asWritten(item.eligibleCosts),
          asWritten(item.unitAmount), asWritten(item.cap), asWritten(item.floor), asWritten(item.bookedBy), list(item.sharedWith),
        ]
        for key in [Key.purpose, .summary, .results, .status, .note] { values.append(optional(item.texts[key]?.value)) }
        rows.append(values)
        for sub in item.subItems { row(sub, parent: item.id?.id, sections: sections) }
      }
      walk(document.members, path: []) { member, path in
        if case .item(let item) = member { row(item, parent: nil, sections: path) }
      }
    }
    return ExportTable(name: "items", sheet: "事業", columns: Exporter.itemColumns, rows: rows)
  }

  /// An amount expression as written, with its amount when it is a plain one (not 約).
  func written(_ text: String, _ expression: AmountExpression?) -> TableValue {
    if case .amount(let amount)? = expression, !amount.isApproximate { return .written(text, amount) }
    return .written(text, nil)
  }

  func optional(_ text: String?) -> TableValue {
    guard let text, !text.isEmpty else { return .empty }
    return .text(text)
  }

  func list(_ field: Field<[TextValue]>?) -> TableValue { optional((field?.value ?? []).map(\.text).joined(separator: "、")) }

  // MARK: - Breakdowns

  static let breakdownColumns: [TableColumn] = [
    TableColumn(name: "file", japanese: "ファイル", kind: .text, meaning: "the file the breakdown is in"),
    TableColumn(name: "line", japanese: "行", kind: .integer, meaning: "the 1-based line of the row, or of the block's keyword"),
    TableColumn(name: "item", japanese: "事業ID", kind: .text, meaning: "the id of the item the breakdown belongs to", fiscal: "budget-line-id"),
    TableColumn(name: "path", japanese: "内訳番号", kind: .text, meaning: "which breakdown of the item: `1`, `2`, … at the top, `1.2` for the second inside the first"),
    TableColumn(name: "kind", japanese: "種類", kind: .text, meaning: "`内訳` or `うち` on the row that opens a block; `行` for a row; `小計` or `合計` for its total"),
    TableColumn(name: "title", japanese: "見出し", kind: .text, meaning: "the block's title (on the row that opens it)"),
    TableColumn(name: "rounding", japanese: "端数", kind: .text, meaning: "the block's own 端数 (on the row that opens it)"),
    TableColumn(name: "label", japanese: "項目", kind: .text, meaning: "the row's label (the key as written, for a total)"),
    TableColumn(name: "amount_yen", japanese: "金額（円）", kind: .yen, meaning: "the row's amount in yen", fiscal: "value"),
    TableColumn(name: "amount", japanese: "金額", kind: .amount, meaning: "the row's amount as written"),
  ]

  /// One row per breakdown block (the row that opens it) and per row and total inside it, in
  /// document order, so that the blocks can be rebuilt from the table.
  func breakdownTable(_ analysis: WorkspaceAnalysis) -> ExportTable {
    var rows: [[TableValue]] = []
    for file in analysis.files {
      let facts = file.facts
      func amount(_ row: Row) -> [TableValue] {
        [row.value?.countedAmount.map { .yen($0.yen) } ?? .empty, written(facts.text(row.location.valueRange), row.value)]
      }
      func visit(_ breakdown: Breakdown, item: Item, path: String) {
        let line = TableValue.integer(facts.lineNumber(breakdown.keywordRange.start))
        rows.append(
          [
            .text(facts.path), line, optional(item.id?.id), .text(path), .text(breakdown.kind == .full ? "内訳" : "うち"),
            optional(breakdown.title?.text), optional(breakdown.rounding?.value.japanese), .empty, .empty, .empty,
          ])
        var nested = 0
        for child in breakdown.children {
          switch child {
          case .row(let row):
            rows.append(
              [.text(facts.path), .integer(facts.lineNumber(row.location.range.start)), optional(item.id?.id), .text(path), .text("行"), .empty, .empty, .text(row.label)]
                + amount(row))
          case .breakdown(let inner):
            nested += 1
            visit(inner, item: item, path: "\(path).\(nested)")
          }
        }
        if let total = breakdown.total {
          let kind = Catalog.key(spelled: total.label)?.key == .subtotal ? "小計" : "合計"
          rows.append(
            [.text(facts.path), .integer(facts.lineNumber(total.location.range.start)), optional(item.id?.id), .text(path), .text(kind), .empty, .empty, .text(total.label)]
              + amount(total))
        }
      }
      facts.document.forEachItem { item in
        for (index, breakdown) in item.breakdowns.enumerated() { visit(breakdown, item: item, path: "\(index + 1)") }
      }
    }
    return ExportTable(name: "breakdowns", sheet: "内訳", columns: Exporter.breakdownColumns, rows: rows)
  }

  // MARK: - Sections

  static let sectionColumns: [TableColumn] = [
    TableColumn(name: "file", japanese: "ファイル", kind: .text, meaning: "the file the section is in"),
    TableColumn(name: "line", japanese: "行", kind: .integer, meaning: "the 1-based line of its 分野 keyword"),
    TableColumn(name: "section", japanese: "上位分野", kind: .text, meaning: "the titles of the enclosing 分野, outermost first, joined by ` / `"),
    TableColumn(name: "title", japanese: "分野", kind: .text, meaning: "the section's title", fiscal: "functional-classification:generic:label"),
    TableColumn(name: "total_yen", japanese: "合計（円）", kind: .yen, meaning: "its 合計 in yen", fiscal: "value"),
    TableColumn(name: "total", japanese: "合計", kind: .amount, meaning: "its 合計 as written"),
  ]

  /// One row per 分野, depth first.
  func sectionTable(_ analysis: WorkspaceAnalysis) -> ExportTable {
    var rows: [[TableValue]] = []
    for file in analysis.files {
      let facts = file.facts
      walk(facts.document.members, path: []) { member, path in
        guard case .section(let section) = member else { return }
        var total: [TableValue] = [.empty, .empty]
        if let field = section.total {
          total = [.yen(field.value.yen), written(facts.text(field.location.valueRange), .amount(field.value))]
        }
        rows.append(
          [
            .text(facts.path), .integer(facts.lineNumber(section.keywordRange.start)), optional(path.isEmpty ? nil : path.joined(separator: " / ")),
            optional(section.title?.text),
          ] + total)
      }
    }
    return ExportTable(name: "sections", sheet: "分野", columns: Exporter.sectionColumns, rows: rows)
  }

  // MARK: - Findings

  static let findingColumns: [TableColumn] = [
    TableColumn(name: "file", japanese: "ファイル", kind: .text, meaning: "the file"),
    TableColumn(name: "line", japanese: "行", kind: .integer, meaning: "the 1-based line where the finding starts"),
    TableColumn(name: "column", japanese: "列", kind: .integer, meaning: "the 1-based column (in characters)"),
    TableColumn(name: "severity", japanese: "重要度", kind: .text, meaning: "error, warning, info or style"),
    TableColumn(name: "rule", japanese: "規則", kind: .text, meaning: "the rule's id"),
    TableColumn(name: "message", japanese: "内容", kind: .text, meaning: "what is wrong and what to write instead"),
  ]

  /// One row per diagnostic of `yosan check`, in its order.
  func findingTable(_ analysis: WorkspaceAnalysis) -> ExportTable {
    var rows: [[TableValue]] = []
    for file in analysis.files {
      for diagnostic in file.diagnostics {
        let (line, column) = file.facts.position(of: diagnostic.range.start)
        rows.append([
          .text(file.facts.path), .integer(line), .integer(column), .text(diagnostic.severity.description), .text(diagnostic.ruleID),
          .text(diagnostic.message),
        ])
      }
    }
    return ExportTable(name: "findings", sheet: "検証結果", columns: Exporter.findingColumns, rows: rows)
  }

  // MARK: - CSV

  /// A table as CSV (UTF-8): a header row of the ASCII names, then one record per row (RFC
  /// 4180), written into one buffer.
  func csv(_ table: ExportTable) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(table.rows.count * (table.columns.count * 8 + 64) + 1024)
    for (index, column) in table.columns.enumerated() {
      if index > 0 { out.append(0x2C) }
      CSV.appendField(column.name, to: &out)
    }
    out.append(contentsOf: [0x0D, 0x0A])
    for row in table.rows {
      for (index, value) in row.enumerated() {
        if index > 0 { out.append(0x2C) }
        if case .empty = value { continue }
        CSV.appendField(value.text, to: &out)
      }
      out.append(contentsOf: [0x0D, 0x0A])
    }
    return out
  }
}
