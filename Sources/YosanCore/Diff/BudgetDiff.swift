import YosanSyntax

/// The differences between two versions of a budget (概算要求 → 予算案 → 補正 …), item by item.
///
/// Pure logic over the lowered model: no I/O. Items are matched by id, never by position; an item
/// without an id is matched by its title when that title is unique on both sides. An item whose
/// id changed while its title and division did not is a probable rename. Matched items are
/// compared field by field (semantically: `7.9億円` and `790百万円` are the same figure), and
/// their breakdown rows by name.
public struct BudgetDiff: Sendable {
  public var old: SideSummary
  public var new: SideSummary
  /// Every item that differs, grouped by section; the groups and the items in each group ordered
  /// with the largest change of the request first.
  public var groups: [Group]
  /// Files added or removed, and changes of a file's `予算` header (title, 年度, 区分 …).
  public var documents: [DocumentChange]

  /// True when nothing differs.
  public var isEmpty: Bool { groups.isEmpty && documents.isEmpty }

  /// Every change, in the order of `groups`.
  public var changes: [ItemChange] { groups.flatMap(\.changes) }

  /// How many items were added, removed, renamed, moved and changed (an item may count in several).
  public var counts: Counts {
    var counts = Counts()
    for change in changes {
      switch change.kind {
      case .added: counts.added += 1
      case .removed: counts.removed += 1
      case .renamed: counts.renamed += 1
      case .changed: break
      }
      if change.move != nil { counts.moved += 1 }
      if !change.fields.isEmpty || !change.rows.isEmpty { counts.changed += 1 }
    }
    return counts
  }

  public struct Counts: Hashable, Sendable {
    public var added = 0
    public var removed = 0
    public var renamed = 0
    public var moved = 0
    /// Items with at least one changed field or breakdown row.
    public var changed = 0
  }

  /// The items of one section (of one file) that changed.
  public struct Group: Sendable {
    /// The file, as named on its side (the new side, else the old).
    public var file: String
    /// The titles of the enclosing sections, outermost first (empty outside every section).
    public var sections: [String]
    public var changes: [ItemChange]
  }

  /// One side as a whole: what was compared and what its check found.
  public struct SideSummary: Sendable {
    public var files: Int
    public var items: Int
    /// The key most items write their amount under: 要求額, or 予算額 in a 予算案 or 当初予算.
    public var requestKey: String
    /// The requests (要求額 or 予算額) and previous years of the items that are not inside another
    /// item, not 再掲 and not 内数: the budget's totals.
    public var request: Total
    public var previous: Total
    public var errors: Int
    public var warnings: Int
    /// Files with syntax errors (or bytes that are not UTF-8): only their readable items are compared.
    public var filesWithSyntaxErrors: [String]
  }

  /// A sum of amounts, exact, with the unit most of them are written in.
  public struct Total: Sendable, Hashable {
    public var yen: ExactDecimal
    public var unit: YenUnit
    /// False when the sum left the exact range (38 digits).
    public var exact: Bool
  }

  /// The total change of the requests and of the previous years, old → new.
  public var requestChange: AmountChange { AmountChange(total: old.request, new.request) }
  public var previousChange: AmountChange { AmountChange(total: old.previous, new.previous) }
}

/// A file that is only on one side, or whose `予算` header changed. Files are matched by their
/// name within their side (two single files are always matched).
public struct DocumentChange: Sendable {
  public enum Kind: String, Sendable, Hashable { case added, removed, changed }
  public var kind: Kind
  public var oldFile: String?
  public var newFile: String?
  /// The header's fields old → new (`予算` for the title, `年度`, `区分`, `府省`, `単位`, `端数`).
  public var fields: [FieldChange]
}

/// One item that differs between the two sides.
public struct ItemChange: Sendable {
  public enum Kind: String, Sendable, Hashable {
    case added, removed, changed
    /// The id changed, the title and division did not.
    case renamed
  }

  public var kind: Kind
  /// The item in the old version (nil when added) and in the new one (nil when removed).
  public var old: ItemPlace?
  public var new: ItemPlace?
  /// True when the item has no id and was matched by its title.
  public var matchedByTitle: Bool
  /// Where it moved (another section, file or parent item), when it did.
  public var move: Move?
  public var fields: [FieldChange]
  public var rows: [RowChange]

