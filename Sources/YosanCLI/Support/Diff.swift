/// Unified diffs (`--diff` of `check` and `fmt`), in the form `patch -p0` and `git apply -p0` read.
enum UnifiedDiff {
  /// One step of a line diff.
  enum Operation: Equatable {
    case equal(Int, Int)
    case delete(Int)
    case insert(Int)
  }

  /// The diff of `old` and `new` labelled with `path`; empty when they are equal.
  static func render(path: String, old: [UInt8], new: [UInt8], context: Int = 3) -> String {
    guard old != new else { return "" }
    let a = lines(old)
    let b = lines(new)
    // Lines are compared with their line break: a last line that gains or loses one is a change.
    let operations = diff(a.map(\.withBreak), b.map(\.withBreak))
    var out = "--- \(path)\n+++ \(path)\n"
    // Group operations into hunks with `context` equal lines around changes.
    var index = 0
    while index < operations.count {
      guard let firstChange = operations[index...].firstIndex(where: { if case .equal = $0 { return false } else { return true } }) else {
        break
      }
      var start = firstChange
      var leading = 0
      while start > index, leading < context, case .equal = operations[start - 1] {
        start -= 1
        leading += 1
      }
      // Extend while the next change is within 2 × context equal lines.
      var end = firstChange
      var lastChange = firstChange
      while end < operations.count {
        if case .equal = operations[end] {
          if end - lastChange > 2 * context { break }
        } else {
          lastChange = end
        }
        end += 1
      }
      end = Swift.min(operations.count, lastChange + 1 + context)
      let hunk = operations[start..<end]
      var oldStart = 0
      var newStart = 0
      var oldCount = 0
      var newCount = 0
      var body = ""
      var first = true
      for operation in hunk {
        switch operation {
        case .equal(let i, let j):
          if first { (oldStart, newStart) = (i, j) }
          oldCount += 1
          newCount += 1
          body += line(" ", a[i])
        case .delete(let i):
          if first { (oldStart, newStart) = (i, position(in: operations, before: start).new) }
          oldCount += 1
          body += line("-", a[i])
        case .insert(let j):
          if first { (oldStart, newStart) = (position(in: operations, before: start).old, j) }
          newCount += 1
          body += line("+", b[j])
        }
        first = false
      }
      out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n" + body
      index = end
    }
    return out
  }

  /// `start,count` with 1-based starts; an empty range names the line before it.
  static func range(_ start: Int, _ count: Int) -> String {
    count == 0 ? "\(start),0" : "\(start + 1),\(count)"
  }

  /// The old and new line numbers (0-based) where operation `index` begins.
  static func position(in operations: [Operation], before index: Int) -> (old: Int, new: Int) {
    var old = 0
    var new = 0
    for operation in operations[..<index] {
      switch operation {
      case .equal: old += 1; new += 1
      case .delete: old += 1
      case .insert: new += 1
      }
    }
    return (old, new)
  }

  struct Line {
    var text: Substring
    var terminated: Bool
    /// The text with its LF, when it has one.
    var withBreak: Substring
  }

  /// Lines split at LF (a CR stays part of its line, so CRLF files diff as they are).
  static func lines(_ bytes: [UInt8]) -> [Line] {
    let text = String(decoding: bytes, as: UTF8.self)
    var result: [Line] = []
    var start = text.startIndex
    var index = text.startIndex
    let utf8 = text.utf8
    while index < utf8.endIndex {
      if utf8[index] == 0x0A {
        result.append(Line(text: text[start..<index], terminated: true, withBreak: text[start...index]))
        start = utf8.index(after: index)
      }
      index = utf8.index(after: index)
    }
    if start < text.endIndex { result.append(Line(text: text[start...], terminated: false, withBreak: text[start...])) }
    return result
  }

  static func line(_ prefix: String, _ line: Line) -> String {
    prefix + line.text + (line.terminated ? "\n" : "\n\\ No newline at end of file\n")
  }

  // MARK: - Line diff

