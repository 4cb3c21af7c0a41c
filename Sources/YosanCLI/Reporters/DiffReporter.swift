import YosanCore
import YosanJSON
import YosanSheets

/// The outputs of `yosan diff`: text (grouped by section, the largest changes first, `△` for
/// decreases), JSON (Spec/diff-output.md), CSV (one row per change) and Markdown (for a pull
/// request comment). Every figure's text comes from `Figures` through `AmountChange`.
enum DiffReporter {
  /// Version 1: the first.
  static let schemaVersion = 1

  // MARK: - Shared wording

  /// `地域包括ケアシステムの推進 › 認知症施策` or `(no section)`.
  static func sections(_ sections: [String]) -> String {
    sections.isEmpty ? "(no section)" : sections.map { $0.isEmpty ? "(untitled)" : $0 }.joined(separator: " › ")
  }

  /// `(+3億円, +300,000,000円, +25%)`, or empty when no side counts.
  static func changeText(_ change: AmountChange) -> String {
    guard let delta = change.deltaText, let yen = change.deltaYenText else { return "" }
    return "(" + ([delta, yen] + (change.percentText.map { [$0] } ?? [])).joined(separator: ", ") + ")"
  }

  static func written(_ value: AmountValue?) -> String { value?.written ?? "(not written)" }

  static func tags(_ tags: [Tag]) -> String { tags.isEmpty ? "(none)" : tags.map(\.rawValue).joined(separator: ", ") }

  /// One line for a field: `予算額: 12億円 → 15億円 (+3億円, +300,000,000円, +25%)`.
  static func fieldText(_ field: FieldChange) -> String {
    switch field.value {
    case .amount(let change):
      let tail = changeText(change)
      return "\(field.key): \(written(change.old)) → \(written(change.new))" + (tail.isEmpty ? "" : " " + tail)
    case .text(let old, let new):
      return "\(field.key): \(old ?? "(not written)") → \(new ?? "(not written)")"
    case .tags(let added, let removed, let old, let new):
      var notes: [String] = []
      if !added.isEmpty { notes.append("added " + added.map(\.rawValue).joined(separator: ", ")) }
      if !removed.isEmpty { notes.append("removed " + removed.map(\.rawValue).joined(separator: ", ")) }
      return "\(field.key): \(tags(old)) → \(tags(new)) (\(notes.joined(separator: "; ")))"
    }
  }

  static func rowText(_ row: RowChange) -> String {
    let name = "\(row.breakdown) › \(row.label)"
    let tail = changeText(row.amount)
    if row.amount.old == nil { return "\(name): added, \(written(row.amount.new))" + (tail.isEmpty ? "" : " " + tail) }
    if row.amount.new == nil { return "\(name): removed, was \(written(row.amount.old))" + (tail.isEmpty ? "" : " " + tail) }
    return "\(name): \(written(row.amount.old)) → \(written(row.amount.new))" + (tail.isEmpty ? "" : " " + tail)
  }

  static func moveText(_ move: ItemChange.Move) -> [String] {
    var lines: [String] = []
    if let from = move.fromFile, let to = move.toFile { lines.append("moved from file \(from) to \(to)") }
    if move.fromSections != move.toSections { lines.append("moved from 分野 \(sections(move.fromSections)) to \(sections(move.toSections))") }
    if move.fromParent != move.toParent {
      lines.append("moved from \(move.fromParent.map { "inside \($0)" } ?? "the top level") to \(move.toParent.map { "inside \($0)" } ?? "the top level")")
    }
    return lines
  }

  static func itemName(_ place: ItemPlace?) -> String {
    guard let place else { return "" }
    return (place.id ?? "(no id)") + (place.title.map { " \"\($0)\"" } ?? "")
  }

  /// What the item's line says after its name.
  static func headline(_ change: ItemChange) -> String {
    switch change.kind {
    case .added:
      let request = change.new?.request.map { ", \(change.new!.requestKey) \($0.written)" } ?? ""
      return "added" + request
    case .removed:
      let request = change.old?.request.map { ", \(change.old!.requestKey) \($0.written)" } ?? ""
      return "removed" + request
    case .renamed:
      return "probable rename of \(change.old?.id ?? "?") (same title and division)"
    case .changed:
      return change.matchedByTitle ? "changed (no id: matched by its title)" : "changed"
    }
  }

