import YosanCore
import YosanJSON
import YosanSyntax

/// `yosan report`: one self-contained HTML file for people who read budgets. No external
/// resource (inline CSS and SVG, one small script that sorts the table, draws its rows and the
/// detail cards and opens everything for printing); it prints on A4 landscape. Every text from a
/// budget file goes through `HTMLWriter.text` or `.json`. Figures are written by `Figures` in the
/// unit the source uses; charts use floating point for their geometry only.
///
/// Written for large budgets: the bytes are written once into one buffer (`HTMLWriter`); what the
/// browser must build before the report is shown is bounded (the treemap has at most
/// `treemapItemsUpTo` item rectangles; beyond `allAtOnceUpTo` items the table's rows and the
/// cards wait, as text and data, for the script to draw them once the report is on screen).
struct HTMLReport {
  var title: String
  var analysis: WorkspaceAnalysis
  /// The changes from `--base`, when given.
  var diff: BudgetDiff?
  var baseName: String?
  /// The folder the report is written to, for links to the budget files.
  var reportFolder: String
  var workingDirectory: String

  /// One item of the table, the cards and the charts.
  struct Row {
    var anchor: String
    var item: Item
    var facts: FileFacts
    var sections: [String]
    var parent: Int?
    var isTopLevel: Bool
    var sums: [SumCheck]
  }

  /// Up to this many items, the table's rows are in the page as HTML and every card is drawn when
  /// the report opens; beyond, the rows are drawn by the script once the report is shown,
  /// and a card when it is asked for (all of them for printing).
  static let allAtOnceUpTo = 500

  /// The treemap draws at most this many items as their own rectangle, and none smaller than
  /// `treemapSmallestArea` square units (10 × 10 of the 1000 × 560 chart, about 3 mm square on A4):
  /// the rest of a 分野 is one rectangle, coloured by their change together.
  static let treemapItemsUpTo = 1000
  static let treemapSmallestArea = 100.0

  // MARK: - Collecting

  func rows() -> [Row] {
    var rows: [Row] = []
    for file in analysis.files {
      let facts = file.facts
      func add(_ item: Item, sections: [String], parent: Int?) {
        let index = rows.count
        rows.append(
          Row(
            anchor: "item-\(index + 1)", item: item, facts: facts, sections: sections, parent: parent, isTopLevel: parent == nil,
            sums: SumChecks.breakdowns(of: item, in: facts, collecting: false)))
        for sub in item.subItems { add(sub, sections: sections, parent: index) }
      }
      func visit(_ members: [Member], sections: [String]) {
        for member in members {
          switch member {
          case .item(let item): add(item, sections: sections, parent: nil)
          case .section(let section): visit(section.members, sections: sections + [section.title?.text ?? ""])
          }
        }
      }
      visit(facts.document.members, sections: [])
    }
    return rows
  }

  /// Whether the item counts in the totals: not inside another item, not 再掲.
  static func counts(_ row: Row) -> Bool { row.isTopLevel && !row.item.has(.restated) }

  // MARK: - Rendering

  func render() -> [UInt8] {
    let rows = rows()
    var out = HTMLWriter(capacity: 16384 + rows.count * 800)
    out += "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    out += "<meta name=\"generator\" content=\"yosan \(CommandLineTool.version)\">\n"
    out += "<title>"
    out.text(title)
    out += "</title>\n<style>\n\(HTMLReport.css)</style>\n</head>\n<body>\n"
    out += "<header><h1 id=\"report-title\">"
    out.text(title)
    out += "</h1><p class=\"meta\">\(analysis.files.count) files · \(rows.count) items · yosan \(CommandLineTool.version)"
    if let baseName {
      out += " · compared with <code>"
      out.text(baseName)
      out += "</code>"
    }
    out += "</p></header>\n<main>\n"
    summary(rows, into: &out)
    findings(rows, into: &out)
    treemap(rows, into: &out)
    waterfall(rows, into: &out)
    if let diff { changes(diff, rows: rows, into: &out) }
    table(rows, into: &out)
    cards(rows, into: &out)
    out += "</main>\n<script>\n\(HTMLReport.script)</script>\n</body>\n</html>\n"
    return out.bytes
  }

  static func total(_ amounts: [Amount]) -> (ExactDecimal, YenUnit) {
    var sum = ExactDecimal.zero
    for amount in amounts { sum = sum.adding(amount.yen) ?? sum }
    return (sum, Figures.displayUnit(of: amounts.map(\.unit)) ?? .yen)
  }

  func summary(_ rows: [Row], into out: inout HTMLWriter) {
    let counted = rows.filter(HTMLReport.counts)
    let requests = counted.compactMap { $0.item.request?.value.countedAmount }
    let previouses = counted.compactMap { $0.item.previous?.value.countedAmount }
    let (request, unit) = HTMLReport.total(requests)
    let (previous, _) = HTMLReport.total(previouses)
    let change = AmountChange(yen: previous, request, unit: unit)
    var errors = 0
    var warnings = 0
    var others = 0
    for file in analysis.files {
      for d in file.diagnostics {
        switch d.severity {
        case .error: errors += 1
        case .warning: warnings += 1
        default: others += 1
        }
      }
    }
    func card(_ label: String, _ value: String, _ note: String = "", id: String, yen: ExactDecimal? = nil, cls: String = "") {
      out += "<div class=\"card \(cls)\" id=\"\(id)\""
      if let yen { out += " data-yen=\"\(yen.description)\"" }
      out += "><div class=\"label\">\(label)</div><div class=\"value\""
      if let yen { out += " title=\"\(Figures.yen(yen))\"" }
      out += ">"
      out.text(value)
      out += "</div><div class=\"note\">"
      out.text(note)
      out += "</div></div>"
    }
    out += "<section id=\"summary\"><h2>概要 Summary</h2><div class=\"cards\">\n"
    card("要求額 合計", Figures.amount(request, in: unit), "\(counted.count) items (再掲・内数を除く)", id: "total-request", yen: request)
    card("前年度 合計", Figures.amount(previous, in: unit), "", id: "total-previous", yen: previous)
    let delta = change.delta ?? .zero
    card(
      "増△減", change.deltaText ?? "", (change.deltaYenText ?? "") + (change.percentText.map { " · " + $0 } ?? ""), id: "total-change",
      yen: delta, cls: delta.isNegative ? "down" : "up")
    for tag in [Tag.new, .expanded, .priority] {
      let tagged = counted.filter { $0.item.has(tag) }
      let (sum, tagUnit) = HTMLReport.total(tagged.compactMap { $0.item.request?.value.countedAmount })
      card("\(tag.rawValue)", "\(tagged.count) items", Figures.amount(sum, in: tagUnit), id: "tag-\(tag.alias)")
    }
    let status = errors == 0 && warnings == 0 ? "ok" : errors > 0 ? "bad" : "warn"
    card(
      "check", "\(TextReporter.plural(errors, "error")), \(TextReporter.plural(warnings, "warning"))",
      others > 0 ? "\(others) info and style notes" : "yosan \(CommandLineTool.version)", id: "check-status", cls: status)
    out += "</div></section>\n"
  }

