/// A token in the green tree: a kind and a length. Its text is the source slice at its offset.
public struct GreenToken: Hashable, Sendable {
  public let kind: SyntaxKind
  public let length: UInt32

  @inlinable
  public init(kind: SyntaxKind, length: Int) {
    self.kind = kind
    self.length = UInt32(length)
  }
}

/// A child of a green node.
public enum GreenElement: Sendable {
  case node(GreenNode)
  case token(GreenToken)

  @inlinable
  public var kind: SyntaxKind {
    switch self {
    case .node(let node): return node.kind
    case .token(let token): return token.kind
    }
  }

  @inlinable
  public var textLength: Int {
    switch self {
    case .node(let node): return node.textLength
    case .token(let token): return Int(token.length)
    }
  }
}

/// Why the parser made an `error` node. The message is rendered by the core, which knows the
/// context (for example, which block a missing `}` belongs to).
public enum SyntaxErrorCode: UInt8, Sendable, CaseIterable {
  /// A line that is neither `key = value`, a block header nor `}`.
  case expectedEntry
  /// An `=` with nothing before it.
  case missingKey
  /// A block header without `{` at the end of its line.
  case missingLeftBrace
  /// A block whose `}` never comes (zero-width, where the block was closed instead).
  case missingRightBrace
  /// A `}` with no open block.
  case unmatchedRightBrace
  /// Something after the title in a block header.
  case unexpectedInHeader
  /// A `{` that does not open a block (inside a value).
  case strayLeftBrace
  /// A quoted string without its closing quote.
  case unterminatedString
  /// Control characters in the text.
  case controlCharacters
  /// Blocks nested deeper than the parser's limit.
  case nestingTooDeep
}

/// An immutable node of the lossless syntax tree.
///
/// Green nodes know their kind, their children and their total length, but not their position:
/// the same node can appear in two versions of a document, which is what makes incremental
/// re-parsing cheap. Positions come from `SyntaxNode`, a cursor that adds offsets while walking.
public final class GreenNode: Sendable {
  public let kind: SyntaxKind
  /// Set on `error` nodes.
  public let errorCode: SyntaxErrorCode?
  /// True when this node or a descendant is an `error` node; lets diagnostics skip clean subtrees.
  public let containsError: Bool
  public let textLength: Int
  public let children: [GreenElement]

  public init(kind: SyntaxKind, children: [GreenElement], errorCode: SyntaxErrorCode? = nil) {
    self.kind = kind
    self.children = children
    self.errorCode = errorCode
    var length = 0
    var containsError = errorCode != nil
    for child in children {
      switch child {
      case .node(let node):
        length += node.textLength
        if node.containsError { containsError = true }
      case .token(let token):
        length += Int(token.length)
      }
    }
    self.textLength = length
    self.containsError = containsError
  }

  /// A copy of this node with the child at `index` replaced.
  public func replacingChild(at index: Int, with element: GreenElement) -> GreenNode {
    var children = self.children
    children[index] = element
    return GreenNode(kind: kind, children: children, errorCode: errorCode)
  }
}
