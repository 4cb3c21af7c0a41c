import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Parses a large document on several threads into exactly the tree the sequential parse makes.
///
/// Three steps:
///
/// 1. **Lexing in chunks.** The lexer is line-local except for a quoted value that spans lines, and
///    its state at a line start is always the same (not after `=`). So the text is cut at line
///    starts and each chunk is lexed on its own from its start to its first token that reaches
///    the next cut. When every chunk's last token ends exactly at the next cut, the sequential
///    lexer has a token boundary at every cut too (by induction from the start of the file), and
///    the chunks' tokens put together are its tokens. Otherwise (a multi-line string across a
///    cut) the file is lexed again in one piece.
/// 2. **Brace pairing**, in one pass over all tokens (it is cheap next to building the tree).
/// 3. **Building the tree in ranges.** The sequential parse of a statement list (the file, or
///    the body of a block whose `}` is paired) is a chain of steps, each starting where the last
///    one stopped and depending only on where it starts. The plan guesses where steps start
///    (after an entry, after a paired block) and parses each range `start..<end` of a list on
///    its own thread, step by step while its position is before `end`. If a range's steps land
///    exactly on its `end`, then `end` is a step of the sequential chain (by induction from the
///    list's start) and the range's elements are what the sequential parse makes there. Large
///    blocks get their bodies split the same way, so a file that is one big `分野` parallelises
///    too; their nodes are put together from the head, the parsed body and the `}`. If any range
///    misses its end, the whole file is parsed sequentially, so a wrong guess costs time only.
///
/// Green nodes do not know their position, so elements built on different threads are the same
/// as those the sequential parse builds.
package struct ParallelParser {
  let bytes: UnsafeBufferPointer<UInt8>
  /// How many lexing chunks and how many tree ranges to aim for.
  package var pieces: Int
  /// Byte offsets to cut the lexing at, instead of equal fractions (tests). Offsets that are not
  /// line starts are moved to the next line start.
  package var lexCuts: [Int]?
  /// Tokens per range of a statement list.
  package var rangeTokens: Int
  /// Blocks with more tokens than this get their body split into ranges.
  package var splitTokens: Int
  /// Token indexes where ranges are cut as well (tests: right or wrong, the tree must not change).
  package var extraCuts: [Int] = []

  /// Plans for `workers` threads.
  package init(bytes: UnsafeBufferPointer<UInt8>, workers: Int) {
    self.bytes = bytes
    // More pieces than threads, so that a thread that finishes early takes another.
    pieces = Swift.max(1, workers * 4)
    lexCuts = nil
    // Set from the token count once it is known.
    rangeTokens = 0
    splitTokens = 0
  }

  /// Files smaller than this are parsed on one thread.
  static let minimumBytes = 1 << 17

  // MARK: - Lexing

  /// The tokens of the whole text, lexed in chunks; false when they had to be lexed in one piece.
  func lex() -> ([RawToken], inChunks: Bool) {
    let count = bytes.count
    let wanted = lexCuts ?? (1..<Swift.max(1, pieces)).map { count * $0 / pieces }
    var bounds = [0]
    for cut in wanted.sorted() {
      let start = lineStart(atOrAfter: cut)
      if start > bounds[bounds.count - 1], start < count { bounds.append(start) }
    }
    bounds.append(count)
    let chunks = bounds.count - 1
    if chunks == 1 { return (Lexer.tokenize(bytes), false) }
    var parts = [[RawToken]](repeating: [], count: chunks)
    let shared = UncheckedSendable((bytes, bounds))
    parts.withUnsafeMutableBufferPointer { buffer in
      let output = UncheckedSendable(buffer)
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let (bytes, bounds) = shared.value
        output.value[chunk] = Lexer.tokenize(bytes, from: bounds[chunk], until: bounds[chunk + 1])
      }
    }
    for chunk in 0..<(chunks - 1) where parts[chunk].last?.end != bounds[chunk + 1] {
      // A token (a multi-line string) runs across the cut: the chunks after it started wrong.
      return (Lexer.tokenize(bytes), false)
    }
    let total = parts.reduce(0) { $0 + $1.count }
    var starts = [0]
    for part in parts { starts.append(starts[starts.count - 1] + part.count) }
    let tokens = [RawToken](unsafeUninitializedCapacity: total) { buffer, initialized in
      let output = UncheckedSendable((buffer, parts, starts))
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let (buffer, parts, starts) = output.value
        parts[chunk].withUnsafeBufferPointer { source in
          _ = UnsafeMutableBufferPointer(rebasing: buffer[starts[chunk]..<starts[chunk + 1]]).initialize(from: source)
        }
      }
      initialized = total
    }
    return (tokens, true)
  }

  /// The first line start at or after `offset` (the end of the text if there is none).
  func lineStart(atOrAfter offset: Int) -> Int {
    var index = Swift.max(0, offset)
    if index == 0 { return 0 }
    // A line starts after LF, or after a CR not followed by LF.
    while index < bytes.count {
      let previous = bytes[index - 1]
      if previous == 0x0A || (previous == 0x0D && bytes[index] != 0x0A) { return index }
      index += 1
    }
    return bytes.count
  }

  // MARK: - Planning

  /// A part of the tree: a range of a statement list parsed on one thread, or a block whose body
  /// is made of parts.
  indirect enum Piece {
    /// The steps of a statement list from `start` to `end`; `closer` and `depth` are those of
    /// the list (the `}` of its block, nil for the file).
    case range(start: Int, end: Int, closer: Int?, depth: Int)
    /// A block from `header` (its first token) to `closer`, its body made of `body`; `depth`
    /// is the block's depth (the file's blocks are at depth 1).
    case block(header: Int, opener: Int, closer: Int, depth: Int, body: [Piece])
  }

  /// The pieces of the statement list `start..<end` at `depth`, in order.
  func plan(_ state: ParserState, from start: Int, to end: Int, closer: Int?, depth: Int) -> [Piece] {
    var pieces: [Piece] = []
    var runStart = start
    var index = start
    while index < end {
      index = state.skipTrivia(from: index)
      guard index < end else { break }
      var cuttable = true
      switch state.shape(at: index) {
      case .header(let opener, let headerEnd):
        guard let blockCloser = state.closerOfHeader[index], blockCloser < end else {
          // An unclosed block: where it ends is decided while parsing. One range to the end.
          index = end
          continue
        }
        if let opener, blockCloser - index > splitTokens, depth + 1 <= Parser.maximumDepth {
          if runStart < index { pieces.append(.range(start: runStart, end: index, closer: closer, depth: depth)) }
          let body = plan(state, from: opener + 1, to: blockCloser, closer: blockCloser, depth: depth + 1)
          pieces.append(.block(header: index, opener: opener, closer: blockCloser, depth: depth + 1, body: body))
          runStart = blockCloser + 1
        }
        index = Swift.max(blockCloser + 1, headerEnd)
      case .closer:
        // A run of unmatched `}` is one step: never cut right after one.
        cuttable = false
        index += 1
      case .entry(let stop), .other(let stop):
        index = Swift.max(stop, index + 1)
      }
      if cuttable, index - runStart >= rangeTokens, index < end {
        pieces.append(.range(start: runStart, end: index, closer: closer, depth: depth))
        runStart = index
      }
    }
    if runStart < end || pieces.isEmpty { pieces.append(.range(start: runStart, end: end, closer: closer, depth: depth)) }
    return pieces.flatMap(applyExtraCuts)
  }

  /// A range cut at every extra cut inside it (tests).
  func applyExtraCuts(_ piece: Piece) -> [Piece] {
    guard case .range(let start, let end, let closer, let depth) = piece, !extraCuts.isEmpty else { return [piece] }
    let inside = extraCuts.filter { $0 > start && $0 < end }.sorted()
    let bounds = [start] + inside + [end]
    return (0..<(bounds.count - 1)).compactMap { index in
      bounds[index] < bounds[index + 1] ? .range(start: bounds[index], end: bounds[index + 1], closer: closer, depth: depth) : nil
    }
  }

  // MARK: - Parsing

  /// What the parallel parse did (tests check that it did split the work).
  package struct Outcome {
    /// The text was lexed in chunks (not in one piece after a token ran across a cut).
    package var lexedInChunks = false
    /// How many ranges were parsed on their own; 0 when a guess was wrong and the file was
    /// parsed sequentially.
    package var ranges = 0
    /// How many blocks had their body split into ranges.
    package var splitBlocks = 0
  }

  /// The tree of the whole text.
  package func parse() -> GreenNode { parseWithOutcome().tree }

  /// The tree of the whole text, and how it was made.
  package func parseWithOutcome() -> (tree: GreenNode, outcome: Outcome) {
    var outcome = Outcome()
    let (tokens, inChunks) = lex()
    outcome.lexedInChunks = inChunks
    var state = ParserState(bytes: bytes, tokens: tokens, baseOffset: 0)
    state.pairBraces()
    var planner = self
    if planner.rangeTokens == 0 { planner.rangeTokens = Swift.max(1, tokens.count / pieces) }
    if planner.splitTokens == 0 { planner.splitTokens = planner.rangeTokens }
    let plan = planner.plan(state, from: 0, to: tokens.count, closer: nil, depth: 0)
    var ranges: [(start: Int, end: Int, closer: Int?, depth: Int)] = []
    func collect(_ pieces: [Piece]) {
      for piece in pieces {
        switch piece {
        case .range(let start, let end, let closer, let depth): ranges.append((start, end, closer, depth))
        case .block(_, _, _, _, let body): collect(body)
        }
      }
    }
    collect(plan)
    var results = [[GreenElement]?](repeating: nil, count: ranges.count)
    let shared = UncheckedSendable((state, ranges))
    results.withUnsafeMutableBufferPointer { buffer in
      let output = UncheckedSendable(buffer)
      DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
        var (worker, ranges) = shared.value
        let range = ranges[index]
        worker.position = range.start
        worker.parseStatements(closer: range.closer, unclosedIndent: nil, depth: range.depth, limit: range.end)
        output.value[index] = worker.position == range.end ? worker.stack : nil
      }
    }
    if results.contains(where: { $0 == nil }) {
      // A guess was wrong: the sequential parse, with the same tokens and pairs.
      return (state.parseFile(paired: true), outcome)
    }
    var next = 0
    func elements(_ pieces: [Piece]) -> [GreenElement] {
      var out: [GreenElement] = []
      for piece in pieces {
        switch piece {
        case .range:
          out += results[next]!
          results[next] = nil
          next += 1
        case .block(let header, let opener, let closer, _, let body):
          let inner = elements(body)
          state.position = header
          let mark = state.parseBlockHead(opener: opener, end: opener)
          state.stack += inner
          state.position = closer
          state.closeBlock(closer: closer, from: mark)
          out.append(state.stack.removeLast())
          outcome.splitBlocks += 1
        }
      }
      return out
    }
    outcome.ranges = ranges.count
    return (GreenNode.make(kind: .file, children: elements(plan)), outcome)
  }
}

/// A value handed to other threads by a caller that knows it is safe: immutable while they run,
/// or written by each thread in its own slot only.
package struct UncheckedSendable<Value>: @unchecked Sendable {
  package var value: Value
  package init(_ value: Value) { self.value = value }
}

/// How many cores the process may use.
package enum ProcessorInfo {
  package static let activeCores: Int = {
    #if canImport(Glibc)
      return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
      return 1
    #endif
  }()
}