  /// The id to name the item by: the new one, else the old one.
  public var id: String? { new?.id ?? old?.id }
  public var title: String? { new?.title ?? old?.title }

  /// The change of the request in yen: the whole request when added or removed.
  public var requestChange: AmountChange {
    if let field = fields.first(where: { $0.isRequest }), case .amount(let change) = field.value { return change }
    return AmountChange(old?.request, new?.request)
  }

  /// How large the change is, for ordering: the magnitude of the request's change.
  public var magnitude: ExactDecimal {
    guard let delta = requestChange.delta else { return .zero }
    return delta.isNegative ? delta.negated() : delta
  }

  public struct Move: Sendable, Hashable {
    /// The files, when the item moved to another file (nil when it stayed in its file).
    public var fromFile: String?
    public var toFile: String?
    public var fromSections: [String]
    public var toSections: [String]
    public var fromParent: String?
    public var toParent: String?
  }
}

/// Where an item is, and its figures, on one side.
public struct ItemPlace: Sendable {
  public var file: String
  /// The file's name within its side (for telling files apart across sides).
  public var name: String
  public var line: Int
  public var id: String?
  public var title: String?
  public var sections: [String]
  /// The id of the enclosing item, for a sub-item.
  public var parent: String?
  public var divisions: [String]
  public var tags: [Tag]
  /// The key the amount is written under: 要求額 or 予算額.
  public var requestKey: String
  public var request: AmountValue?
  public var previous: AmountValue?
}

/// An amount expression as written, with the yen it counts for.
public struct AmountValue: Sendable, Hashable {
  /// The text as written: `7.9億円`, `なし`, `内数(kikin)`.
  public var written: String
  /// The amount that counts in sums (nil for なし, 内数 and 事項要求 alone).
  public var yen: ExactDecimal?
  public var unit: YenUnit?
  public var fractionDigits: Int
  /// What the value means, for comparing: equal keys say the same thing however written.
  public var key: String
}

/// A figure old → new: 要求額, 前年度, 補正, a breakdown row, a total.
public struct AmountChange: Sendable, Hashable {
  public var old: AmountValue?
  public var new: AmountValue?

  public init(_ old: AmountValue?, _ new: AmountValue?) {
    self.old = old
    self.new = new
  }

  /// A change between two figures shown in one unit (the old one in its own unit when given).
  public init(yen old: ExactDecimal, _ new: ExactDecimal, unit: YenUnit, fractionDigits: Int = 0, oldUnit: YenUnit? = nil, oldFractionDigits: Int? = nil) {
    let oldShown = oldUnit ?? unit
    let oldDigits = oldFractionDigits ?? fractionDigits
    self.old = AmountValue(written: Figures.amount(old, in: oldShown, fractionDigits: oldDigits), yen: old, unit: oldShown, fractionDigits: oldDigits, key: "")
    self.new = AmountValue(written: Figures.amount(new, in: unit, fractionDigits: fractionDigits), yen: new, unit: unit, fractionDigits: fractionDigits, key: "")
  }

  init(total old: BudgetDiff.Total, _ new: BudgetDiff.Total) {
    // Both totals in one unit: the new side's.
    let unit = new.unit
    self.old = AmountValue(written: Figures.amount(old.yen, in: unit), yen: old.yen, unit: unit, fractionDigits: 0, key: "")
    self.new = AmountValue(written: Figures.amount(new.yen, in: unit), yen: new.yen, unit: unit, fractionDigits: 0, key: "")
  }

  /// new − old in yen, when both count (a side that is absent counts as zero).
  public var delta: ExactDecimal? {
    let a = old == nil ? ExactDecimal.zero : old?.yen
    let b = new == nil ? ExactDecimal.zero : new?.yen
    guard let a, let b, old != nil || new != nil else { return nil }
    return b.subtracting(a)
  }

  /// (new − old) / old, when both are amounts and old is not zero.
  public var ratio: Rational? {
    guard let a = old?.yen, let b = new?.yen else { return nil }
    return Figures.changeRatio(from: a, to: b)
  }

  /// The unit to show the change in: the new figure's, else the old one's, else 円.
  public var unit: YenUnit { new?.unit ?? old?.unit ?? .yen }