  static func sideLine(_ name: String, _ side: BudgetDiff.SideSummary) -> String {
    "\(name): \(TextReporter.plural(side.files, "file")), \(TextReporter.plural(side.items, "item")), "
      + "\(TextReporter.plural(side.errors, "error")), \(TextReporter.plural(side.warnings, "warning"))"
  }

  static func syntaxNotes(_ diff: BudgetDiff) -> [String] {
    var notes: [String] = []
    for (name, side) in [("old", diff.old), ("new", diff.new)] where !side.filesWithSyntaxErrors.isEmpty {
      notes.append(
        "note: the \(name) version has syntax errors in \(side.filesWithSyntaxErrors.joined(separator: ", ")) (listed on standard error); only its readable items are compared")
    }
    return notes
  }

  static func countsText(_ counts: BudgetDiff.Counts) -> String {
    "\(counts.added) added, \(counts.removed) removed, \(counts.renamed) renamed, \(counts.moved) moved, \(counts.changed) changed"
  }

  static func totalLine(_ label: String, _ change: AmountChange) -> String {
    "\(label): \(change.old?.written ?? "") → \(change.new?.written ?? "") \(changeText(change))"
  }

  // MARK: - Text

  static func text(_ diff: BudgetDiff, names: DiffNames, color: Bool) -> String {
    func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    var out = paint("yosan diff \(names.old) → \(names.new)", "1") + "\n"
    out += sideLine("old", diff.old) + "\n" + sideLine("new", diff.new) + "\n"
    for note in syntaxNotes(diff) { out += note + "\n" }
    guard !diff.isEmpty else { return out + "no differences in \(TextReporter.plural(diff.new.items, "item"))\n" }
    out += totalLine("\(diff.new.requestKey) total", diff.requestChange) + "\n"
    out += totalLine("前年度 total", diff.previousChange) + "\n"
    out += countsText(diff.counts) + "\n"
    for document in diff.documents {
      out += "\n"
      switch document.kind {
      case .added: out += paint("+ file \(document.newFile ?? ""): added", "32") + "\n"
      case .removed: out += paint("- file \(document.oldFile ?? ""): removed", "31") + "\n"
      case .changed:
        out += paint("~ file \(document.newFile ?? ""): header changed", "33") + "\n"
        for field in document.fields { out += "    " + fieldText(field) + "\n" }
      }
    }
    for group in diff.groups {
      out += "\n" + paint("@ \(group.file) › \(sections(group.sections))", "36") + "\n"
      for change in group.changes {
        let place = (change.new ?? change.old)!
        let line = change.kind == .removed ? "line \(place.line) of the old version" : "line \(place.line)"
        let marker: String
        let code: String
        switch change.kind {
        case .added: (marker, code) = ("+", "32")
        case .removed: (marker, code) = ("-", "31")
        default: (marker, code) = ("~", "33")
        }
        out += paint("\(marker) \(itemName(change.new ?? change.old)) (\(line)): \(headline(change))", code) + "\n"
        if let move = change.move { for text in moveText(move) { out += "    " + text + "\n" } }
        for field in change.fields where field.key != "id" { out += "    " + fieldText(field) + "\n" }
        for row in change.rows { out += "    " + rowText(row) + "\n" }
      }
    }
    return out
  }

  // MARK: - Markdown

