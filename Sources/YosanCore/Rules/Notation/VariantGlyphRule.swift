import YosanSyntax

/// Variant glyphs seen in the documents, in place of the standard Japanese ones.
enum VariantGlyphRule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "variant-glyph",
    category: .notation,
    defaultSeverity: .style,
    summary: "Text uses the standard Japanese glyph, not a variant seen in the documents (齡 for 齢, 內 for 内, …).",
    rationale: """
      The documents mix glyphs that look alike but are different characters: `老健局高齡者支援課
      (內線3875)` next to `老健局高齢者支援課（内線3875）` (seed 003:1644 and 1585), so the same division
      is two strings and no search finds both. Simplified or traditional Chinese forms slip in
      the same way (平时, 實践的, 一體的, 國際協力, 实態: catalog C7), and a hiragana へ inside a katakana
      word (ドクターへリ for ドクターヘリ, 003:3079). The list is the table `VariantGlyphs.table`; comments
      are not checked. The fix writes the standard glyph.
      """,
    fix: .safe,
    examples: [
      .passing("事業 a \"ドクターヘリ導入促進事業\" {\n  担当 = 老健局高齢者支援課\n  要求額 = 1億円\n  目的 = センターへリンクする\n}\n"),
      .failing(
        "事業 a \"ドクター«へ»リ導入促進事業\" {\n  担当 = 老健局高«齡»者支援課\n  要求額 = 1億円\n  目的 = «國»際協力の推進\n}\n",
        messages: [
          "`へ` (hiragana) in a katakana word; write `ヘ`", "`齡` is a variant of `齢`; write `齢`", "`國` is a variant of `国`; write `国`",
        ]),
    ])

  static func check(_ context: inout RuleContext) {
    let file = context.file
    let part = context.part
    var candidates: [(TextRange, VariantGlyphs.Finding)] = []
    file.bytes.withUnsafeBufferPointer { bytes in
      for scanned in part.ranges {
        VariantGlyphs.scan(bytes, in: scanned.start..<scanned.end) { range, finding in candidates.append((range, finding)) }
      }
    }
    // Comments are free to quote the documents as they are.
    let tokens = part.tokens(containing: candidates.map(\.0.start), root: file.root)
    let found = zip(candidates, tokens).filter { $1.map { $0.token.kind != .comment } ?? false }.map(\.0)
    for (range, finding) in found {
      let message =
        finding.isKana
        ? "`\(file.text(range))` (hiragana) in a katakana word; write `\(finding.replacement)`"
        : "`\(file.text(range))` is a variant of `\(finding.replacement)`; write `\(finding.replacement)`"
      context.report(
        message, at: range,
        fixes: [
          Fix(title: "write `\(finding.replacement)`", edits: [TextEdit(range: range, replacement: finding.replacement)], isSafe: true)
        ])
    }
  }
}

/// The one table of variant glyphs, and how to find them in text.
enum VariantGlyphs {
  /// Variant → standard glyph. Sources: catalog §4.3 C2 (齡, 內) and C7 (时, 实, 實, 體, 國). A
  /// short list, compared in order: looking a glyph up costs a few comparisons, not a hash.
  static let table: [(variant: Unicode.Scalar, standard: String)] = [
    ("齡", "齢"), ("內", "内"), ("时", "時"), ("实", "実"), ("實", "実"), ("體", "体"), ("國", "国"),
  ]

  struct Finding {
    var replacement: String
    var isKana: Bool
  }

  /// Calls `found` for each variant that starts in `range` of `bytes` (which starts at a character). Besides the table, a hiragana へ right after a
  /// katakana letter (or ー) and before a katakana letter that ends the word is a katakana ヘ typed
  /// wrong (ドクターへリ); `センターへリンク` (へ as a particle) is left alone.
  static func scan(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ found: (TextRange, Finding) -> Void) {
    var i = range.lowerBound
    while i < range.upperBound {
      // Every glyph of interest (and every katakana letter) is a three-byte sequence; the glyphs
      // start with E3 (へ), E5, E6 or E9.
      let lead = bytes[i]
      guard lead == 0xE3 || lead == 0xE5 || lead == 0xE6 || lead == 0xE9, let scalar = threeByteScalar(bytes, at: i) else {
        i += 1
        continue
      }
      let range = TextRange(start: i, length: 3)
      if let entry = table.first(where: { $0.variant == scalar }) {
        found(range, Finding(replacement: entry.standard, isKana: false))
      } else if scalar == "へ", let before = threeByteScalar(bytes, at: i - 3), isKatakana(before),
        let next = threeByteScalar(bytes, at: i + 3), isKatakanaLetter(next)
      {
        if !(threeByteScalar(bytes, at: i + 6).map(isKatakanaLetter) ?? false) { found(range, Finding(replacement: "ヘ", isKana: true)) }
      }
      i += 3
    }
  }

  /// The scalar of a three-byte UTF-8 sequence at `i` (U+0800–U+FFFF), if one is there.
  static func threeByteScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Unicode.Scalar? {
    guard i >= 0, i + 2 < bytes.count, bytes[i] & 0xF0 == 0xE0, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 else { return nil }
    let value = UInt32(bytes[i] & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
    return value >= 0x800 ? Unicode.Scalar(value) : nil
  }

  /// A katakana letter or the long-vowel mark ー.
  static func isKatakana(_ s: Unicode.Scalar) -> Bool { isKatakanaLetter(s) || s == "ー" }
  /// ァ–ヺ (the middle dot ・ and ー excluded).
  static func isKatakanaLetter(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30A1 && s.value <= 0x30FA }
}