  /// Decimals to show: those of the figure whose unit is used.
  public var fractionDigits: Int {
    if let new, new.unit != nil { return new.fractionDigits }
    return old?.fractionDigits ?? 0
  }

  /// The change in the unit shown, `△` for a decrease: `+66千円`, `△1.2億円`.
  public var deltaText: String? { delta.map { Figures.increaseDecrease($0, in: unit, fractionDigits: fractionDigits) } }
  /// The change in exact yen: `+66,000円`.
  public var deltaYenText: String? { delta.map(Figures.increaseDecreaseYen) }
  /// `+5.3%`, `△12.5%`.
  public var percentText: String? { ratio.flatMap(Figures.increaseDecreasePercent) }
}

/// One changed field of an item.
public struct FieldChange: Sendable {
  /// The key in Japanese: `要求額`, `前年度`, `補正 令和5年度`, `種別`, `補助率`, `負担割合`, `担当`,
  /// `事業名` (the title), `id`, `目的` …
  public var key: String
  public var value: Value

  public enum Value: Sendable {
    case amount(AmountChange)
    /// Text old → new (nil where the field is not written).
    case text(old: String?, new: String?)
    /// 種別: the tags added and removed.
    case tags(added: [Tag], removed: [Tag], old: [Tag], new: [Tag])
  }

  var isRequest: Bool { key == "要求額" || key == "予算額" }
}

/// A breakdown row added, removed or changed (matched by its label within its breakdown).
public struct RowChange: Sendable {
  /// The breakdown: its keyword and title, nested ones after their parent's (`内訳 所要額 › 内訳 (1)`).
  public var breakdown: String
  public var label: String
  public var amount: AmountChange
}

// MARK: - Computing

extension BudgetDiff {
  /// One side: the analysis of its files, and each file's name within the side (a path relative to
  /// the folder compared, or empty for a single file), used to tell a file move from a rename of the
  /// folder compared.
  public struct Side: Sendable {
    public var analysis: WorkspaceAnalysis
    public var names: [String]

    public init(analysis: WorkspaceAnalysis, names: [String]) {
      precondition(names.count == analysis.files.count)
      self.analysis = analysis
      self.names = names
    }
  }

  /// The differences from `old` to `new`.
  public static func compare(_ old: Side, _ new: Side) -> BudgetDiff {
    let oldItems = Collected(old, tag: "old")
    let newItems = Collected(new, tag: "new")
    var newByKey: [String: Int] = [:]
    for (index, item) in newItems.items.enumerated() { newByKey[item.key] = index }
    var matchedNew = Set<Int>()
    var pairs: [(old: Int?, new: Int?, byTitle: Bool, renamed: Bool)] = []
    var unmatchedOld: [Int] = []
    for (index, item) in oldItems.items.enumerated() {
      if let other = newByKey[item.key] {
        matchedNew.insert(other)
        pairs.append((index, other, item.place.id == nil, false))
      } else {
        unmatchedOld.append(index)
      }
    }
    // Probable renames: an old item and a new one, both unmatched, with ids, the same non-empty
    // title and the same division, and no other candidate with that title and division.
    func renameKey(_ item: Collected.Entry) -> String? {
      guard item.place.id != nil, let title = item.place.title, !title.isEmpty else { return nil }
      return title + "\u{0}" + item.place.divisions.joined(separator: "、")
    }
    var oldCandidates: [String: [Int]] = [:]
    for index in unmatchedOld { if let key = renameKey(oldItems.items[index]) { oldCandidates[key, default: []].append(index) } }
    var newCandidates: [String: [Int]] = [:]
    for index in newItems.items.indices where !matchedNew.contains(index) {
      if let key = renameKey(newItems.items[index]) { newCandidates[key, default: []].append(index) }
    }
    var renamedOld = Set<Int>()
    for (key, olds) in oldCandidates where olds.count == 1 {
      guard let news = newCandidates[key], news.count == 1 else { continue }
      renamedOld.insert(olds[0])
      matchedNew.insert(news[0])
      pairs.append((olds[0], news[0], false, true))
    }
    for index in unmatchedOld where !renamedOld.contains(index) { pairs.append((index, nil, false, false)) }
    for index in newItems.items.indices where !matchedNew.contains(index) { pairs.append((nil, index, false, false)) }

    // A sub-item whose parent was renamed has not moved.
    var renamedIds: [String: String] = [:]
    for pair in pairs where pair.renamed {
      if let from = oldItems.items[pair.old!].place.id, let to = newItems.items[pair.new!].place.id { renamedIds[from] = to }
    }
    var changes: [(change: ItemChange, order: Int)] = []
    for pair in pairs {
      let a = pair.old.map { oldItems.items[$0] }
      let b = pair.new.map { newItems.items[$0] }
      guard let change = itemChange(a, b, byTitle: pair.byTitle, renamed: pair.renamed, renamedIds: renamedIds) else { continue }
      // Document order of the new side, then removed items in the old side's order after them.
      let order = pair.new.map { $0 } ?? (newItems.items.count + (pair.old ?? 0))
      changes.append((change, order))
    }
    var newPaths: [String: String] = [:]
    for (file, name) in zip(new.analysis.files, new.names) where newPaths[name] == nil { newPaths[name] = file.facts.path }
    return BudgetDiff(
      old: oldItems.summary, new: newItems.summary, groups: grouped(changes, newPaths: newPaths), documents: documentChanges(old, new))
  }

