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
  /// A `}` too many inside a block: the block's own `}`, indented like its header, comes later.
  case extraRightBrace
}

/// The fixed part of a green node, stored in front of its children.
public struct GreenHeader {
  public let kind: SyntaxKind
  public let errorCode: SyntaxErrorCode?
  public let containsError: Bool
  public let childCount: Int32
  public let textLength: Int
}

/// An immutable node of the lossless syntax tree.
///
/// Green nodes know their kind, their children and their total length, but not their position:
/// the same node can appear in two versions of a document, which is what makes incremental
/// re-parsing cheap. Positions come from `SyntaxNode`, a cursor that adds offsets while walking.
///
/// A node is one allocation (`GreenStorage`): its children are stored inline after its header.
/// `GreenNode` is a reference to it; two `GreenNode`s are the same node when `===` holds.
public struct GreenNode: @unchecked Sendable {
  @usableFromInline let storage: GreenStorage

  @usableFromInline init(storage: GreenStorage) { self.storage = storage }

  /// Makes a node; `children` are copied into it.
  public static func make(kind: SyntaxKind, children: [GreenElement], errorCode: SyntaxErrorCode? = nil) -> GreenNode {
    children.withUnsafeBufferPointer { make(kind: kind, children: $0, errorCode: errorCode) }
  }

  /// Makes a node from a slice of elements (the parser's builder stack).
  public static func make(kind: SyntaxKind, children: ArraySlice<GreenElement>, errorCode: SyntaxErrorCode? = nil) -> GreenNode {
    children.withUnsafeBufferPointer { make(kind: kind, children: $0, errorCode: errorCode) }
  }

  static func make(kind: SyntaxKind, children: UnsafeBufferPointer<GreenElement>, errorCode: SyntaxErrorCode?) -> GreenNode {
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
    let header = GreenHeader(kind: kind, errorCode: errorCode, containsError: containsError, childCount: Int32(children.count), textLength: length)
    let buffer = GreenStorage.create(minimumCapacity: children.count) { _ in header }
    let storage = unsafeDowncast(buffer, to: GreenStorage.self)
    storage.withUnsafeMutablePointerToElements { slots in
      for (index, child) in children.enumerated() { (slots + index).initialize(to: GreenStorage.encode(child)) }
    }
    return GreenNode(storage: storage)
  }

  @inlinable public var kind: SyntaxKind { storage.headerValue.kind }
  /// Set on `error` nodes.
  @inlinable public var errorCode: SyntaxErrorCode? { storage.headerValue.errorCode }
  /// True when this node or a descendant is an `error` node; lets diagnostics skip clean subtrees.
  @inlinable public var containsError: Bool { storage.headerValue.containsError }
  @inlinable public var textLength: Int { storage.headerValue.textLength }

  /// How many children the node has.
  @inlinable public var childCount: Int { Int(storage.headerValue.childCount) }

  /// Child `index` as stored, read without reference counting: for walks that look at the
  /// kinds and lengths of many children. It is valid while this node is alive.
  @inlinable
  public func slot(_ index: Int) -> GreenSlot {
    precondition(index >= 0 && index < childCount, "child index out of range")
    return GreenSlot(raw: storage.withUnsafeMutablePointerToElements { $0[index] })
  }

  /// The children, in order.
  @inlinable public var children: GreenChildren { GreenChildren(storage: storage) }

  /// True when both are the same node (not merely equal).
  @inlinable public static func === (lhs: GreenNode, rhs: GreenNode) -> Bool { lhs.storage === rhs.storage }

  /// A stable identity for caches keyed by node.
  @inlinable public var identity: ObjectIdentifier { ObjectIdentifier(storage) }

  /// A copy of this node with the child at `index` replaced.
  public func replacingChild(at index: Int, with element: GreenElement) -> GreenNode {
    var copy = Array(children)
    copy[index] = element
    return GreenNode.make(kind: kind, children: copy, errorCode: errorCode)
  }
}

