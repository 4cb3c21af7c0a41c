import YosanSyntax

/// Where an entry `key = value` is written.
public struct EntryLocation: Hashable, Sendable {
  /// The whole entry.
  public var range: TextRange
  /// The key as written.
  public var keyRange: TextRange
  /// The value as written (trimmed, quotes included).
  public var valueRange: TextRange

  public init(range: TextRange, keyRange: TextRange, valueRange: TextRange) {
    self.range = range
    self.keyRange = keyRange
    self.valueRange = valueRange
  }
}

/// A lowered value with the entry it came from.
public struct Field<Value: Sendable>: Sendable {
  public var value: Value
  public var location: EntryLocation

  public init(_ value: Value, _ location: EntryLocation) {
    self.value = value
    self.location = location
  }
}

extension Field: Equatable where Value: Equatable {}
extension Field: Hashable where Value: Hashable {}

/// A tag with where it is written.
public struct TagValue: Hashable, Sendable {
  public var tag: Tag
  public var range: TextRange
}

/// The `予算` header block.
public struct Header: Sendable {
  public var range: TextRange
  public var keywordRange: TextRange
  public var title: TextValue?
  public var ministry: Field<String>?
  public var fiscalYear: Field<FiscalYear>?
  public var kind: Field<DocumentKind>?
  public var unit: Field<YenUnit>?
  public var rounding: Field<RoundingMode>?
  public var entries: [(key: Key, location: EntryLocation)] = []

  public init(range: TextRange, keywordRange: TextRange) {
    self.range = range
    self.keywordRange = keywordRange
  }
}

/// A child of a section or of the file: a section or an item.
public enum Member: Sendable {
  case section(Section)
  case item(Item)
}

/// A `分野` block. A reference type: immutable once lowered, so walks share it instead of copying.
public final class Section: Sendable {
  /// The fields, moved in once lowered (one move instead of a copy per field).
  let fields: SectionFields

  public var range: TextRange { fields.range }
  public var keywordRange: TextRange { fields.keywordRange }
  public var title: TextValue? { fields.title }
  public var total: Field<Amount>? { fields.total }
  public var members: [Member] { fields.members }

  init(_ fields: consuming SectionFields) {
    self.fields = fields
  }
}

/// The fields of a `Section` while lowering fills them in; the `Section` made from it is immutable.
struct SectionFields {
  var range: TextRange
  var keywordRange: TextRange
  var title: TextValue?
  var total: Field<Amount>?
  var members: [Member] = []
}


/// A row of a breakdown: `label = amount`.
public final class Row: Sendable {
  public let label: String
  public let location: EntryLocation
  /// Nil when the value could not be read (a diagnostic says why).
  public let value: AmountExpression?

  init(label: String, location: EntryLocation, value: AmountExpression?) {
    self.label = label
    self.location = location
    self.value = value
  }
}

/// A child of a breakdown, in order.
public enum BreakdownChild: Sendable {
  case row(Row)
  case breakdown(Breakdown)
}

/// A `内訳` (full) or `うち` (partial) block. A reference type, immutable once lowered.
public final class Breakdown: Sendable {
  /// The fields, moved in once lowered (one move instead of a copy per field).
  let fields: BreakdownFields

  public enum Kind: Sendable { case full, ofWhich }
  public var kind: Kind { fields.kind }
  public var range: TextRange { fields.range }
  public var keywordRange: TextRange { fields.keywordRange }
  public var title: TextValue? { fields.title }
  public var children: [BreakdownChild] { fields.children }
  /// The `小計` or `合計` row.
  public var total: Row? { fields.total }
  /// A `端数` that overrides the document's rounding mode for this breakdown and those inside it.
  public var rounding: Field<RoundingMode>? { fields.rounding }

  init(_ fields: consuming BreakdownFields) {
    self.fields = fields
  }

  public var rows: [Row] { children.compactMap { if case .row(let r) = $0 { return r } else { return nil } } }
  public var nested: [Breakdown] { children.compactMap { if case .breakdown(let b) = $0 { return b } else { return nil } } }
}

/// The fields of a `Breakdown` while lowering fills them in; the `Breakdown` made from it is immutable.
struct BreakdownFields {
  var kind: Breakdown.Kind
  var range: TextRange
  var keywordRange: TextRange
  var title: TextValue?
  var children: [BreakdownChild] = []
  /// The `小計` or `合計` row.
  var total: Row?
  /// A `端数` that overrides the document's rounding mode for this breakdown and those inside it.
  var rounding: Field<RoundingMode>?
}


