/// Writes realistic `.yosan` documents of any size for benchmarks and tests: a header, sections,
/// items with the common keys, breakdowns with nested groups and mixed units, rates and shares,
/// 内数 references across files, Japanese titles and divisions, a few comments.
///
/// Documents are consistent by construction: every figure is the rounding of an exact yen value,
/// and every total the rounding of the exact sum of its parts, so every sum checks under
/// 四捨五入. With `defects > 0`, that many items each get exactly one seeded defect, each of which
/// produces exactly one diagnostic. The output depends only on the options (deterministic).
public enum BudgetGenerator {
  public struct Options: Sendable {
    public var items: Int
    public var files: Int
    public var seed: UInt64
    public var defects: Int
    /// Items per 分野 block.
    public var itemsPerSection: Int
    /// The fault every item gets (`faulty(_:items:seed:)`), if any.
    var fault: Shape?

    public init(items: Int, files: Int = 1, seed: UInt64 = 1, defects: Int = 0, itemsPerSection: Int = 50) {
      self.items = items
      self.files = max(1, files)
      self.seed = seed
      self.defects = defects
      self.itemsPerSection = max(1, itemsPerSection)
    }
  }

  /// A kind of seeded defect and the rule that must report it.
  public enum Defect: String, CaseIterable, Sendable {
    /// 担当 misspelt 担党: `unknown-key`.
    case unknownKey = "unknown-key"
    /// A malformed 前年度 amount: `malformed-amount`.
    case malformedAmount = "malformed-amount"
    /// An unknown tag: `malformed-value`.
    case unknownTag = "malformed-value"
    /// A bad fiscal year in 補正: `malformed-year`.
    case malformedYear = "malformed-year"
  }

  public struct File: Sendable {
    public var name: String
    public var text: String
    /// The defects seeded in this file, in order of appearance, with the 1-based line of each.
    public var defects: [(defect: Defect, line: Int)]
  }

  public static func generate(_ options: Options) -> [File] {
    var random = SplitMix64(seed: options.seed)
    // Which items get a defect: evenly spread, deterministic.
    var defective = Set<Int>()
    if options.defects > 0, options.items > 0 {
      let step = max(1, options.items / options.defects)
      var index = step / 2
      while defective.count < min(options.defects, options.items) {
        defective.insert(index % options.items)
        index += step
        if index >= options.items * 2 { index = defective.count }
      }
    }
    // Funds that other items are 内数 of: defined in the first file.
    let fundCount = max(1, options.items / 200)
    var files: [File] = []
    var itemIndex = 0
    var defectCursor = 0
    for fileIndex in 0..<options.files {
      let count = options.items / options.files + (fileIndex < options.items % options.files ? 1 : 0)
      var writer = Writer()
      writer.comment("生成された予算ファイル \(fileIndex + 1)/\(options.files)（ベンチマーク用、seed \(options.seed)）")
      writer.line("予算 \"令和7年度 厚生労働省 概算要求（生成 \(fileIndex + 1)）\" {")
      writer.line("  府省 = 厚生労働省")
      writer.line("  年度 = 令和7年度")
      writer.line("  区分 = 概算要求")
      writer.line("  端数 = 四捨五入")
      writer.line("}")
      var defects: [(Defect, Int)] = []
      var local = 0
      while local < count {
        let sectionItems = min(options.itemsPerSection, count - local)
        writer.blank()
        writer.line("分野 \"\(Pools.areas[random.below(Pools.areas.count)])\" {")
        for _ in 0..<sectionItems {
          let isFund = fileIndex == 0 && local < fundCount
          let defect: Defect? = defective.contains(itemIndex) ? Defect.allCases[defectCursor % Defect.allCases.count] : nil
          if defect != nil { defectCursor += 1 }
          writer.blank()
          var id = isFund ? "fund-\(local)" : "g\(fileIndex)-\(local)"
          // Two items in a row share an id.
          if options.fault == .duplicateIds, !isFund { id = "g\(fileIndex)-\(local - local % 2)" }
          let line = writeItem(
            &writer, &random, id: id, fund: isFund, fundCount: fundCount, defect: defect, fault: options.fault, local: local)
          if let defect { defects.append((defect, line)) }
          local += 1
          itemIndex += 1
        }
        writer.line("}")
      }
      files.append(File(name: String(format3(fileIndex)) + ".yosan", text: writer.text, defects: defects))
    }
    return files
  }

  static func format3(_ n: Int) -> String {
    let s = String(n)
    return "budget-" + String(repeating: "0", count: max(0, 3 - s.count)) + s
  }

