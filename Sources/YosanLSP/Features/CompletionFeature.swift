import YosanCore
import YosanJSON
import YosanSyntax

/// Completion: keys valid in the block at the cursor (both spellings, required ones first), block
/// keywords and an item skeleton, units after a number, enumerated values (区分, 端数, 種別, 単位),
/// item ids inside `内数(`, and the divisions and implementers already used in the workspace.
enum CompletionFeature {
  static let triggerCharacters = ["(", "（", "=", "＝", ",", "、", "，"]

  enum Kind {
    static let property = 10
    static let unit = 11
    static let value = 12
    static let keyword = 14
    static let snippet = 15
    static let reference = 18
    static let enumMember = 20
  }

  /// Characters of a unit, for recognising a unit being typed after a number.
  static let unitCharacters: Set<Unicode.Scalar> = Vocabulary.unitLetters

  static let rateExamples = ["1/2", "1/3", "2/3", "3/4", "10/10", Vocabulary.valueWords.word(.fixed).canonical]

  /// A completion item before conversion.
  struct Item {
    var label: String
    var kind: Int
    var detail: String?
    var documentation: String?
    var insert: String
    var isSnippet = false
    var sortText: String
    var filterText: String?
    /// Sent as `insertText` beside the edit, for clients that filter and insert by it (eglot
    /// 1.9 matches the word at point against it, or against the label when it is absent).
    var insertText: String?
  }

  /// At most this many items are sent; a longer list is cut and marked incomplete, so that the
  /// client asks again as more is typed.
  static let limit = 200

  /// The items that match `typed` (the text the edit replaces), best first: those that start
  /// with it, then those that contain it, then those that contain its characters in order. Case
  /// and full-width ASCII are ignored. Keys and keywords come in both spellings, each an item
  /// matched by its own spelling: `補` finds 補助率, `rate` finds rate. Real clients filter differently (Neovim shows a list with
  /// edit ranges as it is; eglot matches the word at point), so the server narrows the list
  /// itself. Work is linear in the number of items.
  static func narrow(_ items: [Item], typed: String) -> (items: [Item], isIncomplete: Bool) {
    let wanted = Array(fold(typed))
    guard !wanted.isEmpty else {
      return items.count > limit ? (Array(items.prefix(limit)), true) : (items, false)
    }
    var ranked: [(rank: Int, item: Item)] = []
    for item in items {
      var best: Int?
      for word in [item.filterText, item.label] {
        guard let word, let rank = rank(of: wanted, in: Array(fold(word))) else { continue }
        best = min(best ?? rank, rank)
      }
      guard let best else { continue }
      var narrowed = item
      narrowed.sortText = String(best) + item.sortText
      ranked.append((best, narrowed))
    }
    ranked.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.item.sortText < $1.item.sortText }
    let cut = ranked.count > limit
    return (ranked.prefix(limit).map(\.item), cut)
  }

  /// 0 when `word` starts with `wanted`, 1 when it contains it, 2 when it holds its characters
  /// in order, nil when it does not match.
  static func rank(of wanted: [Character], in word: [Character]) -> Int? {
    if word.starts(with: wanted) { return 0 }
    var next = 0
    var contiguous = false
    for start in word.indices where word[start] == wanted[0] && word.count - start >= wanted.count {
      if word[start..<(start + wanted.count)].elementsEqual(wanted) { contiguous = true; break }
    }
    if contiguous { return 1 }
    for character in word where next < wanted.count && character == wanted[next] { next += 1 }
    return next == wanted.count ? 2 : nil
  }

  /// Lowercased, with full-width ASCII (`Ａ`, `１`) as half-width.
  static func fold(_ text: String) -> String {
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if scalar.value >= 0xFF01 && scalar.value <= 0xFF5E, let half = Unicode.Scalar(scalar.value - 0xFEE0) {
        scalars.append(half)
      } else {
        scalars.append(scalar)
      }
    }
    return String(scalars).lowercased()
  }
}

