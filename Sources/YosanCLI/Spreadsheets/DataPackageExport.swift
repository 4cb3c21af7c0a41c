import YosanCore
import YosanJSON

extension Exporter {
  static let dataPackageProfile = "https://datapackage.org/profiles/2.0/datapackage.json"
  static let tableDialectProfile = "https://datapackage.org/profiles/2.0/tabledialect.json"
  static let tableSchemaProfile = "https://datapackage.org/profiles/2.0/tableschema.json"

  /// The files of `yosan export --format datapackage`: a Fiscal Data Package, that is a Data
  /// Package (v2) `datapackage.json` describing CSV resources (items, breakdown rows, sections
  /// and, with findings, the findings) with Table Schemas whose fields carry the Fiscal Data
  /// Package's column types; the amounts are integers of yen (numbers when some are fractions).
  func dataPackage(_ analysis: WorkspaceAnalysis, withFindings: Bool) -> [(name: String, bytes: [UInt8])] {
    var tables = [itemTable(analysis), breakdownTable(analysis), sectionTable(analysis)]
    if withFindings { tables.append(findingTable(analysis)) }
    var files: [(name: String, bytes: [UInt8])] = []
    var resources: [JSON] = []
    let items = tables[0]
    let ids = items.rows.compactMap { row -> String? in
      if case .text(let id) = row[2] { return id }
      return nil
    }
    let idsAreUnique = Set(ids).count == ids.count && ids.count == items.rows.count
    for table in tables {
      let path = "\(table.name).csv"
      files.append((path, csv(table)))
      resources.append(resource(table, path: path, idsAreUnique: idsAreUnique))
    }
    let titles = analysis.files.compactMap { $0.facts.document.header?.title?.text }
    var descriptor: [(String, JSON)] = [
      ("$schema", .string(Exporter.dataPackageProfile)),
      ("name", .string("yosan-budget")),
    ]
    if let first = titles.first { descriptor.append(("title", .string(titles.count == 1 ? first : first + " ほか"))) }
    descriptor += [
      ("description", .string("Budget items exported by yosan \(CommandLineTool.version) from \(analysis.files.count) .yosan file(s): a Fiscal Data Package (amounts in yen).")),
      ("resources", .array(resources)),
    ]
    files.insert(("datapackage.json", Array((JSON.object(descriptor).prettyPrinted() + "\n").utf8)), at: 0)
    return files
  }

  func resource(_ table: ExportTable, path: String, idsAreUnique: Bool) -> JSON {
    var fields: [JSON] = []
    var hasValue = false
    for (index, column) in table.columns.enumerated() {
      var field: [(String, JSON)] = [("name", .string(column.name)), ("title", .string(column.japanese)), ("description", .string(column.meaning))]
      switch column.kind {
      case .text, .amount: field.append(("type", .string("string")))
      case .integer: field.append(("type", .string("integer")))
      case .decimal: field.append(("type", .string("number")))
      case .yen:
        let integral = table.rows.allSatisfy { row in
          if case .yen(let yen) = row[index] { return yen.exponent >= 0 || yen.normalized().exponent >= 0 }
          return true
        }
        field.append(("type", .string(integral ? "integer" : "number")))
      }
      if let fiscal = column.fiscal {
        field.append(("columnType", .string(fiscal)))
        if fiscal == "value" { hasValue = true }
      }
      if table.name == "items", column.name == "request_yen" { field.append(("normalize", .object([("phase", .string("要求額"))]))) }
      if table.name == "items", column.name == "previous_yen" { field.append(("normalize", .object([("phase", .string("前年度"))]))) }
      fields.append(.object(field))
    }
    var schema: [(String, JSON)] = [
      ("$schema", .string(Exporter.tableSchemaProfile)),
      ("fields", .array(fields)),
      ("missingValues", .array([.string("")])),
    ]
    switch table.name {
    case "items", "sections": schema.append(("primaryKey", .array([.string("file"), .string("line")])))
    case "breakdowns": schema.append(("primaryKey", .array([.string("file"), .string("line"), .string("kind")])))
    default: break
    }
    if idsAreUnique {
      let reference: JSON = .object([("resource", .string("items")), ("fields", .array([.string("id")]))])
      if table.name == "items" {
        schema.append(("foreignKeys", .array([.object([("fields", .array([.string("parent")])), ("reference", reference)])])))
      } else if table.name == "breakdowns" {
        schema.append(("foreignKeys", .array([.object([("fields", .array([.string("item")])), ("reference", reference)])])))
      }
    }
    if hasValue {
      // The Fiscal Data Package's denormalisation: each value column is one amount in yen of a
      // phase (items: the request and the previous year's budget).
      var extra: [JSON] = []
      if table.name == "items" {
        extra.append(.object([("name", .string("amount")), ("type", .string("number")), ("columnType", .string("value")), ("normalizationTarget", .bool(true))]))
        extra.append(.object([("name", .string("phase")), ("type", .string("string")), ("columnType", .string("phase:id"))]))
      }
      extra.append(.object([("name", .string("currency")), ("type", .string("string")), ("columnType", .string("value-currency:code")), ("constant", .string("JPY"))]))
      schema.append(("extraFields", .array(extra)))
    }
    return .object([
      ("name", .string(table.name)),
      ("type", .string("table")),
      ("title", .string(table.sheet)),
      ("path", .string(path)),
      ("scheme", .string("file")),
      ("format", .string("csv")),
      ("mediatype", .string("text/csv")),
      ("encoding", .string("utf-8")),
      (
        "dialect",
        .object([
          ("$schema", .string(Exporter.tableDialectProfile)), ("header", .bool(true)), ("delimiter", .string(",")),
          ("lineTerminator", .string("\r\n")), ("quoteChar", .string("\"")), ("doubleQuote", .bool(true)),
        ])
      ),
      ("schema", .object(schema)),
    ])
  }
}
