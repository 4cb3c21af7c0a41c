import YosanCore
import YosanSheets

/// `yosan import --print-mapping`: a mapping proposed from a sheet's header row, recognising
/// the headers Japanese budget sheets use (事業名, 担当課, 要求額, 前年度予算額, 令和7年度要求額
/// (千円), …) and the notes above them (（単位：百万円）, the fiscal year in a title).
enum ImportProposal {
  /// Header texts (blanks removed, full-width forms as ASCII, the unit in brackets apart) and
  /// the field each stands for, the most specific first.
  static let synonyms: [(ImportField, [String])] = [
    (.id, ["id", "ID", "事業ID", "事業番号", "予算事業ID", "事業コード", "事業No", "事業No."]),
    (.title, ["title", "事業名", "事業名称", "事項名", "事項", "事業", "名称", "施策名", "事業・施策名", "項目名", "項目", "目名"]),
    (.division, ["division", "担当", "担当課", "担当課室", "担当課室名", "担当部局", "担当部局課室", "担当部局名", "担当部署", "所管課", "所管部局", "部局課室", "局課", "組織"]),
    (.request, ["request", "要求額", "概算要求額", "要求", "翌年度要求額", "要求額計"]),
    (.previous, ["previous", "前年度", "前年度予算額", "前年度予算", "前年度額", "前年度当初予算額", "前年度当初"]),
    (.tags, ["tags", "種別", "新規・拡充", "新規/拡充", "新規拡充"]),
    (.rate, ["rate", "補助率"]),
    (.shares, ["shares", "負担割合", "負担率"]),
    (.extension, ["extension", "内線", "内線番号"]),
    (.implementer, ["implementer", "実施主体"]),
    (.recipient, ["recipient", "補助先", "補助対象者"]),
    (.contractor, ["contractor", "委託先"]),
    (.eligibleCosts, ["eligible_costs", "対象経費"]),
    (.unitAmount, ["unit_amount", "補助単価", "単価"]),
    (.cap, ["cap", "上限額"]),
    (.floor, ["floor", "下限額"]),
    (.bookedBy, ["booked_by", "計上", "計上府省"]),
    (.sharedWith, ["shared_with", "分担", "分担府省"]),
    (.purpose, ["purpose", "目的"]),
    (.summary, ["summary", "概要", "事業概要", "事業内容", "内容"]),
    (.results, ["results", "実績"]),
    (.status, ["status", "状況", "執行状況", "進捗状況"]),
    (.note, ["note", "備考", "摘要"]),
    // 財務省's 予算書 CSV: one row per 項 and 目 of an 組織.
    (.section, ["section", "分野", "施策", "主要事項", "柱", "項名"]),
    (.parent, ["parent", "親事業", "親事業ID"]),
    (.ministry, ["ministry", "府省", "所管", "府省庁", "府省名"]),
    (.fiscalYear, ["fiscal_year", "年度", "予算年度"]),
  ]

  /// `令和7年度要求額`, `平成30年度予算額`: an era year and what follows it.
  static func eraYear(_ text: String) -> (year: String, rest: String)? {
    for era in ["令和", "平成"] where text.hasPrefix(era) {
      let afterEra = text.dropFirst(era.count)
      let digits = afterEra.prefix { $0.isASCII && $0.isNumber }
      let number = digits.isEmpty && afterEra.hasPrefix("元") ? "元" : String(digits)
      guard !number.isEmpty else { continue }
      let afterNumber = afterEra.dropFirst(number.count)
      guard afterNumber.hasPrefix("年度") else { continue }
      return (era + number + "年度", String(afterNumber.dropFirst(2)))
    }
    return nil
  }

  struct Proposal {
    var headerRow: SheetRow
    var fields: [(ImportField, HeaderText)] = []
    var unused: [HeaderText] = []
    var unit: (YenUnit, SourceCell, String)?
    var fiscalYear: (String, String)?
    var kind: String?
    var document: (String, SourceCell)?
  }

  /// The field a header stands for, if it is a known one.
  static func field(_ header: HeaderText, requestTaken: Bool) -> ImportField? {
    for (field, names) in synonyms where names.contains(header.base) || names.contains(header.normalized) { return field }
    if let (_, rest) = eraYear(header.base) {
      if rest.hasPrefix("概算要求") || rest.hasPrefix("要求") { return .request }
      if rest.hasPrefix("当初予算") || rest.hasPrefix("予算") { return requestTaken ? .previous : .request }
    }
    return nil
  }

