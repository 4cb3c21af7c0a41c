import Testing
import YosanGenerator
import YosanSyntax
@testable import YosanCore

/// The did-you-mean index answers exactly what a scan of every candidate answers (the definition
/// the messages were written with), and examines a bounded part of the candidates.
@Suite(.tags(.slow))
struct SuggestionIndexTests {
  /// The plain scan: the first candidate at the smallest distance, within 1 for words of up to
  /// three characters (the longer of the two), 2 otherwise; none for a word that is a candidate.
  static func scan(_ word: String, _ candidates: [String]) -> String? {
    guard !candidates.contains(word) else { return nil }
    let target = Array(word)
    var best: (String, Int)?
    for candidate in candidates {
      let c = Array(candidate)
      let limit = max(c.count, target.count) <= 3 ? 1 : 2
      guard abs(c.count - target.count) <= limit else { continue }
      let d = distance(target, c)
      if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    return best?.0
  }

  /// Levenshtein distance in characters.
  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }

  /// Alphabets small enough that random words are often one or two edits apart; the last one
  /// spells é both precomposed and decomposed (one character either way).
  static let alphabets: [[Character]] = [
    ["a", "b"], ["a", "b", "c", "-"], Array("要求額前年度担当"), ["g", "0", "o", "-", "1", "2"], ["e", "é", "e\u{301}", "x"],
  ]
  /// Whether strings of the alphabet are totally ordered by `<`. Swift's `<` is not between a
  /// precomposed and a decomposed spelling (neither "\u{e9}e" < "e\u{301}" nor the reverse, and
  /// they are not equal), so `sorted()` has no one answer there; ids, which `.alphabetical` is
  /// for, cannot hold a combining mark.
  static func isTotallyOrdered(_ alphabet: [Character]) -> Bool { alphabet.allSatisfy { $0.unicodeScalars.count == 1 } }

  static func word(_ random: inout SplitMix64, _ alphabet: [Character], maxLength: Int) -> String {
    String((0..<random.below(maxLength + 1)).map { _ in alphabet[random.below(alphabet.count)] })
  }

  /// `word` with up to three random edits.
  static func mutated(_ word: String, _ random: inout SplitMix64, _ alphabet: [Character]) -> String {
    var characters = Array(word)
    for _ in 0..<random.below(4) {
      let position = random.below(characters.count + 1)
      switch random.below(3) {
      case 0: characters.insert(alphabet[random.below(alphabet.count)], at: position)
      case 1: if position < characters.count { characters.remove(at: position) }
      default: if position < characters.count { characters[position] = alphabet[random.below(alphabet.count)] }
      }
    }
    return String(characters)
  }

  @Test(arguments: 0..<20)
  func theIndexAnswersAsTheScanDoes(_ seed: Int) {
    var random = SplitMix64(seed: UInt64(seed) + 100)
    for round in 0..<40 {
      let alphabet = Self.alphabets[(seed + round) % Self.alphabets.count]
      let candidates = (0..<random.below(40)).map { _ in Self.word(&random, alphabet, maxLength: 7) }
      let listed = SuggestionIndex(candidates)
      let alphabetical = SuggestionIndex(candidates, order: .alphabetical)
      for _ in 0..<30 {
        let query =
          random.below(2) == 0 || candidates.isEmpty
          ? Self.word(&random, alphabet, maxLength: 9) : Self.mutated(candidates[random.below(candidates.count)], &random, alphabet)
        #expect(listed.suggestion(for: query) == Self.scan(query, candidates), "\(query) among \(candidates)")
        if Self.isTotallyOrdered(alphabet) {
          #expect(alphabetical.suggestion(for: query) == Self.scan(query, candidates.sorted()), "\(query) among \(candidates.sorted())")
        }
      }
    }
  }

