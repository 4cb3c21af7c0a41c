/// A party appears once in 負担割合.
enum DuplicateSharePartyRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "duplicate-share-party",
    category: .rates,
    defaultSeverity: .error,
    summary: "A party appears at most once in 負担割合.",
    rationale: """
      `国 1/2, 都道府県 1/4, 国 1/4` leaves the reader to guess whether 国 bears 1/2, 1/4 or 3/4.
      Write each party once, with its whole share.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = 国 1/2, 都道府県 1/4, 市町村 1/4\n}\n"),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = 国 1/2, 都道府県 1/4, «国» 1/4\n}\n",
        messages: ["負担割合 names `国` twice; write its whole share once"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard let shares = item.shares?.value, shares.count > 1 else { return }
    for (index, share) in shares.enumerated() {
      guard let first = shares[..<index].first(where: { $0.party == share.party }) else { continue }
      context.report(
        "\(context.text(item.shares!.location.keyRange)) names `\(share.party)` twice; write its whole share once", at: share.partyRange,
        related: [RelatedLocation(range: first.range, message: "first share of `\(first.party)`")])
    }
  }
}
