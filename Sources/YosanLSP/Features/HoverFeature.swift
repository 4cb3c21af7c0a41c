import YosanCore
import YosanJSON
import YosanSyntax

/// What is at a position of a document: a value the model read, or a piece of syntax.
enum Target {
  case value(ValueSpan)
  case keyword(BlockKind, TextRange)
  case key(KeyDescriptor, TextRange)
  /// A row label of a 内訳 or うち.
  case rowLabel(TextRange)
  case itemID(String, TextRange)

  var range: TextRange {
    switch self {
    case .value(let span): return span.range
    case .keyword(_, let range), .key(_, let range), .rowLabel(let range), .itemID(_, let range): return range
    }
  }

  /// What is at `offset`: the innermost value touching it, else the keyword, id or key under it.
  static func at(_ offset: Int, in facts: FileFacts) -> Target? {
    var best: ValueSpan?
    ModelWalker.walk(facts, window: TextRange.empty(at: offset)) { span in
      guard span.range.touches(offset) else { return }
      if let current = best {
        // Prefer a span that contains the offset over one that only ends at it, then the smaller.
        let inside = span.range.contains(offset)
        let currentInside = current.range.contains(offset)
        if inside != currentInside ? !inside : span.range.length >= current.range.length { return }
      }
      best = span
    }
    if let best { return .value(best) }
    return facts.bytes.withUnsafeBufferPointer { bytes in syntaxTarget(offset, facts: facts, bytes: bytes) }
  }

  static func syntaxTarget(_ offset: Int, facts: FileFacts, bytes: UnsafeBufferPointer<UInt8>) -> Target? {
    let chain = facts.root.ancestors(at: offset)
    guard let innermost = chain.last else { return nil }
    let blockNode = innermost.kind == .block ? innermost : chain.dropLast().last(where: { $0.kind == .block })
    if innermost.kind == .entry, let blockNode {
      let entry = EntrySyntax(node: innermost, bytes: bytes)
      guard entry.keyRange.touches(offset), !entry.keyRange.isEmpty else { return nil }
      let block = BlockSyntax(node: blockNode, bytes: bytes)
      let descriptor = Catalog.key(spelled: entry.keyText)
      if block.blockKind == .breakdown || block.blockKind == .ofWhich {
        if let descriptor, [.total, .subtotal, .rounding, .note].contains(descriptor.key) { return .key(descriptor, entry.keyRange) }
        return .rowLabel(entry.keyRange)
      }
      return descriptor.map { .key($0, entry.keyRange) }
    }
    if innermost.kind == .block {
      let block = BlockSyntax(node: innermost, bytes: bytes)
      if let kind = block.blockKind, block.keywordRange.touches(offset) { return .keyword(kind, block.keywordRange) }
      if block.blockKind == .item, let id = block.identifier, id.range.touches(offset) { return .itemID(id.text, id.range) }
    }
    return nil
  }
}

/// Markdown for hover, with a plain-text rendering for clients that ask for it.
struct HoverText {
  var paragraphs: [String] = []

  mutating func add(_ paragraph: String) { paragraphs.append(paragraph) }

  func render(markdown: Bool) -> String {
    let text = paragraphs.joined(separator: "\n\n")
    guard !markdown else { return text }
    return text.replacingOccurrences("**", "").replacingOccurrences("`", "")
  }
}

extension String {
  /// `self` with every `target` replaced (the standard library has no Foundation-free one).
  func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var result = ""
    var rest = Substring(self)
    while let range = rest.firstRange(of: target) {
      result += rest[..<range.lowerBound]
      result += replacement
      rest = rest[range.upperBound...]
    }
    return result + rest
  }
}

extension Figures {
  /// `1/2 = 50%`, or a note for a zero denominator (hover's markdown).
  static func fraction(_ fraction: Fraction) -> String {
    guard let value = fraction.value else { return "`\(fraction.written)`: the denominator is zero" }
    return "`\(fraction.written)` = \(value) = \(value.percentString())"
  }
}

extension LanguageServer {
  func hover(_ params: ParamReader) throws(ResponseError) -> JSON {
    let file = try file(params, exactAt: "position")
    let offset = try file.view.offset(params["position"])
    guard let target = Target.at(offset, in: file.facts), let text = hoverText(target, offset: offset, in: file) else { return .null }
    let markdown = capabilities.hoverMarkdown
    return .object([
      ("contents", .object([("kind", .string(markdown ? "markdown" : "plaintext")), ("value", .string(text.render(markdown: markdown)))])),
      ("range", file.view.rangeJSON(target.range)),
    ])
  }

