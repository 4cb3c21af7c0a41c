/// The words a misspelt word may have meant, indexed for did-you-mean: every suggestion of the
/// tools (ids, keys, block keywords, tags, rule ids, configuration words) is asked of one of these.
///
/// What it answers is defined by the plain scan it replaces: among the candidates, the one at the
/// smallest edit distance (Levenshtein, counted in characters) from the word, if that distance is
/// at most 1 for words of up to three characters (the longer of the two) and at most 2 otherwise;
/// of several at the same distance, the first in the candidates' order (or, in `.alphabetical`
/// order, the least); none when the word is itself a candidate.
///
/// The candidates are kept in a trie of their characters. A question walks the trie depth first
/// with one row of the edit-distance table per level, kept to the band of cells within the bound
/// of the diagonal. It leaves a branch as soon as no cell can end within the bound: a cell's
/// distance so far, plus what the rest of the word must cost at least below the node — one edit
/// for each character of the rest that no word below has (each node keeps the set of characters
/// below it, hashed into 64 bits), and the difference in length from the shortest and longest
/// words below. It looks for distance 1 first, and for distance 2 only when nothing is that close.
/// The work is bounded by the word's length and the bound, not by how many candidates there are.
/// The index can grow and shrink (`insert`, `remove`; what nodes know of the words below them is
/// then a bound still), so the editor's session keeps one index of item ids across edits.
public struct SuggestionIndex: Sendable {
  /// How ties between candidates at the same distance are broken.
  public enum Order: Sendable {
    /// The first in the order the candidates were given (inserted).
    case listed
    /// The least, as strings compare.
    case alphabetical
  }

  public let order: Order

  /// One node of the trie: node 0 is the root; each node's children are a list of siblings.
  struct Node {
    /// The code of the character leading to the node (-1 at the root).
    var label: Int32
    var firstChild: Int32 = -1
    var nextSibling: Int32 = -1
    /// The word that ends here (an index into `words`), or -1.
    var word: Int32 = -1
    /// The shortest and longest words (in characters) that end here or below, as inserted.
    var shortest = Int32.max
    var longest = Int32(0)
    /// The characters of the words below, one bit per code modulo 64.
    var below: UInt64 = 0
  }

  private var nodes = [Node(label: -1)]
  /// Each word (in the order first inserted), with how many times it is a candidate now.
  private var words: [String] = []
  private var counts: [Int32] = []
  private var wordIndex: [String: Int32] = [:]
  /// The characters of the candidates, numbered; ASCII characters also by byte.
  private var codes: [Character: Int32] = [:]
  private var asciiCodes = [Int32](repeating: -1, count: 128)

  /// The largest edit distance ever suggested.
  static let maximumDistance = 2

  /// An index of `candidates`.
  public init(_ candidates: [String], order: Order = .listed) {
    self.order = order
    wordIndex.reserveCapacity(candidates.count)
    words.reserveCapacity(candidates.count)
    counts.reserveCapacity(candidates.count)
    for candidate in candidates { insert(candidate) }
  }

  /// How many distinct words are candidates now.
  public private(set) var count = 0

  /// How many nodes the trie has (for tests).
  var nodeCount: Int { nodes.count }

  /// Whether `word` is one of the candidates now.
  public func contains(_ word: String) -> Bool {
    guard let index = wordIndex[word] else { return false }
    return counts[Int(index)] > 0
  }

