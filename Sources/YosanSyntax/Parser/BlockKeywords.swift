/// The block keywords of the format, each in its Japanese spelling and its ASCII alias: the one
/// table of them. The parser needs them only to recognise a header whose `{` is missing; what
/// they mean belongs to the core, whose `BlockKind` reads its spellings from here (in this order).
public enum BlockKeywords {
  /// 予算 (the document header), 分野 (section), 事業 (item), 内訳 (breakdown), うち (of which).
  public static let table: [(japanese: String, alias: String)] = [
    ("予算", "budget"), ("分野", "section"), ("事業", "item"), ("内訳", "breakdown"), ("うち", "of-which"),
  ]

  /// Every spelling, Japanese and alias.
  public static let spellings: [String] = table.flatMap { [$0.japanese, $0.alias] }
}