  /// A shortest-enough edit script: common prefix and suffix, then lines unique to both sides as
  /// anchors (patience diff), and Myers' algorithm between anchors. Iterative, so large files
  /// cannot overflow the stack; a stretch too different for Myers within its bound becomes one
  /// deletion and one insertion.
  static func diff(_ a: [Substring], _ b: [Substring]) -> [Operation] {
    enum Work {
      case segment(Range<Int>, Range<Int>)
      case anchor(Int, Int)
    }
    var operations: [Operation] = []
    var stack: [Work] = [.segment(0..<a.count, 0..<b.count)]
    while let work = stack.popLast() {
      switch work {
      case .anchor(let i, let j):
        operations.append(.equal(i, j))
      case .segment(var ra, var rb):
        var prefix: [Operation] = []
        while !ra.isEmpty, !rb.isEmpty, a[ra.lowerBound] == b[rb.lowerBound] {
          prefix.append(.equal(ra.lowerBound, rb.lowerBound))
          ra = (ra.lowerBound + 1)..<ra.upperBound
          rb = (rb.lowerBound + 1)..<rb.upperBound
        }
        var suffix: [Operation] = []
        while !ra.isEmpty, !rb.isEmpty, a[ra.upperBound - 1] == b[rb.upperBound - 1] {
          suffix.append(.equal(ra.upperBound - 1, rb.upperBound - 1))
          ra = ra.lowerBound..<(ra.upperBound - 1)
          rb = rb.lowerBound..<(rb.upperBound - 1)
        }
        operations += prefix
        let anchors = uniqueAnchors(a, ra, b, rb)
        if anchors.isEmpty || ra.isEmpty || rb.isEmpty {
          operations += myers(a, ra, b, rb)
          operations += suffix.reversed()
          continue
        }
        // Push in reverse: suffix, last segment, anchor, …, first segment.
        for operation in suffix { stack.append(.anchor(operation.old, operation.new)) }
        var nextA = ra.upperBound
        var nextB = rb.upperBound
        for (i, j) in anchors.reversed() {
          stack.append(.segment((i + 1)..<nextA, (j + 1)..<nextB))
          stack.append(.anchor(i, j))
          nextA = i
          nextB = j
        }
        stack.append(.segment(ra.lowerBound..<nextA, rb.lowerBound..<nextB))
      }
    }
    return operations
  }

  /// Pairs of lines that occur exactly once on each side, longest increasing chain.
  static func uniqueAnchors(_ a: [Substring], _ ra: Range<Int>, _ b: [Substring], _ rb: Range<Int>) -> [(Int, Int)] {
    var counts: [Substring: (a: Int, b: Int, ia: Int, ib: Int)] = [:]
    for i in ra { counts[a[i], default: (0, 0, 0, 0)].a += 1; counts[a[i]]!.ia = i }
    for j in rb { counts[b[j], default: (0, 0, 0, 0)].b += 1; counts[b[j]]!.ib = j }
    let pairs = counts.values.filter { $0.a == 1 && $0.b == 1 }.map { ($0.ia, $0.ib) }.sorted { $0.0 < $1.0 }
    guard !pairs.isEmpty else { return [] }
    // Longest increasing subsequence of the b indices (patience sorting).
    var tails: [Int] = []
    var previous = [Int](repeating: -1, count: pairs.count)
    for (index, pair) in pairs.enumerated() {
      var low = 0
      var high = tails.count
      while low < high {
        let mid = (low + high) / 2
        if pairs[tails[mid]].1 < pair.1 { low = mid + 1 } else { high = mid }
      }
      if low > 0 { previous[index] = tails[low - 1] }
      if low == tails.count { tails.append(index) } else { tails[low] = index }
    }
    var chain: [(Int, Int)] = []
    var cursor = tails.last ?? -1
    while cursor >= 0 {
      chain.append(pairs[cursor])
      cursor = previous[cursor]
    }
    return chain.reversed()
  }

  /// Myers' O(ND) diff of two ranges, giving up (delete all, insert all) beyond `limit` edits.
  static func myers(_ a: [Substring], _ ra: Range<Int>, _ b: [Substring], _ rb: Range<Int>, limit: Int = 1000) -> [Operation] {
    let n = ra.count
    let m = rb.count
    let wholesale = ra.map { Operation.delete($0) } + rb.map { Operation.insert($0) }
    if n == 0 || m == 0 { return wholesale }
    let maximum = Swift.min(n + m, limit)
    let offset = maximum + 1
    var v = [Int](repeating: 0, count: 2 * maximum + 3)
    var trace: [[Int]] = []
    var found = false
    search: for d in 0...maximum {
      trace.append(v)
      for k in stride(from: -d, through: d, by: 2) {
        var x: Int
        if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
          x = v[offset + k + 1]
        } else {
          x = v[offset + k - 1] + 1
        }
        var y = x - k
        while x < n, y < m, a[ra.lowerBound + x] == b[rb.lowerBound + y] {
          x += 1
          y += 1
        }
        v[offset + k] = x
        if x >= n, y >= m {
          found = true
          break search
        }
      }
    }
    guard found else { return wholesale }
    // Walk back through the trace.
    var result: [Operation] = []
    var x = n
    var y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let v = trace[d]
      let k = x - y
      let previousK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
      let previousX = d == 0 ? 0 : v[offset + previousK]
      let previousY = previousX - previousK
      while x > previousX, y > previousY {
        result.append(.equal(ra.lowerBound + x - 1, rb.lowerBound + y - 1))
        x -= 1
        y -= 1
      }
      if d > 0 {
        if x == previousX {
          result.append(.insert(rb.lowerBound + y - 1))
        } else {
          result.append(.delete(ra.lowerBound + x - 1))
        }
      }
      x = previousX
      y = previousY
    }
    return result.reversed()
  }
}

extension UnifiedDiff.Operation {
  var old: Int {
    switch self {
    case .equal(let i, _), .delete(let i): return i
    case .insert: return -1
    }
  }

  var new: Int {
    switch self {
    case .equal(_, let j), .insert(let j): return j
    case .delete: return -1
    }
  }
}
