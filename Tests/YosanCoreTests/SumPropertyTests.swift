import Testing
import YosanGenerator
import YosanTestSupport

@testable import YosanCore

/// The property behind every sum rule: figures rounded from exact values under the rounding mode
/// in force never raise a sum diagnostic, whatever their units and precisions; a figure moved
/// beyond its rounding interval raises exactly the diagnostics of the sums it takes part in.
///
/// Each case is a 分野 of 1–3 items built from exact yen values: breakdowns nested up to three
/// deep (with and without their own 小計, some detailing a row of their parent), うち blocks,
/// sub-items (some tagged 再掲), a restated item, a section 合計, per-breakdown 端数 overrides,
/// negative and zero figures. Every figure is displayed in a random unit (円 to 億円) with a random
/// number of decimals, rounded by this test's own code (not Yosan's) under the mode in force. The
/// file must have no diagnostic at all. Then one figure is moved far beyond its interval, and the
/// test asserts exactly as many sum diagnostics as sums it takes part in: 1 for a row or a request,
/// 2 for a 小計 (its own sum and its parent's) or a row that a nested 内訳 details, 0 for 再掲.
@Suite(.tags(.slow))
struct SumPropertyTests {
  /// How many documents are generated; each is checked clean, then once with a figure moved.
  static let cases = 1_500

  static let sumRules: Set<String> = [
    "breakdown-sum", "of-which-sum", "sub-item-sum", "section-total", "booking-split-sum", "unverifiable-sum",
  ]

  @Test("rounded figures raise no diagnostic; a moved figure raises exactly its sums' (1,500 cases)")
  func property() {
    var random = SplitMix64(seed: 0x5A5A_2025)
    var coverage: [String: Int] = [:]
    for index in 0..<Self.cases {
      var generator = DocumentGenerator(random: random)
      let document = generator.generate()
      random = generator.random
      for (key, count) in generator.coverage { coverage[key, default: 0] += count }

      let clean = document.render(moving: nil)
      let found = analyze(clean, document)
      guard found.isEmpty else {
        Issue.record("case \(index): \(found.prefix(3))\n\(clean)")
        return
      }
      let target = random.below(document.figures.count)
      let role = document.figures[target].role
      coverage["perturbed \(role.name)", default: 0] += 1
      let moved = document.render(moving: target)
      let sums = analyze(moved, document).filter { Self.sumRules.contains($0.rule) }
      guard sums.count == role.sums, sums.allSatisfy({ $0.rule != "unverifiable-sum" }) else {
        Issue.record("case \(index): moving the \(role.name) `\(document.figures[target].label)` gave \(sums)\n\(moved)")
        return
      }
    }
    // Every kind of case was generated, often enough to mean something.
    let required = [
      "document 四捨五入", "document 切り捨て", "document 切り上げ", "mode from the configuration", "override 四捨五入", "override 切り捨て",
      "override 切り上げ", "nested with 小計", "nested without 小計", "detail with 小計", "detail without 小計", "depth 3", "mixed units",
      "うち", "sub-items", "再掲 sub-item", "再掲 item", "section 合計", "negative figure", "zero shown", "decimals shown",
      "perturbed row", "perturbed 小計", "perturbed 合計", "perturbed detailed row", "perturbed request", "perturbed うち row",
      "perturbed sub-item", "perturbed 再掲", "perturbed section 合計",
    ]
    for key in required {
      #expect(coverage[key, default: 0] >= 20, "only \(coverage[key, default: 0]) cases of \(key)")
    }
  }

  func analyze(_ text: String, _ document: GeneratedDocument) -> [(rule: String, text: String)] {
    var settings = Configuration()
    if document.modeFromConfiguration { settings.rounding = document.mode }
    let configuration = settings
    let file = Analyzer.analyze([SourceFile(path: "p.yosan", text: text)], configuration: { _ in configuration }).files[0]
    return file.diagnostics.map { ($0.ruleID, "\(file.facts.position(of: $0.range.start).line): \($0.message) [\($0.ruleID)]") }
  }
}

// MARK: - The generated documents

/// What a figure is, and so how many sums it takes part in.
enum FigureRole {
  case row, subtotal, grandTotal, detailedRow, ofWhichRow, subItem, restated, sectionTotal
  /// An item's request; `inSection` when the section declares a 合計.
  case request(inSection: Bool)