/// A child of a green node as stored in its parent: a token's kind and length, or a pointer to a
/// node, read without retaining it. Valid while the parent is alive (`GreenNode.slot(_:)`).
public struct GreenSlot {
  @usableFromInline let raw: UInt64

  @inlinable init(raw: UInt64) { self.raw = raw }

  /// True for a node, false for a token.
  @inlinable public var isNode: Bool { raw & 1 == 0 }

  /// The header of the node this slot points to (only when `isNode`).
  @inlinable var nodeHeader: GreenHeader {
    Unmanaged<GreenStorage>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(raw))!)._withUnsafeGuaranteedRef { $0.headerValue }
  }

  @inlinable
  public var kind: SyntaxKind {
    isNode ? nodeHeader.kind : SyntaxKind(rawValue: UInt8(truncatingIfNeeded: raw >> 1))!
  }

  @inlinable
  public var textLength: Int {
    isNode ? nodeHeader.textLength : Int(raw >> 9)
  }

  /// The error code of an `error` node; nil for other nodes and for tokens.
  @inlinable
  public var errorCode: SyntaxErrorCode? {
    isNode ? nodeHeader.errorCode : nil
  }

  /// The node (retained), or nil for a token.
  @inlinable
  public var node: GreenNode? {
    guard isNode else { return nil }
    return GreenNode(storage: Unmanaged<GreenStorage>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(raw))!).takeUnretainedValue())
  }
}

/// The storage of a green node: header and children in one allocation.
///
/// Each child takes 8 bytes: a token is `(length << 8 | kind) << 1 | 1`; a node is a pointer to
/// its storage (aligned, so its low bit is 0) holding one strong reference, released in `deinit`.
public final class GreenStorage: ManagedBuffer<GreenHeader, UInt64> {
  @inlinable
  static func encode(_ element: GreenElement) -> UInt64 {
    switch element {
    case .token(let token):
      return (UInt64(token.length) << 8 | UInt64(token.kind.rawValue)) << 1 | 1
    case .node(let node):
      return UInt64(UInt(bitPattern: Unmanaged.passRetained(node.storage).toOpaque()))
    }
  }

  @inlinable
  static func decode(_ slot: UInt64) -> GreenElement {
    if slot & 1 == 1 {
      let payload = slot >> 1
      return .token(GreenToken(kind: SyntaxKind(rawValue: UInt8(truncatingIfNeeded: payload))!, length: Int(payload >> 8)))
    }
    let pointer = UnsafeRawPointer(bitPattern: UInt(slot))!
    return .node(GreenNode(storage: Unmanaged<GreenStorage>.fromOpaque(pointer).takeUnretainedValue()))
  }

  /// The header, read through a pointer (the `header` property of a class is checked for
  /// exclusive access at run time, on every read).
  @inlinable
  var headerValue: GreenHeader { withUnsafeMutablePointerToHeader { $0.pointee } }

  deinit {
    withUnsafeMutablePointers { header, slots in
      for index in 0..<Int(header.pointee.childCount) {
        let slot = slots[index]
        if slot & 1 == 0, let pointer = UnsafeRawPointer(bitPattern: UInt(slot)) {
          Unmanaged<GreenStorage>.fromOpaque(pointer).release()
        }
      }
    }
  }
}

/// The children of a green node: a random-access view of the elements stored in it.
public struct GreenChildren: RandomAccessCollection, @unchecked Sendable {
  @usableFromInline let storage: GreenStorage

  @inlinable init(storage: GreenStorage) { self.storage = storage }
  @inlinable public var startIndex: Int { 0 }
  @inlinable public var endIndex: Int { Int(storage.headerValue.childCount) }

  @inlinable
  public subscript(position: Int) -> GreenElement {
    precondition(position >= 0 && position < endIndex, "child index out of range")
    return GreenStorage.decode(storage.withUnsafeMutablePointerToElements { $0[position] })
  }
}