extension LanguageServer {
  func completion(_ params: ParamReader) throws(ResponseError) -> JSON {
    let file = try file(params, exactAt: "position")
    let offset = try file.view.offset(params["position"])
    let (all, replaceStart) = completionItems(at: offset, in: file)
    let typed = String(decoding: file.view.bytes[replaceStart..<offset], as: UTF8.self)
    let (items, isIncomplete) = CompletionFeature.narrow(all, typed: typed)
    let range = file.view.rangeJSON(TextRange(start: replaceStart, end: offset))
    let markdown = capabilities.completionMarkdown
    let json: [JSON] = items.map { item in
      var members: [(String, JSON)] = [("label", .string(item.label)), ("kind", .int(item.kind))]
      if let detail = item.detail { members.append(("detail", .string(detail))) }
      if let documentation = item.documentation {
        members.append((
          "documentation",
          markdown
            ? .object([("kind", .string("markdown")), ("value", .string(documentation))])
            : .string(HoverText(paragraphs: [documentation]).render(markdown: false))
        ))
      }
      members.append(("sortText", .string(item.sortText)))
      if let filterText = item.filterText { members.append(("filterText", .string(filterText))) }
      if let insertText = item.insertText { members.append(("insertText", .string(insertText))) }
      members.append(("textEdit", .object([("range", range), ("newText", .string(item.insert))])))
      if item.isSnippet {
        members.append(("insertTextFormat", .int(2)))
        members.append(("insertTextMode", .int(1)))
      }
      return .object(members)
    }
    return .object([("isIncomplete", .bool(isIncomplete)), ("items", .array(json))])
  }

  /// The items for `offset` and where the text they replace starts.
  func completionItems(at offset: Int, in file: FileContext) -> ([CompletionFeature.Item], Int) {
    let view = file.view
    let line = view.lines.line(containing: offset)
    let lineStart = view.lines.start(ofLine: line)
    let (blockNode, block) = file.facts.bytes.withUnsafeBufferPointer { bytes -> (SyntaxNode?, BlockSyntax?) in
      let node = file.facts.root.ancestors(at: offset).last { $0.kind == .block }
      return (node, node.map { BlockSyntax(node: $0, bytes: bytes) })
    }
    // On a block's header line there is nothing to complete (found before the line is read: on a
    // line of blocks, a budget written on one line, reading it would be work for nothing).
    if let blockNode, view.lines.line(containing: blockNode.offset) == line { return ([], offset) }
    let prefixBytes = Array(view.bytes[lineStart..<offset])
    let prefix = String(decoding: prefixBytes, as: UTF8.self)
    // Nothing inside a comment or an open quote.
    var quoted = false
    var equals: String.Index?
    for index in prefix.indices {
      let c = prefix[index]
      if c == "\"" { quoted.toggle() }
      if quoted { continue }
      if c == "#" || c == "＃" { return ([], offset) }
      if (c == "=" || c == "＝") && equals == nil { equals = index }
    }
    if quoted && equals == nil { return ([], offset) }
    let blockKind = block?.blockKind
    if let equals {
      let key = String(prefix[..<equals]).trimmingCharacters()
      let value = String(prefix[prefix.index(after: equals)...])
      return valueCompletions(key: key, block: blockKind, value: value, offset: offset, in: file)
    }
    let indentation = String(prefix.prefix { $0 == " " || $0 == "\t" || $0 == "　" })
    let partial = String(prefix.dropFirst(indentation.count))
    guard !partial.contains(where: { $0 == " " || $0 == "\t" || $0 == "　" || $0 == "{" || $0 == "}" || $0 == "｛" || $0 == "｝" }) else {
      return ([], offset)
    }
    let items = keyCompletions(block: blockKind, blockNode: blockNode, indentation: indentation, in: file)
    return (items, offset - partial.utf8.count)
  }

  // MARK: - Keys and keywords

