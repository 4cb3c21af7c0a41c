import YosanCore
import YosanJSON
import YosanSheets
import YosanSyntax

/// `yosan export`: the budget model for other tools, as JSON (schema in Spec/export.md), CSV
/// (one row per item, RFC 4180), an XLSX workbook, or a Fiscal Data Package (a folder of CSV
/// files and their `datapackage.json`). Amounts are exact yen, with the text as written beside
/// them. The tables of CSV, XLSX and the package are built once (`ExportTables.swift`).
enum ExportCommand {
  static let schemaVersion = 1

  static let formats = ["json", "csv", "xlsx", "datapackage"]

  static func run(_ arguments: [String], console: Console) throws -> Int32 {
    let args = try Arguments(
      arguments, command: "export", valued: ["--format", "--stdin-filename", "-o", "--output"], flags: ["--bom", "--with-findings"])
    let format = args.value("--format") ?? "json"
    guard formats.contains(format) else { throw UsageError("yosan export: unknown format `\(format)`; use json, csv, xlsx or datapackage") }
    if args.flag("--bom"), format != "csv" {
      throw UsageError("yosan export: --bom is for --format csv (spreadsheets need it to read UTF-8)")
    }
    if args.flag("--with-findings"), format != "xlsx", format != "datapackage" {
      throw UsageError("yosan export: --with-findings is for --format xlsx and datapackage (a sheet or a resource of findings)")
    }
    let output = args.value("-o") ?? args.value("--output")
    if format == "datapackage", output == nil {
      throw UsageError("yosan export: --format datapackage writes a folder of files; name it with -o DIR")
    }
    if format == "xlsx", output == nil, FileSystem.isTerminal(1) {
      throw UsageError("yosan export: a workbook is binary; write it to a file with -o FILE.xlsx (or redirect standard output)")
    }
    guard !args.positionals.isEmpty else {
      throw UsageError("yosan export: no files given; for example `yosan export --format csv Samples/budgets`, or - for standard input")
    }
    let stdinFilename = args.value("--stdin-filename")
    if stdinFilename != nil, !args.positionals.contains("-") {
      throw UsageError("yosan export: --stdin-filename names standard input; give - as the path too")
    }
    var inputs = Inputs.gather(args.positionals, stdinFilename: stdinFilename)
    inputs.checkConfigurationFiles()
    var notes: [String] = []
    let files = inputs.included(notes: &notes)
    for note in notes { console.error.line(note) }
    for problem in inputs.problems { console.error.line("yosan: \(problem)") }
    TextReporter.report(Report(analysis: .empty, configurationProblems: inputs.configurationProblems), to: console.error)
    var configurations: [String: Configuration] = [:]
    for file in files { configurations[file.path] = file.configuration }
    // The export reads the model; the checks run only for the findings sheet or resource (else
    // only the syntax rules, to say what could not be read).
    let withFindings = args.flag("--with-findings")
    let configuration: @Sendable (String) -> Configuration = { [configurations] in configurations[$0] ?? .default }
    let analysis =
      withFindings
      ? Analyzer.analyze(files.map(\.source), configuration: configuration) : Analyzer.analyzeSyntax(files.map(\.source), configuration: configuration)
    Lifetime.keepUntilExit(analysis)
    var incomplete = false
    for file in analysis.files {
      let syntax = file.diagnostics.filter { $0.ruleID == "syntax-error" || $0.ruleID == "invalid-utf8" }
      guard !syntax.isEmpty else { continue }
      incomplete = true
      for diagnostic in syntax { console.error.line(TextReporter.line(for: diagnostic, in: file.facts)) }
      console.error.line("yosan: \(file.facts.path): has syntax errors; its export leaves out what could not be read")
    }
    let exporter = Exporter(analysis)
    var bytes: [UInt8] = []
    do {
      switch format {
      case "csv":
        if args.flag("--bom") { bytes = [0xEF, 0xBB, 0xBF] }
        let table = exporter.itemTable(analysis)
        Lifetime.keepUntilExit(table)
        bytes += exporter.csv(table)
      case "xlsx":
        bytes = try exporter.xlsx(analysis, withFindings: withFindings)
      case "datapackage":
        try FileSystem.writeDirectory(output!, files: exporter.dataPackage(analysis, withFindings: withFindings))
      default:
        bytes = Array((exporter.json(analysis).prettyPrinted() + "\n").utf8)
      }
      if format != "datapackage" {
        if let output { try FileSystem.writeFile(output, bytes) } else { console.output.bytes(bytes) }
      }
    } catch let error as IOError {
      console.error.line("yosan: \(error)")
      return 2
    } catch let error as XLSXWriter.Failure {
      console.error.line("yosan: the workbook cannot be written: \(error.message); nothing was written")
      return 2
    }
    if !inputs.problems.isEmpty || !inputs.configurationProblems.isEmpty { return 2 }
    return incomplete ? 1 : 0
  }
}

/// Turns lowered documents into JSON, and into the tables of CSV, XLSX and the Data Package.
struct Exporter {
  /// Every item id of the files exported together: `内数(97億円)` is the item's share when an item
  /// has that id, else the amount's (`PartOf`).
  let definedIDs: Set<String>