  /// Files only on one side, and header changes of the files on both.
  static func documentChanges(_ old: Side, _ new: Side) -> [DocumentChange] {
    var newByName: [String: FileFacts] = [:]
    for (file, name) in zip(new.analysis.files, new.names) where newByName[name] == nil { newByName[name] = file.facts }
    var oldNames = Set<String>()
    var result: [DocumentChange] = []
    for (file, name) in zip(old.analysis.files, old.names) where oldNames.insert(name).inserted {
      guard let other = newByName[name] else {
        result.append(DocumentChange(kind: .removed, oldFile: file.facts.path, newFile: nil, fields: []))
        continue
      }
      let a = headerFields(file.facts)
      let b = headerFields(other)
      var fields: [FieldChange] = []
      for (key, x, y) in zip3(a, b) where x?.key != y?.key {
        fields.append(FieldChange(key: key, value: .text(old: x?.written, new: y?.written)))
      }
      if !fields.isEmpty { result.append(DocumentChange(kind: .changed, oldFile: file.facts.path, newFile: other.path, fields: fields)) }
    }
    for (file, name) in zip(new.analysis.files, new.names) where !oldNames.contains(name) {
      result.append(DocumentChange(kind: .added, oldFile: nil, newFile: file.facts.path, fields: []))
    }
    return result
  }

  static func headerFields(_ facts: FileFacts) -> [(String, FieldText)] {
    guard let header = facts.document.header else { return [] }
    var result: [(String, FieldText)] = []
    if let title = header.title { result.append(("予算", FieldText(written: title.text, key: title.text))) }
    func add<T>(_ key: Key, _ field: Field<T>?, _ meaning: (T) -> String) {
      guard let field else { return }
      result.append((key.descriptor.japanese, FieldText(written: facts.text(field.location.valueRange), key: meaning(field.value))))
    }
    add(.ministry, header.ministry) { $0 }
    add(.fiscalYear, header.fiscalYear) { "\($0.western)" }
    add(.documentKind, header.kind) { $0.rawValue }
    add(.unit, header.unit) { $0.symbol }
    add(.rounding, header.rounding) { $0.rawValue }
    return result
  }

  /// Groups by file (named as on the new side when it is there) and section.
  static func grouped(_ changes: [(change: ItemChange, order: Int)], newPaths: [String: String]) -> [Group] {
    var groups: [(group: Group, order: Int, magnitude: ExactDecimal)] = []
    var index: [String: Int] = [:]
    for (change, order) in changes.sorted(by: { $0.order < $1.order }) {
      let place = (change.new ?? change.old)!
      let key = place.name + "\u{0}" + place.sections.joined(separator: "\u{0}")
      if let at = index[key] {
        groups[at].group.changes.append(change)
        groups[at].magnitude = groups[at].magnitude.adding(change.magnitude) ?? groups[at].magnitude
      } else {
        index[key] = groups.count
        let file = change.new == nil ? newPaths[place.name] ?? place.file : place.file
        groups.append((Group(file: file, sections: place.sections, changes: [change]), order, change.magnitude))
      }
    }
    for at in groups.indices {
      // Stable: equal magnitudes keep document order.
      let ordered = groups[at].group.changes.enumerated().sorted { a, b in
        a.element.magnitude != b.element.magnitude ? b.element.magnitude < a.element.magnitude : a.offset < b.offset
      }
      groups[at].group.changes = ordered.map(\.element)
    }
    return groups.sorted { a, b in a.magnitude != b.magnitude ? b.magnitude < a.magnitude : a.order < b.order }.map(\.group)
  }

