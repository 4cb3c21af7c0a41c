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
    let units = try fileUnits(params)
    let file = units.file
    var symbols: [Symbol] = []
    let document = file.document
    if let header = document.header {
      let detail = [document.fiscalYear?.description, document.kind?.rawValue].compactMap { $0 }.joined(separator: " ")
      symbols.append(Symbol(
        name: "予算" + (header.title.map { " " + $0.text } ?? ""), detail: detail, kind: SymbolKind.package, range: header.range,
        selection: header.title.map { header.keywordRange.union($0.range) } ?? header.keywordRange, children: []))
    }
    // The units' symbols, in order (each kept while its unit is the same), for the members.
    var next = 0
    var failure: ResponseError?
    func unitSymbol(_ item: Item) -> Symbol {
      guard next < units.units.count else { return itemSymbol(item, file) }
      let unit = units.units[next]
      if failure == nil {
        do throws(ResponseError) { try checkStale(next) } catch { failure = error }
      }
      next += 1
      let start = unit.node.offset
      let kept = derived(unit, path: file.path)
      if kept.symbol == nil { kept.symbol = itemSymbol(exactItem(unit, path: file.path), file).shifted(by: -start) }
      return kept.symbol!.shifted(by: start)
    }
    symbols += memberSymbols(document.members, file, units.units.isEmpty ? nil : unitSymbol)
    if let failure { throw failure }
    pruneUnitCache(units, whole: true)
    try abandonIfStale()
    if capabilities.hierarchicalSymbols { return .array(symbols.map { $0.json(file.view) }) }
    var flat: [JSON] = []
    for symbol in symbols { symbol.flatten(container: nil, uri: file.uri, view: file.view, into: &flat) }
    return .array(flat)
  }

  /// The symbols of `members`; `unit` gives the next unit's (the items in order), when the
  /// document's items are not exact.
  func memberSymbols(_ members: [Member], _ file: FileContext, _ unit: ((Item) -> Symbol)?) -> [Symbol] {
    members.map { member in
      switch member {
      case .section(let section):
        return Symbol(
          name: section.title?.text ?? "分野", detail: section.total.map { "合計 " + file.view.text($0.value.range) } ?? "",
          kind: SymbolKind.namespace, range: section.range, selection: section.title.map { section.keywordRange.union($0.range) } ?? section.keywordRange,
          children: memberSymbols(section.members, file, unit))
      case .item(let item):
        return unit?(item) ?? itemSymbol(item, file)
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

  /// A fold's lines (both shown, the last one folded with the rest) and kind.
  struct Fold {
    var start: Int
    var end: Int
    var isComment: Bool

    func shifted(by lines: Int) -> Fold { Fold(start: start + lines, end: end + lines, isComment: isComment) }
  }

  /// Finds folds in document order: every block that spans lines (its closing `}` stays visible)
  /// and every run of comment lines (a comment alone on its line); units are given whole.
  struct FoldWalker {
    let lines: LineIndex
    let bytes: [UInt8]
    var blocks: [Fold] = []
    /// Runs of comment lines, one line long included (a unit's last may join the next).
    var runs: [Fold] = []

    /// The fold of a block.
    mutating func block(_ node: SyntaxNode) {
      let start = lines.line(containing: node.offset)
      var end = lines.line(containing: Swift.max(node.offset, node.range.end - 1))
      if let brace = node.children.reversed().first(where: { $0.kind == .rightBrace }) {
        let braceLine = lines.line(containing: brace.range.start)
        let lineStart = lines.start(ofLine: braceLine)
        end = LanguageServer.isBlank(bytes, from: lineStart, to: brace.range.start) ? braceLine - 1 : braceLine
      }
      blocks.append(Fold(start: start, end: end, isComment: false))
    }

    /// Adds comment lines `run`: they continue the last run when they start on the line after it.
    mutating func comments(_ run: Fold) {
      if let last = runs.last, run.start == last.end + 1 {
        runs[runs.count - 1].end = run.end
      } else {
        runs.append(run)
      }
    }

    /// Walks `node`'s children; `unit` takes the blocks that are units.
    mutating func walk(_ node: SyntaxNode, unit: (SyntaxNode, inout FoldWalker) -> Bool) {
      for child in node.children {
        switch child {
        case .token(let token):
          guard token.kind == .comment else { continue }
          let line = lines.line(containing: token.range.start)
          if LanguageServer.isBlank(bytes, from: lines.start(ofLine: line), to: token.range.start) {
            comments(Fold(start: line, end: line, isComment: true))
          }
        case .node(let inner):
          if inner.kind == .block {
            if unit(inner, &self) { continue }
            block(inner)
          }
          walk(inner, unit: unit)
        }
      }
    }

    /// The folds of one unit's block, in lines from its first.
    static func unit(_ node: SyntaxNode, lines: LineIndex, bytes: [UInt8]) -> (blocks: [Fold], comments: [Fold]) {
      var walker = FoldWalker(lines: lines, bytes: bytes)
      walker.block(node)
      walker.walk(node) { _, _ in false }
      let first = lines.line(containing: node.offset)
      return (walker.blocks.map { $0.shifted(by: -first) }, walker.runs.map { $0.shifted(by: -first) })
    }
  }

  /// A fold for every block that spans lines (its closing `}` stays visible) and for every run of
  /// two or more comment lines. The shell's are found now, each unit's kept while it is the same.
  func foldingRanges(_ params: ParamReader) throws(ResponseError) -> JSON {
    let units = try fileUnits(params)
    let file = units.file
    let lines = file.view.lines
    var walker = FoldWalker(lines: lines, bytes: file.view.bytes)
    var byStart: [Int: AnalysisSession.UnitHandle] = [:]
    for unit in units.units { byStart[unit.node.offset] = unit }
    var seen = 0
    var failure: ResponseError?
    walker.walk(file.facts.root) { node, walker in
      guard let unit = byStart[node.offset] else { return false }
      if failure == nil {
        do throws(ResponseError) { try checkStale(seen) } catch { failure = error }
      }
      seen += 1
      let kept = derived(unit, path: file.path)
      if kept.folds == nil { kept.folds = FoldWalker.unit(node, lines: lines, bytes: file.view.bytes) }
      let first = lines.line(containing: node.offset)
      for fold in kept.folds!.blocks { walker.blocks.append(fold.shifted(by: first)) }
      for run in kept.folds!.comments { walker.comments(run.shifted(by: first)) }
      return true
    }
    if let failure { throw failure }
    pruneUnitCache(units, whole: true)
    var folds: [JSON] = []
    for fold in walker.blocks + walker.runs where fold.end > fold.start {
      var members: [(String, JSON)] = [("startLine", .int(fold.start)), ("endLine", .int(fold.end))]
      if fold.isComment { members.append(("kind", .string("comment"))) }
      folds.append(.object(members))
    }
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

  /// The symbol `delta` bytes further, its children with it.
  func shifted(by delta: Int) -> Symbol {
    Symbol(
      name: name, detail: detail, kind: kind, range: range.shifted(by: delta), selection: selection.shifted(by: delta),
      children: children.map { $0.shifted(by: delta) })
  }

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
