import YosanCore
import YosanSheets
import YosanSyntax

/// `yosan import`: a spreadsheet (CSV, TSV or XLSX) to `.yosan` text, in `fmt`'s layout, with a
/// comment naming the source; then checked, each finding naming the source cell. Yosan's own
/// export imports as it is; other layouts through a mapping file (`--print-mapping` proposes
/// one). Input that cannot be imported is an error naming its cell, and nothing is written.
enum ImportCommand {
  static func run(_ arguments: [String], console: Console) throws -> Int32 {
    let args = try Arguments(
      arguments, command: "import", valued: ["-o", "--output", "--sheet", "--encoding", "--mapping"], flags: ["--print-mapping"])
    guard args.positionals.count == 1 else {
      throw UsageError(
        args.positionals.isEmpty
          ? "yosan import: no input given; for example `yosan import budget.xlsx -o budget.yosan`, or - for standard input"
          : "yosan import: one input at a time (given \(args.positionals.count))")
    }
    let input = args.positionals[0]
    var encoding: TextEncoding?
    if let name = args.value("--encoding") {
      guard let known = TextEncoding(name: name) else { throw UsageError("yosan import: unknown encoding `\(name)`; use utf-8, cp932 (Shift_JIS) or utf-16") }
      encoding = known
    }
    let output = args.value("-o") ?? args.value("--output")
    if args.flag("--print-mapping"), output != nil || args.value("--mapping") != nil {
      throw UsageError("yosan import: --print-mapping prints a proposed mapping on standard output; it takes neither -o nor --mapping")
    }
    do {
      let bytes = input == "-" ? try FileSystem.readAll(0, path: "-") : try FileSystem.readFile(input)
      var source = try ImportSource(name: input, bytes: bytes, encoding: encoding)
      var mapping: ImportMapping?
      if let path = args.value("--mapping") { mapping = try ImportMapping(path: path, bytes: try FileSystem.readFile(path)) }
      let sheet = try source.sheet(named: args.value("--sheet") ?? mapping?.sheet)
      Lifetime.keepUntilExit((source, sheet))
      if args.flag("--print-mapping") {
        let text = try ImportProposal.mappingText(source, sheet)
        let facts = Analyzer.parse(SourceFile(path: "mapping.yosan", text: text))
        console.output.bytes(Formatter.format(facts) ?? Array(text.utf8))
        return 0
      }
      return try importSheet(source: source, sheet: sheet, mapping: mapping, output: output, console: console)
    } catch let error as IOError {
      console.error.line("yosan: \(error)")
      return 2
    } catch let error as ImportError {
      console.error.line("yosan: \(error.message); nothing was written")
      return 2
    }
  }

  static func importSheet(source: ImportSource, sheet: Sheet, mapping given: ImportMapping?, output: String?, console: Console) throws -> Int32 {
    let resolved: ImportMapping.Resolved
    if let given {
      resolved = try given.resolve(sheet, sourceName: source.name)
    } else if let (own, header) = ImportMapping.own(sheet) {
      resolved = try own.resolve(sheet, sourceName: source.name, ownHeader: header)
    } else {
      throw ImportError(
        "\(source.name): the columns of `\(sheet.name)` are not Yosan's own (id, title, request, …); describe them in a mapping file: `yosan import --print-mapping \(source.name) > mapping.yosan` proposes one; check it, then `yosan import --mapping mapping.yosan \(source.name) -o OUTPUT.yosan`"
      )
    }
    var converter = ImportConverter(source: source, sheet: sheet, mapping: resolved)
    let documents = try converter.convert()
    if resolved.isOwnLayout {
      if let breakdowns = try source.optionalSheet("内訳") { try converter.attachBreakdowns(breakdowns, to: documents) }
      if let sections = try source.optionalSheet("分野") { try converter.attachSectionTotals(sections, to: documents) }
    }
    for note in converter.notes { console.error.line("yosan: \(note)") }

    // Where each document goes: one file, a folder of files (one per source file of Yosan's
    // own export), or standard output.
    var directory: String?
    if let output, output.hasSuffix("/") || FileSystem.kind(of: output) == .directory {
      directory = output.hasSuffix("/") && output.count > 1 ? String(output.dropLast()) : output
    }
    if directory == nil, documents.count > 1 {
      let files = documents.compactMap(\.file).prefix(3).joined(separator: ", ")
      throw ImportError(
        "\(source.name): the rows come from \(documents.count) files (\(files), …), each a document of its own; give a folder to write them into: -o FOLDER/")
    }
    var names: [String] = []
    var used = Set<String>()
    for document in documents {
      guard let directory else {
        names.append(output ?? "-")
        continue
      }
      var base = (document.file ?? source.name).split(separator: "/").last.map(String.init) ?? "imported"
      if !base.hasSuffix(".yosan") {
        base = (base.split(separator: ".").count > 1 ? base.split(separator: ".").dropLast().joined(separator: ".") : base) + ".yosan"
      }
      guard used.insert(base).inserted else {
        throw ImportError("\(source.name): two of its files would both be written as \(directory)/\(base); import them apart")
      }
      names.append(directory + "/" + base)
    }

    // The text of each document (in fmt's layout as written) and the cell of each statement.
    var outputs: [(path: String, bytes: [UInt8], cells: [SourceCell?])] = []
    for (document, path) in zip(documents, names) {
      var writer = ImportWriter()
      writer.write(document, source: describe(source, sheet: sheet, document: document, mapping: given))
      outputs.append((path, writer.text, writer.cells))
    }

    // Check the documents together (ids and 内数 across them), with the configuration that will
    // apply where they are written.
    var inputs = Inputs()
    var configurations: [String: Configuration] = [:]
    for file in outputs where file.path != "-" {
      configurations[file.path] = inputs.configuration(forAbsolutePath: Paths.absolute(file.path, in: inputs.workingDirectory))
    }
    let analysis = Analyzer.analyze(outputs.map { SourceFile(path: $0.path, bytes: $0.bytes) }, configuration: { [configurations] in configurations[$0] ?? .default })
    Lifetime.keepUntilExit((documents, outputs, analysis))
    // Only a value the import let through can break the syntax: name its cell, write nothing.
    for (file, written) in zip(analysis.files, outputs) {
      guard let error = file.diagnostics.first(where: { $0.ruleID == "syntax-error" }) else { continue }
      let cell = cellOf(error.range.start, starts: ImportWriter.statementStarts(file.facts), cells: written.cells)
      throw ImportError("\(source.name): \(cell.map { $0.reference + ": " } ?? "")a value cannot be written as Yosan text (\(error.message))")
    }

    if let directory {
      try FileSystem.writeDirectory(directory, files: outputs.map { (String($0.path.dropFirst(directory.count + 1)), $0.bytes) })
    } else if let output {
      try FileSystem.writeFile(output, outputs[0].bytes)
    } else {
      console.output.bytes(outputs[0].bytes)
    }

    var errors = 0
    var warnings = 0
    for (file, written) in zip(analysis.files, outputs) {
      let starts = ImportWriter.statementStarts(file.facts)
      for var diagnostic in file.diagnostics {
        if let cell = cellOf(diagnostic.range.start, starts: starts, cells: written.cells) {
          diagnostic.message += " (\(cell.reference))"
        }
        if diagnostic.severity == .error { errors += 1 }
        if diagnostic.severity == .warning { warnings += 1 }
        console.error.line(TextReporter.line(for: diagnostic, in: file.facts))
      }
    }
    let items = documents.map(\.itemCount).reduce(0, +)
    let target = directory.map { "\(documents.count) files in \($0)" } ?? (output ?? "standard output")
    console.error.line(
      "yosan: imported \(TextReporter.plural(items, "item")) from \(source.name) into \(target): \(TextReporter.plural(errors, "error")), \(TextReporter.plural(warnings, "warning"))"
    )
    return errors > 0 ? 1 : 0
  }

