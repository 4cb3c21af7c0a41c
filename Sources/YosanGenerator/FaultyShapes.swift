/// Faulty budgets of any size, one shape of fault throughout, for the scaling benchmark
/// (`yosan-bench faulty`): a linter's input is faulty by definition, and the work it does on each
/// shape must grow as the input does.
extension BudgetGenerator {
  /// A way for a whole file (or a directory) to be faulty.
  public enum Shape: String, CaseIterable, Sendable {
    /// No fault: the generator's clean budget, the reference the faulty shapes are compared with.
    case clean = "clean"
    /// No item has its 担当: one `missing-required-key` per item.
    case missingKey = "missing-key"
    /// Every id (but the funds') is defined by two items in a row: `duplicate-id`.
    case duplicateIds = "duplicate-ids"
    /// Every item writes 担党 for 担当: `unknown-key` with a suggestion.
    case unknownKey = "unknown-key"
    /// Every 内訳's 合計 is 1億円 more than its rows: `breakdown-sum`.
    case badSums = "bad-sums"
    /// Every item but the fund is 内数 of the same fund (no finding: the shape of a large programme).
    case referencesToOne = "references-to-one"
    /// Every item is 内数 of an id no item has, each a different one: a third one edit from an
    /// existing id, a third two edits (both suggested), a third far from every id (none).
    case unknownReferences = "unknown-references"
    /// No item has its closing `}`: indentation ends each one.
    case unclosed = "unclosed"
    /// Chains of 70 items, each a sub-item of the one before and indented one more space, so that
    /// every chain goes past the parser's nesting limit.
    case deepNesting = "deep-nesting"
    /// One chain of every item, each inside the one before, headers at the left margin, every `}`
    /// at the end of the file.
    case deepNestingFlat = "deep-nesting-flat"
    /// Items at the left margin (their entries indented), none closed: what a chain of nested items
    /// is when every `}` is missing.
    case nestedUnclosed = "nested-unclosed"
    /// One line of item headers, each opening inside the one before, none closed.
    case nestedOneLine = "nested-one-line"
    /// Inside one item, items indented by four spaces, then as many `}` indented by two: like no
    /// open block, so each closes the innermost one.
    case misindentedClosers = "misindented-closers"
    /// Full-width digits in every 要求額, a space before the unit of every 前年度, a dash for
    /// every なし.
    case notation = "notation"
    /// The notation shape, each item with a `disable-file` and a `disable-next-line` comment that
    /// suppress its findings.
    case suppressions = "suppressions"
    /// One item whose 内訳 has a row per item, each with a variant glyph in its label, a
    /// full-width `＝` and full-width digits.
    case oneLargeItem = "one-large-item"
    /// A line per item outside any block (the blocks lost), each with a full-width `＝` and a
    /// variant glyph.
    case outsideBlocks = "outside-blocks"
    /// Every item on one line after the header, each without its 担当 (about 10 MB at 100,000 items).
    case singleLine = "single-line"
    /// 20 items per file (5,000 files at 100,000 items), half of them with one seeded defect,
    /// 内数 references across files.
    case smallFiles = "small-files"
  }

  /// `items` items in the given shape (one file, or many for `smallFiles`). Deterministic.
  public static func faulty(_ shape: Shape, items: Int, seed: UInt64 = 42) -> [File] {
    switch shape {
    case .deepNesting, .deepNestingFlat, .nestedUnclosed, .nestedOneLine, .misindentedClosers, .singleLine, .oneLargeItem, .outsideBlocks:
      return [File(name: "budget-000.yosan", text: special(shape, items: items), defects: [])]
    case .smallFiles:
      return generate(.init(items: items, files: Swift.max(1, items / 20), seed: seed, defects: items / 2))
    case .clean:
      return generate(.init(items: items, seed: seed))
    default:
      var options = Options(items: items, seed: seed)
      options.fault = shape
      return generate(options)
    }
  }

  static let header = """
    予算 "令和7年度 厚生労働省 概算要求（生成）" {
      府省 = 厚生労働省
      年度 = 令和7年度
      区分 = 概算要求
    }

    """

  /// The shapes that are not items of the usual kind with one fault each.
  static func special(_ shape: Shape, items: Int) -> String {
    var text = header
    func title(_ n: Int) -> String { Pools.subjects[n % Pools.subjects.count] + Pools.actions[n % Pools.actions.count] }
    switch shape {
    case .deepNesting:
      let depth = 70
      var n = 0
      while n < items {
        let length = Swift.min(depth, items - n)
        for level in 0..<length {
          let indent = String(repeating: " ", count: level)
          text += "\(indent)事業 c\(n)-\(level) \"\(title(n + level))\" {\n"
          if level == 0 { text += "\(indent) 担当 = \(Pools.divisions[n % Pools.divisions.count])\n" }
          text += "\(indent) 要求額 = 1億円\n"
        }
        for level in (0..<length).reversed() { text += String(repeating: " ", count: level) + "}\n" }
        n += length
      }
    case .deepNestingFlat, .nestedUnclosed:
      for n in 0..<items {
        text += "事業 n-\(n) \"\(title(n))\" {\n"
        if n == 0 { text += "  担当 = \(Pools.divisions[0])\n" }
        text += "  要求額 = 1億円\n"
      }
      if shape == .deepNestingFlat { text += String(repeating: "}\n", count: items) }
    case .nestedOneLine:
      for n in 0..<items { text += "事業 n-\(n) \"\(title(n))\" { " }
      text += "\n"
    case .misindentedClosers:
      text += "事業 m \"\(title(0))\" {\n  担当 = \(Pools.divisions[0])\n  要求額 = 1億円\n"
      for n in 1..<Swift.max(1, items) { text += "    事業 m-\(n) \"\(title(n))\" {\n      要求額 = 1億円\n" }
      text += String(repeating: "  }\n", count: Swift.max(0, items - 1)) + "}\n"
    case .oneLargeItem:
      text += "事業 big \"\(title(0))\" {\n  担当 = \(Pools.divisions[0])\n  要求額 = \(items)百万円\n  内訳 {\n"
      for n in 0..<items { text += "    國費\(n) ＝ １，０００千円\n" }
      text += "    合計 = \(items)百万円\n  }\n}\n"
    case .outsideBlocks:
      for n in 0..<items { text += "要求額 ＝ \(n + 1)億円 國庫\n" }
    case .singleLine:
      for n in 0..<items {
        text += "事業 s-\(n) \"\(title(n))（\(Pools.areas[n % Pools.areas.count])）\" { 要求額 = 1億円 } "
      }
      text += "\n"
    default:
      preconditionFailure("not a special shape")
    }
    return text
  }

  /// `amount` with its digits, comma and point in full-width forms (`１，２３４百万円`).
  static func fullWidth(_ amount: String) -> String {
    String(
      String.UnicodeScalarView(
        amount.unicodeScalars.map { scalar in
          switch scalar {
          case "0"..."9", ",", ".": return Unicode.Scalar(scalar.value + 0xFEE0)!
          default: return scalar
          }
        }))
  }

  /// `amount` with a space between its number and its unit (`1,234 百万円`).
  static func spaced(_ amount: String) -> String {
    guard let unit = amount.firstIndex(where: { !($0.isASCII && ($0.isNumber || $0 == "," || $0 == ".")) }) else { return amount }
    return String(amount[..<unit]) + " " + String(amount[unit...])
  }
}