  var name: String {
    switch self {
    case .row: return "row"
    case .subtotal: return "小計"
    case .grandTotal: return "合計"
    case .detailedRow: return "detailed row"
    case .ofWhichRow: return "うち row"
    case .subItem: return "sub-item"
    case .restated: return "再掲"
    case .sectionTotal: return "section 合計"
    case .request: return "request"
    }
  }

  /// The sums a figure moved upward breaks.
  var sums: Int {
    switch self {
    case .row, .ofWhichRow, .subItem, .sectionTotal: return 1
    case .subtotal, .grandTotal, .detailedRow: return 2
    case .restated: return 0
    case .request(let inSection): return inSection ? 2 : 1
    }
  }
}

/// A figure: its exact value in yen, how it is shown, and under which rounding mode.
struct Figure {
  var label: String
  var exact: Int128
  var unitExponent: Int
  var symbol: String
  var digits: Int
  var mode: RoundingMode
  var role: FigureRole

  /// The unit of last place, in yen.
  var ulp: Int128 { power(unitExponent - digits) }

  /// The shown value in units of last place: `exact` rounded by `mode` (half away from zero,
  /// toward zero, away from zero).
  var shown: Int128 {
    let u = ulp
    let magnitude = exact.magnitude
    var q = Int128(magnitude / u.magnitude)
    let remainder = Int128(magnitude % u.magnitude)
    switch mode {
    case .round: if remainder * 2 >= u { q += 1 }
    case .truncate: break
    case .ceiling: if remainder > 0 { q += 1 }
    }
    return exact < 0 ? -q : q
  }

  /// `q` units of last place written as the document would: `△1,234.5百万円`.
  func written(_ q: Int128, grouping: Bool) -> String {
    var digitsText = String(q.magnitude)
    if digitsText.count <= digits { digitsText = String(repeating: "0", count: digits - digitsText.count + 1) + digitsText }
    var integer = String(digitsText.dropLast(digits))
    let fraction = String(digitsText.suffix(digits))
    if grouping { integer = TestText.groupedByThrees(integer) }
    return (q < 0 ? "△" : "") + integer + (digits > 0 ? "." + fraction : "") + symbol
  }
}

func power(_ n: Int) -> Int128 {
  var p: Int128 = 1
  for _ in 0..<n { p *= 10 }
  return p
}

/// A generated breakdown: its rows (figure indices) and nested breakdowns, in order.
struct GeneratedBreakdown {
  enum Child {
    case row(Int)
    case nested(GeneratedBreakdown)
  }
  var keyword = "内訳"
  var title: String
  var override: RoundingMode?
  var children: [Child] = []
  var total: Int?
}

struct GeneratedItem {
  var id: String
  var request: Int
  var restated = false
  var breakdowns: [GeneratedBreakdown] = []
  var subItems: [GeneratedItem] = []
}

struct GeneratedDocument {
  var mode: RoundingMode
  var modeFromConfiguration: Bool
  var sectionTotal: Int?
  var items: [GeneratedItem] = []
  var figures: [Figure] = []
  /// Whether each figure groups thousands.
  var grouping: [Bool] = []

  /// The text, with figure `moving` shown beyond its rounding interval by more than the widths of
  /// all intervals together (and, for a うち row, more than the request), so that no sum it takes
  /// part in can absorb the change.
  func render(moving: Int?) -> String {
    var slack: Int128 = 0
    for figure in figures { slack += 2 * figure.ulp }
    if let moving, case .ofWhichRow = figures[moving].role {
      for figure in figures { if case .request = figure.role { slack += 2 * figure.exact.magnitude.asInt128 } }
    }
    func value(_ index: Int) -> String {
      let figure = figures[index]
      var q = figure.shown
      if index == moving { q += slack / figure.ulp + 2 }
      return figure.written(q, grouping: grouping[index])
    }
    var out = "予算 \"令和7年度 生成\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n"
    if !modeFromConfiguration { out += "  端数 = \(mode.japanese)\n" }
    out += "}\n\n分野 \"生成された分野\" {\n"
    if let sectionTotal { out += "  合計 = \(value(sectionTotal))\n" }
    func breakdown(_ b: GeneratedBreakdown, indent: String) {
      out += "\(indent)\(b.keyword) \"\(b.title)\" {\n"
      if let override = b.override { out += "\(indent)  端数 = \(override.japanese)\n" }
      for child in b.children {
        switch child {
        case .row(let index): out += "\(indent)  \(figures[index].label) = \(value(index))\n"
        case .nested(let nested): breakdown(nested, indent: indent + "  ")
        }
      }
      if let total = b.total { out += "\(indent)  合計 = \(value(total))\n" }
      out += "\(indent)}\n"
    }
    func item(_ generated: GeneratedItem, indent: String) {
      out += "\(indent)事業 \(generated.id) \"\(generated.id)の事業\" {\n"
      if generated.restated { out += "\(indent)  種別 = 再掲\n" }
      if indent == "  " { out += "\(indent)  担当 = 医政局\n" }
      out += "\(indent)  要求額 = \(value(generated.request))\n"
      for b in generated.breakdowns { breakdown(b, indent: indent + "  ") }
      for sub in generated.subItems { item(sub, indent: indent + "  ") }
      out += "\(indent)}\n"
    }
    for i in items { item(i, indent: "  ") }
    out += "}\n"
    // A negative request is a reduction: a supplementary budget's (elsewhere `negative-request`).
    if out.contains("要求額 = △") { out = out.replacingOccurrences(of: "区分 = 概算要求", with: "区分 = 補正予算") }
    return out
  }
}

