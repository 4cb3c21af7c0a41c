import Dispatch
import YosanSyntax

/// Turns a syntax tree into a `Document`. Never fails: what cannot be read becomes a
/// `LoweringIssue` and is left out of the model, and everything else is still lowered.
public struct Lowering {
  let bytes: UnsafeBufferPointer<UInt8>
  var document = Document()
  var defaultUnit: YenUnit?
  var documentKind: DocumentKind?

  /// Lowers a file. Items are independent of each other, so a large file's items are lowered on
  /// every core (`parallel`), then put together in order; the result is the same either way.
  public static func lower(_ root: SyntaxNode, source: [UInt8], parallel: Bool = true) -> Document {
    lower(root, source: source, parallel: parallel, reuse: nil)
  }

  /// Lowers a file, taking units (member items) from `reuse` where it has them: it is asked with the
  /// header's settings, each unit's offset and its node, and returns a unit lowered before with the
  /// same settings and the same syntax, or nil. The editor's session keeps units this way.
  static func lower(_ root: SyntaxNode, source: [UInt8], parallel: Bool, reuse: ((UnitSettings, Int, SyntaxNode) -> DocumentUnit?)?) -> Document {
    lowerWithUnitNodes(root, source: source, parallel: parallel, reuse: reuse).document
  }

  /// Lowers a file (as `lower`) and returns its units' syntax nodes too (one per `Document.units`).
  static func lowerWithUnitNodes(
    _ root: SyntaxNode, source: [UInt8], parallel: Bool, reuse: ((UnitSettings, Int, SyntaxNode) -> DocumentUnit?)?
  ) -> (document: Document, unitNodes: [SyntaxNode]) {
    source.withUnsafeBufferPointer { bytes in
      var lowering = Lowering(bytes: bytes, source: source)
      lowering.parallel = parallel
      lowering.reuse = reuse
      lowering.lowerFile(root)
      return (lowering.document, lowering.unitNodeList ?? Lowering.unitNodes(root, bytes: bytes))
    }
  }

  /// The units' nodes, when `prelowerItems` collected them.
  var unitNodeList: [SyntaxNode]?

  /// Whether to lower the items of a large file in parallel.
  var parallel = false
  var reuse: ((UnitSettings, Int, SyntaxNode) -> DocumentUnit?)?
  /// Units lowered ahead (in parallel, or taken from `reuse`), in document order; the sequential
  /// pass takes them in the same order (`nextPrelowered`).
  var prelowered: [(offset: Int, unit: DocumentUnit)] = []
  var nextPrelowered = 0
  /// Where the units' issues are in `document.issues`; the others are the shell's.
  var unitIssueSpans: [Range<Int>] = []

  /// Below this many items, lowering in parallel costs more than it saves.
  static let parallelThreshold = 256

  /// What a unit's lowering depends on besides its own text: the header's settings.
  var settings: UnitSettings { UnitSettings(defaultUnit: defaultUnit, documentKind: documentKind) }

  /// The member items of the file and of its sections, in order: the units (sub-items go with
  /// their item). The same blocks, in the same order, as `lowerFile` makes units of.
  static func unitNodes(_ root: SyntaxNode, bytes: UnsafeBufferPointer<UInt8>) -> [SyntaxNode] {
    unitNodes(root, bytes: bytes) { (_: SyntaxNode) -> Never? in nil }.map(\.node)
  }

  /// The units, as `unitNodes(_:bytes:)`, each with what `known` knows of it: a block `known`
  /// knows is taken for a unit without reading its keyword.
  static func unitNodes<Known>(
    _ root: SyntaxNode, bytes: UnsafeBufferPointer<UInt8>, known: (SyntaxNode) -> Known?
  ) -> [(node: SyntaxNode, known: Known?)] {
    var units: [(node: SyntaxNode, known: Known?)] = []
    func collect(_ node: SyntaxNode, top: Bool) {
      var offset = node.offset
      for child in node.green.children {
        defer { offset += child.textLength }
        guard case .node(let inner) = child, inner.kind == .block else { continue }
        let block = SyntaxNode(green: inner, offset: offset)
        if let value = known(block) {
          units.append((block, value))
          continue
        }
        switch BlockSyntax.kind(of: block, bytes: bytes) {
        case .item: units.append((block, nil))
        case .section: collect(block, top: false)
        // The 分野 and 事業 of a 予算 block whose `}` comes after them (`lowerBlocksInsideHeader`).
        case .budget where top: collect(block, top: false)
        default: break
        }
      }
    }
    collect(root, top: true)
    return units
  }