  /// Adds `word` once more to the candidates.
  public mutating func insert(_ word: String) {
    if let index = wordIndex[word] {
      if counts[Int(index)] == 0 { count += 1 }
      counts[Int(index)] += 1
      return
    }
    count += 1
    // New characters get codes (ASCII ones without making a character of each byte).
    var ascii = true
    for byte in word.utf8 {
      guard byte < 0x80, byte != 0x0D else {
        ascii = false
        break
      }
      if asciiCodes[Int(byte)] < 0 { addCode(Character(Unicode.Scalar(byte))) }
    }
    if !ascii { for character in word where codes[character] == nil { addCode(character) } }
    let characters = codes(of: word)
    let length = Int32(characters.count)
    var suffix = [UInt64](repeating: 0, count: characters.count + 1)
    for position in characters.indices.reversed() { suffix[position] = suffix[position + 1] | SuggestionIndex.bit(characters[position]) }
    var node = 0
    for (position, code) in characters.enumerated() {
      update(node, length: length, below: suffix[position])
      node = child(of: node, labelled: code)
    }
    update(node, length: length, below: 0)
    let index = Int32(words.count)
    words.append(word)
    counts.append(1)
    wordIndex[word] = index
    // Equal characters make equal strings: no other word ends here.
    nodes[node].word = index
  }

  /// Takes `word` once from the candidates (nothing when it is not one).
  public mutating func remove(_ word: String) {
    guard let index = wordIndex[word], counts[Int(index)] > 0 else { return }
    counts[Int(index)] -= 1
    if counts[Int(index)] == 0 { count -= 1 }
    // A word no longer a candidate keeps its nodes (an id typed a character at a time leaves one
    // per character); once they outnumber the candidates, the index is made again of these.
    if words.count - count > Swift.max(64, count) {
      var fresh = SuggestionIndex([], order: order)
      for (word, times) in zip(words, counts) { for _ in 0..<times { fresh.insert(word) } }
      self = fresh
    }
  }

  private mutating func update(_ node: Int, length: Int32, below: UInt64) {
    nodes[node].shortest = Swift.min(nodes[node].shortest, length)
    nodes[node].longest = Swift.max(nodes[node].longest, length)
    nodes[node].below |= below
  }

  private mutating func child(of node: Int, labelled code: Int32) -> Int {
    var cursor = nodes[node].firstChild
    while cursor >= 0 {
      if nodes[Int(cursor)].label == code { return Int(cursor) }
      cursor = nodes[Int(cursor)].nextSibling
    }
    var new = Node(label: code)
    new.nextSibling = nodes[node].firstChild
    nodes.append(new)
    nodes[node].firstChild = Int32(nodes.count - 1)
    return nodes.count - 1
  }

  static func bit(_ code: Int32) -> UInt64 { code < 0 ? 0 : 1 << UInt64(code & 63) }

  /// The codes of `word`'s characters (-1 for a character no candidate has).
  private func codes(of word: String) -> [Int32] {
    var result: [Int32] = []
    // Every ASCII byte is a character of its own, but for CR LF: no table needed.
    for byte in word.utf8 {
      guard byte < 0x80, byte != 0x0D else { return word.map(code(of:)) }
      result.append(asciiCodes[Int(byte)])
    }
    return result
  }

  private func code(of character: Character) -> Int32 { codes[character] ?? -1 }

  private mutating func addCode(_ character: Character) {
    let code = Int32(codes.count)
    codes[character] = code
    if let byte = character.asciiValue, character.unicodeScalars.count == 1 { asciiCodes[Int(byte)] = code }
  }

  /// The candidate `word` most likely stands for (see the type's description), if any.
  public func suggestion(for word: String) -> String? {
    var visited = 0
    return suggestion(for: word, visited: &visited)
  }

  /// `suggestion(for:)`, counting the trie nodes it looked at in `visited`.
  func suggestion(for word: String, visited: inout Int) -> String? {
    if contains(word) || count == 0 { return nil }
    let query = codes(of: word)
    // No candidate is close to a word much longer than all of them.
    guard query.count <= Int(nodes[0].longest) + SuggestionIndex.maximumDistance else { return nil }
    for bound in 1...SuggestionIndex.maximumDistance {
      if let best = search(query, bound: bound, visited: &visited) { return words[Int(best)] }
    }
    return nil
  }