  @Test(arguments: 0..<10)
  func anIndexKeptAcrossInsertionsAndRemovalsAnswersAsAFreshScan(_ seed: Int) {
    var random = SplitMix64(seed: UInt64(seed) + 500)
    let alphabet = Self.alphabets.filter(Self.isTotallyOrdered)[seed % 4]
    var index = SuggestionIndex([], order: .alphabetical)
    var words: [String] = []  // a multiset
    for _ in 0..<400 {
      if random.below(3) == 0, !words.isEmpty {
        let removed = words.remove(at: random.below(words.count))
        index.remove(removed)
      } else {
        let added = random.below(3) == 0 && !words.isEmpty ? words[random.below(words.count)] : Self.word(&random, alphabet, maxLength: 6)
        words.append(added)
        index.insert(added)
      }
      #expect(index.count == Set(words).count)
      let query = Self.word(&random, alphabet, maxLength: 7)
      #expect(index.suggestion(for: query) == Self.scan(query, Array(Set(words)).sorted()), "\(query) among \(words)")
    }
  }

  @Test func wordsRemovedLeaveTheIndexAsAFreshOne() {
    // An id typed and retyped a character at a time: thousands of words come and go.
    var index = SuggestionIndex(["kikin", "kikin-2", "base"], order: .listed)
    for round in 0..<300 {
      let id = "id\(round)-abcdef"
      for length in 3...id.count { index.insert(String(id.prefix(length))) }
      for length in 3...id.count { index.remove(String(id.prefix(length))) }
    }
    #expect(index.count == 3)
    // 3,000 words came and went (their trie nodes, kept, would be about 2,700); the trie holds
    // the three left and at most 64 of the gone ones.
    #expect(index.nodeCount < 20 + 64 * 13)
    #expect(index.suggestion(for: "kikn") == "kikin")
    #expect(index.suggestion(for: "kikin-3") == "kikin-2")
    #expect(index.suggestion(for: "abcd") == nil)
    #expect(index.contains("base") && !index.contains("id7-abc"))
  }

  @Test func theCatalogsSuggestionsAreThoseOfTheScan() {
    // Every vocabulary of the tools, asked words one or two edits from its own.
    let vocabularies: [(SuggestionIndex, [String])] = [
      (Catalog.keywordSuggestions, BlockKeywords.spellings),
      (Catalog.spellingSuggestions, Catalog.allSpellings),
      (Vocabulary.tags.suggestions, Vocabulary.tags.offered),
      (Vocabulary.documentKinds.suggestions, Vocabulary.documentKinds.offered),
      (Vocabulary.roundingModes.suggestions, Vocabulary.roundingModes.offered),
      (RuleRegistry.idSuggestions, RuleRegistry.descriptors.map(\.id)),
    ] + BlockKind.allCases.map { kind in (Catalog.keySuggestions(in: kind), Catalog.keys(in: kind).flatMap { [$0.japanese, $0.alias] }) }
    var random = SplitMix64(seed: 77)
    for (index, words) in vocabularies {
      let alphabet = Array(Set(words.joined()))
      for _ in 0..<300 {
        let query = Self.mutated(words[random.below(words.count)], &random, alphabet)
        #expect(index.suggestion(for: query) == Self.scan(query, words), "\(query)")
      }
    }
  }

  /// How many trie nodes a question examines among `count` generated ids (`g0-0`, `g0-1`, …,
  /// and `fund-0`… as the generator writes them).
  func visited(_ query: String, among count: Int) -> (suggestion: String?, visited: Int) {
    let ids = (0..<count).map { "g0-\($0)" } + (0..<count / 200).map { "fund-\($0)" }
    let index = SuggestionIndex(ids, order: .alphabetical)
    var visited = 0
    let suggestion = index.suggestion(for: query, visited: &visited)
    #expect(suggestion == Self.scan(query, ids.sorted()))
    return (suggestion, visited)
  }

  @Test func aQuestionExaminesABoundedPartOfTheIds() {
    // One edit from an id, two, three, four: among 100,500 ids, each question looks at a few
    // hundred nodes of the trie at most (the scan compares every id), hardly more than among 10,050.
    for query in ["go-12345", "0g-12345", "h9-1234z", "g0-123zz", "fnd-3", "g0-1234zzz", "g1-12345"] {
      let (_, smallVisited) = visited(query, among: 10_000)
      let (_, largeVisited) = visited(query, among: 100_000)
      #expect(largeVisited < 500, "\(query): \(largeVisited) nodes")
      #expect(largeVisited < 2 * max(smallVisited, 100), "\(query): \(smallVisited) → \(largeVisited) nodes")
    }
    #expect(visited("go-12345", among: 100_000).suggestion == "g0-12345")
    #expect(visited("h9-1234z", among: 100_000).suggestion == nil)
  }
}