extension UInt128 {
  var asInt128: Int128 { Int128(self) }
}

/// Builds one document from a random stream, counting what it built.
struct DocumentGenerator {
  var random: SplitMix64
  var coverage: [String: Int] = [:]
  var document: GeneratedDocument
  var counter = 0

  init(random: SplitMix64) {
    self.random = random
    document = GeneratedDocument(mode: .round, modeFromConfiguration: false)
  }

  static let modes: [RoundingMode] = [.round, .truncate, .ceiling]
  static let units: [(Int, String)] = [(0, "円"), (3, "千円"), (4, "万円"), (6, "百万円"), (7, "千万円"), (8, "億円")]

  mutating func note(_ key: String) { coverage[key, default: 0] += 1 }

  mutating func nextLabel(_ prefix: String) -> String {
    counter += 1
    return "\(prefix)\(counter)"
  }

  /// An exact value: mostly positive, of any size from yen to hundreds of 億円; sometimes zero or
  /// a small negative figure.
  mutating func exactValue() -> Int128 {
    switch random.below(40) {
    case 0: return 0
    case 1: return -Int128(random.below(2_000_000))
    default: return Int128(random.next() % UInt64(power(3 + random.below(9))))
    }
  }

  /// Records a figure shown in a random unit and precision: mostly a unit in which the value has
  /// at least one digit before the point, sometimes any unit (then it may show as 0).
  mutating func figure(_ label: String, exact: Int128, mode: RoundingMode, role: FigureRole) -> Int {
    let size = String(exact.magnitude).count - 1
    let fitting = Self.units.filter { $0.0 <= size }
    let (exponent, symbol) =
      random.below(8) == 0 || fitting.isEmpty ? Self.units[random.below(Self.units.count)] : fitting[random.below(fitting.count)]
    let digits = random.below(3) == 0 ? random.below(min(exponent, 2) + 1) : 0
    let figure = Figure(label: label, exact: exact, unitExponent: exponent, symbol: symbol, digits: digits, mode: mode, role: role)
    if digits > 0 { note("decimals shown") }
    if figure.shown == 0 { note("zero shown") }
    if exact < 0 { note("negative figure") }
    document.figures.append(figure)
    document.grouping.append(random.below(2) == 0)
    return document.figures.count - 1
  }

  mutating func generate() -> GeneratedDocument {
    document.mode = Self.modes[random.below(3)]
    document.modeFromConfiguration = random.below(4) == 0
    note("document \(document.mode.japanese)")
    if document.modeFromConfiguration { note("mode from the configuration") }
    let sectionHasTotal = random.below(3) == 0
    var sectionSum: Int128 = 0
    for _ in 0..<(1 + random.below(3)) {
      let (item, exact) = makeItem(inSection: sectionHasTotal)
      document.items.append(item)
      sectionSum += exact
    }
    if random.below(3) == 0 {
      let index = figure(nextLabel("再掲"), exact: exactValue(), mode: document.mode, role: .restated)
      document.items.append(GeneratedItem(id: nextLabel("r"), request: index, restated: true))
      note("再掲 item")
    }
    if sectionHasTotal {
      document.sectionTotal = figure("合計", exact: sectionSum, mode: document.mode, role: .sectionTotal)
      note("section 合計")
    }
    return document
  }