  func hoverText(_ target: Target, offset: Int, in file: FileContext) -> HoverText? {
    var text = HoverText()
    switch target {
    case .value(.amount(let amount, let role)):
      amountHover(amount, role, offset: offset, in: file, into: &text)
    case .value(.fraction(let fraction, let role)):
      switch role {
      case .rate:
        text.add("**補助率** (rate) \(Figures.fraction(fraction))")
      case .share(let party, let all):
        text.add("**負担割合** (share) \(party): \(Figures.fraction(fraction))")
        var sum: Rational? = .zero
        for share in all { sum = sum.flatMap { total in share.fraction.value.flatMap { total.adding($0) } } }
        if let sum {
          text.add("all shares: \(all.map { "\($0.party) \($0.fraction.written)" }.joined(separator: " + ")) = \(sum)\(sum == .one ? " ✓" : " ✗ (shares must sum to exactly 1)")")
        }
      }
    case .value(.reference(let reference)):
      itemHover(reference.id, in: file, into: &text)
    case .itemID(let id, _):
      itemHover(id, in: file, into: &text)
    case .value(.valueKeyword(let range)):
      guard let meaning = ValueWords.meaning(of: file.view.text(range)) else { return nil }
      text.add(meaning)
    case .value(.enumValue(let range)):
      guard let meaning = ValueWords.meaning(of: file.view.text(range)) else { return nil }
      text.add(meaning)
    case .keyword(let kind, _):
      text.add("**\(kind.japanese)** · `\(kind.alias)`")
      text.add(kind.meaningJapanese)
      text.add(kind.meaningEnglish)
    case .key(let descriptor, _):
      keyHover(descriptor, into: &text)
    case .rowLabel:
      return nil
    }
    return text.paragraphs.isEmpty ? nil : text
  }

  func keyHover(_ descriptor: KeyDescriptor, into text: inout HoverText) {
    text.add("**\(descriptor.japanese)** · `\(descriptor.alias)`")
    text.add(descriptor.meaningJapanese)
    text.add(descriptor.meaningEnglish)
    text.add("e.g. `\(descriptor.japanese) = \(descriptor.example)`")
  }

  func amountHover(_ amount: Amount, _ role: AmountRole, offset: Int, in file: FileContext, into text: inout HoverText) {
    text.add("**\(role.label)** `\(file.view.text(amount.range))`\(amount.isApproximate ? " (約: approximate)" : "")")
    text.add("= \(Figures.yen(amount.yen)) = \(Figures.inUnits(amount.yen))")
    let place = Amount.format(amount.unitOfLastPlace, in: amount.unit)
    text.add("\(role.rounding.japanese) to the last digit shown (\(place)): \(Figures.interval(amount.interval(role.rounding)))")
    if role.kind == .request, let item = LanguageServer.innermostItem(at: offset, in: file.document),
      let previous = item.previous?.value.countedAmount, let change = Figures.change(from: previous.yen, to: amount.yen)
    {
      text.add("change from 前年度 `\(previous.written)`: \(change)")
    }
    sumHover(role, offset: offset, in: file, into: &text)
  }

  func itemHover(_ id: String, in file: FileContext, into text: inout HoverText) {
    let found = definitions(of: id)
    guard !found.isEmpty else {
      text.add("no item has the id `\(id)`")
      return
    }
    for (path, item) in found {
      text.add("**事業 `\(id)`**" + (item.title.map { " \($0)" } ?? ""))
      var facts: [String] = []
      if let request = item.request { facts.append("\(item.requestKey) \(request)") }
      if !item.divisions.isEmpty { facts.append("担当 \(item.divisions.joined(separator: ", "))") }
      if !facts.isEmpty { text.add(facts.joined(separator: " · ")) }
      if let context = fileContext(path: path) {
        text.add("defined in `\(LanguageServer.displayName(path))` line \(context.view.position(item.headerRange.start).line + 1)")
      }
    }
  }

  /// The file name of a path, for messages.
  static func displayName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  /// The innermost item whose block contains `offset`.
  static func innermostItem(at offset: Int, in document: Document) -> Item? {
    var found: Item?
    func search(_ members: [Member]) {
      for member in members {
        switch member {
        case .section(let section) where section.range.touches(offset): search(section.members)
        case .item(let item) where item.range.touches(offset): descend(item)
        default: continue
        }
      }
    }
    func descend(_ item: Item) {
      found = item
      for sub in item.subItems where sub.range.touches(offset) { descend(sub) }
    }
    search(document.members)
    return found
  }
}

/// What the words of values mean, for hover and completion: every table of `Vocabulary`.
enum ValueWords {
  static func meaning(of written: String) -> String? {
    // Full-width forms read as their ASCII ones, as in the value grammars (`当初予算（案）`).
    let word = String(String.UnicodeScalarView(written.unicodeScalars.map(ScalarText.normalize)))
    if let found = Vocabulary.documentKinds.word(spelled: word) { return describe("区分", found) }
    if let found = Vocabulary.tags.word(spelled: word) { return describe("種別", found) }
    if let found = Vocabulary.roundingModes.word(spelled: word) { return describe("端数", found) }
    if let found = Vocabulary.units.word(spelled: word) { return describe("単位", found) }
    if let found = Vocabulary.valueWords.word(spelled: word) { return describe(nil, found) }
    if let first = word.unicodeScalars.first, Vocabulary.isDash(first) {
      return "a dash: read as **\(Vocabulary.valueWords.word(.none).canonical)** (no amount); write \(Vocabulary.valueWords.word(.none).canonical) instead"
    }
    return nil
  }

  /// `**種別** `新規` · `new`: A new item: … · 新規事業（…）`.
  static func describe<Value>(_ key: String?, _ word: Word<Value>) -> String {
    let spellings = word.offered.map { "`\($0)`" }.joined(separator: " · ")
    let head = key.map { "**\($0)** \(spellings)" } ?? "**\(word.canonical)**" + (word.alias.map { " · `\($0)`" } ?? "")
    return "\(head): \(word.meaningEnglish) · \(word.meaningJapanese)"
  }
}