  static func itemChange(
    _ a: Collected.Entry?, _ b: Collected.Entry?, byTitle: Bool, renamed: Bool, renamedIds: [String: String]
  ) -> ItemChange? {
    guard let a, let b else {
      // The fields and rows of an added or removed item are not listed: the item is.
      return ItemChange(kind: a == nil ? .added : .removed, old: a?.place, new: b?.place, matchedByTitle: false, move: nil, fields: [], rows: [])
    }
    var fields: [FieldChange] = []
    if renamed { fields.append(FieldChange(key: "id", value: .text(old: a.place.id, new: b.place.id))) }
    if a.place.title != b.place.title { fields.append(FieldChange(key: "事業名", value: .text(old: a.place.title, new: b.place.title))) }
    let requestKey = b.item.request != nil ? b.place.requestKey : a.place.requestKey
    amountField(requestKey, a.place.request, b.place.request, into: &fields)
    amountField(Key.previous.descriptor.japanese, a.place.previous, b.place.previous, into: &fields)
    supplementaryFields(a, b, into: &fields)
    if Set(a.place.tags) != Set(b.place.tags) {
      let added = b.place.tags.filter { !a.place.tags.contains($0) }
      let removed = a.place.tags.filter { !b.place.tags.contains($0) }
      fields.append(FieldChange(key: Key.tags.descriptor.japanese, value: .tags(added: added, removed: removed, old: a.place.tags, new: b.place.tags)))
    }
    if a.place.divisions != b.place.divisions {
      fields.append(
        FieldChange(
          key: Key.division.descriptor.japanese,
          value: .text(old: a.place.divisions.isEmpty ? nil : a.place.divisions.joined(separator: "、"), new: b.place.divisions.isEmpty ? nil : b.place.divisions.joined(separator: "、"))))
    }
    for (key, old, new) in zip3(Collected.otherFields(a), Collected.otherFields(b)) where old?.key != new?.key {
      fields.append(FieldChange(key: key, value: .text(old: old?.written, new: new?.written)))
    }
    let rows = rowChanges(a, b)
    var move: ItemChange.Move?
    let parentMoved = (a.place.parent.map { renamedIds[$0] ?? $0 }) != b.place.parent
    if a.place.name != b.place.name || a.place.sections != b.place.sections || parentMoved {
      let otherFile = a.place.name != b.place.name
      move = ItemChange.Move(
        fromFile: otherFile ? a.place.file : nil, toFile: otherFile ? b.place.file : nil, fromSections: a.place.sections, toSections: b.place.sections,
        fromParent: a.place.parent, toParent: b.place.parent)
    }
    guard renamed || move != nil || !fields.isEmpty || !rows.isEmpty else { return nil }
    return ItemChange(kind: renamed ? .renamed : .changed, old: a.place, new: b.place, matchedByTitle: byTitle, move: move, fields: fields, rows: rows)
  }

  /// Pairs the entries of two keyed lists by key, in the order of the first, then the second's others.
  static func zip3(_ a: [(String, FieldText)], _ b: [(String, FieldText)]) -> [(String, FieldText?, FieldText?)] {
    var result: [(String, FieldText?, FieldText?)] = []
    let bByKey = Dictionary(b, uniquingKeysWith: { first, _ in first })
    var seen = Set<String>()
    for (key, value) in a where seen.insert(key).inserted { result.append((key, value, bByKey[key])) }
    for (key, value) in b where seen.insert(key).inserted { result.append((key, nil, value)) }
    return result
  }

  static func amountField(_ key: String, _ old: AmountValue?, _ new: AmountValue?, into fields: inout [FieldChange]) {
    guard old?.key != new?.key else { return }
    fields.append(FieldChange(key: key, value: .amount(AmountChange(old, new))))
  }

