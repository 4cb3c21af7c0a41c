/// Incremental re-parsing: after an edit, only the innermost block whose body holds the edit is
/// parsed again, and the rest of the old tree is shared with the new one.
///
/// The result is always the tree `Parser.parse` gives for the new text. A block's body is parsed
/// on its own only when that cannot change anything outside it:
///
/// - the edit lies on the lines strictly between the block's `{` line and its `}` line (a line
///   break before the edit follows the `{`, and one after the edit comes before the `}`), so the
///   `{` line lexes as before (an unterminated string's end depends on the rest of its line) and
///   the `}` keeps its line and its indentation, which decide what it closes;
/// - no string before the block is unterminated: a value string may span lines and close at the
///   first `"` anywhere after it, so a quote typed later in the text could change how it lexes;
/// - the new body pairs its braces by itself: no `}` without a block, no block without a `}`, no
///   `}` less indented than its block that is indented like the block or a block around it (in
///   the whole text it would close that block), and no block closed by a deeper `}` that a `}`
///   after the body could reopen, or that one at its top level reopens (whether it does depends
///   on the enclosing block's indentation; see `Parser` on extra `}`);
/// - no string or comment runs to the body's end (in the whole text it would run past the `}`);
/// - the block is not nested beyond `Parser.maximumDepth`.
///
/// Otherwise the next enclosing block is tried, and at the top the whole text is parsed.
extension Parser {
  /// The tree of `bytes` (the new text), given `old`, the tree of the text before `range` (in the
  /// old text) was replaced by `insertedLength` bytes.
  ///
  /// When only a full parse gives the tree, the blocks before and after the edit that parse as
  /// they did are still taken from `old`, so that whoever keys results on nodes keeps them.
  public static func reparse(_ old: GreenNode, replacing range: TextRange, insertedLength: Int, in bytes: UnsafeBufferPointer<UInt8>) -> GreenNode {
    if let tree = reparseIncrementally(old, replacing: range, insertedLength: insertedLength, in: bytes) { return tree }
    if let tree = reparseTopLevel(old, replacing: range, insertedLength: insertedLength, in: bytes) { return tree }
    return share(parse(bytes), with: old, replacing: range, insertedLength: insertedLength)
  }

  /// When the edit changes which blocks its braces close (a `}` typed or moved), the file's
  /// top-level statements are parsed again from the last one before the edit where no block was
  /// open, up to the first one after the edit where, again, no block is open in the old tree and
  /// none in the new (there the two parses agree on everything that follows). The range must start
  /// with a block header that is not indented (it ends every block before it that a `}` in the
  /// range could reopen). Nil when there is no such pair of places: then only a full parse gives
  /// the tree.
  package static func reparseTopLevel(_ old: GreenNode, replacing range: TextRange, insertedLength: Int, in bytes: UnsafeBufferPointer<UInt8>) -> GreenNode? {
    let delta = insertedLength - range.length
    guard old.textLength + delta == bytes.count, !hasUnterminatedString(old, before: range.start) else { return nil }
    let children = Array(old.children)
    // Where each top-level statement starts (old text), and whether every block before it was closed.
    var starts: [Int] = []
    var closedBefore: [Bool] = []
    var position = 0
    var closed = true
    for child in children {
      starts.append(position)
      closedBefore.append(closed)
      if case .node(let node) = child, node.kind == .block {
        if case .token(let last)? = node.children.last, last.kind == .rightBrace {} else { closed = false }
      }
      position += child.textLength
    }
    func atLineStart(_ offset: Int) -> Bool { offset == 0 || bytes[offset - 1] == 0x0A || bytes[offset - 1] == 0x0D }
    // Both ends are blocks: the parser groups neighbouring errors (a run of stray `}`) into one
    // node, and a cut between two of them would split it.
    func isBlock(_ index: Int) -> Bool {
      if case .node(let node) = children[index], node.kind == .block { return true }
      return false
    }
    // The start: the last block at or before the edit, at a line start, with no block open.
    guard let first = starts.indices.last(where: { starts[$0] <= range.start && closedBefore[$0] && isBlock($0) && atLineStart(starts[$0]) }) else { return nil }
    // The ends: statements after the edit (the line break before them untouched, so they start a
    // line in both texts), not indented (a block the new text leaves open ends at the first line
    // indented no deeper than it), with no block open in the old tree.
    var candidates: [Int] = []
    for index in starts.indices where index > first && starts[index] > range.end && closedBefore[index] && isBlock(index) {
      let new = starts[index] + delta
      guard atLineStart(new), Parser.indentWidth(bytes, ofLineAt: new) == 0 else { continue }
      candidates.append(index)
    }
    // Nearest first, then farther and farther (each try parses from the start again).
    var tried = 0
    var step = 1
    while tried < candidates.count {
      let index = candidates[tried]
      if let region = parseTopLevelRegion(bytes, range: starts[first]..<(starts[index] + delta)) {
        // The region's blocks that the edit left as they were are the old tree's (a `}` removed
        // in one item of a section leaves the section's other items alone).
        let shared = share(
          GreenNode.make(kind: .file, children: region), with: GreenNode.make(kind: .file, children: Array(children[first..<index])),
          replacing: range.shifted(by: -starts[first]), insertedLength: insertedLength)
        return GreenNode.make(kind: .file, children: Array(children[..<first]) + Array(shared.children) + Array(children[index...]))
      }
      tried += step
      step *= 2
    }
    return nil
  }

