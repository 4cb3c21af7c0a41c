import YosanCore
import YosanJSON
import YosanSyntax

/// Document symbols (the 予算 / 分野 / 事業 / 内訳 hierarchy, with amounts in the detail), workspace
/// symbols and folding ranges.
enum SymbolKind {
  static let package = 4
  static let namespace = 3
  static let `class` = 5
  static let array = 18
}

extension LanguageServer {
  // MARK: - Document symbols

  func documentSymbols(_ params: ParamReader) throws(ResponseError) -> JSON {
    let file = try file(params)
    var symbols: [Symbol] = []
    let document = file.document
    if let header = document.header {
      let detail = [document.fiscalYear?.description, document.kind?.rawValue].compactMap { $0 }.joined(separator: " ")
      symbols.append(Symbol(
        name: "予算" + (header.title.map { " " + $0.text } ?? ""), detail: detail, kind: SymbolKind.package, range: header.range,
        selection: header.title.map { header.keywordRange.union($0.range) } ?? header.keywordRange, children: []))
    }
    symbols += memberSymbols(document.members, file)
    try abandonIfStale()
    if capabilities.hierarchicalSymbols { return .array(symbols.map { $0.json(file.view) }) }
    var flat: [JSON] = []
    for symbol in symbols { symbol.flatten(container: nil, uri: file.uri, view: file.view, into: &flat) }
    return .array(flat)
  }

  func memberSymbols(_ members: [Member], _ file: FileContext) -> [Symbol] {
    members.map { member in
      switch member {
      case .section(let section):
        return Symbol(
          name: section.title?.text ?? "分野", detail: section.total.map { "合計 " + file.view.text($0.value.range) } ?? "",
          kind: SymbolKind.namespace, range: section.range, selection: section.title.map { section.keywordRange.union($0.range) } ?? section.keywordRange,
          children: memberSymbols(section.members, file))
      case .item(let item):
        return itemSymbol(item, file)
      }
    }
  }

  func itemSymbol(_ item: Item, _ file: FileContext) -> Symbol {
    var detail: [String] = []
    if let id = item.id { detail.append(id.id) }
    if let request = item.request { detail.append(file.view.text(request.location.valueRange)) }
    var children = item.breakdowns.map { breakdownSymbol($0, file) }
    children += item.subItems.map { itemSymbol($0, file) }
    children.sort { $0.range.start < $1.range.start }
    return Symbol(
      name: item.title?.text ?? item.id?.id ?? "事業", detail: detail.joined(separator: " · "), kind: SymbolKind.class, range: item.range,
      selection: item.headerRange, children: children)
  }

  func breakdownSymbol(_ breakdown: Breakdown, _ file: FileContext) -> Symbol {
    let keyword = breakdown.kind == .full ? "内訳" : "うち"
    // Rows are left out: the outline is the 分野 / 事業 / 内訳 hierarchy.
    let children = breakdown.nested.map { breakdownSymbol($0, file) }
    return Symbol(
      name: keyword + (breakdown.title.map { " " + $0.text } ?? ""),
      detail: breakdown.total.map { "\($0.label) " + file.view.text($0.location.valueRange) } ?? "", kind: SymbolKind.array,
      range: breakdown.range, selection: breakdown.title.map { breakdown.keywordRange.union($0.range) } ?? breakdown.keywordRange,
      children: children)
  }

  // MARK: - Workspace symbols

  /// Items across the workspace whose id or title contains the query's characters in order.
  func workspaceSymbols(_ params: ParamReader) throws(ResponseError) -> JSON {
    let query = try params["query"].string().lowercased()
    var results: [JSON] = []
    for (path, index) in allIndexes() {
      guard let context = fileContext(path: path) else { continue }
      for item in index.items {
        let name = item.title ?? item.id ?? "事業"
        let haystack = ((item.id ?? "") + " " + name).lowercased()
        guard LanguageServer.matchesInOrder(query, haystack) else { continue }
        results.append(.object([
          ("name", .string(item.id.map { "\($0) \(name)" } ?? name)), ("kind", .int(SymbolKind.class)),
          ("location", .object([("uri", .string(context.uri)), ("range", context.view.rangeJSON(item.headerRange))])),
          ("containerName", .string(LanguageServer.displayName(path))),
        ]))
        if results.count >= 1_000 { return .array(results) }
      }
    }
    return .array(results)
  }