  /// The comment at the top of an imported file.
  static func describe(_ source: ImportSource, sheet: Sheet, document: ImportedDocument, mapping: ImportMapping?) -> String {
    var text = "Imported by yosan import from \(source.name)"
    switch source.kind {
    case .xlsx: text += ", sheet \(sheet.name)"
    case .csv, .tsv: text += " (\(source.kind.rawValue), \(source.encoding?.rawValue ?? "utf-8"))"
    }
    if let rows = document.rows { text += rows.count == 1 ? ", row \(rows.lowerBound)" : ", rows \(rows.lowerBound)–\(rows.upperBound)" }
    if let file = document.file { text += " (the items of \(file))" }
    if let path = mapping?.path { text += ", mapping \(path)" }
    return text + "."
  }

  /// The cell of the last statement that starts at or before `offset`.
  static func cellOf(_ offset: Int, starts: [Int], cells: [SourceCell?]) -> SourceCell? {
    var low = 0
    var high = starts.count
    while low < high {
      let middle = (low + high) / 2
      if starts[middle] <= offset { low = middle + 1 } else { high = middle }
    }
    let index = low - 1
    guard index >= 0, index < cells.count else { return nil }
    return cells[index]
  }

  static let help = """
    Usage: yosan import [options] INPUT -o OUTPUT.yosan
           yosan import --print-mapping [--sheet S] [--encoding E] INPUT

    Reads a spreadsheet and writes it as a .yosan file in `yosan fmt`'s layout, with a comment
    naming the source, then checks it: each finding names the output's line and, in its message,
    the source cell (概算要求!C12). INPUT is a CSV or TSV file (UTF-8 with or without a byte order
    mark, UTF-16, or CP932/Shift_JIS: detected), an .xlsx workbook (as Excel, LibreOffice and
    others write it), or - for standard input.

    Yosan's own export (yosan export --format csv or xlsx) imports without options; the rows of
    several files go to a folder (-o FOLDER/), one file each. Other layouts need a mapping file:
    `key = column` lines (the column by its header, or by its letter: C列), such as
      title = 事業名
      division = 担当課
      request = 要求額
      previous = 前年度予算額
      unit = 百万円
    --print-mapping proposes one from the header row (Japanese headers such as 事業名, 担当課,
    要求額, 前年度予算額, 令和7年度要求額（千円）and notes such as （単位：百万円） are recognised).
    The keys are in Spec/import.md.

    Options:
      -o, --output PATH    the .yosan file to write (a folder, ending in /, for several); without
                           it, standard output
      --sheet NAME|N       the sheet of a workbook (by name or 1-based number); by default 事業
                           (Yosan's own), else the first visible sheet
      --encoding E         utf-8, cp932 (also shift_jis) or utf-16, instead of detecting it
      --mapping FILE       the mapping of the columns, for layouts other than Yosan's own
      --print-mapping      print a mapping proposed from the header row, and write nothing

    Exit status:
      0  written; the check found no error
      1  written; the check found errors (listed with their source cells)
      2  nothing written: a usage or I/O problem, or input that cannot be imported (a cell that
         is not an amount, a unit that cannot be read, an id given twice, …: the cell is named)

    """
}