  /// Writes one item; returns the 1-based line of its seeded defect (or 0).
  static func writeItem(
    _ w: inout Writer, _ r: inout SplitMix64, id: String, fund: Bool, fundCount: Int, defect: Defect?, fault: Shape? = nil, local: Int = 0
  ) -> Int {
    var defectLine = 0
    let title = Pools.subjects[r.below(Pools.subjects.count)] + Pools.actions[r.below(Pools.actions.count)]
    if r.below(8) == 0 { w.line("  # \(Pools.notes[r.below(Pools.notes.count)])") }
    w.line("  事業 \(id) \"\(title)\" {")
    // 0–1 new, 2–4 expanded, 5–8 plain, 9 a 内数 of a fund. An item with a seeded defect is
    // plain, so that the defect is its only finding.
    let kind = fund ? 2 : (defect != nil ? 6 : r.below(10))
    let isPartOf = !fund && (kind == 9 || fault == .referencesToOne || fault == .unknownReferences)
    // Exact request in yen, as a number of 百万円 with up to one more digit.
    let requestYen = Int64(5 + r.below(3_000)) * 10_000_000 + Int64(r.below(10)) * 1_000_000
    let isNew = kind < 2
    let isExpanded = kind >= 2 && kind < 5
    var previousYen: Int64 = 0
    if isExpanded { previousYen = requestYen * Int64(50 + r.below(45)) / 100 }
    if !isNew && !isExpanded { previousYen = requestYen * Int64(80 + r.below(40)) / 100 }
    if isNew { w.line("    種別 = \(r.below(2) == 0 ? "新規, 推進枠" : "新規")") }
    if isExpanded { w.line("    種別 = \(r.below(2) == 0 ? "拡充, 推進枠" : "拡充")") }
    let division = Pools.divisions[r.below(Pools.divisions.count)]
    if defect == .unknownKey || fault == .unknownKey {
      defectLine = w.lineNumber
      w.line("    担党 = \(division)")
    } else if fault != .missingKey {
      w.line("    担当 = \(division)")
    }
    if r.below(3) != 0 { w.line("    内線 = \(2000 + r.below(7000))") }
    if isPartOf {
      var parent = "fund-\(r.below(fundCount))"
      if fault == .referencesToOne { parent = "fund-0" }
      if fault == .unknownReferences {
        // Every reference names an id that no item has: a third one edit from the id of the next
        // item (`go-` for `g0-`), a third two edits (`g-0`), a third three edits from any id.
        parent = ["go-\(local + 1)", "g-0\(local + 1)", "h9-\(local)z"][local % 3]
      }
      w.line("    要求額 = 内数(\(parent))")
      w.line("    前年度 = 内数(\(parent))")
    } else {
      let request = written(requestYen, &r)
      let notation = fault == .notation || fault == .suppressions
      w.line("    要求額 = \(notation ? fullWidth(request) : request)")
      if fault == .suppressions {
        // Every item repeats the comments that keep its notation: one for the whole file, one
        // for the next line.
        w.line("    # yosan: disable-file fullwidth-character -- 様式の表記のまま")
        w.line("    # yosan: disable-next-line unit-spacing, dash-none -- 原本の表記どおり")
      }
      if isNew {
        w.line("    前年度 = \(notation ? "－" : "なし")")
      } else if defect == .malformedAmount {
        defectLine = w.lineNumber
        w.line("    前年度 = 1,23億円")
      } else {
        let previous = written(previousYen, &r)
        w.line("    前年度 = \(notation ? spaced(previous) : previous)")
      }
    }
    if defect == .unknownTag {
      defectLine = w.lineNumber
      w.line("    種別 = 新期")
    }
    if defect == .malformedYear {
      defectLine = w.lineNumber
      w.line("    補正 = 令和五年度 \(written(requestYen / 2, &r))")
    } else if isNew && r.below(3) == 0 {
      w.line("    補正 = 令和5年度 \(written(requestYen / 2, &r))")
    }
    // The shares that agree with the rate (the national share is the rate, at least a floor).
    let agreeing: [Int]
    switch r.below(4) {
    case 0:
      w.line("    補助率 = 1/2")
      agreeing = [0, 1]
    case 1:
      w.line("    補助率 = 定額")
      agreeing = Array(Pools.shares.indices)
    case 2:
      w.line("    補助率 = 10/10")
      agreeing = [4]
    default:
      w.line("    補助率 = 3/4以上")
      agreeing = [4]
    }
    if r.below(2) == 0 { w.line("    負担割合 = \(Pools.shares[agreeing[r.below(Pools.shares.count) % agreeing.count]])") }
    if r.below(3) == 0 { w.line("    実施主体 = \(Pools.implementers[r.below(Pools.implementers.count)])") }
    if !isPartOf { writeBreakdown(&w, &r, total: requestYen, fault: fault) }
    if fault != .unclosed { w.line("  }") }
    return defectLine
  }