  /// 補正, one field per year (and 第N次): `補正 令和5年度`.
  static func supplementaryFields(_ a: Collected.Entry, _ b: Collected.Entry, into fields: inout [FieldChange]) {
    func keyed(_ entry: Collected.Entry) -> [(String, AmountValue)] {
      entry.item.supplementary.map { field in
        let s = field.value
        let name = Key.supplementary.descriptor.japanese + " " + s.year.description + (s.ordinal.map { "第\($0)次" } ?? "")
        return (name, Collected.value(.amount(s.amount), written: s.amount.range, entry.facts))
      }
    }
    for (key, old, new) in zipAmounts(keyed(a), keyed(b)) { amountField(key, old, new, into: &fields) }
  }

  static func zipAmounts(_ a: [(String, AmountValue)], _ b: [(String, AmountValue)]) -> [(String, AmountValue?, AmountValue?)] {
    var result: [(String, AmountValue?, AmountValue?)] = []
    var bByKey: [String: AmountValue] = [:]
    for (key, value) in b where bByKey[key] == nil { bByKey[key] = value }
    var seen = Set<String>()
    for (key, value) in a where seen.insert(key).inserted { result.append((key, value, bByKey[key])) }
    for (key, value) in b where seen.insert(key).inserted { result.append((key, nil, value)) }
    return result
  }

  /// The rows of every breakdown, matched by breakdown and label.
  static func rowChanges(_ a: Collected.Entry, _ b: Collected.Entry) -> [RowChange] {
    let old = Collected.rows(a)
    let new = Collected.rows(b)
    var newByKey: [String: (String, String, AmountValue?)] = [:]
    for row in new where newByKey[row.key] == nil { newByKey[row.key] = (row.breakdown, row.label, row.value) }
    var result: [RowChange] = []
    var seen = Set<String>()
    for row in old where seen.insert(row.key).inserted {
      let other = newByKey[row.key]
      let change = AmountChange(row.value, other.flatMap { $0.2 })
      if other == nil {
        result.append(RowChange(breakdown: row.breakdown, label: row.label, amount: AmountChange(row.value, nil)))
      } else if row.value?.key != other?.2?.key {
        result.append(RowChange(breakdown: row.breakdown, label: row.label, amount: change))
      }
    }
    for row in new where seen.insert(row.key).inserted {
      result.append(RowChange(breakdown: row.breakdown, label: row.label, amount: AmountChange(nil, row.value)))
    }
    return result
  }
}

/// A field other than the figures, as written and as meant.
struct FieldText {
  var written: String
  var key: String
}

/// Every item of one side, keyed for matching, with the side's summary.
struct Collected {
  struct Entry {
    /// `id:…` (a second item with the same id gets `#2`), or `title:…` for an item without an id.
    var key: String
    var item: Item
    var facts: FileFacts
    var place: ItemPlace
  }

  var items: [Entry] = []
  var summary: BudgetDiff.SideSummary

  /// `tag` tells the sides' unmatchable items apart (their keys must never meet).
  init(_ side: BudgetDiff.Side, tag: String) {
    var occurrences: [String: Int] = [:]
    var titleCounts: [String: Int] = [:]
    var entries: [Entry] = []
    var requests: [Amount] = []
    var previouses: [Amount] = []
    for (file, name) in zip(side.analysis.files, side.names) {
      let facts = file.facts
      func visit(_ members: [Member], sections: [String]) {
        for member in members {
          switch member {
          case .section(let section): visit(section.members, sections: sections + [section.title?.text ?? ""])
          case .item(let item):
            if !item.has(.restated) {
              if let amount = item.request?.value.countedAmount { requests.append(amount) }
              if let amount = item.previous?.value.countedAmount { previouses.append(amount) }
            }
            add(item, sections: sections, parent: nil)
          }
        }
      }
      func add(_ item: Item, sections: [String], parent: String?) {
        let base: String
        if let id = item.id?.id {
          base = "id:" + id
        } else {
          base = "title:" + (item.title?.text ?? "")
          titleCounts[base, default: 0] += 1
        }
        occurrences[base, default: 0] += 1
        let n = occurrences[base]!
        let key = n == 1 ? base : base + "#\(n)"
        entries.append(Entry(key: key, item: item, facts: facts, place: Collected.place(item, facts, name: name, sections: sections, parent: parent)))
        for sub in item.subItems { add(sub, sections: sections, parent: item.id?.id) }
      }
      visit(facts.document.members, sections: [])
    }
    // An item without an id is matched by its title only when the title is unique.
    items = entries.filter { !$0.key.hasPrefix("title:") || (titleCounts[$0.key] == 1 && $0.key != "title:") }
      + entries.filter { $0.key.hasPrefix("title:") && !(titleCounts[$0.key] == 1 && $0.key != "title:") }.enumerated().map { offset, entry in
        var entry = entry
        entry.key = "unmatched:\(tag):\(offset)"
        return entry
      }
    var errors = 0
    var warnings = 0
    var syntax: [String] = []
    for file in side.analysis.files {
      for d in file.diagnostics {
        if d.severity == .error { errors += 1 }
        if d.severity == .warning { warnings += 1 }
      }
      if file.diagnostics.contains(where: { $0.ruleID == "syntax-error" || $0.ruleID == "invalid-utf8" }) { syntax.append(file.facts.path) }
    }
    summary = BudgetDiff.SideSummary(
      files: side.analysis.files.count, items: entries.count, requestKey: Collected.mostCommon(entries.map(\.place.requestKey)) ?? "要求額", request: Collected.total(requests), previous: Collected.total(previouses),
      errors: errors, warnings: warnings, filesWithSyntaxErrors: syntax)
  }