  /// An item with a breakdown (and maybe a うち), or with sub-items; returns it and its exact request.
  mutating func makeItem(inSection: Bool) -> (GeneratedItem, Int128) {
    let id = nextLabel("g")
    let mode = document.mode
    if random.below(4) == 0 {
      // Sub-items, and maybe a 再掲 one that must not count.
      var subs: [GeneratedItem] = []
      var sum: Int128 = 0
      for _ in 0..<(1 + random.below(3)) {
        let exact = exactValue()
        sum += exact
        subs.append(GeneratedItem(id: nextLabel("\(id)-"), request: figure("子", exact: exact, mode: mode, role: .subItem)))
      }
      if random.below(2) == 0 {
        let restated = figure("再掲", exact: exactValue(), mode: mode, role: .restated)
        subs.insert(GeneratedItem(id: nextLabel("\(id)-r"), request: restated, restated: true), at: random.below(subs.count + 1))
        note("再掲 sub-item")
      }
      note("sub-items")
      let request = figure("要求額", exact: sum, mode: mode, role: .request(inSection: inSection))
      return (GeneratedItem(id: id, request: request, subItems: subs), sum)
    }
    let (top, sum) = makeBreakdown(depth: 0, inherited: mode, title: "内訳")
    let request = figure("要求額", exact: sum, mode: mode, role: .request(inSection: inSection))
    var item = GeneratedItem(id: id, request: request, breakdowns: [top])
    if sum > 0, random.below(3) == 0 {
      // A うち: rows that add up to at most the request.
      var ofWhich = GeneratedBreakdown(keyword: "うち", title: "うち")
      let count = 1 + random.below(3)
      for _ in 0..<count {
        let exact = Int128(random.next() % UInt64(sum / Int128(count) + 1))
        ofWhich.children.append(.row(figure(nextLabel("うち"), exact: exact, mode: mode, role: .ofWhichRow)))
      }
      item.breakdowns.append(ofWhich)
      note("うち")
    }
    return (item, sum)
  }

  /// A 内訳 at `depth` (0 = top level) and the exact sum of what it counts.
  mutating func makeBreakdown(depth: Int, inherited: RoundingMode, title: String) -> (GeneratedBreakdown, Int128) {
    var breakdown = GeneratedBreakdown(title: title)
    if depth == 3 { note("depth 3") }
    if random.below(5) == 0 {
      let override = Self.modes[random.below(3)]
      breakdown.override = override
      note("override \(override.japanese)")
    }
    let mode = breakdown.override ?? inherited
    var sum: Int128 = 0
    var units = Set<Int>()
    for _ in 0..<(1 + random.below(4)) {
      let choice = random.below(10)
      if depth < 3, choice < 2 {
        let (nested, exact) = makeBreakdown(depth: depth + 1, inherited: mode, title: nextLabel("区分"))
        note(nested.total == nil ? "nested without 小計" : "nested with 小計")
        if let total = nested.total { units.insert(document.figures[total].unitExponent) }
        breakdown.children.append(.nested(nested))
        sum += exact
      } else if depth < 3, choice < 4 {
        // A row and a nested 内訳 titled like it, detailing it.
        let label = nextLabel("経費")
        let (nested, exact) = makeBreakdown(depth: depth + 1, inherited: mode, title: label)
        note(nested.total == nil ? "detail without 小計" : "detail with 小計")
        let row = figure(label, exact: exact, mode: mode, role: .detailedRow)
        units.insert(document.figures[row].unitExponent)
        breakdown.children.append(.row(row))
        breakdown.children.insert(.nested(nested), at: random.below(breakdown.children.count + 1))
        sum += exact
      } else {
        let row = figure(nextLabel("経費"), exact: exactValue(), mode: mode, role: .row)
        units.insert(document.figures[row].unitExponent)
        breakdown.children.append(.row(row))
        sum += document.figures[row].exact
      }
    }
    if random.below(2) == 0 {
      breakdown.total = figure("合計", exact: sum, mode: mode, role: depth == 0 ? .grandTotal : .subtotal)
      units.insert(document.figures[breakdown.total!].unitExponent)
    }
    if units.count > 1 { note("mixed units") }
    return (breakdown, sum)
  }
}