  /// A 内訳 of 3 to 6 rows whose exact values add up to `total`; one group nested with a 小計;
  /// rows in 百万円 or 千円 under a total written in 億円.
  static func writeBreakdown(_ w: inout Writer, _ r: inout SplitMix64, total: Int64, fault: Shape? = nil) {
    let rows = 3 + r.below(4)
    var parts: [Int64] = []
    var remaining = total
    for i in 0..<rows {
      if i == rows - 1 {
        parts.append(remaining)
      } else {
        let share = remaining * Int64(10 + r.below(40)) / 100 / 1000 * 1000
        parts.append(share)
        remaining -= share
      }
    }
    w.line("    内訳 \"\(Pools.breakdownTitles[r.below(Pools.breakdownTitles.count)])\" {")
    let nestedCount = rows >= 4 && r.below(3) == 0 ? 2 : 0
    if nestedCount > 0 {
      let nestedTotal = parts[0] + parts[1]
      w.line("      内訳 \"\(Pools.costs[r.below(Pools.costs.count)])\" {")
      w.line("        \(Pools.costs[0]) = \(written(parts[0], &r))")
      w.line("        \(Pools.costs[1]) = \(written(parts[1], &r))")
      w.line("        小計 = \(written(nestedTotal, &r))")
      w.line("      }")
    }
    for i in nestedCount..<rows {
      w.line("      \(Pools.costs[(i + 2) % Pools.costs.count])\(i) = \(written(parts[i], &r))")
    }
    // A total 1億円 off: no rounding of the rows explains it.
    w.line("      合計 = \(writtenInOku(fault == .badSums ? total + 100_000_000 : total))")
    w.line("    }")
  }

  /// `yen` rounded half up to the shown digits of a randomly chosen unit: 億円 with one
  /// decimal, 百万円, or 千円 (grouped).
  static func written(_ yen: Int64, _ r: inout SplitMix64) -> String {
    switch r.below(3) {
    case 0 where yen >= 100_000_000: return writtenInOku(yen)
    case 1: return grouped((yen + 500) / 1000) + "千円"
    default: return grouped((yen + 500_000) / 1_000_000) + "百万円"
    }
  }

  static func writtenInOku(_ yen: Int64) -> String {
    let tenths = (yen + 5_000_000) / 10_000_000
    return grouped(tenths / 10) + "." + String(tenths % 10) + "億円"
  }

  static func grouped(_ n: Int64) -> String {
    let digits = String(n)
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out += "," }
      out.append(c)
    }
    return out
  }

  struct Writer {
    var text = ""
    var lineNumber = 1
    mutating func line(_ s: String) {
      text += s
      text += "\n"
      lineNumber += 1
    }
    mutating func blank() { line("") }
    mutating func comment(_ s: String) { line("# " + s) }
  }
}

/// A small, fast, deterministic random number generator (SplitMix64).
public struct SplitMix64: Sendable {
  public var state: UInt64
  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `0..<n` (n > 0).
  public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

enum Pools {
  static let areas = [
    "有望なシーズの医薬品・医療機器等への実用化の促進", "研究開発によるイノベーションの推進", "医薬品等の安定供給の推進",
    "医療・介護分野におけるDXの推進等", "医師偏在対策・地域医療構想・かかりつけ医機能等の推進", "地域包括ケアシステムの推進",
    "救急・災害医療体制等の充実", "国際保健への戦略的取組の推進", "次なる感染症危機に備えた体制強化", "予防・重症化予防の推進、女性の健康づくり",
    "認知症施策の総合的な推進", "がん対策、循環器病対策等の推進", "肝炎対策の推進", "難病・小児慢性特定疾病対策等の推進", "歯科保健医療の推進",
    "食の安全・安心の確保", "国民健康保険への財政支援", "被用者保険への財政支援",
  ]
  static let subjects = [
    "地域医療", "介護人材", "がん診療", "感染症対策", "難病患者", "歯科口腔保健", "女性の健康", "認知症", "医薬品開発", "医療DX",
    "救急医療", "災害医療", "国際保健", "食品安全", "被用者保険", "小児医療", "医療機器", "再生医療", "ゲノム医療", "看護職員",
  ]
  static let actions = ["推進事業", "支援事業", "体制整備事業", "研究事業", "強化事業", "促進事業", "確保事業", "基盤整備事業", "実証事業"]
  static let divisions = [
    "医政局研究開発政策課", "医政局地域医療計画課", "老健局高齢者支援課", "老健局老人保健課", "健康・生活衛生局健康課", "保険局保険課",
    "大臣官房厚生科学課", "障害保健福祉部障害福祉課", "医薬局医療機器審査管理課", "健康・生活衛生局感染症対策部感染症対策課",
  ]
  static let implementers = ["都道府県", "都道府県, 市町村", "国立研究開発法人", "民間事業者", "公募により選定", "市町村"]
  static let shares = ["国 1/2, 都道府県 1/2", "国 1/2, 都道府県 1/4, 市町村 1/4", "国 2/3, 都道府県 1/3", "国 1/3, 都道府県 1/3, 市町村 1/3", "国 10/10"]
  static let breakdownTitles = ["令和7年度概算要求の内容", "経費の内訳", "事業別内訳", "所要額"]
  static let costs = ["人件費", "委託費", "補助金", "システム運用費", "調査研究費", "研修費", "設備整備費"]
  static let notes = ["※()内は前年度当初予算額", "令和5年度補正予算と一体で実施", "要求額は概算", "詳細は別紙参照"]
}