  /// The proposal for a sheet: the header row (the one, among the first 30, with the most
  /// headers recognised), each recognised column, and what the rows above it say.
  static func propose(_ sheet: Sheet) -> Proposal? {
    var best: (SheetRow, Int)?
    for row in sheet.rows.prefix(30) {
      var requestTaken = false
      var count = 0
      for header in HeaderText.headers(of: row) {
        guard let field = field(header, requestTaken: requestTaken) else { continue }
        if field == .request { requestTaken = true }
        count += 1
      }
      if count >= 2, count > (best?.1 ?? 0) { best = (row, count) }
    }
    guard let (headerRow, _) = best else { return nil }
    var proposal = Proposal(headerRow: headerRow)
    var taken = Set<String>()
    var requestTaken = false
    for header in HeaderText.headers(of: headerRow) {
      if let field = field(header, requestTaken: requestTaken), !taken.contains(field.rawValue) {
        taken.insert(field.rawValue)
        if field == .request {
          requestTaken = true
          if let (year, rest) = eraYear(header.base) {
            proposal.fiscalYear = (year, "from the header \(header.text.replacing("\n", with: " "))")
            proposal.kind = rest.hasPrefix("当初") || rest.hasPrefix("予算") ? "当初予算" : "概算要求"
          } else if proposal.kind == nil {
            proposal.kind = header.base.contains("予算") ? "当初予算" : "概算要求"
          }
        }
        proposal.fields.append((field, header))
      } else {
        proposal.unused.append(header)
      }
    }
    // The rows above the header: a title (the document, its year and kind) and a unit note.
    for row in sheet.rows where row.number < headerRow.number {
      for (column, cell) in zip(row.columns, row.cells) {
        guard case .text(let text) = cell.value else { continue }
        let where_ = SourceCell(sheet: sheet.name, row: row.number, column: column)
        if proposal.unit == nil, let unit = HeaderText.unitNote(text) { proposal.unit = (unit, where_, text) }
        let normalized = HeaderText.normalize(text)
        if proposal.fiscalYear == nil {
          var rest = Substring(normalized)
          while !rest.isEmpty {
            if let (year, _) = eraYear(String(rest)) {
              proposal.fiscalYear = (year, "from \(where_.reference)")
              break
            }
            rest = rest.dropFirst()
          }
        }
        for (word, kind) in [("概算要求", "概算要求"), ("補正予算", "補正予算"), ("予算案", "予算案"), ("当初予算", "当初予算")] where normalized.contains(word) {
          proposal.kind = kind
        }
        if proposal.document == nil, HeaderText.unitNote(text) == nil { proposal.document = (text.trimmingSpaces().replacing("\n", with: " "), where_) }
      }
    }
    return proposal
  }

  /// The mapping file text for a sheet (formatted by the caller).
  static func mappingText(_ source: ImportSource, _ sheet: Sheet) throws -> String {
    let isWorkbook = source.kind == .xlsx
    if ImportMapping.own(sheet) != nil {
      var text = "# \(source.name)"
      text += isWorkbook ? ", sheet \(sheet.name)" : ""
      text += ": the columns are Yosan's own (yosan export); it imports without a mapping.\n"
      return text
    }
    guard let proposal = propose(sheet) else {
      let row = sheet.rows.first.map { HeaderText.headers(of: $0).map { $0.text.replacing("\n", with: " ") }.joined(separator: ", ") } ?? ""
      throw ImportError(
        "\(source.name): no header row with the names of budget columns (事業名, 担当課, 要求額, 前年度予算額, …) in the first 30 rows of `\(sheet.name)`"
          + (row.isEmpty ? "" : "; its first row is: \(row)") + "; write the mapping by hand (see `yosan help import`)")
    }
    func quoted(_ value: String) -> String {
      let needs = value.unicodeScalars.contains { "#＃{}｛｝\"=＝".unicodeScalars.contains($0) } || value != value.trimmingSpaces()
      return needs ? "\"" + value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"" : value
    }
    var lines: [String] = []
    lines.append("# yosan import mapping for \(source.name)" + (isWorkbook ? ", sheet \(sheet.name)" : "") + ", proposed from its headers (row \(proposal.headerRow.number)).")
    lines.append("# Each key names the column that holds it: its header, or its letter (C列). The document's keys")
    lines.append("# (document, ministry, fiscal-year, kind, rounding) take a column or the value itself.")
    lines.append("# Check every line, then: yosan import --mapping THIS-FILE \(source.name) -o OUTPUT.yosan")
    if isWorkbook { lines.append("sheet = \(quoted(sheet.name))") }
    lines.append("header-row = \(proposal.headerRow.number)")
    let amountColumns = proposal.fields.filter { $0.0 == .request || $0.0 == .previous }
    if let (unit, cell, text) = proposal.unit {
      lines.append("unit = \(unit.symbol)  # the unit of amounts without one: \(cell.reference) says \(text.replacing("\n", with: " "))")
    } else if amountColumns.contains(where: { $0.1.unit == nil }) {
      lines.append("# unit = 千円  # the unit of amounts written without one: none found; name it here")
    }
    var documentLines: [String] = []
    if let (text, cell) = proposal.document { documentLines.append("document = \(quoted(text))  # from \(cell.reference)") }
    if !proposal.fields.contains(where: { $0.0 == .ministry }) { documentLines.append("# ministry = 厚生労働省") }
    if let (year, note) = proposal.fiscalYear, !proposal.fields.contains(where: { $0.0 == .fiscalYear }) {
      documentLines.append("fiscal-year = \(year)  # \(note)")
    } else if !proposal.fields.contains(where: { $0.0 == .fiscalYear }) {
      documentLines.append("# fiscal-year = 令和7年度  # not found: the document needs one")
    }
    documentLines.append(proposal.kind.map { "kind = \($0)" } ?? "# kind = 概算要求  # not found: the document needs one")
    lines.append("")
    lines += documentLines
    lines.append("")
    if !proposal.fields.contains(where: { $0.0 == .id }) {
      lines.append("# id: no column of ids was found; each item is given the id item-ROW (write `id = COLUMN` to use one)")
    }
    for (field, header) in proposal.fields {
      let note = "\(CellReference.columnName(header.column))" + (header.unit.map { ", amounts in \($0.symbol)" } ?? "")
      lines.append("\(field.rawValue) = \(quoted(header.text.replacing("\n", with: " ").trimmingSpaces()))  # \(note)")
    }
    if !proposal.unused.isEmpty {
      lines.append("# not read: " + proposal.unused.map { "\($0.text.replacing("\n", with: " ")) (\(CellReference.columnName($0.column)))" }.joined(separator: ", "))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
