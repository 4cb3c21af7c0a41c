/// Cost shares add up to exactly 1.
enum ShareSumRule: ItemRule {
  static let descriptor = RuleDescriptor(
    id: "share-sum",
    category: .rates,
    defaultSeverity: .error,
    summary: "The shares of 負担割合 add up to exactly 1, in exact rational arithmetic, and none has a zero denominator.",
    rationale: """
      負担割合 says who bears the whole cost: the parties' fractions must add up to exactly 1.
      They are added as exact rationals, so 23/100 + 38.5/100 + 19.25/100 + 19.25/100 is exactly 1
      and 1/3 + 1/3 + 1/3 is exactly 1, with no rounding tolerance that would also let 33% × 3
      pass. A share with a zero denominator (`国1/0`, a garbled 国10/10 in the documents) is
      reported here and the sum is not computed. Shares whose exact sum needs more than the 38
      digits Yosan computes with (denominators of twenty digits each) are reported too, as a sum
      that was not checked, rather than passed in silence.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  担当 = 老健局\n  要求額 = 1,804億円\n  負担割合 = 1号保険料 23/100, 国 38.5/100, 都道府県 19.25/100, 市町村 19.25/100\n}\n"),
      .passing("事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = 国 1/3, 都道府県 1/3, 市町村 1/3\n}\n"),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 2.4億円\n  負担割合 = 国«1/0»\n}\n",
        messages: ["負担割合: the share of `国` has a zero denominator; write the share meant, like 10/10"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 老健局\n  要求額 = 12億円\n  負担割合 = «事業者 1/4»\n}\n",
        messages: ["負担割合 adds up to 1/4 (25%), not 1; every party's share must be written, and together they are exactly 1"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = «国 33%, 都道府県 33%, 市町村 33%»\n}\n",
        messages: ["負担割合 adds up to 99/100 (99%), not 1; every party's share must be written, and together they are exactly 1"]),
      .failing(
        "事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n  負担割合 = «国 1/99999999999999999999, 県 1/99999999999999999997»\n}\n",
        messages: ["負担割合: the shares add up beyond the 38 digits Yosan computes exactly; this sum is not checked"]),
    ])

  static func check(_ item: Item, ancestors: [Item], _ context: inout RuleContext) {
    guard let shares = item.shares, !shares.value.isEmpty else { return }
    let key = context.text(shares.location.keyRange)
    var sum: Rational? = Rational.zero
    var computable = true
    for share in shares.value {
      if let problem = FractionCheck.problem(share.fraction, asRate: false) {
        context.report("\(key): the share of `\(share.party)` \(problem)", at: share.fraction.range)
        computable = false
      } else if let value = share.fraction.value {
        // Nil from here on: the exact sum left the 128-bit range.
        sum = sum?.adding(value)
      } else {
        computable = false
      }
    }
    guard computable else {
      context.countRate()
      return
    }
    guard let sum else {
      // Like a breakdown beyond exact arithmetic: said, and not counted as checked.
      context.report("\(key): the shares add up beyond the 38 digits Yosan computes exactly; this sum is not checked", at: shares.location.valueRange)
      return
    }
    context.countRate()
    guard sum != .one else { return }
    context.report(
      "\(key) adds up to \(sum) (\(sum.percentString())), not 1; every party's share must be written, and together they are exactly 1",
      at: shares.location.valueRange)
  }
}
