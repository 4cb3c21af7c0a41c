/// A green node at a position: the red layer of the tree, computed while walking.
public struct SyntaxNode: Sendable {
  public let green: GreenNode
  /// Byte offset of the node's first byte.
  public let offset: Int

  @inlinable
  public init(green: GreenNode, offset: Int) {
    self.green = green
    self.offset = offset
  }

  @inlinable public var kind: SyntaxKind { green.kind }
  @inlinable public var range: TextRange { TextRange(start: offset, length: green.textLength) }

  /// The node's children with their positions.
  public var children: SyntaxChildren { SyntaxChildren(node: green, offset: offset) }

  /// Child nodes only.
  public var childNodes: [SyntaxNode] {
    children.compactMap { if case .node(let n) = $0 { return n } else { return nil } }
  }
}

/// A token at a position.
public struct SyntaxToken: Hashable, Sendable {
  public let kind: SyntaxKind
  public let range: TextRange

  @inlinable
  public init(kind: SyntaxKind, range: TextRange) {
    self.kind = kind
    self.range = range
  }
}

/// A positioned child: a node or a token.
public enum SyntaxElement: Sendable {
  case node(SyntaxNode)
  case token(SyntaxToken)

  @inlinable
  public var kind: SyntaxKind {
    switch self {
    case .node(let n): return n.kind
    case .token(let t): return t.kind
    }
  }

  @inlinable
  public var range: TextRange {
    switch self {
    case .node(let n): return n.range
    case .token(let t): return t.range
    }
  }
}

/// The children of a node, with offsets computed on the fly.
public struct SyntaxChildren: Sequence, Sendable {
  let node: GreenNode
  let offset: Int

  public struct Iterator: IteratorProtocol {
    let children: GreenChildren
    var index = 0
    var offset: Int

    public mutating func next() -> SyntaxElement? {
      guard index < children.count else { return nil }
      let child = children[index]
      index += 1
      let start = offset
      offset += child.textLength
      switch child {
      case .node(let node): return .node(SyntaxNode(green: node, offset: start))
      case .token(let token): return .token(SyntaxToken(kind: token.kind, range: TextRange(start: start, length: Int(token.length))))
      }
    }
  }

  public func makeIterator() -> Iterator { Iterator(children: node.children, offset: offset) }
}

extension SyntaxNode {
  /// Every token under this node, in order.
  public func forEachToken(_ body: (SyntaxToken) throws -> Void) rethrows {
    // An explicit stack: trees can be deep and recursion must not overflow.
    var stack: [(GreenNode, Int, Int)] = [(green, 0, offset)]
    while let top = stack.popLast() {
      var (node, index, position) = top
      while index < node.children.count {
        let child = node.children[index]
        index += 1
        switch child {
        case .token(let token):
          try body(SyntaxToken(kind: token.kind, range: TextRange(start: position, length: Int(token.length))))
          position += Int(token.length)
        case .node(let inner):
          stack.append((node, index, position + inner.textLength))
          node = inner
          index = 0
        }
      }
    }
  }

  /// The token whose range contains `offset`. At or past the end, the last token.
  public func token(at offset: Int) -> SyntaxToken? {
    if offset >= range.end {
      var last: SyntaxToken?
      forEachToken { if $0.range.length > 0 { last = $0 } }
      return last
    }
    var node = green
    var position = self.offset
    descend: while true {
      for child in node.children {
        let length = child.textLength
        if offset < position + length {
          switch child {
          case .token(let token):
            return SyntaxToken(kind: token.kind, range: TextRange(start: position, length: length))
          case .node(let inner):
            node = inner
            continue descend
          }
        }
        position += length
      }
      return nil
    }
  }

  /// For each of `offsets` (ascending, within the node), the token that contains it and the node
  /// that holds the token, found in one walk down the tree: many offsets cost one pass over the
  /// children on their way, not a search from the top for each (`token(at:)`).
  public func tokens(containing offsets: [Int]) -> [(token: SyntaxToken, parent: SyntaxNode)?] {
    var result = [(token: SyntaxToken, parent: SyntaxNode)?](repeating: nil, count: offsets.count)
    var next = 0
    while next < offsets.count, offsets[next] < offset { next += 1 }
    func visit(_ node: SyntaxNode) {
      var position = node.offset
      for child in node.green.children {
        guard next < offsets.count else { return }
        let end = position + child.textLength
        if offsets[next] < end {
          switch child {
          case .token(let token):
            let found = SyntaxToken(kind: token.kind, range: TextRange(start: position, length: child.textLength))
            while next < offsets.count, offsets[next] < end {
              result[next] = (found, node)
              next += 1
            }
          case .node(let inner):
            visit(SyntaxNode(green: inner, offset: position))
          }
        }
        position = end
      }
    }
    visit(self)
    return result
  }

  /// The chain of nodes from this one down to the deepest node containing `offset`.
  public func ancestors(at offset: Int) -> [SyntaxNode] {
    var result = [self]
    var current = self
    outer: while true {
      for child in current.children {
        if case .node(let inner) = child, inner.range.start <= offset, offset < inner.range.end || (offset == inner.range.end && offset == range.end) {
          result.append(inner)
          current = inner
          continue outer
        }
      }
      return result
    }
  }
}