/// A `事業` block. A reference type, immutable once lowered: an item holds some forty fields,
/// and rules, sums and the editor walk items many times.
public final class Item: Sendable {
  /// The fields, moved in once lowered (one move instead of a copy per field).
  let fields: ItemFields

  public var range: TextRange { fields.range }
  public var keywordRange: TextRange { fields.keywordRange }
  public var id: Reference? { fields.id }
  public var title: TextValue? { fields.title }
  public var tags: Field<[TagValue]>? { fields.tags }
  public var divisions: Field<[TextValue]>? { fields.divisions }
  public var extensions: Field<[TextValue]>? { fields.extensions }
  /// 要求額, or 予算額 in an initial or draft budget.
  public var request: Field<AmountExpression>? { fields.request }
  public var requestKey: Key? { fields.requestKey }
  public var previous: Field<AmountExpression>? { fields.previous }
  public var supplementary: [Field<Supplementary>] { fields.supplementary }
  public var multiYear: [Field<MultiYear>] { fields.multiYear }
  public var rate: Field<Rate>? { fields.rate }
  public var shares: Field<[Share]>? { fields.shares }
  public var implementers: Field<[TextValue]>? { fields.implementers }
  public var recipients: Field<[TextValue]>? { fields.recipients }
  public var contractors: Field<[TextValue]>? { fields.contractors }
  public var eligibleCosts: Field<[TextValue]>? { fields.eligibleCosts }
  public var unitAmount: Field<PerUnitAmount>? { fields.unitAmount }
  public var cap: Field<PerUnitAmount>? { fields.cap }
  public var floor: Field<PerUnitAmount>? { fields.floor }
  public var bookedBy: Field<[Booking]>? { fields.bookedBy }
  /// Who else makes the same request, the money shared without a stated split (分担).
  public var sharedWith: Field<[TextValue]>? { fields.sharedWith }
  public var texts: [Key: Field<String>] { fields.texts }
  public var breakdowns: [Breakdown] { fields.breakdowns }
  public var subItems: [Item] { fields.subItems }
  /// Every entry of the block, with the key it is (nil for an unknown key), in order.
  public var entries: [(key: Key?, location: EntryLocation)] { fields.entries }

  init(_ fields: consuming ItemFields) {
    self.fields = fields
  }

  public func has(_ tag: Tag) -> Bool { tags?.value.contains { $0.tag == tag } ?? false }

  /// Where to point at the item as a whole: its keyword through its title.
  public var headerRange: TextRange { Item.headerRange(keywordRange, id, title) }

  static func headerRange(_ keywordRange: TextRange, _ id: Reference?, _ title: TextValue?) -> TextRange {
    var range = keywordRange
    if let id { range = range.union(id.range) }
    if let title { range = range.union(title.range) }
    return range
  }

  /// The item and all its sub-items, depth first.
  public var allItems: [Item] {
    var result: [Item] = [self]
    for sub in subItems { result += sub.allItems }
    return result
  }
}

/// The fields of a `Item` while lowering fills them in; the `Item` made from it is immutable.
struct ItemFields {
  var headerRange: TextRange { Item.headerRange(keywordRange, id, title) }

  var range: TextRange
  var keywordRange: TextRange
  var id: Reference?
  var title: TextValue?
  var tags: Field<[TagValue]>?
  var divisions: Field<[TextValue]>?
  var extensions: Field<[TextValue]>?
  /// 要求額, or 予算額 in an initial or draft budget.
  var request: Field<AmountExpression>?
  var requestKey: Key?
  var previous: Field<AmountExpression>?
  var supplementary: [Field<Supplementary>] = []
  var multiYear: [Field<MultiYear>] = []
  var rate: Field<Rate>?
  var shares: Field<[Share]>?
  var implementers: Field<[TextValue]>?
  var recipients: Field<[TextValue]>?
  var contractors: Field<[TextValue]>?
  var eligibleCosts: Field<[TextValue]>?
  var unitAmount: Field<PerUnitAmount>?
  var cap: Field<PerUnitAmount>?
  var floor: Field<PerUnitAmount>?
  var bookedBy: Field<[Booking]>?
  var sharedWith: Field<[TextValue]>?
  var texts: [Key: Field<String>] = [:]
  var breakdowns: [Breakdown] = []
  var subItems: [Item] = []
  /// Every entry of the block, with the key it is (nil for an unknown key), in order.
  var entries: [(key: Key?, location: EntryLocation)] = []
}