  /// The best candidate within `bound` of `query` (and within its own limit), by the depth-first
  /// walk of the trie.
  private func search(_ query: [Int32], bound: Int, visited: inout Int) -> Int32? {
    let m = query.count
    let width = 2 * bound + 1
    let infinity = Int32(bound + 1)
    let bits = query.map(SuggestionIndex.bit)
    // rows[depth * width + k] is the distance between the first `depth` characters of the path and
    // the first `depth + k - bound` characters of the query (cells outside the query: infinity).
    let depthLimit = m + bound
    var rows = [Int32](repeating: infinity, count: (depthLimit + 1) * width)
    for k in 0..<width where k - bound >= 0 && k - bound <= m { rows[k] = Int32(k - bound) }
    var best: Int32?
    var bestDistance = Int32.max
    func consider(_ word: Int32, _ distance: Int32, depth: Int) {
      guard word >= 0, counts[Int(word)] > 0 else { return }
      let limit: Int32 = Swift.max(depth, m) <= 3 ? 1 : 2
      if distance <= Swift.min(Int32(bound), limit), distance < bestDistance || (distance == bestDistance && precedes(word, best!)) {
        best = word
        bestDistance = distance
      }
    }
    // The empty word ends at the root: its distance is the query's length.
    if m <= bound { consider(nodes[0].word, Int32(m), depth: 0) }
    // Whether a walk below `node` (at `depth`, its row computed) can end within the bound.
    func promising(_ node: Node, depth: Int, row: Int) -> Bool {
      var missing = Int32(0)  // characters of the query from `j` on that no word below has
      var j = m
      var k = width - 1
      var result = false
      // Cells from the right: j = depth + k - bound.
      while k >= 0 {
        let cellJ = depth + k - bound
        while j > cellJ, j > 0 {
          j -= 1
          if bits[j] & node.below == 0 { missing += 1 }
        }
        if cellJ >= 0 && cellJ <= m {
          let rest = Int32(m - cellJ)
          let gap = rest < node.shortest - Int32(depth) ? node.shortest - Int32(depth) - rest : rest > node.longest - Int32(depth) ? rest - (node.longest - Int32(depth)) : 0
          if rows[row + k] + Swift.max(missing, gap) <= Int32(bound) {
            result = true
            break
          }
        }
        k -= 1
      }
      return result
    }
    var stack: [(node: Int32, depth: Int)] = []
    if promising(nodes[0], depth: 0, row: 0) {
      var child = nodes[0].firstChild
      while child >= 0 {
        stack.append((child, 1))
        child = nodes[Int(child)].nextSibling
      }
    }
    while let (index, depth) = stack.popLast() {
      visited += 1
      let node = nodes[Int(index)]
      let c = node.label
      let previous = (depth - 1) * width
      let current = depth * width
      for k in 0..<width {
        let j = depth + k - bound
        var value = infinity
        if j == 0 {
          value = Swift.min(Int32(depth), infinity)
        } else if j > 0 && j <= m {
          // Substitution (or match) from the diagonal, deletion from above, insertion from the left.
          value = rows[previous + k] + (query[j - 1] == c ? 0 : 1)
          if k + 1 < width { value = Swift.min(value, rows[previous + k + 1] + 1) }
          if k > 0 { value = Swift.min(value, rows[current + k - 1] + 1) }
          value = Swift.min(value, infinity)
        }
        rows[current + k] = value
      }
      if node.word >= 0, abs(m - depth) <= bound { consider(node.word, rows[current + m - depth + bound], depth: depth) }
      guard depth < depthLimit, node.firstChild >= 0, promising(node, depth: depth, row: current) else { continue }
      var child = node.firstChild
      while child >= 0 {
        stack.append((child, depth + 1))
        child = nodes[Int(child)].nextSibling
      }
    }
    return best
  }

  /// Whether word `a` wins a tie with word `b`.
  private func precedes(_ a: Int32, _ b: Int32) -> Bool {
    switch order {
    case .listed: return a < b
    case .alphabetical: return words[Int(a)] < words[Int(b)]
    }
  }
}