  /// A pull request comment: the totals as a table, then one table per section.
  static func markdown(_ diff: BudgetDiff, names: DiffNames) -> String {
    var out = "### yosan diff `\(code(names.old))` → `\(code(names.new))`\n\n"
    for note in syntaxNotes(diff) { out += "> " + escape(note) + "\n\n" }
    guard !diff.isEmpty else { return out + "No differences in \(TextReporter.plural(diff.new.items, "item")).\n" }
    out += "| | old | new | 増△減 | 円 | % |\n|---|--:|--:|--:|--:|--:|\n"
    for (label, change) in [("\(diff.new.requestKey) total", diff.requestChange), ("前年度 total", diff.previousChange)] {
      out += "| \(label) | \(change.old?.written ?? "") | \(change.new?.written ?? "") | \(change.deltaText ?? "") | \(change.deltaYenText ?? "") | \(change.percentText ?? "") |\n"
    }
    out += "\n**\(countsText(diff.counts))** · old: \(diff.old.errors) errors, \(diff.old.warnings) warnings · new: \(diff.new.errors) errors, \(diff.new.warnings) warnings\n"
    if !diff.documents.isEmpty {
      out += "\n#### Files\n\n| | file | change |\n|---|---|---|\n"
      for document in diff.documents {
        switch document.kind {
        case .added: out += "| ＋ | `\(code(document.newFile ?? ""))` | added |\n"
        case .removed: out += "| − | `\(code(document.oldFile ?? ""))` | removed |\n"
        case .changed:
          for field in document.fields { out += "| ～ | `\(code(document.newFile ?? ""))` | \(escape(fieldText(field))) |\n" }
        }
      }
    }
    for group in diff.groups {
      out += "\n#### \(escape(sections(group.sections)))\n\n`\(code(group.file))`\n\n"
      out += "| | 事業 | 項目 | old | new | 増△減 | % |\n|---|---|---|--:|--:|--:|--:|\n"
      for change in group.changes {
        let marker = change.kind == .added ? "＋" : change.kind == .removed ? "−" : "～"
        let name = "`\(code(change.id ?? "(no id)"))` \(escape(change.title ?? ""))"
        let lines = tableLines(change)
        for (index, line) in lines.enumerated() {
          out += "| \(index == 0 ? marker : "") | \(index == 0 ? name : "") | \(escape(line.label)) | \(escape(line.old)) | \(escape(line.new)) | \(line.delta) | \(line.percent) |\n"
        }
      }
    }
    return out
  }

  /// One line of a table of changes: what changed, old, new, 増△減 in the unit shown, %.
  struct TableLine {
    var label: String
    var old: String
    var new: String
    var delta: String
    var percent: String
  }

  /// The lines of an item's change in a table (Markdown, the HTML report): the request of an item
  /// added or removed, a rename, where it moved, each changed field and breakdown row.
  static func tableLines(_ change: ItemChange) -> [TableLine] {
    var lines: [TableLine] = []
    func amount(_ label: String, _ c: AmountChange) {
      lines.append(TableLine(label: label, old: c.old?.written ?? "", new: c.new?.written ?? "", delta: c.deltaText ?? "", percent: c.percentText ?? ""))
    }
    func text(_ label: String, _ old: String, _ new: String) { lines.append(TableLine(label: label, old: old, new: new, delta: "", percent: "")) }
    switch change.kind {
    case .added, .removed:
      amount((change.new ?? change.old)!.requestKey + (change.kind == .added ? " (added)" : " (removed)"), change.requestChange)
    case .renamed:
      text("id (probable rename)", change.old?.id ?? "", change.new?.id ?? "")
    case .changed:
      break
    }
    if let move = change.move {
      if let from = move.fromFile, let to = move.toFile { text("file (moved)", from, to) }
      if move.fromSections != move.toSections { text("分野 (moved)", sections(move.fromSections), sections(move.toSections)) }
      if move.fromParent != move.toParent { text("parent (moved)", move.fromParent ?? "", move.toParent ?? "") }
    }
    for field in change.fields where field.key != "id" {
      switch field.value {
      case .amount(let c): amount(field.key, c)
      case .text(let old, let new): text(field.key, old ?? "", new ?? "")
      case .tags(_, _, let old, let new): text(field.key, tags(old), tags(new))
      }
    }
    for row in change.rows { amount("\(row.breakdown) › \(row.label)", row.amount) }
    return lines
  }