  /// How deep `share` looks for blocks (the file's blocks, sections' members and their blocks).
  static let sharingDepth = 3

  /// `new`, the tree of the new text, with each block that lies wholly before or after the edit
  /// and has the shape of the block at the same place of `old` replaced by that block. The text
  /// outside the edit did not change, so a block of the same shape there is the same block.
  static func share(_ new: GreenNode, with old: GreenNode, replacing range: TextRange, insertedLength: Int) -> GreenNode {
    let delta = insertedLength - range.length
    var oldBlocks: [Int: GreenNode] = [:]
    func collect(_ node: GreenNode, at offset: Int, depth: Int) {
      var position = offset
      for child in node.children {
        if case .node(let inner) = child, inner.kind == .block {
          oldBlocks[position] = inner
          if depth + 1 < sharingDepth { collect(inner, at: position, depth: depth + 1) }
        }
        position += child.textLength
      }
    }
    collect(old, at: 0, depth: 0)
    func rebuild(_ node: GreenNode, at offset: Int, depth: Int) -> GreenNode {
      var children = Array(node.children)
      var changed = false
      var position = offset
      for index in children.indices {
        let length = children[index].textLength
        defer { position += length }
        guard case .node(let inner) = children[index], inner.kind == .block else { continue }
        let oldOffset = position + length <= range.start ? position : (position >= range.start + insertedLength ? position - delta : nil)
        if let oldOffset, let candidate = oldBlocks[oldOffset], candidate.textLength == length, candidate.isStructurallyEqual(to: inner) {
          children[index] = .node(candidate)
          changed = true
        } else if depth + 1 < sharingDepth {
          let rebuilt = rebuild(inner, at: position, depth: depth + 1)
          if !(rebuilt === inner) {
            children[index] = .node(rebuilt)
            changed = true
          }
        }
      }
      return changed ? GreenNode.make(kind: node.kind, children: children, errorCode: node.errorCode) : node
    }
    return rebuild(new, at: 0, depth: 0)
  }

  /// The tree re-parsed from the innermost block whose body can be parsed on its own, or nil when
  /// no block can (then only a full parse gives the tree).
  public static func reparseIncrementally(_ old: GreenNode, replacing range: TextRange, insertedLength: Int, in bytes: UnsafeBufferPointer<UInt8>) -> GreenNode? {
    let delta = insertedLength - range.length
    guard old.textLength + delta == bytes.count else { return nil }
    guard !hasUnterminatedString(old, before: range.start) else { return nil }
    // The chain of blocks whose bodies hold the edit, outermost first: each with its parent, the
    // index of the block among the parent's children, and the block's offset.
    var chain: [(parent: GreenNode, index: Int, block: GreenNode, offset: Int)] = []
    var node = old
    var offset = 0
    descend: while true {
      var position = offset
      for (index, child) in node.children.enumerated() {
        let end = position + child.textLength
        if case .node(let inner) = child, inner.kind == .block, position < range.start, range.end < end {
          chain.append((node, index, inner, position))
          node = inner
          offset = position
          continue descend
        }
        if end > range.end { break }
        position = end
      }
      break
    }
    // The indentation of each block's header line (they come before the edit: unchanged).
    let indents = chain.map { Parser.indentWidth(bytes, ofLineAt: $0.offset) }
    for level in chain.indices.reversed() {
      let (_, _, block, blockOffset) = chain[level]
      // Blocks nested deeper than the limit keep their body as flat text.
      guard level + 1 <= maximumDepth,
        let body = reparseBody(
          of: block, at: blockOffset, depth: level + 1, range: range, delta: delta, bytes: bytes, enclosingIndents: Set(indents[...level]))
      else { continue }
      // Each ancestor, up to the root, gets a copy with the new child.
      var replacement = body
      for step in chain[...level].reversed() {
        replacement = step.parent.replacingChild(at: step.index, with: .node(replacement))
      }
      return replacement
    }
    return nil
  }