  func findings(_ rows: [Row], into out: inout HTMLWriter) {
    var byFile: [ObjectIdentifier: [Int]] = [:]
    for (index, row) in rows.enumerated() { byFile[ObjectIdentifier(row.facts), default: []].append(index) }
    let count = analysis.files.reduce(0) { $0 + $1.diagnostics.count }
    out += "<section id=\"findings\"><h2>検査結果 Findings (\(count))</h2>\n"
    guard count > 0 else {
      out += "<p class=\"ok\">No findings: every file is consistent.</p>\n</section>\n"
      return
    }
    out += "<ul class=\"findings\">\n"
    for file in analysis.files {
      let fileRows = byFile[ObjectIdentifier(file.facts)] ?? []
      let link = link(to: file.facts.path)
      for d in file.diagnostics {
        let (line, column) = file.facts.position(of: d.range.start)
        // The last item starting at or before the finding, then its parents, until one contains it.
        var low = 0
        var high = fileRows.count
        while low < high {
          let mid = (low + high) / 2
          if rows[fileRows[mid]].item.range.start <= d.range.start { low = mid + 1 } else { high = mid }
        }
        // Only the ancestors of the last item starting before the finding can contain it.
        var found: Int?
        var candidate: Int? = low > 0 ? fileRows[low - 1] : nil
        while let index = candidate {
          if rows[index].item.range.touches(d.range.start) {
            found = index
            break
          }
          candidate = rows[index].parent
        }
        out += "<li class=\"\(d.severity.description)\"><span class=\"sev\">\(d.severity.description)</span> <a class=\"loc\" href=\""
        out.text(link)
        out += "\">"
        out.text("\(file.facts.path):\(line):\(column)")
        out += "</a> "
        if let found {
          let row = rows[found]
          out += "<a class=\"item\" href=\"#\(row.anchor)\">"
          out.text(row.item.id?.id ?? row.item.title?.text ?? "事業")
          out += "</a> "
        }
        out.text(d.message)
        out += " <code>"
        out.text(d.ruleID)
        out += "</code></li>\n"
      }
    }
    out += "</ul>\n</section>\n"
  }

  /// A relative link from the report's folder to a budget file.
  func link(to path: String) -> String {
    let absolute = Paths.absolute(path, in: workingDirectory)
    let from = reportFolder.split(separator: "/")
    let to = absolute.split(separator: "/")
    var common = 0
    while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
    let up = Array(repeating: "..", count: from.count - common)
    return (up + to[common...].map(String.init)).map(HTMLReport.percentEncode).joined(separator: "/")
  }