  func keyCompletions(block: BlockKind?, blockNode: SyntaxNode?, indentation: String, in file: FileContext) -> [CompletionFeature.Item] {
    var present = Set<Key>()
    if let blockNode {
      file.facts.bytes.withUnsafeBufferPointer { bytes in
        for element in BlockSyntax(node: blockNode, bytes: bytes).body {
          if case .entry(let entry) = element, let descriptor = Catalog.key(spelled: entry.keyText), !descriptor.repeatable {
            present.insert(descriptor.key)
          }
        }
      }
    }
    let usesBudgetAmount = file.document.kind?.usesBudgetAmount
    var items: [CompletionFeature.Item] = []
    let keys: [KeyDescriptor]
    switch block {
    case .budget: keys = Catalog.keys(in: .budget)
    case .item:
      keys = Catalog.keys(in: .item).filter { descriptor in
        switch descriptor.key {
        case .request: return usesBudgetAmount != true
        case .budgetAmount: return usesBudgetAmount != false
        default: return true
        }
      }
    case .breakdown, .ofWhich: keys = Catalog.keys(in: block!)
    case .section: keys = Catalog.keys(in: .section)
    case nil: keys = []
    }
    let required: Set<Key> = block == .budget ? [.fiscalYear, .documentKind] : (block == .item ? [.division, .request, .budgetAmount] : [])
    if (present.contains(.request) || present.contains(.budgetAmount)) {
      present.formUnion([.request, .budgetAmount])
    }
    for descriptor in keys where !present.contains(descriptor.key) {
      let isRequired = required.contains(descriptor.key)
      let documentation = """
        **\(descriptor.japanese)** · `\(descriptor.alias)`\(isRequired ? " (required)" : "")

        \(descriptor.meaningJapanese)

        \(descriptor.meaningEnglish)

        e.g. `\(descriptor.japanese) = \(descriptor.example)`
        """
      let rank = (isRequired ? "0" : "1") + String(Catalog.keys.firstIndex { $0.key == descriptor.key }! + 100)
      for (spelling, other, suffix) in [(descriptor.japanese, descriptor.alias, "a"), (descriptor.alias, descriptor.japanese, "b")] {
        items.append(CompletionFeature.Item(
          label: spelling, kind: CompletionFeature.Kind.property, detail: other + (isRequired ? " · required" : ""),
          documentation: documentation, insert: spelling + " = ", sortText: rank + suffix))
      }
    }
    // Blocks that may open here.
    let blocks: [BlockKind]
    switch block {
    case nil: blocks = file.document.header == nil ? [.budget, .section, .item] : [.section, .item]
    case .section: blocks = [.section, .item]
    case .item: blocks = [.breakdown, .ofWhich, .item]
    case .breakdown, .ofWhich: blocks = [.breakdown, .ofWhich]
    case .budget: blocks = []
    }
    for kind in blocks {
      let documentation = "**\(kind.japanese)** · `\(kind.alias)`\n\n\(kind.meaningJapanese)\n\n\(kind.meaningEnglish)"
      for (spelling, other, suffix) in [(kind.japanese, kind.alias, "a"), (kind.alias, kind.japanese, "b")] {
        var item = CompletionFeature.Item(
          label: spelling, kind: CompletionFeature.Kind.keyword, detail: other, documentation: documentation, insert: spelling + " ",
          sortText: "2" + kind.rawValue + suffix)
        if capabilities.snippets, kind != .item, kind != .budget {
          item.insert = "\(spelling) \"${1}\" {\n\(indentation)  $0\n\(indentation)}"
          item.isSnippet = true
        }
        items.append(item)
      }
    }
    if blocks.contains(.item) { items.append(itemSkeleton(indentation: indentation, usesBudgetAmount: usesBudgetAmount == true)) }
    if blocks.contains(.budget) { items.append(headerSkeleton(indentation: indentation)) }
    return items
  }

  /// `事業 id "title" { 担当 = … 要求額 = … }`: an item with its required keys.
  func itemSkeleton(indentation: String, usesBudgetAmount: Bool) -> CompletionFeature.Item {
    let amountKey = usesBudgetAmount ? "予算額" : "要求額"
    let lines = capabilities.snippets
      ? ["事業 ${1:id} \"${2:事業名}\" {", "  担当 = ${3}", "  \(amountKey) = ${4}", "}"]
      : ["事業 id \"事業名\" {", "  担当 = ", "  \(amountKey) = ", "}"]
    return CompletionFeature.Item(
      label: "事業 { … }", kind: CompletionFeature.Kind.snippet, detail: "item skeleton with its required keys (担当, \(amountKey))",
      documentation: "A new 事業 with the keys every item needs:\n\n```yosan\n事業 id \"事業名\" {\n  担当 = 医政局研究開発政策課\n  \(amountKey) = 7.9億円\n}\n```",
      insert: lines.enumerated().map { $0 == 0 ? $1 : indentation + $1 }.joined(separator: "\n"), isSnippet: capabilities.snippets,
      sortText: "3item", filterText: "事業 item")
  }