  init(_ analysis: WorkspaceAnalysis) {
    var ids = Set<String>()
    for file in analysis.files { file.facts.document.forEachItem { if let id = $0.id { ids.insert(id.id) } } }
    definedIDs = ids
  }

  // MARK: - JSON

  func json(_ analysis: WorkspaceAnalysis) -> JSON {
    .object([
      ("version", .int(ExportCommand.schemaVersion)),
      ("tool", .object([("name", .string("yosan")), ("version", .string(CommandLineTool.version))])),
      ("files", .array(analysis.files.map { file(facts: $0.facts) })),
    ])
  }

  func file(facts: FileFacts) -> JSON {
    let document = facts.document
    let header = document.header
    var sections: [JSON] = []
    var items: [JSON] = []
    walk(document.members, path: []) { member, path in
      switch member {
      case .section(let section):
        sections.append(
          .object([
            ("title", string(section.title?.text)), ("line", .int(facts.lineNumber(section.keywordRange.start))),
            ("path", .array(path.map { .string($0) })),
            ("total", section.total.map { amount($0.value, written: $0.location.valueRange, facts) } ?? .null),
          ]))
      case .item(let item):
        itemsOf(item, parent: nil, sections: path, facts: facts, into: &items)
      }
    }
    return .object([
      ("file", .string(facts.path)),
      ("title", string(header?.title?.text)),
      ("ministry", string(header?.ministry?.value)),
      ("fiscalYear", header?.fiscalYear.map { year($0.value) } ?? .null),
      ("kind", string(header?.kind?.value.rawValue)),
      ("unit", string(header?.unit?.value.symbol)),
      ("rounding", .string(facts.roundingMode.japanese)),
      ("sections", .array(sections)),
      ("items", .array(items)),
    ])
  }