  static func mostCommon(_ keys: [String]) -> String? {
    var counts: [String: Int] = [:]
    for key in keys { counts[key, default: 0] += 1 }
    return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key
  }

  static func total(_ amounts: [Amount]) -> BudgetDiff.Total {
    var sum = ExactDecimal.zero
    var exact = true
    for amount in amounts {
      if let next = sum.adding(amount.yen) { sum = next } else { exact = false }
    }
    return BudgetDiff.Total(yen: sum, unit: Figures.displayUnit(of: amounts.map(\.unit)) ?? .yen, exact: exact)
  }

  static func place(_ item: Item, _ facts: FileFacts, name: String, sections: [String], parent: String?) -> ItemPlace {
    ItemPlace(
      file: facts.path, name: name, line: facts.lineNumber(item.keywordRange.start), id: item.id?.id, title: item.title?.text,
      sections: sections, parent: parent, divisions: (item.divisions?.value ?? []).map(\.text), tags: (item.tags?.value ?? []).map(\.tag),
      requestKey: (item.requestKey ?? .request).descriptor.japanese,
      request: item.request.map { value($0.value, written: $0.location.valueRange, facts) },
      previous: item.previous.map { value($0.value, written: $0.location.valueRange, facts) })
  }

  static func value(_ expression: AmountExpression, written: TextRange, _ facts: FileFacts) -> AmountValue {
    let text = facts.text(written)
    switch expression {
    case .amount(let a):
      return AmountValue(written: text, yen: a.yen, unit: a.unit, fractionDigits: a.fractionDigits, key: amountKey(a))
    case .none:
      return AmountValue(written: text, yen: nil, unit: nil, fractionDigits: 0, key: "none")
    case .notStated:
      return AmountValue(written: text, yen: nil, unit: nil, fractionDigits: 0, key: "notStated")
    case .partOf(let p):
      return AmountValue(
        written: text, yen: nil, unit: p.total?.unit, fractionDigits: 0,
        key: "partOf:" + (p.reference?.id ?? p.total.map(amountKey) ?? ""))
    case .pending(let p):
      return AmountValue(
        written: text, yen: p.amount?.yen, unit: p.amount?.unit, fractionDigits: p.amount?.fractionDigits ?? 0,
        key: "pending:" + (p.amount.map(amountKey) ?? "") + ":" + (p.reason ?? ""))
    }
  }

  static func amountKey(_ amount: Amount) -> String { (amount.isApproximate ? "約" : "") + amount.yen.normalized().description }