  /// Lowers the units ahead into `prelowered`: those `reuse` has are taken from it; the others are
  /// spread over the cores when there are enough of them.
  mutating func prelowerItems(_ root: SyntaxNode) {
    let settings = self.settings
    let reuse = self.reuse
    // A block `reuse` has a lowering for is a unit: its keyword need not be read.
    let units = Lowering.unitNodes(root, bytes: bytes) { reuse?(settings, $0.offset, $0) }
    let nodes = units.map(\.node)
    var found = units.map(\.known)
    unitNodeList = nodes
    let missing = found.indices.filter { found[$0] == nil }
    let cores = ProcessorInfo.activeCores
    if parallel, missing.count >= Lowering.parallelThreshold, cores > 1 {
      let chunks = Swift.min(cores, 8)
      var results = [[DocumentUnit]](repeating: [], count: chunks)
      let source = scratch.source
      let shared = UnsafeSendableUnits(units: missing.map { nodes[$0] }, bytes: bytes)
      results.withUnsafeMutableBufferPointer { buffer in
        let output = UnsafeMutableSendableBuffer(buffer)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
          var worker = Lowering(bytes: shared.bytes, source: source)
          worker.defaultUnit = settings.defaultUnit
          worker.documentKind = settings.documentKind
          let range = (shared.units.count * chunk / chunks)..<(shared.units.count * (chunk + 1) / chunks)
          var lowered: [DocumentUnit] = []
          lowered.reserveCapacity(range.count)
          for node in shared.units[range] { lowered.append(worker.lowerUnit(node)) }
          output.buffer[chunk] = lowered
        }
      }
      var next = 0
      for chunk in results {
        for unit in chunk {
          found[missing[next]] = unit
          next += 1
        }
      }
    } else if reuse == nil {
      // Nothing to take and not worth spreading: the sequential pass lowers every unit.
      return
    }
    prelowered.reserveCapacity(nodes.count)
    for (node, unit) in zip(nodes, found) {
      if let unit { prelowered.append((node.offset, unit)) }
    }
  }

  /// Lowers units on their own with the header's `settings`, on every core when there are many.
  static func lowerUnits(_ nodes: [SyntaxNode], source: [UInt8], settings: UnitSettings) -> [DocumentUnit] {
    source.withUnsafeBufferPointer { bytes in
      var results = [[DocumentUnit]](repeating: [], count: Swift.min(ProcessorInfo.activeCores, 8))
      let chunks = nodes.count >= parallelThreshold ? results.count : 1
      let shared = UnsafeSendableUnits(units: nodes, bytes: bytes)
      results.withUnsafeMutableBufferPointer { buffer in
        let output = UnsafeMutableSendableBuffer(buffer)
        let work: @Sendable (Int) -> Void = { chunk in
          var worker = Lowering(bytes: shared.bytes, source: source)
          worker.defaultUnit = settings.defaultUnit
          worker.documentKind = settings.documentKind
          let range = (shared.units.count * chunk / chunks)..<(shared.units.count * (chunk + 1) / chunks)
          output.buffer[chunk] = shared.units[range].map { worker.lowerUnit($0) }
        }
        if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
      }
      return results.flatMap { $0 }
    }
  }

  /// Lowers one unit on its own, with its issues and references.
  mutating func lowerUnit(_ node: SyntaxNode) -> DocumentUnit {
    let item = lowerItem(BlockSyntax(node: node, bytes: bytes), inheritedDivision: false)
    let unit = DocumentUnit(item: item, issues: document.issues, references: document.references)
    document.issues.removeAll(keepingCapacity: true)
    document.references.removeAll(keepingCapacity: true)
    return unit
  }

  /// The member item that starts at `offset`, if it was lowered ahead: it becomes one of the
  /// document's units (the block is an item: only items are lowered ahead).
  mutating func takePrelowered(at offset: Int) -> Item? {
    guard nextPrelowered < prelowered.count, prelowered[nextPrelowered].offset == offset else { return nil }
    let unit = prelowered[nextPrelowered].unit
    nextPrelowered += 1
    addUnit(unit)
    return unit.item
  }

  /// A member item: taken from `prelowered` when it was lowered ahead, otherwise lowered now. Either
  /// way it becomes one of the document's units.
  mutating func memberItem(_ block: BlockSyntax) -> Item {
    if let item = takePrelowered(at: block.node.offset) { return item }
    let (issues, references) = (document.issues, document.references)
    document.issues = []
    document.references = []
    let unit = lowerUnit(block.node)
    document.issues = issues
    document.references = references
    addUnit(unit)
    return unit.item
  }

  /// Adds a unit to the document, with its issues and references.
  mutating func addUnit(_ unit: DocumentUnit) {
    if !unit.issues.isEmpty {
      unitIssueSpans.append(document.issues.count..<(document.issues.count + unit.issues.count))
      document.issues += unit.issues
    }
    if !unit.references.isEmpty { document.references += unit.references }
    document.units.append(unit)
  }

  /// One text buffer for every value: `text(_:)` reloads it, so values allocate no arrays.
  var scratch: ScalarText

  init(bytes: UnsafeBufferPointer<UInt8>, source: [UInt8]) {
    self.bytes = bytes
    self.scratch = ScalarText(source: source)
  }

  /// The scratch text loaded with `range`.
  mutating func text(_ range: TextRange) -> ScalarText {
    scratch.load(range)
    return scratch
  }

  // MARK: - File

  mutating func lowerFile(_ root: SyntaxNode) {
    let blocks = root.childNodes
    // The header comes first, but lower it before anything else in any case: its 単位 and 区分
    // decide how the items read.
    let headerBlock = blocks.first { $0.kind == .block && BlockSyntax(node: $0, bytes: bytes).blockKind == .budget }
    if let headerBlock { lowerHeader(BlockSyntax(node: headerBlock, bytes: bytes)) }
    if parallel || reuse != nil { prelowerItems(root) }
    var seenContent = false
    for node in blocks {
      switch node.kind {
      case .block:
        if let item = takePrelowered(at: node.offset) {
          seenContent = true
          document.members.append(.item(item))
          continue
        }
        let block = BlockSyntax(node: node, bytes: bytes)
        guard let kind = checkKeyword(block) else { continue }
        switch kind {
        case .budget:
          if node.offset != headerBlock?.offset {
            document.issues.append(.duplicateHeader(range: block.keywordRange, first: headerBlock!.range))
          } else if seenContent {
            document.issues.append(.misplacedBlock(kind: .budget, parent: nil, range: block.keywordRange))
          }
          if lowerBlocksInsideHeader(block) { seenContent = true }
        case .section:
          seenContent = true
          document.members.append(.section(lowerSection(block)))
        case .item:
          seenContent = true
          document.members.append(.item(memberItem(block)))
        case .breakdown, .ofWhich:
          document.issues.append(.misplacedBlock(kind: kind, parent: nil, range: block.keywordRange))
        }
      case .entry:
        let entry = EntrySyntax(node: node, bytes: bytes)
        document.issues.append(.entryOutsideBlock(range: entry.keyRange.isEmpty ? entry.range : entry.keyRange))
      default:
        break
      }
    }
    if headerBlock == nil {
      // Point at the start of the first block or entry, past leading comments.
      let first = root.childNodes.first { $0.kind == .block || $0.kind == .entry }?.offset ?? 0
      document.issues.append(.missingHeader(range: TextRange.empty(at: first)))
    }
    var shell: [LoweringIssue] = []
    var next = 0
    for span in unitIssueSpans {
      shell += document.issues[next..<span.lowerBound]
      next = span.upperBound
    }
    shell += document.issues[next...]
    document.shellIssues = shell
  }

  /// The 分野 and 事業 blocks inside a 予算 block (a `}` written after them instead of after the
  /// header's entries): lowered as the members that follow the header, as if it had been closed
  /// before them, so that every one is checked; the misplaced `}` is one issue. True when there
  /// were any.
  mutating func lowerBlocksInsideHeader(_ header: BlockSyntax) -> Bool {
    var first: SyntaxNode?
    var count = 0
    for node in header.bodyNodes where node.kind == .block {
      if let item = takePrelowered(at: node.offset) {
        document.members.append(.item(item))
      } else {
        switch BlockSyntax.kind(of: node, bytes: bytes) {
        case .section: document.members.append(.section(lowerSection(BlockSyntax(node: node, bytes: bytes))))
        case .item: document.members.append(.item(memberItem(BlockSyntax(node: node, bytes: bytes))))
        default: continue
        }
      }
      if first == nil { first = node }
      count += 1
    }
    guard let first else { return false }
    let closer: TextRange?
    if case .token(let last)? = header.node.green.children.last, last.kind == .rightBrace {
      closer = TextRange(start: header.range.end - Int(last.length), end: header.range.end)
    } else {
      closer = nil
    }
    let keyword = BlockSyntax(node: first, bytes: bytes).keywordRange
    document.issues.append(.blocksInsideHeader(first: keyword, count: count, closer: closer, fix: closer.flatMap { headerClosingFix(header, first: first, closer: $0) }))
    return true
  }

  /// The edits that move the header's `}` from `closer` to the line after its last entry (before
  /// `first`, the first block inside it); nil when an entry or a broken line follows `first`
  /// (moving the `}` would leave it outside every block).
  func headerClosingFix(_ header: BlockSyntax, first: SyntaxNode, closer: TextRange) -> [TextEdit]? {
    // Where the body starts (after the `{`), then the end of its last entry before `first`.
    var lastContent = header.node.offset + header.bodyOffset
    var pastFirst = false
    for node in header.bodyNodes {
      if node.offset == first.offset { pastFirst = true }
      if pastFirst {
        if node.kind != .block { return nil }
      } else {
        lastContent = node.range.end
      }
    }
    // After the line break that ends the last content's line.
    var insert = lastContent
    while insert < first.offset, bytes[insert] != 0x0A, bytes[insert] != 0x0D { insert += 1 }
    var lineBreak = "\n"
    if insert < first.offset {
      if bytes[insert] == 0x0D, insert + 1 < bytes.count, bytes[insert + 1] == 0x0A {
        lineBreak = "\r\n"
        insert += 2
      } else {
        lineBreak = bytes[insert] == 0x0D ? "\r" : "\n"
        insert += 1
      }
    }
    var lineStart = header.node.offset
    while lineStart > 0, bytes[lineStart - 1] != 0x0A, bytes[lineStart - 1] != 0x0D { lineStart -= 1 }
    let indentation = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<header.node.offset]), as: UTF8.self)
    let inserted = insert == lastContent ? lineBreak + indentation + "}" : indentation + "}" + lineBreak
    return [
      TextEdit(range: TextRange.empty(at: insert), replacement: inserted),
      TextEdit(range: TextEdit.removal(of: closer, in: bytes), replacement: ""),
    ]
  }

  /// The block's kind, or nil (with an issue) when its keyword is missing or unknown.
  mutating func checkKeyword(_ block: BlockSyntax) -> BlockKind? {
    if let kind = block.blockKind { return kind }
    if let keyword = block.keyword {
      let suggestion = Catalog.keywordSuggestions.suggestion(for: keyword)
      document.issues.append(.unknownKeyword(word: keyword, range: block.keywordRange, suggestion: suggestion))
    } else {
      document.issues.append(.missingKeyword(range: block.keywordRange))
    }
    return nil
  }

  // MARK: - Header

  mutating func lowerHeader(_ block: BlockSyntax) {
    var header = Header(range: block.range, keywordRange: block.keywordRange)
    header.title = block.title
    checkNoIdentifier(block, kind: .budget)
    var seen = KeyRanges()
    for node in block.bodyNodes {
      guard node.kind == .entry else {
        // Its 分野 and 事業 are lowered as the members that follow it (`lowerBlocksInsideHeader`).
        let kind = node.kind == .block ? BlockSyntax.kind(of: node, bytes: bytes) : nil
        if node.kind == .block, kind != .section, kind != .item, let kind = checkKeyword(BlockSyntax(node: node, bytes: bytes)) {
          document.issues.append(.misplacedBlock(kind: kind, parent: .budget, range: BlockSyntax(node: node, bytes: bytes).keywordRange))
        }
        markBroken(node, seen: &seen)
        continue
      }
      let entry = EntrySyntax(node: node, bytes: bytes)
      guard let descriptor = resolveKey(entry, in: .budget, seen: &seen) else { continue }
      header.entries.append((descriptor.key, entry.location))
      guard let value = entry.valueRange else { continue }
      let text = text(value)
      let parser = ValueParser(text: text)
      let all = (0, text.count)
      switch descriptor.key {
      case .ministry:
        header.ministry = Field(entry.text(of: value), entry.location)
      case .fiscalYear:
        if let year = record(parser.fiscalYear(all.0, all.1), key: descriptor) { header.fiscalYear = Field(year, entry.location) }
      case .documentKind:
        if let kind = record(parser.documentKind(all.0, all.1), key: descriptor) { header.kind = Field(kind, entry.location) }
      case .unit:
        if let unit = record(parser.unitName(all.0, all.1), key: descriptor) { header.unit = Field(unit, entry.location) }
      case .rounding:
        if let mode = record(parser.roundingMode(all.0, all.1), key: descriptor) { header.rounding = Field(mode, entry.location) }
      default:
        break
      }
    }
    if header.fiscalYear == nil, seen[.fiscalYear] == nil {
      document.issues.append(.missingKey(key: .fiscalYear, block: .budget, range: block.keywordRange))
    }
    if header.kind == nil, seen[.documentKind] == nil {
      document.issues.append(.missingKey(key: .documentKind, block: .budget, range: block.keywordRange))
    }
    defaultUnit = header.unit?.value
    documentKind = header.kind?.value
    document.header = header
  }

  // MARK: - Sections

  mutating func lowerSection(_ block: BlockSyntax) -> Section {
    var section = SectionFields(range: block.range, keywordRange: block.keywordRange)
    section.title = block.title
    checkNoIdentifier(block, kind: .section)
    if block.title == nil { document.issues.append(.missingTitle(block: .section, range: block.keywordRange)) }
    var seen = KeyRanges()
    for node in block.bodyNodes {
      // Items lowered ahead are taken as they are, without a view of their block.
      if node.kind == .block, let item = takePrelowered(at: node.offset) {
        section.members.append(.item(item))
        continue
      }
      switch node.kind {
      case .entry:
        let entry = EntrySyntax(node: node, bytes: bytes)
        guard let descriptor = resolveKey(entry, in: .section, seen: &seen), let value = entry.valueRange else { continue }
        if descriptor.key == .total {
          let text = text(value)
          if let amount = record(ValueParser(text: text, defaultUnit: defaultUnit).amount(0, text.count), key: descriptor) {
            section.total = Field(amount, entry.location)
          }
        }
      case .block:
        let inner = BlockSyntax(node: node, bytes: bytes)
        guard let kind = checkKeyword(inner) else { continue }
        switch kind {
        case .section: section.members.append(.section(lowerSection(inner)))
        case .item: section.members.append(.item(memberItem(inner)))
        default:
          document.issues.append(.misplacedBlock(kind: kind, parent: .section, range: inner.keywordRange))
        }
      default:
        markBroken(node, seen: &seen)
      }
    }
    return Section(section)
  }

  // MARK: - Items

  mutating func lowerItem(_ block: BlockSyntax, inheritedDivision: Bool) -> Item {
    var item = ItemFields(range: block.range, keywordRange: block.keywordRange)
    item.title = block.title
    if let id = block.identifier {
      if ValueParser.isIdentifierScalarString(id.text) {
        item.id = Reference(id: id.text, range: id.range)
      } else {
        document.issues.append(.invalidIdentifier(text: id.text, range: id.range, block: .item))
      }
    }
    if block.title == nil { document.issues.append(.missingTitle(block: .item, range: block.keywordRange)) }
    var seen = KeyRanges()
    var subBlocks: [BlockSyntax] = []
    for node in block.bodyNodes {
      switch node.kind {
      case .entry:
        let entry = EntrySyntax(node: node, bytes: bytes)
        let descriptor = resolveKey(entry, in: .item, seen: &seen)
        item.entries.append((descriptor?.key, entry.location))
        guard let descriptor, let value = entry.valueRange else { continue }
        lowerItemEntry(descriptor, entry: entry, value: value, into: &item)
      case .block:
        let inner = BlockSyntax(node: node, bytes: bytes)
        guard let kind = checkKeyword(inner) else { continue }
        switch kind {
        case .item: subBlocks.append(inner)
        case .breakdown, .ofWhich: item.breakdowns.append(lowerBreakdown(inner, kind: kind))
        default:
          document.issues.append(.misplacedBlock(kind: kind, parent: .item, range: inner.keywordRange))
        }
      default:
        markBroken(node, seen: &seen)
      }
    }
    let hasDivision = item.divisions != nil || seen[.division] != nil
    for sub in subBlocks { item.subItems.append(lowerItem(sub, inheritedDivision: inheritedDivision || hasDivision)) }
    // A program list (区分 = 事業一覧) names programs: they need neither a division nor an amount.
    let requiresAmounts = documentKind?.requiresAmounts ?? true
    if !hasDivision, !inheritedDivision, requiresAmounts {
      document.issues.append(.missingKey(key: .division, block: .item, range: item.headerRange))
    }
    if item.request == nil, seen[.request] == nil, seen[.budgetAmount] == nil, requiresAmounts {
      let key: Key = documentKind?.usesBudgetAmount == true ? .budgetAmount : .request
      document.issues.append(.missingKey(key: key, block: .item, range: item.headerRange))
    }
    return Item(item)
  }

  mutating func lowerItemEntry(_ descriptor: KeyDescriptor, entry: EntrySyntax, value: TextRange, into item: inout ItemFields) {
    let text = text(entry.parseRange(of: value))
    let parser = ValueParser(text: text, defaultUnit: defaultUnit)
    let (a, b) = (0, text.count)
    let location = entry.location
    switch descriptor.key {
    case .tags:
      let (tags, errors) = parser.tags(a, b)
      for error in errors { document.issues.append(.malformedValue(error, key: descriptor.japanese)) }
      item.tags = Field(tags, location)
    case .division:
      item.divisions = Field(parser.textList(a, b), location)
    case .extensions:
      let (numbers, errors) = parser.extensions(a, b)
      for error in errors { document.issues.append(.malformedValue(error, key: descriptor.japanese)) }
      item.extensions = Field(numbers, location)
    case .request, .budgetAmount:
      if let kind = documentKind, let expected = kind.amountKey, expected != descriptor.key {
        document.issues.append(.misplacedKey(name: entry.keyText, key: descriptor.key, range: entry.keyRange, block: .item, document: kind))
      }
      if item.request != nil {
        document.issues.append(.duplicateKey(name: entry.keyText, range: entry.keyRange, first: item.request!.location.keyRange))
        return
      }
      item.requestKey = descriptor.key
      if let expression = record(parser.amountExpression(a, b), key: descriptor) {
        noteReference(expression)
        item.request = Field(expression, location)
      }
    case .previous:
      if let expression = record(parser.amountExpression(a, b), key: descriptor) {
        noteReference(expression)
        item.previous = Field(expression, location)
      }
    case .supplementary:
      if let value = record(parser.supplementary(a, b), key: descriptor) { item.supplementary.append(Field(value, location)) }
    case .multiYear:
      if let value = record(parser.multiYear(a, b), key: descriptor) { item.multiYear.append(Field(value, location)) }
    case .rate:
      if let value = record(parser.rate(a, b), key: descriptor) { item.rate = Field(value, location) }
    case .shares:
      if let value = record(parser.shares(a, b), key: descriptor) { item.shares = Field(value, location) }
    case .implementer:
      item.implementers = Field(parser.textList(a, b), location)
    case .recipient:
      item.recipients = Field(parser.textList(a, b), location)
    case .contractor:
      item.contractors = Field(parser.textList(a, b), location)
    case .eligibleCosts:
      item.eligibleCosts = Field(parser.textList(a, b), location)
    case .unitAmount:
      if let value = record(parser.perUnitAmount(a, b), key: descriptor) { item.unitAmount = Field(value, location) }
    case .cap:
      if let value = record(parser.perUnitAmount(a, b), key: descriptor) { item.cap = Field(value, location) }
    case .floor:
      if let value = record(parser.perUnitAmount(a, b), key: descriptor) { item.floor = Field(value, location) }
    case .bookedBy:
      if let value = record(parser.bookings(a, b), key: descriptor) { item.bookedBy = Field(value, location) }
    case .sharedWith:
      item.sharedWith = Field(parser.textList(a, b), location)
    case .purpose, .summary, .results, .status, .note:
      item.texts[descriptor.key] = Field(entry.text(of: value), location)
    default:
      break
    }
  }

  // MARK: - Breakdowns

  mutating func lowerBreakdown(_ block: BlockSyntax, kind: BlockKind) -> Breakdown {
    var breakdown = BreakdownFields(kind: kind == .ofWhich ? .ofWhich : .full, range: block.range, keywordRange: block.keywordRange)
    breakdown.title = block.title
    checkNoIdentifier(block, kind: kind)
    // Labels seen so far with the hash of their bytes (Swift's string hashing normalises, which
    // is slow for Japanese text; equal bytes are what matters here): a list while it is short,
    // an index by hash once it grows (a breakdown may have 100,000 rows).
    var seenLabels: [(hash: UInt64, label: String, range: TextRange)] = []
    var labelIndex: [UInt64: [Int]] = [:]
    var seenKeys = KeyRanges()
    for node in block.bodyNodes {
      switch node.kind {
      case .entry:
        let entry = EntrySyntax(node: node, bytes: bytes)
        let label = entry.keyText
        if let descriptor = entry.knownKey, [.total, .subtotal, .rounding, .note].contains(descriptor.key) {
          if descriptor.key == .total || descriptor.key == .subtotal {
            if let existing = breakdown.total {
              document.issues.append(.duplicateKey(name: label, range: entry.keyRange, first: existing.location.keyRange))
              continue
            }
            breakdown.total = Row(label: label, location: entry.location, value: rowValue(entry, key: descriptor.japanese))
          } else if descriptor.key == .rounding {
            if let first = seenKeys[.rounding] {
              document.issues.append(.duplicateKey(name: label, range: entry.keyRange, first: first))
              continue
            }
            seenKeys[.rounding] = entry.keyRange
            if let value = entry.valueRange {
              let text = text(value)
              if let mode = record(ValueParser(text: text).roundingMode(0, text.count), key: descriptor) { breakdown.rounding = Field(mode, entry.location) }
            }
          }
          continue
        }
        if label.isEmpty { continue }
        var copy = label
        let hash = copy.withUTF8 { Catalog.fnv1a($0) }
        let candidates = seenLabels.count <= 32 ? Array(seenLabels.indices) : labelIndex[hash] ?? []
        if let first = candidates.first(where: { seenLabels[$0].hash == hash && seenLabels[$0].label.utf8.elementsEqual(label.utf8) }) {
          document.issues.append(.duplicateKey(name: label, range: entry.keyRange, first: seenLabels[first].range))
        } else {
          seenLabels.append((hash, label, entry.keyRange))
          if seenLabels.count == 33 {
            for (index, seen) in seenLabels.enumerated() { labelIndex[seen.hash, default: []].append(index) }
          } else if seenLabels.count > 33 {
            labelIndex[hash, default: []].append(seenLabels.count - 1)
          }
        }
        breakdown.children.append(.row(Row(label: label, location: entry.location, value: rowValue(entry, key: label))))
      case .block:
        let inner = BlockSyntax(node: node, bytes: bytes)
        guard let innerKind = checkKeyword(inner) else { continue }
        if innerKind == .breakdown || innerKind == .ofWhich {
          breakdown.children.append(.breakdown(lowerBreakdown(inner, kind: innerKind)))
        } else {
          document.issues.append(.misplacedBlock(kind: innerKind, parent: kind, range: inner.keywordRange))
        }
      default:
        break
      }
    }
    return Breakdown(breakdown)
  }

  mutating func rowValue(_ entry: EntrySyntax, key: String) -> AmountExpression? {
    guard let value = entry.valueRange else {
      // A broken value has its syntax error; an empty one is said here.
      if !entry.hasSyntaxError {
        document.issues.append(.malformedValue(ValueError(.value(.emptyRow(label: key, headerUnit: defaultUnit != nil)), entry.keyRange), key: key))
      }
      return nil
    }
    let text = text(entry.parseRange(of: value))
    switch ValueParser(text: text, defaultUnit: defaultUnit).amountExpression(0, text.count) {
    case .success(let expression):
      noteReference(expression)
      return expression
    case .failure(let error):
      document.issues.append(.malformedValue(error, key: key))
      return nil
    }
  }

  /// Records a `内数(ID)` reference in the document's list.
  mutating func noteReference(_ expression: AmountExpression) {
    if case .partOf(let part) = expression, let reference = part.reference { document.references.append(reference) }
  }

  // MARK: - Keys

  /// The descriptor of `entry`'s key in a block of `kind`, or nil (with an issue) when the key is
  /// unknown, misplaced or a duplicate.
  mutating func resolveKey(_ entry: EntrySyntax, in kind: BlockKind, seen: inout KeyRanges) -> KeyDescriptor? {
    guard !entry.keyRange.isEmpty else { return nil }
    guard let descriptor = entry.knownKey else {
      let name = entry.keyText
      // A block keyword written as a key gets its own message (`UnknownKeyRule`), never itself
      // as a suggestion.
      let suggestion =
        BlockKind.spelled(name) != nil
        ? nil : Catalog.keySuggestions(in: kind).suggestion(for: name) ?? Catalog.spellingSuggestions.suggestion(for: name)
      document.issues.append(.unknownKey(name: name, range: entry.keyRange, block: kind, suggestion: suggestion))
      // A likely typo of a key stands for that key: its absence is not reported a second time.
      if let suggestion, let meant = Catalog.key(spelled: suggestion), seen[meant.key] == nil {
        seen[meant.key] = TextRange.empty(at: entry.keyRange.start)
      }
      return nil
    }
    guard descriptor.allowed(in: kind) else {
      document.issues.append(.misplacedKey(name: entry.keyText, key: descriptor.key, range: entry.keyRange, block: kind, document: nil))
      return nil
    }
    // 要求額 and 予算額 share a slot; duplicates between them are found where they are stored.
    if descriptor.key != .request && descriptor.key != .budgetAmount {
      if let first = seen[descriptor.key], !descriptor.repeatable {
        document.issues.append(.duplicateKey(name: entry.keyText, range: entry.keyRange, first: first))
        return nil
      }
    }
    if seen[descriptor.key] == nil { seen[descriptor.key] = entry.keyRange }
    // A broken value (an unterminated string) has its syntax error; only an empty one is said here.
    if entry.rawValueRange.isEmpty, !entry.hasSyntaxError {
      document.issues.append(.malformedValue(ValueError(.value(.emptyEntry(name: entry.keyText, key: descriptor.key)), entry.keyRange), key: descriptor.japanese))
    }
    return descriptor
  }

  /// A line that failed to parse but starts with a key counts as that key being present, so a
  /// syntax error is not followed by a "missing key" for the same line.
  func markBroken(_ node: SyntaxNode, seen: inout KeyRanges) {
    guard let (word, range) = BlockSyntax.brokenLine(node, bytes: bytes), let descriptor = Catalog.key(spelled: word) else { return }
    if seen[descriptor.key] == nil { seen[descriptor.key] = range }
  }

  mutating func checkNoIdentifier(_ block: BlockSyntax, kind: BlockKind) {
    if let id = block.identifier {
      document.issues.append(.invalidIdentifier(text: id.text, range: id.range, block: kind))
    }
  }

  /// The value of a successful parse, or nil after recording the error.
  mutating func record<T>(_ outcome: Result<T, ValueError>, key: KeyDescriptor) -> T? {
    switch outcome {
    case .success(let value): return value
    case .failure(let error):
      document.issues.append(.malformedValue(error, key: key.japanese))
      return nil
    }
  }
}

extension ValueParser {
  static func isIdentifierScalarString(_ s: String) -> Bool {
    !s.isEmpty && s.unicodeScalars.allSatisfy(isIdentifierScalar)
  }
}

/// The item blocks handed to the lowering threads (syntax nodes are immutable).
struct UnsafeSendableUnits: @unchecked Sendable {
  let units: [SyntaxNode]
  /// The source's bytes; they outlive the threads (the caller waits for them).
  let bytes: UnsafeBufferPointer<UInt8>
}