  /// Text safe in a Markdown table cell: HTML, emphasis, links and `|` escaped, lines joined.
  static func escape(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "|": out += "\\|"
      case "\\", "*", "_", "[", "]", "`", "#", "~": out += "\\" + String(c)
      case "\n", "\r": out += " "
      default: out.append(c)
      }
    }
    return out
  }

  /// Text inside a code span: backticks would end it, `|` would end the cell.
  static func code(_ text: String) -> String {
    text.replacingAll("`", with: "'").replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
  }

  // MARK: - CSV

  static let csvColumns = ["action", "kind", "file", "line", "section", "id", "title", "field", "old", "new", "change", "change_yen", "change_percent"]

  /// One row per change (RFC 4180, CRLF). `action` uses the tags of the Tabular Diff Format:
  /// `+++` added, `---` removed, `->` changed, `:` moved.
  static func csv(_ diff: BudgetDiff) -> String {
    var out = CSV.record(csvColumns)
    func row(_ fields: [String]) { out += CSV.record(fields) }
    func figures(_ change: AmountChange) -> [String] {
      [change.deltaText ?? "", change.delta?.description ?? "", change.ratio.flatMap(Figures.percent) ?? ""]
    }
    for document in diff.documents {
      let file = document.newFile ?? document.oldFile ?? ""
      switch document.kind {
      case .added: row(["+++", "file", file, "", "", "", "", "", "", "", "", "", ""])
      case .removed: row(["---", "file", file, "", "", "", "", "", "", "", "", "", ""])
      case .changed:
        for field in document.fields {
          guard case .text(let old, let new) = field.value else { continue }
          row(["->", "document", file, "", "", "", "", field.key, old ?? "", new ?? "", "", "", ""])
        }
      }
    }
    for group in diff.groups {
      for change in group.changes {
        let place = (change.new ?? change.old)!
        let base = [place.file, String(place.line), sections(place.sections), change.id ?? "", change.title ?? ""]
        switch change.kind {
        case .added, .removed:
          let request = change.requestChange
          row(
            [change.kind == .added ? "+++" : "---", change.kind.rawValue] + base
              + [place.requestKey, request.old?.written ?? "", request.new?.written ?? ""] + figures(request))
          continue
        case .renamed:
          row(["->", "renamed"] + base + ["id", change.old?.id ?? "", change.new?.id ?? "", "", "", ""])
        case .changed:
          break
        }
        if let move = change.move {
          if let from = move.fromFile, let to = move.toFile { row([":", "moved"] + base + ["file", from, to, "", "", ""]) }
          if move.fromSections != move.toSections {
            row([":", "moved"] + base + ["分野", sections(move.fromSections), sections(move.toSections), "", "", ""])
          }
          if move.fromParent != move.toParent { row([":", "moved"] + base + ["parent", move.fromParent ?? "", move.toParent ?? "", "", "", ""]) }
        }
        for field in change.fields where field.key != "id" {
          switch field.value {
          case .amount(let c): row(["->", "changed"] + base + [field.key, c.old?.written ?? "", c.new?.written ?? ""] + figures(c))
          case .text(let old, let new): row(["->", "changed"] + base + [field.key, old ?? "", new ?? "", "", "", ""])
          case .tags(_, _, let old, let new): row(["->", "changed"] + base + [field.key, old.map(\.rawValue).joined(separator: "、"), new.map(\.rawValue).joined(separator: "、"), "", "", ""])
          }
        }
        for r in change.rows {
          let action = r.amount.old == nil ? "+++" : r.amount.new == nil ? "---" : "->"
          row([action, "row"] + base + ["\(r.breakdown) › \(r.label)", r.amount.old?.written ?? "", r.amount.new?.written ?? ""] + figures(r.amount))
        }
      }
    }
    return out
  }

  // MARK: - JSON

  static func json(_ diff: BudgetDiff, names: DiffNames, problems: [IOError]) -> JSON {
    let counts = diff.counts
    return .object([
      ("version", .int(schemaVersion)),
      ("tool", .object([("name", .string("yosan")), ("version", .string(CommandLineTool.version))])),
      ("old", side(names.old, diff.old)),
      ("new", side(names.new, diff.new)),
      (
        "summary",
        .object([
          ("equal", .bool(diff.isEmpty)),
          ("request", change(diff.requestChange)), ("previous", change(diff.previousChange)),
          ("added", .int(counts.added)), ("removed", .int(counts.removed)), ("renamed", .int(counts.renamed)),
          ("moved", .int(counts.moved)), ("changed", .int(counts.changed)),
        ])
      ),
      (
        "documents",
        .array(
          diff.documents.map { document in
            .object([
              ("kind", .string(document.kind.rawValue)), ("oldFile", string(document.oldFile)), ("newFile", string(document.newFile)),
              ("fields", .array(document.fields.map(field))),
            ])
          })
      ),
      ("changes", .array(diff.changes.map(item))),
      ("problems", .array(problems.map { .object([("kind", .string("io")), ("file", .string($0.path)), ("message", .string($0.reason))]) })),
    ])
  }

  static func side(_ name: String, _ side: BudgetDiff.SideSummary) -> JSON {
    .object([
      ("name", .string(name)), ("files", .int(side.files)), ("items", .int(side.items)), ("requestKey", .string(side.requestKey)),
      ("request", total(side.request)), ("previous", total(side.previous)),
      ("errors", .int(side.errors)), ("warnings", .int(side.warnings)),
      ("filesWithSyntaxErrors", .array(side.filesWithSyntaxErrors.map { .string($0) })),
    ])
  }

  static func total(_ total: BudgetDiff.Total) -> JSON {
    .object([("yen", .number(total.yen.description)), ("unit", .string(total.unit.symbol)), ("text", .string(Figures.amount(total.yen, in: total.unit)))])
  }

  static func item(_ change: ItemChange) -> JSON {
    var moved: JSON = .null
    if let move = change.move {
      moved = .object([
        ("fromFile", string(move.fromFile)), ("toFile", string(move.toFile)),
        ("fromSections", .array(move.fromSections.map { .string($0) })), ("toSections", .array(move.toSections.map { .string($0) })),
        ("fromParent", string(move.fromParent)), ("toParent", string(move.toParent)),
      ])
    }
    return .object([
      ("kind", .string(change.kind.rawValue)),
      ("id", string(change.id)),
      ("title", string(change.title)),
      ("matchedBy", .string(change.kind == .renamed ? "title and division" : change.matchedByTitle ? "title" : change.kind == .changed ? "id" : "none")),
      ("old", change.old.map(place) ?? .null),
      ("new", change.new.map(place) ?? .null),
      ("moved", moved),
      ("fields", .array(change.fields.map(field))),
      (
        "rows",
        .array(
          change.rows.map { row in
            .object([
              ("breakdown", .string(row.breakdown)), ("label", .string(row.label)),
              ("old", row.amount.old.map(amount) ?? .null), ("new", row.amount.new.map(amount) ?? .null),
              ("change", self.change(row.amount)),
            ])
          })
      ),
    ])
  }

  static func place(_ place: ItemPlace) -> JSON {
    .object([
      ("file", .string(place.file)), ("line", .int(place.line)), ("id", string(place.id)), ("title", string(place.title)),
      ("sections", .array(place.sections.map { .string($0) })), ("parent", string(place.parent)),
      ("requestKey", .string(place.requestKey)),
      ("request", place.request.map(amount) ?? .null), ("previous", place.previous.map(amount) ?? .null),
    ])
  }

  static func field(_ field: FieldChange) -> JSON {
    switch field.value {
    case .amount(let c):
      return .object([
        ("key", .string(field.key)), ("type", .string("amount")),
        ("old", c.old.map(amount) ?? .null), ("new", c.new.map(amount) ?? .null), ("change", change(c)),
      ])
    case .text(let old, let new):
      return .object([("key", .string(field.key)), ("type", .string("text")), ("old", string(old)), ("new", string(new))])
    case .tags(let added, let removed, let old, let new):
      func list(_ tags: [Tag]) -> JSON { .array(tags.map { .string($0.rawValue) }) }
      return .object([
        ("key", .string(field.key)), ("type", .string("tags")), ("old", list(old)), ("new", list(new)),
        ("added", list(added)), ("removed", list(removed)),
      ])
    }
  }

  static func amount(_ value: AmountValue) -> JSON {
    .object([("written", .string(value.written)), ("yen", value.yen.map { .number($0.description) } ?? .null)])
  }

  /// `{yen, text, yenText, percent}`: null members when a side does not count.
  static func change(_ change: AmountChange) -> JSON {
    .object([
      ("yen", change.delta.map { .number($0.description) } ?? .null),
      ("text", string(change.deltaText)),
      ("yenText", string(change.deltaYenText)),
      ("percent", change.ratio.flatMap(Figures.percent).map { .number($0) } ?? .null),
    ])
  }

  static func string(_ text: String?) -> JSON { text.map { .string($0) } ?? .null }
}