  /// True when the characters of `query` appear in `text` in order (a fuzzy match).
  static func matchesInOrder(_ query: String, _ text: String) -> Bool {
    var remaining = query.unicodeScalars.filter { $0 != " " }[...]
    for scalar in text.unicodeScalars where scalar == remaining.first { remaining = remaining.dropFirst() }
    return remaining.isEmpty
  }

  // MARK: - Folding ranges

  /// True when `from..<to` holds only spaces, tabs, U+3000, U+00A0 or a byte order mark.
  static func isBlank(_ bytes: [UInt8], from: Int, to: Int) -> Bool {
    var index = from
    while index < to {
      if bytes[index] == 0x20 || bytes[index] == 0x09 {
        index += 1
      } else if index + 3 <= to, bytes[index] == 0xE3, bytes[index + 1] == 0x80, bytes[index + 2] == 0x80 {
        index += 3
      } else if index + 2 <= to, bytes[index] == 0xC2, bytes[index + 1] == 0xA0 {
        index += 2
      } else if index == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
        index += 3
      } else {
        return false
      }
    }
    return true
  }

  /// A fold for every block that spans lines (its closing `}` stays visible) and for every run of
  /// two or more comment lines.
  func foldingRanges(_ params: ParamReader) throws(ResponseError) -> JSON {
    let file = try file(params)
    let lines = file.view.lines
    var folds: [JSON] = []
    func fold(_ start: Int, _ end: Int, kind: String?) {
      guard end > start else { return }
      var members: [(String, JSON)] = [("startLine", .int(start)), ("endLine", .int(end))]
      if let kind { members.append(("kind", .string(kind))) }
      folds.append(.object(members))
    }
    func visit(_ node: SyntaxNode) {
      for child in node.children {
        guard case .node(let inner) = child else { continue }
        if inner.kind == .block {
          let start = lines.line(containing: inner.offset)
          var end = lines.line(containing: Swift.max(inner.offset, inner.range.end - 1))
          if let brace = inner.children.reversed().first(where: { $0.kind == .rightBrace }) {
            let braceLine = lines.line(containing: brace.range.start)
            let lineStart = lines.start(ofLine: braceLine)
            let onlyBrace = LanguageServer.isBlank(file.view.bytes, from: lineStart, to: brace.range.start)
            end = onlyBrace ? braceLine - 1 : braceLine
          }
          fold(start, end, kind: nil)
        }
        visit(inner)
      }
    }
    visit(file.facts.root)
    try abandonIfStale()
    var runStart: Int?
    var runEnd = -2
    let bytes = file.view.bytes
    file.facts.root.forEachToken { token in
      guard token.kind == .comment else { return }
      // Only comments alone on their line make a run.
      let line = lines.line(containing: token.range.start)
      guard LanguageServer.isBlank(bytes, from: lines.start(ofLine: line), to: token.range.start) else { return }
      if line == runEnd + 1, runStart != nil {
        runEnd = line
      } else {
        if let start = runStart { fold(start, runEnd, kind: "comment") }
        runStart = line
        runEnd = line
      }
    }
    if let start = runStart { fold(start, runEnd, kind: "comment") }
    return .array(folds)
  }
}

/// A document symbol before conversion.
struct Symbol {
  var name: String
  var detail: String
  var kind: Int
  var range: TextRange
  var selection: TextRange
  var children: [Symbol]

  func json(_ view: TextView) -> JSON {
    var members: [(String, JSON)] = [
      ("name", .string(name.isEmpty ? "(無題)" : name)), ("detail", .string(detail)), ("kind", .int(kind)),
      ("range", view.rangeJSON(range)), ("selectionRange", view.rangeJSON(range.contains(selection) ? selection : range)),
    ]
    if !children.isEmpty { members.append(("children", .array(children.map { $0.json(view) }))) }
    return .object(members)
  }

  /// `SymbolInformation` for clients without hierarchical symbols.
  func flatten(container: String?, uri: String, view: TextView, into result: inout [JSON]) {
    var members: [(String, JSON)] = [
      ("name", .string(name.isEmpty ? "(無題)" : name)), ("kind", .int(kind)),
      ("location", .object([("uri", .string(uri)), ("range", view.rangeJSON(range))])),
    ]
    if let container { members.append(("containerName", .string(container))) }
    result.append(.object(members))
    for child in children { child.flatten(container: name, uri: uri, view: view, into: &result) }
  }
}