  /// The 予算 header with 年度 and 区分.
  func headerSkeleton(indentation: String) -> CompletionFeature.Item {
    let lines = capabilities.snippets
      ? ["予算 \"${1:令和7年度 概算要求}\" {", "  年度 = ${2:令和7年度}", "  区分 = ${3:概算要求}", "}"]
      : ["予算 \"令和7年度 概算要求\" {", "  年度 = 令和7年度", "  区分 = 概算要求", "}"]
    return CompletionFeature.Item(
      label: "予算 { … }", kind: CompletionFeature.Kind.snippet, detail: "document header with 年度 and 区分",
      documentation: "The header every file starts with.", insert: lines.enumerated().map { $0 == 0 ? $1 : indentation + $1 }.joined(separator: "\n"),
      isSnippet: capabilities.snippets, sortText: "3budget", filterText: "予算 budget")
  }

  // MARK: - Values

  func valueCompletions(key: String, block: BlockKind?, value: String, offset: Int, in file: FileContext) -> ([CompletionFeature.Item], Int) {
    // Inside `内数(`: item ids.
    if let open = (value.ranges(of: "内数(") + value.ranges(of: "内数（")).max(by: { $0.lowerBound < $1.lowerBound }) {
      let inside = value[open.upperBound...]
      if !inside.contains(")") && !inside.contains("）") {
        // Not the item being written: an item is not part of itself.
        let own = LanguageServer.innermostItem(at: offset, in: file.document)?.id?.id
        return (idCompletions().filter { $0.label != own }, offset - inside.utf8.count)
      }
    }
    let descriptor = Catalog.key(spelled: key)
    let isRow = (block == .breakdown || block == .ofWhich) && (descriptor == nil || ![.rounding, .note].contains(descriptor!.key))
    let valueKind = isRow ? ValueKind.amountExpression : descriptor?.valueKind
    guard let valueKind, descriptor?.blocks.contains(block ?? .section) ?? true || isRow else { return ([], offset) }
    // The list's elements; the last is the one being typed (without its leading spaces).
    let elements = value.split(omittingEmptySubsequences: false) { $0 == "," || $0 == "、" || $0 == "，" }
    let element = String(elements.last ?? "").drop { $0 == " " || $0 == "\t" || $0 == "　" }
    let start = offset - element.utf8.count
    func values(_ words: [(String, String?)], kind: Int) -> [CompletionFeature.Item] {
      words.enumerated().map { index, word in
        CompletionFeature.Item(
          label: word.0, kind: kind, detail: word.1, documentation: ValueWords.meaning(of: word.0), insert: word.0,
          sortText: String(1000 + index))
      }
    }
    switch valueKind {
    case .documentKind:
      return (values(Vocabulary.documentKinds.words.map { ($0.canonical, $0.alias) }, kind: CompletionFeature.Kind.enumMember), start)
    case .rounding:
      return (values(Vocabulary.roundingModes.words.map { ($0.canonical, $0.alias) }, kind: CompletionFeature.Kind.enumMember), start)
    case .tags:
      // Not the tags written already in the list (in any spelling).
      let written = Set(elements.dropLast().compactMap { Vocabulary.tags.value(spelled: String($0).trimmingCharacters()) })
      let tags = Vocabulary.tags.words.filter { !written.contains($0.value) }
      return (values(tags.map { ($0.canonical, $0.alias) }, kind: CompletionFeature.Kind.enumMember), start)
    case .unit:
      return (unitItems(), start)
    case .rate:
      return (values(CompletionFeature.rateExamples.map { ($0, nil) }, kind: CompletionFeature.Kind.value), start)
    case .textList where descriptor?.key == .division || descriptor?.key == .implementer:
      var counts: [String: Int] = [:]
      for (_, index) in allIndexes() {
        for (name, count) in descriptor?.key == .division ? index.divisions : index.implementers { counts[name, default: 0] += count }
      }
      // Not a name that a rule flags (a doubled last kanji, a variant glyph): completion would
      // spread the slip.
      let names = counts.filter { !NotationSlips.inName($0.key) }
        .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      return (values(names.map { ($0.key, "used \($0.value)×") }, kind: CompletionFeature.Kind.value), start)
    case .amountExpression, .amount, .perUnitAmount, .supplementary, .multiYear, .bookings:
      // After a number: units (what is typed of a unit is replaced).
      let scalars = Array(element.unicodeScalars)
      var unitStart = scalars.count
      while unitStart > 0, CompletionFeature.unitCharacters.contains(scalars[unitStart - 1]) { unitStart -= 1 }
      let isDigit: (Unicode.Scalar) -> Bool = { ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0xFF10 && $0.value <= 0xFF19) }
      if unitStart > 0, isDigit(scalars[unitStart - 1]) {
        // The edit covers the number too (`12億` → `12億円`): clients filter by the word at the
        // cursor, and here that word starts with the number.
        var numberStart = unitStart - 1
        while numberStart > 0, isDigit(scalars[numberStart - 1]) || [".", "．"].contains(scalars[numberStart - 1]) { numberStart -= 1 }
        let number = String(String.UnicodeScalarView(scalars[numberStart..<unitStart]))
        let typed = String(String.UnicodeScalarView(scalars[numberStart...]))
        let items = unitItems().map { unit in
          var item = unit
          item.insert = number + unit.label
          item.filterText = item.insert
          item.insertText = item.insert
          return item
        }
        return (items, offset - typed.utf8.count)
      }
      if valueKind == .amountExpression, !element.contains(where: { $0.isNumber }) {
        let words = Vocabulary.valueWords
        var items = values(
          [(words.word(.none).canonical, words.word(.none).alias), (words.word(.pending).canonical, "pending"),
           (words.word(.notStated).canonical, words.word(.notStated).alias)],
          kind: CompletionFeature.Kind.keyword)
        let partOf = words.word(.partOf).canonical
        items.append(CompletionFeature.Item(
          label: "\(partOf)(…)", kind: CompletionFeature.Kind.keyword, detail: "part of another item", documentation: ValueWords.meaning(of: partOf),
          insert: capabilities.snippets ? "\(partOf)(${1})" : "\(partOf)()", isSnippet: capabilities.snippets, sortText: "2000", filterText: partOf))
        return (items, start)
      }
      return ([], offset)
    default:
      return ([], offset)
    }
  }

  func unitItems() -> [CompletionFeature.Item] {
    let order: [YenUnit] = [.hundredMillion, .million, .thousand, .yen, .tenThousand, .tenMillion, .trillion]
    return order.enumerated().map { index, unit in
      CompletionFeature.Item(
        label: unit.symbol, kind: CompletionFeature.Kind.unit, detail: "= " + Figures.yen(ExactDecimal(significand: 1, exponent: unit.exponent)),
        documentation: nil, insert: unit.symbol, sortText: String(1000 + index))
    }
  }

  /// Every item id of the workspace, with its title and amount.
  func idCompletions() -> [CompletionFeature.Item] {
    var items: [CompletionFeature.Item] = []
    var seen = Set<String>()
    for (path, index) in allIndexes() {
      for item in index.items {
        guard let id = item.id, seen.insert(id).inserted else { continue }
        let detail = [item.title, item.request.map { "\(item.requestKey) \($0)" }].compactMap { $0 }.joined(separator: " · ")
        items.append(CompletionFeature.Item(
          label: id, kind: CompletionFeature.Kind.reference, detail: detail, documentation: "事業 `\(id)` in `\(LanguageServer.displayName(path))`",
          insert: id, sortText: id))
      }
    }
    return items
  }
}

extension String {
  /// Without leading and trailing spaces (ASCII, tab and U+3000).
  func trimmingCharacters() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "　" }
    return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
  }
}