  /// `block` (at `offset` in the old text) with its body parsed again from the new text, or nil.
  static func reparseBody(
    of block: GreenNode, at offset: Int, depth: Int, range: TextRange, delta: Int, bytes: UnsafeBufferPointer<UInt8>, enclosingIndents: Set<Int>
  ) -> GreenNode? {
    let children = Array(block.children)
    guard case .token(let closer)? = children.last, closer.kind == .rightBrace else { return nil }
    var position = offset
    var opener: Int?
    for (index, child) in children.enumerated() {
      if case .token(let token) = child, token.kind == .leftBrace {
        opener = index
        position += Int(token.length)
        break
      }
      position += child.textLength
    }
    guard let opener, opener < children.count - 1 else { return nil }
    let bodyStart = position
    let oldBodyEnd = offset + block.textLength - Int(closer.length)
    guard bodyStart <= range.start, range.end <= oldBodyEnd else { return nil }
    let bodyEnd = oldBodyEnd + delta
    // The edit is on lines of its own: line breaks before and after it, in text it did not touch.
    let unchangedFrom = range.start + range.length + delta
    guard unchangedFrom <= bodyEnd, bytes[unchangedFrom..<bodyEnd].contains(where: { $0 == 0x0A || $0 == 0x0D }),
      bytes[bodyStart..<range.start].contains(where: { $0 == 0x0A || $0 == 0x0D })
    else { return nil }
    guard let parsed = parseBlockBody(bytes, range: bodyStart..<bodyEnd, depth: depth, enclosingIndents: enclosingIndents) else { return nil }
    // The body's blocks that the edit left as they were are the old tree's (a `}` removed in one
    // item of a section leaves the section's other items alone).
    let body = share(
      GreenNode.make(kind: .file, children: parsed), with: GreenNode.make(kind: .file, children: Array(children[(opener + 1)..<(children.count - 1)])),
      replacing: range.shifted(by: -bodyStart), insertedLength: delta + range.length
    ).children
    return GreenNode.make(kind: .block, children: children[...opener] + Array(body) + [children[children.count - 1]])
  }
}

extension Parser {
  /// Whether `tree` has an unterminated string token that starts before `offset`. Such tokens
  /// always sit in error nodes, so only subtrees that contain errors are visited.
  static func hasUnterminatedString(_ tree: GreenNode, before offset: Int) -> Bool {
    var pending: [(GreenNode, Int)] = [(tree, 0)]
    while let (node, start) = pending.popLast() {
      guard node.containsError else { continue }
      var position = start
      for child in node.children {
        guard position < offset else { break }
        switch child {
        case .token(let token): if token.kind == .unterminatedString { return true }
        case .node(let inner): pending.append((inner, position))
        }
        position += child.textLength
      }
    }
    return false
  }
}

extension GreenNode {
  /// Whether the two trees have the same kinds, lengths, error codes and shape.
  public func isStructurallyEqual(to other: GreenNode) -> Bool {
    var pending: [(GreenNode, GreenNode)] = [(self, other)]
    while let (a, b) = pending.popLast() {
      if a === b { continue }
      guard a.kind == b.kind, a.textLength == b.textLength, a.errorCode == b.errorCode, a.children.count == b.children.count else { return false }
      for (x, y) in zip(a.children, b.children) {
        switch (x, y) {
        case (.token(let s), .token(let t)): if s != t { return false }
        case (.node(let m), .node(let n)): pending.append((m, n))
        default: return false
        }
      }
    }
    return true
  }
}
