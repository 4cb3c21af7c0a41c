import YosanSyntax

/// Required keys that are absent: the header's 年度 and 区分, an item's 担当 and 要求額.
enum MissingRequiredKeyRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "missing-required-key",
    category: .structure,
    defaultSeverity: .error,
    summary: "A file needs a 予算 header with 年度 and 区分; an item needs 担当 and 要求額 (予算額 in an initial or draft budget).",
    rationale: """
      Without the fiscal year no year can be checked; without the document's kind the amount key is
      ambiguous; an item without a division has no owner to ask, and one without a request cannot
      be added up. The documents this format comes from print sheets with no title or division
      (catalog B1–B4): this rule is what catches them. A sub-item may leave out 担当 when an
      enclosing item has one. A program list or status report (区分 = 事業一覧) names programs
      without their money: its items need neither 担当 nor an amount.
      """,
    examples: [
      .passing(
        """
        予算 "令和7年度 概算要求" {
          年度 = 令和7年度
          区分 = 概算要求
        }
        事業 a "親" {
          担当 = 医政局
          要求額 = 3億円
          事業 b "子" {
            要求額 = 3億円
          }
        }
        """),
      .passing(
        """
        予算 "令和2年度 事業一覧" {
          年度 = 令和2年度
          区分 = 事業一覧
        }
        事業 a "医療勤務環境改善支援センターへの助言事業" {
          状況 = ○ブロック研修会オンライン実施予定
        }
        """),
      .failing(
        """
        予算 "令和7年度 概算要求" {
          年度 = 令和7年度
          区分 = 概算要求
        }
        «事業 a "タイトル"» {
          要求額 = 3億円
        }
        """, messages: ["事業 `a` has no 担当 (division); for example 担当 = 医政局研究開発政策課"]),
      .failing(
        """
        予算 "令和7年度 概算要求" {
          年度 = 令和7年度
          区分 = 概算要求
        }
        «事業 a "タイトル"» {
          担当 = 医政局
        }
        """, messages: ["事業 `a` has no 要求額 (request); for example 要求額 = 7.9億円, or 要求額 = 内数(ID)"]),
      .failing(
        """
        «予算» "令和7年度" {
          区分 = 概算要求
        }
        """, messages: ["the 予算 header has no 年度 (fiscal year); for example 年度 = 令和7年度"]),
      .failing(
        """
        «»事業 a "タイトル" {
          担当 = 医政局
          要求額 = 3億円
        }
        """, messages: [
          "the file has no 予算 header; start it with the lines `予算 \"令和7年度 概算要求\" {`, `  年度 = 令和7年度`, `  区分 = 概算要求` and `}`"
        ]),
    ])

  static func check(_ context: inout RuleContext) {
    var names: [Int: TextRange]?
    for issue in context.document.issues {
      switch issue {
      case .missingKey(let key, let block, let range):
        let d = key.descriptor
        var what = "the 予算 header"
        if block != .budget {
          if names == nil { names = itemNames(in: context.document) }
          what = "\(block.japanese) `\(context.text(names![range.start] ?? range))`"
        }
        let english = String(d.alias.map { $0 == "-" ? " " : $0 })
        context.report("\(what) has no \(d.japanese) (\(english))\(example(of: key).map { "; \($0)" } ?? "")", at: range)
      case .missingHeader(let range):
        context.report(
          "the file has no 予算 header; start it with the lines `予算 \"令和7年度 概算要求\" {`, `  年度 = 令和7年度`, `  区分 = 概算要求` and `}`",
          at: range)
      default:
        break
      }
    }
  }

  /// How to write a missing `key`, for the message.
  static func example(of key: Key) -> String? {
    switch key {
    case .division: return "for example 担当 = 医政局研究開発政策課"
    case .request, .budgetAmount: return "for example \(key.descriptor.japanese) = 7.9億円, or \(key.descriptor.japanese) = 内数(ID)"
    case .fiscalYear: return "for example 年度 = 令和7年度"
    case .documentKind: return "for example 区分 = 概算要求"
    default: return nil
    }
  }

  /// The id (or title) range of each item with one, by where its header starts: made once per
  /// check, so that naming every item of a file costs one walk over the items, not one per item.
  static func itemNames(in document: Document) -> [Int: TextRange] {
    var names: [Int: TextRange] = [:]
    document.forEachItem { item in
      // The first item whose header starts there, as a search in document order would find.
      if let name = item.id?.range ?? item.title?.range, names[item.headerRange.start] == nil { names[item.headerRange.start] = name }
    }
    return names
  }
}