  func itemsOf(_ item: Item, parent: String?, sections: [String], facts: FileFacts, into items: inout [JSON]) {
    let notes = Dictionary(uniqueKeysWithValues: item.texts.map { (Catalog.descriptor($0.key).japanese, $0.value.value) })
    var members: [(String, JSON)] = [
      ("id", string(item.id?.id)),
      ("line", .int(facts.lineNumber(item.keywordRange.start))),
      ("parent", string(parent)),
      ("sections", .array(sections.map { .string($0) })),
      ("title", string(item.title?.text)),
      ("tags", .array((item.tags?.value ?? []).map { .string($0.tag.rawValue) })),
      ("divisions", texts(item.divisions)),
      ("extensions", texts(item.extensions)),
    ]
    let request: JSON = item.request.map { expression($0.value, written: $0.location.valueRange, facts) } ?? .null
    let previous: JSON = item.previous.map { expression($0.value, written: $0.location.valueRange, facts) } ?? .null
    var changeJSON: JSON = .null
    if let change = change(item) {
      changeJSON = .object([("yen", .number(change.yen.description)), ("percent", change.percent.map { .number($0) } ?? .null)])
    }
    members += [("request", request), ("previous", previous), ("change", changeJSON)]
    let supplementary: [JSON] = item.supplementary.map { field in
      .object([
        ("year", year(field.value.year)), ("ordinal", field.value.ordinal.map { .int($0) } ?? .null),
        ("amount", amount(field.value.amount, written: field.value.amount.range, facts)),
      ])
    }
    let multiYear: [JSON] = item.multiYear.map { field in
      .object([
        ("from", year(field.value.from)), ("to", year(field.value.to)),
        ("amount", field.value.amount.map { amount($0, written: $0.range, facts) } ?? .null),
      ])
    }
    members += [("supplementary", .array(supplementary)), ("multiYear", .array(multiYear))]
    members.append(("rate", item.rate.map { rate($0.value, written: $0.location.valueRange, facts) } ?? .null))
    var shares: JSON = .null
    if let field = item.shares {
      shares = .array(
        field.value.map { share in
          .object([
            ("party", .string(share.party)), ("fraction", fraction(share.fraction)), ("written", .string(facts.text(share.fraction.range))),
          ])
        })
    }
    members.append(("shares", shares))
    members += [
      ("implementers", texts(item.implementers)), ("recipients", texts(item.recipients)), ("contractors", texts(item.contractors)),
      ("eligibleCosts", texts(item.eligibleCosts)),
    ]
    members += [
      ("unitAmount", item.unitAmount.map { perUnit($0.value, facts) } ?? .null),
      ("cap", item.cap.map { perUnit($0.value, facts) } ?? .null),
      ("floor", item.floor.map { perUnit($0.value, facts) } ?? .null),
    ]
    var bookedBy: JSON = .null
    if let field = item.bookedBy {
      bookedBy = .array(
        field.value.map { booking in
          .object([("name", .string(booking.name)), ("amount", booking.amount.map { amount($0, written: $0.range, facts) } ?? .null)])
        })
    }
    members.append(("bookedBy", bookedBy))
    members.append(("sharedWith", texts(item.sharedWith)))
    members.append(("texts", .object(notes.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) })))
    members.append(("breakdowns", .array(item.breakdowns.map { breakdown($0, facts) })))
    items.append(.object(members))
    for sub in item.subItems { itemsOf(sub, parent: item.id?.id, sections: sections, facts: facts, into: &items) }
  }

  func breakdown(_ breakdown: Breakdown, _ facts: FileFacts) -> JSON {
    .object([
      ("kind", .string(breakdown.kind == .full ? "内訳" : "うち")),
      ("title", string(breakdown.title?.text)),
      ("line", .int(facts.lineNumber(breakdown.keywordRange.start))),
      ("rounding", string(breakdown.rounding?.value.japanese)),
      ("total", breakdown.total.map { row($0, facts) } ?? .null),
      ("rows", .array(breakdown.rows.map { row($0, facts) })),
      ("breakdowns", .array(breakdown.nested.map { self.breakdown($0, facts) })),
    ])
  }

  func row(_ row: Row, _ facts: FileFacts) -> JSON {
    .object([
      ("label", .string(row.label)), ("line", .int(facts.lineNumber(row.location.range.start))),
      ("amount", row.value.map { expression($0, written: row.location.valueRange, facts) } ?? .null),
    ])
  }

  func expression(_ expression: AmountExpression, written: TextRange, _ facts: FileFacts) -> JSON {
    let text: JSON = .string(facts.text(written))
    switch expression {
    case .amount(let a):
      return amount(a, written: written, facts)
    case .none:
      return .object([("kind", .string("none")), ("yen", .null), ("written", text)])
    case .partOf(let p):
      // A text that is an id and an amount is the item's share only when that item exists.
      let isReference = p.reference.map { !$0.isAlsoAnAmount || definedIDs.contains($0.id) } ?? false
      return .object([
        ("kind", .string("partOf")), ("yen", .null), ("written", text), ("item", string(isReference ? p.reference?.id : nil)),
        ("total", isReference ? .null : p.total.map { amount($0, written: $0.range, facts) } ?? .null),
      ])
    case .pending(let p):
      return .object([
        ("kind", .string("pending")), ("yen", p.amount.map { .number($0.yen.description) } ?? .null), ("written", text),
        ("reason", string(p.reason)),
      ])
    case .notStated:
      return .object([("kind", .string("notStated")), ("yen", .null), ("written", text)])
    }
  }

  func amount(_ a: Amount, written: TextRange, _ facts: FileFacts) -> JSON {
    .object([
      ("kind", .string("amount")), ("yen", .number(a.yen.description)), ("written", .string(facts.text(written))),
      ("unit", .string(a.unit.symbol)), ("approximate", .bool(a.isApproximate)),
    ])
  }

  func perUnit(_ value: PerUnitAmount, _ facts: FileFacts) -> JSON {
    .object([
      ("per", string(value.per)), ("times", .bool(value.multiplies)), ("amount", amount(value.amount, written: value.amount.range, facts)),
      ("minimumCount", string(value.minimumCount?.text)),
      (
        "alternative",
        value.alternative.map {
          .object([("condition", .string($0.condition.text)), ("amount", amount($0.amount, written: $0.amount.range, facts))])
        } ?? .null
      ),
    ])
  }

  func rate(_ rate: Rate, written: TextRange, _ facts: FileFacts) -> JSON {
    let kind: String
    switch rate {
    case .fraction: kind = "fraction"
    case .fixed: kind = "fixed"
    case .floor: kind = "floor"
    case .transition: kind = "transition"
    }
    return .object([
      ("kind", .string(kind)), ("written", .string(facts.text(written))), ("fractions", .array(rate.fractions.map(fraction))),
    ])
  }

  /// An exact fraction in lowest terms (`"77/200"`), or null for a zero denominator.
  func fraction(_ fraction: Fraction) -> JSON { fraction.value.map { .string($0.description) } ?? .null }

  func year(_ year: FiscalYear) -> JSON { .object([("name", .string(year.description)), ("western", .int(year.western))]) }

  func string(_ text: String?) -> JSON { text.map { .string($0) } ?? .null }

  func texts(_ field: Field<[TextValue]>?) -> JSON { field.map { .array($0.value.map { .string($0.text) }) } ?? .array([]) }

  /// The request minus the previous year, in yen and percent of the previous year (two decimals,
  /// rounded half away from zero), when both are plain amounts.
  func change(_ item: Item) -> (yen: ExactDecimal, percent: String?)? {
    guard case .amount(let request)? = item.request?.value, case .amount(let previous)? = item.previous?.value,
      let difference = request.yen.subtracting(previous.yen)
    else { return nil }
    return (difference, Figures.changeRatio(from: previous.yen, to: request.yen).flatMap(Figures.percent))
  }

  /// Visits sections and items in order with the titles of the enclosing sections.
  func walk(_ members: [Member], path: [String], _ visit: (Member, [String]) -> Void) {
    for member in members {
      visit(member, path)
      if case .section(let section) = member { walk(section.members, path: path + [section.title?.text ?? ""], visit) }
    }
  }
}