  /// The fields compared as text, by their Japanese key: 補助率, 負担割合 and the rest.
  static func otherFields(_ entry: Entry) -> [(String, FieldText)] {
    let item = entry.item
    let facts = entry.facts
    var result: [(String, FieldText)] = []
    func written(_ location: EntryLocation) -> String { facts.text(location.valueRange) }
    if let rate = item.rate { result.append((Key.rate.descriptor.japanese, FieldText(written: written(rate.location), key: rateKey(rate.value)))) }
    if let shares = item.shares {
      let key = shares.value.map { $0.party + "=" + ($0.fraction.value?.description ?? $0.fraction.written) }.sorted().joined(separator: ",")
      result.append((Key.shares.descriptor.japanese, FieldText(written: written(shares.location), key: key)))
    }
    func list(_ key: Key, _ field: Field<[TextValue]>?) {
      guard let field else { return }
      let joined = field.value.map(\.text).joined(separator: "、")
      result.append((key.descriptor.japanese, FieldText(written: joined, key: joined)))
    }
    list(.implementer, item.implementers)
    list(.recipient, item.recipients)
    list(.contractor, item.contractors)
    list(.eligibleCosts, item.eligibleCosts)
    list(.extensions, item.extensions)
    func perUnit(_ key: Key, _ field: Field<PerUnitAmount>?) {
      guard let field else { return }
      result.append((key.descriptor.japanese, FieldText(written: written(field.location), key: (field.value.per ?? "") + ":" + amountKey(field.value.amount))))
    }
    perUnit(.unitAmount, item.unitAmount)
    perUnit(.cap, item.cap)
    perUnit(.floor, item.floor)
    if !item.multiYear.isEmpty {
      let texts = item.multiYear.map { written($0.location) }
      let key = item.multiYear.map { "\($0.value.from.western)-\($0.value.to.western):" + ($0.value.amount.map(amountKey) ?? "") }
      result.append((Key.multiYear.descriptor.japanese, FieldText(written: texts.joined(separator: "; "), key: key.joined(separator: ";"))))
    }
    if let booked = item.bookedBy {
      let key = booked.value.map { $0.name + ":" + ($0.amount.map(amountKey) ?? "") }.joined(separator: ",")
      result.append((Key.bookedBy.descriptor.japanese, FieldText(written: written(booked.location), key: key)))
    }
    for key in [Key.purpose, .summary, .results, .note] {
      if let text = item.texts[key] { result.append((key.descriptor.japanese, FieldText(written: text.value, key: text.value))) }
    }
    return result
  }

  /// What a rate means: `1/2`, `定額(1)`, `3/4以上`, `1/3(2024)→1/2`.
  static func rateKey(_ rate: Rate) -> String {
    func fraction(_ f: Fraction) -> String { f.value?.description ?? f.written }
    switch rate {
    case .fraction(let f): return fraction(f)
    case .fixed(let f, _): return "定額(" + (f.map(fraction) ?? "") + ")"
    case .floor(let f): return fraction(f) + "以上"
    case .transition(let steps): return steps.map { rateKey($0.rate) + "(" + ($0.year.map { "\($0.western)" } ?? "") + ")" }.joined(separator: "→")
    }
  }

  struct RowEntry {
    var key: String
    var breakdown: String
    var label: String
    var value: AmountValue?
  }

  /// Every row of every breakdown of an item (their totals included), keyed by breakdown path and label.
  static func rows(_ entry: Entry) -> [RowEntry] {
    var result: [RowEntry] = []
    var breakdownCounts: [String: Int] = [:]
    func visit(_ breakdown: Breakdown, path: String) {
      let name = (breakdown.kind == .full ? "内訳" : "うち") + (breakdown.title.map { " " + $0.text } ?? "")
      var here = path.isEmpty ? name : path + " › " + name
      breakdownCounts[here, default: 0] += 1
      if breakdownCounts[here]! > 1 { here += " #\(breakdownCounts[here]!)" }
      var labels: [String: Int] = [:]
      func add(_ row: Row) {
        labels[row.label, default: 0] += 1
        let n = labels[row.label]!
        let label = n == 1 ? row.label : row.label + " #\(n)"
        result.append(
          RowEntry(
            key: here + "\u{0}" + label, breakdown: here, label: label,
            value: row.value.map { value($0, written: row.location.valueRange, entry.facts) }))
      }
      for child in breakdown.children {
        switch child {
        case .row(let row): add(row)
        case .breakdown(let nested): visit(nested, path: here)
        }
      }
      if let total = breakdown.total { add(total) }
    }
    for breakdown in entry.item.breakdowns { visit(breakdown, path: "") }
    return result
  }
}
