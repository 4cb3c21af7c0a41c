/// Known keys in a block where they mean nothing, and entries outside any block.
enum MisplacedKeyRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "misplaced-key",
    category: .structure,
    defaultSeverity: .error,
    summary: "A key must be written in a block where it applies.",
    rationale: """
      年度 belongs to the 予算 header, 要求額 to a 事業, 合計 to a 分野 or a 内訳. A key in the wrong
      block is not read, so the figure it carries is not checked. An initial or draft budget
      (当初予算, 予算案) writes its amounts as 予算額 and a request (概算要求) as 要求額; the other
      spelling in the wrong kind of document is reported here too.
      """,
    examples: [
      .passing("予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 a \"タイトル\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n"),
      .failing("事業 a \"タイトル\" {\n  担当 = 医政局\n  要求額 = 1億円\n  «年度» = 令和7年度\n}\n", messages: ["年度 belongs in a 予算 block, not in a 事業"]),
      .failing("«年度» = 令和7年度\n", messages: ["entry outside any block; put it inside a 予算, 分野 or 事業 block"]),
      .failing("予算 \"x\" {\n  年度 = 令和5年度\n  区分 = 予算案\n}\n事業 a \"タイトル\" {\n  担当 = 母子保健課\n  «要求額» = 6.7億円\n}\n", messages: ["this document is a 予算案: write its amounts as 予算額"]),
    ])

  static func check(_ context: inout RuleContext) {
    for issue in context.document.issues {
      switch issue {
      case .misplacedKey(let name, let key, let range, let block, let document):
        context.report(message(name: name, key: key, block: block, document: document), at: range)
      case .entryOutsideBlock(let range):
        context.report("entry outside any block; put it inside a 予算, 分野 or 事業 block", at: range)
      default:
        break
      }
    }
  }

  /// What to say of key `key`, written `name`, in a block of kind `block` (or in a document of
  /// kind `document` that writes its amounts with the other key).
  static func message(name: String, key: Key, block: BlockKind, document: DocumentKind?) -> String {
    if let document {
      return key == .budgetAmount
        ? "予算額 is the amount of an initial or draft budget; this document is a \(document.rawValue), so write 要求額"
        : "this document is a \(document.rawValue): write its amounts as 予算額"
    }
    let homes = BlockKind.allCases.filter { key.descriptor.blocks.contains($0) }.map(\.japanese).joined(separator: " or ")
    return "\(name) belongs in a \(homes) block, not in a \(block.japanese)"
  }
}