  /// A path segment for a URL: everything but unreserved ASCII percent-encoded (UTF-8).
  static func percentEncode(_ segment: String) -> String {
    if segment == ".." { return segment }
    var out = ""
    for byte in segment.utf8 {
      let c = Character(Unicode.Scalar(byte))
      if byte < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) {
        out.append(c)
      } else {
        let hex = Array("0123456789ABCDEF")
        out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
      }
    }
    return out
  }

  // MARK: - Charts

  static func double(_ value: ExactDecimal) -> Double {
    var result = Double(value.significand)
    if value.exponent >= 0 {
      for _ in 0..<value.exponent { result *= 10 }
    } else {
      for _ in 0..<(-value.exponent) { result /= 10 }
    }
    return result
  }

  /// The change's colour: blue for a decrease, red for an increase (±50% and beyond are the
  /// deepest), grey for none, violet for an item with no previous year (新規).
  static func color(_ ratio: Rational?) -> String {
    guard let ratio else { return "#b9a3d9" }
    let r = max(-0.5, min(0.5, Double(ratio.numerator) / Double(ratio.denominator))) / 0.5
    if r == 0 { return "#e4e4e4" }
    let (tr, tg, tb): (Double, Double, Double) = r < 0 ? (44, 123, 182) : (215, 48, 39)
    let t = 0.2 + 0.8 * abs(r)
    func mix(_ target: Double) -> Int { Int((240 + (target - 240) * t).rounded()) }
    let hex = Array("0123456789abcdef")
    func byte(_ v: Int) -> String { String(hex[v >> 4]) + String(hex[v & 15]) }
    return "#" + byte(mix(tr)) + byte(mix(tg)) + byte(mix(tb))
  }

  static func ratio(_ item: Item) -> Rational? {
    guard let request = item.request?.value.countedAmount, let previous = item.previous?.value.countedAmount else { return nil }
    return Figures.changeRatio(from: previous.yen, to: request.yen)
  }

  static func changeNote(_ item: Item) -> String {
    guard let request = item.request?.value.countedAmount else { return "" }
    guard let previous = item.previous?.value.countedAmount else { return "" }
    let change = AmountChange(
      yen: previous.yen, request.yen, unit: request.unit, fractionDigits: request.fractionDigits, oldUnit: previous.unit,
      oldFractionDigits: previous.fractionDigits)
    return (change.deltaText ?? "") + " · " + (change.deltaYenText ?? "") + (change.percentText.map { " · \($0)" } ?? "")
  }

  /// `<rect x=… y=… width=… height=…` (the tag left open for more attributes).
  static func rect(_ r: ChartRect, into out: inout HTMLWriter) {
    out += "<rect x=\""
    out.coordinate(r.x)
    out += "\" y=\""
    out.coordinate(r.y)
    out += "\" width=\""
    out.coordinate(r.width)
    out += "\" height=\""
    out.coordinate(r.height)
    out += "\""
  }

  func treemap(_ rows: [Row], into out: inout HTMLWriter) {
    let width = 1000.0
    let height = 560.0
    // 分野 (with the file when there is none), then its items by request.
    var groups: [(name: String, rows: [(row: Int, weight: Double)], weight: Double)] = []
    var index: [String: Int] = [:]
    for (at, row) in rows.enumerated() where HTMLReport.counts(row) {
      guard let amount = row.item.request?.value.countedAmount, !amount.yen.isNegative, !amount.yen.isZero else { continue }
      let name = row.sections.isEmpty ? Paths.withoutDotSlash(row.facts.path.split(separator: "/").last.map(String.init) ?? row.facts.path) : row.sections.joined(separator: " › ")
      let weight = HTMLReport.double(amount.yen)
      if let group = index[name] {
        groups[group].rows.append((at, weight))
        groups[group].weight += weight
      } else {
        index[name] = groups.count
        groups.append((name, [(at, weight)], weight))
      }
    }
    // The largest items have a rectangle of their own (at most treemapItemsUpTo of them).
    var weights = groups.flatMap { $0.rows.map(\.weight) }
    var smallestShown = 0.0
    if weights.count > HTMLReport.treemapItemsUpTo {
      weights.sort(by: >)
      smallestShown = weights[HTMLReport.treemapItemsUpTo - 1]
    }
    var shownCount = 0
    out += "<section id=\"treemap\"><h2>要求額の構成 Treemap</h2>\n"
    out += "<p class=\"hint\">面積は要求額、色は前年度からの増減（青: 減, 赤: 増, 紫: 前年度なし）。分野ごとに事業を並べ、小さな事業は分野ごとに点線の枠一つにまとめて、その増減で色を付ける。</p>\n"
    out += "<svg class=\"treemap\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"treemap of the request by 分野 and 事業\">\n"
    let sectionRects = Treemap.layout(groups.map(\.weight), in: ChartRect(x: 0, y: 0, width: width, height: height))
    for (group, rect) in zip(groups, sectionRects) where rect.width > 0 && rect.height > 0 {
      let labelled = rect.width > 60 && rect.height > 30
      out += "<g class=\"sec\">"
      HTMLReport.rect(rect, into: &out)
      out += " class=\"sec\"><title>"
      out.text(group.name)
      out += "</title></rect>\n"
      let inner = rect.inset(1.5, top: labelled ? 14 : 0)
      // Items too small to see or point at, and those beyond the largest treemapItemsUpTo, are
      // drawn as one rectangle.
      let scale = inner.width * inner.height / max(group.weight, 1e-300)
      var shown: [(row: Int, weight: Double)] = []
      // The rest together: its count and weight, and the change of those with a previous year.
      var rest = (count: 0, weight: 0.0, request: ExactDecimal.zero, previous: ExactDecimal.zero, withoutPrevious: 0)
      for (row, weight) in group.rows {
        if weight * scale < HTMLReport.treemapSmallestArea || weight < smallestShown || shownCount >= HTMLReport.treemapItemsUpTo {
          let item = rows[row].item
          rest.count += 1
          rest.weight += weight
          if let request = item.request?.value.countedAmount, let previous = item.previous?.value.countedAmount,
            let requests = rest.request.adding(request.yen), let previouses = rest.previous.adding(previous.yen)
          {
            (rest.request, rest.previous) = (requests, previouses)
          } else {
            rest.withoutPrevious += 1
          }
        } else {
          shown.append((row, weight))
          shownCount += 1
        }
      }
      let rects = Treemap.layout(shown.map(\.weight) + (rest.count > 0 ? [rest.weight] : []), in: inner)
      for (index, r) in rects.enumerated() where r.width > 0.05 && r.height > 0.05 {
        guard index < shown.count else {
          let ratio = rest.withoutPrevious < rest.count ? Figures.changeRatio(from: rest.previous, to: rest.request) : nil
          HTMLReport.rect(r, into: &out)
          out += " class=\"rest\" fill=\"\(HTMLReport.color(ratio))\"><title>\(rest.count) smaller items"
          if let ratio, let percent = Figures.increaseDecreasePercent(ratio) { out += ", \(percent) together" }
          if rest.withoutPrevious > 0 { out += " (\(rest.withoutPrevious) without a previous year)" }
          out += "</title></rect>\n"
          continue
        }
        let row = rows[shown[index].row]
        let item = row.item
        out += "<a href=\"#\(row.anchor)\">"
        HTMLReport.rect(r, into: &out)
        out += " fill=\"\(HTMLReport.color(HTMLReport.ratio(item)))\"\(item.has(.new) ? " class=\"new\"" : "")><title>"
        out.text("\(item.id?.id ?? "") \(item.title?.text ?? "") \(HTMLReport.amountText(item.request!.value.countedAmount!))")
        out += "</title></rect>"
        if r.width > 70 && r.height > 16 {
          let text = item.title?.text ?? item.id?.id ?? ""
          let fit = max(1, Int((r.width - 6) / 11))
          out += "<text x=\""
          out.coordinate(r.x + 3)
          out += "\" y=\""
          out.coordinate(r.y + 13)
          out += "\">"
          out.text(String(text.prefix(fit)))
          out += "</text>"
        }
        out += "</a>\n"
      }
      if labelled {
        let fit = max(1, Int((rect.width - 6) / 11))
        out += "<text class=\"sec\" x=\""
        out.coordinate(rect.x + 3)
        out += "\" y=\""
        out.coordinate(rect.y + 12)
        out += "\">"
        out.text(String(group.name.prefix(fit)))
        out += "</text>"
      }
      out += "</g>\n"
    }
    out += "</svg>\n</section>\n"
  }

  func waterfall(_ rows: [Row], into out: inout HTMLWriter) {
    // Per 分野: the change of the items whose request and previous year both count.
    var order: [String] = []
    var deltas: [String: ExactDecimal] = [:]
    var requests: [Amount] = []
    var previouses: [Amount] = []
    for row in rows where HTMLReport.counts(row) {
      let request = row.item.request?.value.countedAmount
      let previous = row.item.previous?.value.countedAmount
      if let request { requests.append(request) }
      if let previous { previouses.append(previous) }
      let name = row.sections.first.map { $0.isEmpty ? "(untitled)" : $0 } ?? "(no 分野)"
      if deltas[name] == nil { order.append(name) }
      let delta = (request?.yen ?? .zero).subtracting(previous?.yen ?? .zero) ?? .zero
      deltas[name] = (deltas[name] ?? .zero).adding(delta) ?? deltas[name]
    }
    let (requestTotal, unit) = HTMLReport.total(requests)
    let (previousTotal, _) = HTMLReport.total(previouses)
    // The largest twelve changes; the rest as その他.
    var steps = order.map { ($0, deltas[$0]!) }.filter { !$0.1.isZero }
    steps.sort { a, b in HTMLReport.magnitude(a.1) > HTMLReport.magnitude(b.1) }
    if steps.count > 12 {
      var rest = ExactDecimal.zero
      for step in steps[12...] { rest = rest.adding(step.1) ?? rest }
      steps = Array(steps[..<12]) + [("その他 (\(steps.count - 12) 分野)", rest)]
    }
    var bars: [(label: String, start: Double, end: Double, kind: String, text: String)] = []
    let p = HTMLReport.double(previousTotal)
    bars.append(("前年度 合計", 0, p, "total", Figures.amount(previousTotal, in: unit)))
    var level = p
    for (name, delta) in steps {
      let d = HTMLReport.double(delta)
      bars.append((name, level, level + d, delta.isNegative ? "down" : "up", Figures.increaseDecrease(delta, in: unit)))
      level += d
    }
    bars.append(("要求額 合計", 0, HTMLReport.double(requestTotal), "total", Figures.amount(requestTotal, in: unit)))
    let top = max(1, bars.map { max($0.start, $0.end) }.max() ?? 1)
    let bottom = min(0, bars.map { min($0.start, $0.end) }.min() ?? 0)
    // The interesting part is the top: start the axis below the smallest level when the changes are small.
    let lowest = bars.dropFirst().dropLast().map { min($0.start, $0.end) }.min() ?? 0
    let axis = bottom < 0 ? bottom : max(0, min(lowest, p, HTMLReport.double(requestTotal)) - (top - min(lowest, p)) * 0.5)
    let width = 1000.0
    let chartHeight = 300.0
    let slot = width / Double(bars.count)
    func y(_ v: Double) -> Double { 20 + (top - v) / max(1e-9, top - axis) * chartHeight }
    out += "<section id=\"waterfall\"><h2>前年度から要求額へ Waterfall</h2>\n"
    out += "<p class=\"hint\">前年度の合計から、分野ごとの増減（赤: 増, 青: 減。大きい順に12まで、残りは「その他」）を経て要求額の合計へ。"
    // Where the axis starts, in whole units of the totals (a label, not a figure to add up).
    var scale = 1.0
    for _ in 0..<unit.exponent { scale *= 10 }
    let axisLabel = Figures.amount(ExactDecimal(significand: Int128((axis / scale).rounded(.down)), exponent: unit.exponent), in: unit)
    if axis > 0 {
      out += "縦軸は "
      out.text(axisLabel)
      out += " から。"
    }
    out += "</p>\n"
    out += "<svg class=\"waterfall\" viewBox=\"0 0 \(Int(width)) 350\" role=\"img\" aria-label=\"waterfall from the previous total to the request total by 分野\">\n"
    for (i, bar) in bars.enumerated() {
      let x = Double(i) * slot + slot * 0.15
      let lowValue = bar.kind == "total" ? axis : min(bar.start, bar.end)
      let highValue = bar.kind == "total" ? bar.end : max(bar.start, bar.end)
      let y0 = y(highValue)
      let h = max(1, y(lowValue) - y0)
      out += "<g class=\"\(bar.kind)\">"
      HTMLReport.rect(ChartRect(x: x, y: y0, width: slot * 0.7, height: h), into: &out)
      out += "><title>"
      out.text("\(bar.label): \(bar.text)")
      out += "</title></rect><text class=\"amount\" x=\""
      out.coordinate(x + slot * 0.35)
      out += "\" y=\""
      out.coordinate(y0 - 4)
      out += "\" text-anchor=\"middle\">"
      out.text(bar.text)
      let fit = max(2, Int(slot / 11))
      let label = bar.label.count > fit ? String(bar.label.prefix(fit - 1)) + "…" : bar.label
      out += "</text><text class=\"label\" x=\""
      out.coordinate(x + slot * 0.35)
      out += "\" y=\""
      out.coordinate(20 + chartHeight + 18)
      out += "\" text-anchor=\"middle\">"
      out.text(label)
      out += "</text></g>\n"
    }
    out += "</svg>\n</section>\n"
  }

  static func magnitude(_ value: ExactDecimal) -> ExactDecimal { value.isNegative ? value.negated() : value }

  // MARK: - Changes from --base

  func changes(_ diff: BudgetDiff, rows: [Row], into out: inout HTMLWriter) {
    var anchors: [String: String] = [:]
    for row in rows { if let id = row.item.id?.id, anchors[id] == nil { anchors[id] = row.anchor } }
    out += "<section id=\"changes\"><h2>前版からの変更 Changes from <code>"
    out.text(baseName ?? "")
    out += "</code></h2>\n<p>"
    out.text("\(DiffReporter.countsText(diff.counts)) · \(DiffReporter.totalLine("\(diff.new.requestKey) 合計", diff.requestChange))")
    out += "</p>\n"
    for note in DiffReporter.syntaxNotes(diff) {
      out += "<p class=\"warn\">"
      out.text(note)
      out += "</p>\n"
    }
    if diff.isEmpty { out += "<p class=\"ok\">No differences.</p>\n" }
    for document in diff.documents {
      out += "<p class=\"doc\">"
      out.text(document.kind.rawValue)
      out += ": <code>"
      out.text(document.newFile ?? document.oldFile ?? "")
      out += "</code>"
      for field in document.fields {
        out += " · "
        out.text(DiffReporter.fieldText(field))
      }
      out += "</p>\n"
    }
    for group in diff.groups {
      out += "<h3>"
      out.text(DiffReporter.sections(group.sections))
      out += " <small>"
      out.text(group.file)
      out += "</small></h3>\n"
      out += "<table class=\"changes\"><thead><tr><th></th><th>事業</th><th>項目</th><th class=\"num\">旧</th><th class=\"num\">新</th><th class=\"num\">増△減</th><th class=\"num\">%</th></tr></thead><tbody>\n"
      for change in group.changes {
        let marker = change.kind == .added ? "＋" : change.kind == .removed ? "−" : "～"
        let anchor = change.new?.id.flatMap { anchors[$0] }
        for (i, line) in DiffReporter.tableLines(change).enumerated() {
          let cls = line.delta.hasPrefix("△") ? " down" : line.delta.hasPrefix("+") ? " up" : ""
          out += "<tr><td>\(i == 0 ? marker : "")</td><td>"
          if i == 0 {
            if let anchor { out += "<a href=\"#\(anchor)\">" }
            out.text(change.id ?? "(no id)")
            if anchor != nil { out += "</a>" }
            out += " "
            out.text(change.title ?? "")
          }
          out += "</td><td>"
          out.text(line.label)
          out += "</td><td class=\"num\">"
          out.text(line.old)
          out += "</td><td class=\"num\">"
          out.text(line.new)
          out += "</td><td class=\"num\(cls)\">"
          out.text(line.delta)
          out += "</td><td class=\"num\">"
          out.text(line.percent)
          out += "</td></tr>\n"
        }
      }
      out += "</tbody></table>\n"
    }
    out += "</section>\n"
  }

  // MARK: - Table and cards

  /// ✓ (consistent), ✗ (not) or ? (unverifiable), with the rows' sum and interval for hover.
  static func sumMark(_ check: SumCheck) -> (mark: String, cls: String, tip: String) {
    let mark: String
    let cls: String
    switch check.status {
    case .consistent: (mark, cls) = ("✓", "ok")
    case .inconsistent: (mark, cls) = ("✗", "bad")
    case .unverifiable: (mark, cls) = ("?", "warn")
    }
    var tip = "\(check.subject ?? "内訳"): Σ rows \(check.rowsSum.map(Figures.yen) ?? "?")"
    if let interval = check.rowsInterval { tip += " \(Figures.interval(interval))" }
    tip += "; total \(Figures.yen(check.total.yen))"
    return (mark, cls, tip)
  }

  /// The table of every item. Kept lean, as it is most of what the browser builds for a large
  /// budget: optional end tags left out, amounts as the text shown (exact, in the source's unit;
  /// the script reads the yen from it for sorting and for the hover), alignment by column in CSS.
  /// Beyond `allAtOnceUpTo` items the rows are text in a `<script type="text/html">` (not parsed
  /// as HTML while the page loads) that the script draws once the report is shown (the first 100 at once).
  func table(_ rows: [Row], into out: inout HTMLWriter) {
    let deferred = rows.count > HTMLReport.allAtOnceUpTo
    out += "<section id=\"items\"><h2>事業一覧 Items (\(rows.count))</h2>\n"
    out += "<p class=\"hint\">見出しをクリックすると並べ替え。金額は原本の単位（円はマウスを重ねると表示）。Σ: 内訳の合計の検算 (✓ 一致, ✗ 不一致)。</p>\n"
    // Fixed column widths: the browser lays the rows out as they arrive, without measuring them all.
    out += "<table class=\"items sortable\"><colgroup><col style=\"width:10%\"><col style=\"width:25%\"><col style=\"width:17%\"><col style=\"width:10%\"><col style=\"width:10%\"><col style=\"width:10%\"><col style=\"width:7%\"><col style=\"width:7%\"><col style=\"width:4%\"></colgroup><thead><tr><th>id</th><th>事業名</th><th>担当</th><th data-type=\"yen\">要求額</th><th data-type=\"yen\">前年度</th><th data-type=\"yen\">増△減</th><th data-type=\"num\">%</th><th>種別</th><th>Σ</th></tr></thead><tbody>\n"
    if deferred {
      out += "</tbody></table>\n<noscript><p class=\"warn\">The \(rows.count) rows of this table are drawn by the report's script: open the report with JavaScript enabled.</p></noscript>\n"
      out += "<script type=\"text/html\" id=\"rows\">\n"
    }
    for row in rows { tableRow(row, into: &out) }
    out += deferred ? "</script>\n</section>\n" : "</tbody></table>\n</section>\n"
  }

  func tableRow(_ row: Row, into out: inout HTMLWriter) {
    let item = row.item
    out += row.isTopLevel ? "<tr><td><a href=\"#" : "<tr class=sub><td><a href=\"#"
    out += row.anchor
    out += "\">"
    if let id = item.id?.id { out.text(id) }
    out += "</a><td>"
    if let title = item.title?.text { out.text(title) }
    out += "<td>"
    if let divisions = item.divisions?.value {
      for (i, division) in divisions.enumerated() {
        if i > 0 { out += "、" }
        out.text(division.text)
      }
    }
    out += "<td>"
    out.text(HTMLReport.expressionText(item.request?.value, item.request?.location.valueRange, row.facts))
    out += "<td>"
    out.text(HTMLReport.expressionText(item.previous?.value, item.previous?.location.valueRange, row.facts))
    if let request = item.request?.value.countedAmount, let previous = item.previous?.value.countedAmount,
      let d = request.yen.subtracting(previous.yen)
    {
      let cell = d.isNegative ? "<td class=d>" : d.isZero ? "<td>" : "<td class=u>"
      out += cell
      out.text(Figures.increaseDecrease(d, in: request.unit, fractionDigits: request.fractionDigits))
      out += cell
      if let ratio = Figures.changeRatio(from: previous.yen, to: request.yen), let percent = Figures.increaseDecreasePercent(ratio) { out.text(percent) }
    } else {
      out += "<td><td>"
    }
    out += "<td>"
    if let tags = item.tags?.value {
      for (i, tag) in tags.enumerated() {
        if i > 0 { out += "、" }
        out += tag.tag.rawValue
      }
    }
    out += "<td>"
    for check in row.sums {
      switch check.status {
      case .consistent: out += "<b class=ok>✓</b>"
      case .inconsistent: out += "<b class=bad>✗</b>"
      case .unverifiable: out += "<b class=warn>?</b>"
      }
    }
    out += "\n"
  }

  /// The detail cards: each item's figures, breakdowns, rates and shares as data (JSON in a
  /// `<script type="application/json">`, with `<`, `>` and `&` escaped so that no text can end it),
  /// drawn by the script: every card at once for a budget of up to `allAtOnceUpTo` items,
  /// otherwise the card asked for (`#item-N`, from the table, the treemap or a finding), and all of
  /// them for printing. Static markup for 10,000 cards would be most of the file and of the time
  /// to open it.
  ///
  /// The data: `{"files": [path], "links": [href], "sections": [name], "keys": [label], "items":
  /// [[id, title, file, line, section, parent (-1: none), request, [[key, text]], [[name, [[mark,
  /// class, tip]], [[label, amount]], [label, amount] or null]]]]}`, files, sections and keys as
  /// indexes into their lists.
  func cards(_ rows: [Row], into out: inout HTMLWriter) {
    var files: [String] = []
    var fileIndex: [ObjectIdentifier: Int] = [:]
    var links: [String] = []
    var sections: [String] = []
    var sectionIndex: [String: Int] = [:]
    var keys: [String] = []
    var keyIndex: [String: Int] = [:]
    out += "<section id=\"details\"><h2>事業別 Details</h2>\n"
    out += "<p class=\"hint\" id=\"cards-hint\">\(rows.count > HTMLReport.allAtOnceUpTo ? "表・ツリーマップ・検査結果の事業をクリックすると、その事業のカードを表示する（印刷時は全事業）。" : "")</p>\n"
    out += "<div id=\"cards\" data-count=\"\(rows.count)\"></div>\n"
    out += "<script type=\"application/json\" id=\"data\">{\"items\":["
    for (number, row) in rows.enumerated() {
      let item = row.item
      let facts = row.facts
      let file = fileIndex[ObjectIdentifier(facts)] ?? {
        fileIndex[ObjectIdentifier(facts)] = files.count
        files.append(facts.path)
        links.append(link(to: facts.path))
        return files.count - 1
      }()
      let sectionName = row.sections.joined(separator: " › ")
      let section = sectionIndex[sectionName] ?? {
        sectionIndex[sectionName] = sections.count
        sections.append(sectionName)
        return sections.count - 1
      }()
      if number > 0 { out += "," }
      out += "["
      out.json(item.id?.id ?? "")
      out += ","
      out.json(item.title?.text ?? "")
      out += ",\(file),\(facts.lineNumber(item.keywordRange.start)),\(section),\(row.parent ?? -1),"
      out.json(HTMLReport.expressionText(item.request?.value, item.request?.location.valueRange, facts))
      out += ",["
      var extras = 0
      func extra(_ key: String, _ value: String) {
        guard !value.isEmpty else { return }
        let k = keyIndex[key] ?? {
          keyIndex[key] = keys.count
          keys.append(key)
          return keys.count - 1
        }()
        out += extras == 0 ? "[\(k)," : ",[\(k),"
        out.json(value)
        out += "]"
        extras += 1
      }
      extra("担当", (item.divisions?.value ?? []).map(\.text).joined(separator: "、"))
      extra("種別", (item.tags?.value ?? []).map(\.tag.rawValue).joined(separator: "、"))
      extra("前年度", HTMLReport.expressionText(item.previous?.value, item.previous?.location.valueRange, facts))
      extra("増△減", HTMLReport.changeNote(item))
      for s in item.supplementary {
        extra("補正", s.value.year.description + (s.value.ordinal.map { "第\($0)次" } ?? "") + " " + HTMLReport.amountText(s.value.amount))
      }
      if let rate = item.rate {
        let fractions = rate.value.fractions.compactMap { $0.value.map { "\($0) = \($0.percentString())" } }.joined(separator: ", ")
        extra("補助率", facts.text(rate.location.valueRange) + (fractions.isEmpty ? "" : " (\(fractions))"))
      }
      if let shares = item.shares {
        var sum: Rational? = .zero
        for share in shares.value { sum = sum.flatMap { total in share.fraction.value.flatMap { total.adding($0) } } }
        let parts = shares.value.map { "\($0.party) \($0.fraction.value.map { $0.percentString() } ?? $0.fraction.written)" }.joined(separator: ", ")
        extra("負担割合", parts + (sum == .one ? " (Σ = 1 ✓)" : " (Σ ≠ 1 ✗)"))
      }
      for (key, list) in [(Key.implementer, item.implementers), (.recipient, item.recipients), (.contractor, item.contractors)] {
        if let list { extra(key.descriptor.japanese, list.value.map(\.text).joined(separator: "、")) }
      }
      for key in [Key.purpose, .summary, .results, .note] { if let text = item.texts[key] { extra(key.descriptor.japanese, text.value) } }
      out += "],["
      // Each breakdown, nested ones after their parent with its path: caption, sum marks, rows, total.
      var breakdowns = 0
      func cell(_ label: String, _ amount: String) {
        out += "["
        out.json(label)
        out += ","
        out.json(amount)
        out += "]"
      }
      func visit(_ b: Breakdown, path: String) {
        let name = (path.isEmpty ? "" : path + " › ") + (b.kind == .full ? "内訳" : "うち") + (b.title.map { " " + $0.text } ?? "")
        out += breakdowns == 0 ? "[" : ",["
        breakdowns += 1
        out.json(name)
        out += ",["
        var marks = 0
        for check in row.sums where check.anchor == b.keywordRange {
          let (mark, cls, tip) = HTMLReport.sumMark(check)
          out += marks == 0 ? "[\"\(mark)\",\"\(cls)\"," : ",[\"\(mark)\",\"\(cls)\","
          out.json(tip)
          out += "]"
          marks += 1
        }
        out += "],["
        for (i, child) in b.children.enumerated() {
          if i > 0 { out += "," }
          switch child {
          case .row(let r): cell(r.label, HTMLReport.expressionText(r.value, r.location.valueRange, facts))
          case .breakdown(let nested):
            // Its total stands in this breakdown; its rows follow under its own caption.
            let label = (nested.kind == .full ? "内訳" : "うち") + (nested.title.map { " " + $0.text } ?? "")
            cell(label + " ↓", nested.total.map { HTMLReport.expressionText($0.value, $0.location.valueRange, facts) } ?? "")
          }
        }
        out += "],"
        if let total = b.total { cell(total.label, HTMLReport.expressionText(total.value, total.location.valueRange, facts)) } else { out += "null" }
        out += "]"
        for nested in b.nested { visit(nested, path: name) }
      }
      for b in item.breakdowns { visit(b, path: "") }
      out += "]]"
    }
    out += "]"
    for (name, list) in [("files", files), ("links", links), ("sections", sections), ("keys", keys)] {
      out += ",\"\(name)\":["
      for (i, text) in list.enumerated() {
        if i > 0 { out += "," }
        out.json(text)
      }
      out += "]"
    }
    out += "}</script>\n</section>\n"
  }

  /// An amount as the report writes it: in its own unit, with thousands separators.
  static func amountText(_ amount: Amount) -> String { Figures.amount(amount.yen, in: amount.unit, fractionDigits: amount.fractionDigits) }

  static func expressionText(_ expression: AmountExpression?, _ range: TextRange?, _ facts: FileFacts) -> String {
    guard let expression else { return "" }
    if case .amount(let a) = expression { return amountText(a) }
    return range.map { facts.text($0) } ?? ""
  }

  // MARK: - Style and script

  static let css = """
    :root { --up: #c0392b; --down: #1f6fb2; --line: #d0d0d0; --muted: #666; }
    * { box-sizing: border-box; }
    body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px 24px; color: #1d1d1d; line-height: 1.5; }
    h1 { font-size: 1.5rem; margin: 0 0 4px; } h2 { font-size: 1.15rem; border-bottom: 2px solid #333; padding-bottom: 2px; margin-top: 28px; } h3 { font-size: 1rem; }
    .meta, .hint, small { color: var(--muted); font-size: .85rem; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
    .card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
    .card .label { font-size: .8rem; color: var(--muted); } .card .value { font-size: 1.25rem; font-weight: 600; font-variant-numeric: tabular-nums; } .card .note { font-size: .8rem; color: var(--muted); }
    .card.up .value, td.up { color: var(--up); } .card.down .value, td.down { color: var(--down); }
    .card.ok { border-color: #2e7d32; } .card.bad { border-color: #c62828; background: #fff4f4; } .card.warn { border-color: #ef8f00; background: #fffaf0; }
    ul.findings { padding-left: 0; list-style: none; } ul.findings li { padding: 3px 0; border-bottom: 1px solid #eee; }
    .sev { display: inline-block; min-width: 4.5em; font-weight: 600; } li.error .sev { color: #c62828; } li.warning .sev { color: #ef8f00; }
    svg { width: 100%; height: auto; display: block; }
    svg.treemap rect { stroke: #fff; stroke-width: .6; } svg.treemap rect.sec { fill: #fafafa; stroke: #555; stroke-width: 1.2; } svg.treemap rect.rest { stroke: #444; stroke-dasharray: 3 2; } svg.treemap rect.new { stroke: #5b2a86; stroke-width: 1.2; }
    svg text { font-size: 11px; pointer-events: none; fill: #222; } svg text.sec { font-weight: 700; }
    svg.waterfall .total rect { fill: #777; } svg.waterfall .up rect { fill: var(--up); } svg.waterfall .down rect { fill: var(--down); }
    table { border-collapse: collapse; width: 100%; font-size: .85rem; }
    th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 6px; text-align: left; vertical-align: top; }
    th { background: #f3f3f3; position: sticky; top: 0; cursor: pointer; white-space: nowrap; }
    th[data-dir="asc"]::after { content: " ▲"; } th[data-dir="desc"]::after { content: " ▼"; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    tr.sub td:first-child { padding-left: 18px; }
    table.items { table-layout: fixed; } table.items td { overflow-wrap: anywhere; }
    table.items td:nth-child(n+4):nth-child(-n+7), table.items th:nth-child(n+4):nth-child(-n+7) { text-align: right; font-variant-numeric: tabular-nums; }
    table.items td.u { color: var(--up); } table.items td.d { color: var(--down); }
    table.items b.ok { color: #2e7d32; font-weight: 400; } table.items b.bad { color: #c62828; } table.items b.warn { color: #ef8f00; font-weight: 400; }
    .sum.ok { color: #2e7d32; } .sum.bad { color: #c62828; font-weight: 700; } .sum.warn { color: #ef8f00; }
    p.ok { color: #2e7d32; } p.warn { color: #b35c00; }
    .card-item { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 4px 10px; }
    .card-item h3 { margin: 2px 0; font-size: .95rem; } .card-item .amt { float: right; font-variant-numeric: tabular-nums; }
    dl { display: grid; grid-template-columns: 7em 1fr; gap: 2px 10px; margin: 6px 0; } dt { color: var(--muted); }
    table.breakdown { width: auto; min-width: 50%; margin: 4px 0 8px; } table.breakdown caption { text-align: left; font-weight: 600; }
    tr.total td { border-top: 1px solid #999; font-weight: 600; }
    /* The table and the cards are laid out only when they come into view. */
    #items, #details { content-visibility: auto; contain-intrinsic-size: auto 2000px; }
    @page { size: A4 landscape; margin: 10mm; }
    @media print {
      body { max-width: none; padding: 0; font-size: 9pt; }
      th { position: static; } h2 { break-after: avoid; } tr, .card, .card-item { break-inside: avoid; }
      #items, #details { content-visibility: visible !important; }
      a { color: inherit; text-decoration: none; }
    }

    """

  /// The script as the report holds it: `scriptSource` without its comment lines and indentation.
  static let script = scriptSource.split(separator: "\n").map { $0.drop { $0 == " " } }.filter { !$0.hasPrefix("//") }
    .joined(separator: "\n") + "\n"

  /// Sorting the table, the exact yen on hover, the detail cards (drawn from the data), drawing
  /// the rows of a large table, printing. No line may start with `//` but a comment.
  static let scriptSource = """
    (function () {
      var root = document.documentElement, D = null;
      function data() { return D || (D = JSON.parse(document.getElementById('data').textContent)); }
      var units = { '円': 0, '千円': 3, '万円': 4, '百万円': 6, '千万円': 7, '億円': 8, '兆円': 12 };
      // The exact yen of an amount as shown (`+1,234.5千円`, `△2億円`), as decimal text.
      function yen(text) {
        var m = /^([+△±-]?)([0-9,]+)(?:\\.([0-9]+))?(円|千円|万円|百万円|千万円|億円|兆円)$/.exec(text.trim());
        if (!m) return null;
        var whole = m[2].replace(/,/g, ''), fraction = m[3] || '', point = whole.length + units[m[4]], digits = whole + fraction;
        while (digits.length < point) digits += '0';
        var i = digits.slice(0, point).replace(/^0+(?=[0-9])/, ''), f = digits.slice(point).replace(/0+$/, '');
        return (m[1] === '△' || m[1] === '-' ? '-' : '') + i + (f ? '.' + f : '');
      }
      document.querySelectorAll('table.sortable th').forEach(function (th, column) {
        th.addEventListener('click', function () {
          allRows();
          var table = th.closest('table'), body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
          var type = th.dataset.type, dir = th.dataset.dir === 'desc' ? 1 : -1;
          table.querySelectorAll('th').forEach(function (h) { delete h.dataset.dir; });
          th.dataset.dir = dir === 1 ? 'asc' : 'desc';
          function key(row) {
            var t = row.cells[column].textContent;
            if (type === 'yen') { var y = yen(t); return y === null ? -Infinity : parseFloat(y); }
            if (type === 'num') { var n = parseFloat(t.replace('△', '-').replace('±', '')); return isNaN(n) ? -Infinity : n; }
            return t;
          }
          var keyed = rows.map(function (r) { return [key(r), r]; });
          keyed.sort(function (a, b) { return (type ? (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) : a[0].localeCompare(b[0], 'ja')) * dir; });
          var fragment = document.createDocumentFragment();
          keyed.forEach(function (k) { fragment.appendChild(k[1]); });
          body.appendChild(fragment);
        });
      });
      // The exact yen on hover, grouped by threes from the decimal text (never through a float).
      document.addEventListener('mouseover', function (event) {
        var cell = event.target.closest && event.target.closest('table.items td');
        if (!cell || cell.title || cell.cellIndex < 3 || cell.cellIndex > 5) return;
        var y = yen(cell.textContent);
        if (y === null) return;
        var parts = y.replace('-', '').split('.');
        cell.title = (y[0] === '-' ? '-' : '') + parts[0].replace(/\\B(?=([0-9]{3})+(?![0-9]))/g, ',') + (parts[1] ? '.' + parts[1] : '') + '円';
      });
      function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
      function card(i) {
        var D = data(), it = D.items[i], c = document.getElementById('item-' + (i + 1));
        if (c) return c;
        c = el('div', 'card-item'); c.id = 'item-' + (i + 1);
        var h = el('h3'); h.append(el('code', null, it[0]), ' ' + it[1] + ' ', el('span', 'amt', it[6])); c.append(h);
        var dl = el('dl'), a = el('a', null, D.files[it[2]] + ':' + it[3]); a.href = D.links[it[2]];
        function entry(k, v) { var dd = el('dd'); dd.append(v); dl.append(el('dt', null, k), dd); }
        entry('file', a);
        if (D.sections[it[4]]) entry('分野', D.sections[it[4]]);
        if (it[5] >= 0) { var p = el('a', null, D.items[it[5]][0]); p.href = '#item-' + (it[5] + 1); entry('parent', p); }
        it[7].forEach(function (x) { entry(D.keys[x[0]], x[1]); });
        c.append(dl);
        it[8].forEach(function (b) {
          var t = el('table', 'breakdown'), cap = el('caption', null, b[0] + ' ');
          b[1].forEach(function (m) { var s = el('span', 'sum ' + m[1], m[0]); s.title = m[2]; cap.append(s); });
          t.append(cap);
          var body = el('tbody');
          b[2].concat(b[3] ? [b[3]] : []).forEach(function (r, k) {
            var tr = el('tr', b[3] && k === b[2].length ? 'total' : null); tr.append(el('td', null, r[0]), el('td', 'num', r[1])); body.append(tr);
          });
          t.append(body); c.append(t);
        });
        return c;
      }
      // The table's rows, when they wait as text (a large budget): the first ones at once, the
      // others in one go once the report is on screen (in steps of 1,000 rows, the growing table
      // was laid out again at each: 10 s instead of 1 s for 10,000 rows); all of them before
      // sorting or printing.
      // A row starts at `<tr` (text from the budget has its `<` escaped, and may hold line feeds).
      var source = document.getElementById('rows'), body = document.querySelector('table.items tbody');
      var waiting = source ? source.textContent.trim().split(/(?=<tr[ >])/) : [], drawn = 0;
      function drawRows(n) {
        if (drawn >= waiting.length) return;
        var end = Math.min(waiting.length, drawn + n);
        body.insertAdjacentHTML('beforeend', waiting.slice(drawn, end).join(''));
        drawn = end;
        if (drawn === waiting.length) { waiting = []; delete root.dataset.pending; root.dataset.completeMs = String(Math.round(performance.now())); }
      }
      function allRows() { drawRows(Infinity); }
      if (waiting.length) { root.dataset.pending = 'rows'; drawRows(100); requestAnimationFrame(function () { setTimeout(allRows); }); }
      var cards = document.getElementById('cards');
      var count = +cards.dataset.count;
      function all() { for (var i = 0; i < count; i++) cards.append(card(i)); }
      function show() {
        var m = /^#item-(\\d+)$/.exec(location.hash), i = m ? +m[1] - 1 : -1;
        if (i < 0 || i >= count) return;
        var c = card(i);
        if (!c.parentNode) cards.prepend(c);
        c.scrollIntoView();
      }
      if (count <= \(allAtOnceUpTo)) all();
      show();
      window.addEventListener('hashchange', show);
      window.addEventListener('beforeprint', function () { allRows(); all(); });
      root.dataset.ready = 'true';
      root.dataset.readyMs = String(Math.round(performance.now()));
    })();

    """
}
