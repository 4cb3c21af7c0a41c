import YosanSyntax

/// A breakdown or section title that names the document with another year: a copy-paste slip.
enum TitleYearRule: FileRule, ItemRule {
  static let descriptor = RuleDescriptor(
    id: "title-year",
    category: .years,
    defaultSeverity: .warning,
    summary: "A 内訳, うち or 分野 title does not name the document itself (its kind, like 概算要求) with a year other than the document's 年度.",
    rationale: """
      Sheets are copied from last year's and edited; a heading left unedited names the wrong year:
      seed 003 prints its 109億円 table under `3 令和6年度概算要求の内容` inside a 令和7年度 request
      (003:860; the AMED sheet of the same document reads 令和7年度, 003:827).

      What counts: a year (令和6年度, R6年度, 2024年度) immediately followed by the name of the
      document's kind — 概算要求 in a 概算要求, 当初予算 or 予算案 in an initial or draft budget,
      補正 (予算) in a supplementary budget, after an optional 第N次 — when the year is not the
      document's. Other years are not flagged: titles legitimately name past money and events
      (`令和5年度補正予算により追加`, `令和6年度実績`, `令和2年度から開始`), a 予算額 of another
      year is last year's budget, not a slip, and a title that compares (比較, 対比, 増減, 差額:
      `令和6年度概算要求との比較`) names the other year on purpose.
      """,
    fix: .unsafe,
    examples: [
      .passing(
        """
        予算 "令和7年度 概算要求" {
          年度 = 令和7年度
          区分 = 概算要求
        }
        分野 "令和5年度補正予算により追加" {
          事業 a "t" {
            担当 = 老健局
            要求額 = 109億円
            内訳 "令和7年度概算要求の内容" {
              研究費 = 109億円
            }
            うち "令和6年度概算要求との比較" {
              研究費 = 91億円
            }
          }
        }
        """),
      .failing(
        """
        予算 "令和7年度 概算要求" {
          年度 = 令和7年度
          区分 = 概算要求
        }
        事業 kosei-kagaku "厚生労働科学研究の促進" {
          担当 = 大臣官房厚生科学課
          要求額 = 109億円
          内訳 "«令和6年度»概算要求の内容" {
            研究費 = 109億円
          }
        }
        """,
        messages: ["the title names 令和6年度 概算要求, but this document is the 令和7年度 概算要求; write 令和7年度"]),
    ])

  /// The sections' titles.
  static func check(_ context: inout RuleContext) {
    guard let document = context.document.header?.fiscalYear?.value, document.exists, let kind = context.document.kind else { return }
    context.document.forEachSection { section in
      if let title = section.title { check(title, document: document, kind: kind, &context) }
    }
  }

  /// The titles of an item's breakdowns.
  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard !item.breakdowns.isEmpty else { return }
    let titles = context.scratch.values(of: item, in: context.file).titlesWithYear
    guard !titles.isEmpty, let document = context.document.header?.fiscalYear?.value, document.exists, let kind = context.document.kind
    else { return }
    for title in titles { check(title, document: document, kind: kind, &context) }
  }

  /// The words that name a document of `kind`.
  static func names(of kind: DocumentKind) -> [String] {
    switch kind {
    case .request: return ["概算要求"]
    case .initial, .draft: return ["当初予算", "予算案"]
    case .supplementary: return ["補正"]
    case .programList: return [Vocabulary.documentKinds.word(.programList).canonical]
    }
  }

  /// Words of a title that compares years on purpose.
  static let comparisons = ["比較", "対比", "増減", "差額"]

  static func check(_ title: TextValue, document: FiscalYear, kind: DocumentKind, _ context: inout RuleContext) {
    guard let found = YearMentions(title.range, in: context.file) else { return }
    let text = found.text
    for (year, end) in found.mentions where year.exists && year.western != document.western {
      var i = end
      while i < text.count, text.isSpace(i) { i += 1 }
      if text.matches("第", at: i) {
        var j = i + 1
        while j < text.count, text.isDigit(j) || "一二三四五".unicodeScalars.contains(text.scalars[j]) { j += 1 }
        if text.matches("次", at: j) { i = j + 1 }
      }
      guard let name = names(of: kind).first(where: { text.matches($0, at: i) }), !comparisons.contains(where: title.text.contains) else {
        continue
      }
      let written = context.text(year.range)
      let replacement = year.era == .western ? "\(document.western)年度" : document.description
      context.report(
        "the title names \(written) \(name), but this document is the \(document) \(kind.rawValue); write \(replacement)", at: year.range,
        fixes: [
          Fix(
            title: "replace \(written) with \(replacement)", edits: [TextEdit(range: year.range, replacement: replacement)], isSafe: false)
        ])
    }
  }
}