/// One `.yosan` file, lowered.
public struct Document: Sendable {
  public var header: Header?
  /// Sections and items outside sections, in order.
  public var members: [Member] = []
  /// What lowering found wrong with the structure; rules turn these into diagnostics.
  public var issues: [LoweringIssue] = []
  /// Every `内数(ID)` reference, in the order written (in 要求額/予算額, 前年度 and breakdown rows
  /// and totals), so that references are found without walking the items.
  public var references: [Reference] = []
  /// The units of checking: every item that is a member of the file or of a section (sub-items go
  /// with their item), in order, with the issues and references found inside it. Rules check each
  /// unit on its own, so the editor can keep a unit's results while the unit does not change.
  public var units: [DocumentUnit] = []
  /// The issues outside every unit: in the header, the sections and between blocks.
  public var shellIssues: [LoweringIssue] = []

  public init() {}

  /// Every item in the document (sections and sub-items included), in order.
  public var allItems: [Item] {
    var result: [Item] = []
    func visit(_ members: [Member]) {
      for member in members {
        switch member {
        case .item(let item): result += item.allItems
        case .section(let section): visit(section.members)
        }
      }
    }
    visit(members)
    return result
  }

  /// Calls `body` with every item (sections and sub-items included), in document order, without
  /// building an array: rules that look at every item use this rather than `allItems`.
  public func forEachItem(_ body: (Item) -> Void) {
    Document.forEachItem(in: members, body)
  }

  static func forEachItem(in members: [Member], _ body: (Item) -> Void) {
    for index in members.indices {
      switch members[index] {
      case .item(let item):
        body(item)
        if !item.subItems.isEmpty { forEachItem(in: item.subItems, body) }
      case .section(let section):
        forEachItem(in: section.members, body)
      }
    }
  }

  static func forEachItem(in items: [Item], _ body: (Item) -> Void) {
    for index in items.indices {
      body(items[index])
      if !items[index].subItems.isEmpty { forEachItem(in: items[index].subItems, body) }
    }
  }

  /// Calls `body` with every section, depth first, without building an array (or copying items).
  public func forEachSection(_ body: (Section) -> Void) {
    Document.forEachSection(in: members, body)
  }

  static func forEachSection(in members: [Member], _ body: (Section) -> Void) {
    for index in members.indices {
      guard case .section(let section) = members[index] else { continue }
      body(section)
      forEachSection(in: section.members, body)
    }
  }

  /// The document's fiscal year, if it is written and readable.
  public var fiscalYear: FiscalYear? { header?.fiscalYear?.value }
  public var kind: DocumentKind? { header?.kind?.value }
}

/// An item that is a member of the file or of a section, lowered on its own.
public struct DocumentUnit: Sendable {
  public let item: Item
  /// What lowering found wrong inside the item.
  public let issues: [LoweringIssue]
  /// The `内数(ID)` references written inside the item.
  public let references: [Reference]
}

/// What lowering a unit depends on besides its own text: the settings of the file's header.
public struct UnitSettings: Hashable, Sendable {
  public var defaultUnit: YenUnit?
  public var documentKind: DocumentKind?
}

/// A structural problem found while lowering. Each case is reported by one rule, and carries
/// what was found, never finished text: the rule's file writes the message.
public enum LoweringIssue: Sendable {
  case unknownKey(name: String, range: TextRange, block: BlockKind, suggestion: String?)
  /// Key `key`, written `name`, in a block of kind `block` where it does not belong; or, when
  /// `document` is set, 予算額 or 要求額 in a document of that kind, which uses the other.
  case misplacedKey(name: String, key: Key, range: TextRange, block: BlockKind, document: DocumentKind?)
  case duplicateKey(name: String, range: TextRange, first: TextRange)
  case missingKey(key: Key, block: BlockKind, range: TextRange)
  case malformedValue(ValueError, key: String)
  case unknownKeyword(word: String, range: TextRange, suggestion: String?)
  case missingKeyword(range: TextRange)
  /// A block of kind `kind` inside a block of kind `parent` (nil: at the top of the file, where
  /// only a 予算 header written after other blocks, a 内訳 or an うち is misplaced).
  case misplacedBlock(kind: BlockKind, parent: BlockKind?, range: TextRange)
  /// 分野 and 事業 blocks written inside the 予算 header, whose `}` comes after them (at `closer`):
  /// they are lowered as if the header had been closed before them. `first` is the first one's
  /// keyword; `fix` moves the `}` there, when the header has no entries after them.
  case blocksInsideHeader(first: TextRange, count: Int, closer: TextRange?, fix: [TextEdit]?)
  case duplicateHeader(range: TextRange, first: TextRange)
  case missingHeader(range: TextRange)
  case invalidIdentifier(text: String, range: TextRange, block: BlockKind)
  case missingTitle(block: BlockKind, range: TextRange)
  case entryOutsideBlock(range: TextRange)
}
