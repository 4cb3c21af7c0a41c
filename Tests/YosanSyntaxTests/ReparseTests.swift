import Foundation
import Testing
import YosanSyntax
import YosanTestSupport

/// Re-parsing the edited block gives the tree a full parse gives, whatever the edit.
@Suite(.tags(.slow))
struct ReparseTests {
  typealias Random = RoundTripTests.Random

  /// Fragments an editor inserts: text, and the characters that change structure (braces, quotes,
  /// comment marks, line breaks, indentation), in both widths.
  static let insertions: [[UInt8]] = [
    "1", "億円", "a", " ", "  ", "\t", "　", "\n", "\r\n", "\n  ", "\n    ", "{", "}", "｛", "｝", "\"", "#", "＃", "=", "＝", ",",
    "内訳 \"x\" {", "内訳 \"x\" {\n  a = 1億円\n}", "事業 z \"t\" {\n", "  }\n", "    }\n", "}\n}", "内数(a)", "なし", "\u{1}", "𠮷",
    "「t」", "分野 「s」 {\n",
  ].map { Array($0.utf8) } + [[0xFF], [0xE3, 0x80]]

  /// Applies `count` random edits to `text` one after another, each re-parsed from the tree of the
  /// one before, and compares every tree with a full parse. Returns how many were incremental.
  @discardableResult
  static func check(_ text: [UInt8], edits count: Int, seed: UInt64) -> Int {
    var random = Random(state: seed)
    var bytes = text
    var tree = Parser.parse(bytes)
    var incremental = 0
    for step in 0..<count {
      let start = random.below(bytes.count + 1)
      let end = Swift.min(bytes.count, start + [0, 0, 0, 1, 1, 2, 3, 8][random.below(8)])
      let inserted = random.below(4) == 0 ? [] : insertions[random.below(insertions.count)]
      let range = TextRange(start: start, end: end)
      bytes.replaceSubrange(start..<end, with: inserted)
      let (incrementalTree, full) = bytes.withUnsafeBufferPointer { buffer in
        (Parser.reparse(tree, replacing: range, insertedLength: inserted.count, in: buffer), Parser.parse(buffer))
      }
      if bytes.withUnsafeBufferPointer({ Parser.reparseIncrementally(tree, replacing: range, insertedLength: inserted.count, in: $0) != nil }) {
        incremental += 1
      }
      let same = incrementalTree.isStructurallyEqual(to: full)
      #expect(same, "seed \(seed), step \(step): replacing \(range) by \(inserted) gives another tree than a full parse")
      if !same {
        if ProcessInfo.processInfo.environment["REPARSE_DEBUG"] != nil {
          let a = TreeDump.dump(incrementalTree, text: bytes).split(separator: "\n")
          let b = TreeDump.dump(full, text: bytes).split(separator: "\n")
          let first = (0..<Swift.min(a.count, b.count)).first { a[$0] != b[$0] } ?? Swift.min(a.count, b.count)
          print("EDIT \(range) inserted \(String(decoding: inserted, as: UTF8.self).debugDescription)")
          print("TEXT:\n" + String(decoding: bytes, as: UTF8.self))
          print("INCREMENTAL:\n" + a[Swift.max(0, first - 15)..<Swift.min(a.count, first + 10)].joined(separator: "\n"))
          print("FULL:\n" + b[Swift.max(0, first - 15)..<Swift.min(b.count, first + 10)].joined(separator: "\n"))
        }
        return incremental
      }
      tree = incrementalTree
    }
    return incremental
  }

  /// Texts the parser recovers from: a 予算 header whose `}` is written after every item, extra
  /// `}` that a later `}` indented like their block shows to be extra, and a sloppy `}` that is not.
  static let recoveryTexts: [String] = [
    "予算 \"x\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n\n事業 a \"t\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n\n分野 \"s\" {\n  事業 b \"u\" {\n    要求額 = 2億円\n  }\n}\n}\n",
    "分野 \"s\" {\n  合計 = 3億円\n\n  事業 a \"t\" {\n    要求額 = 1億円\n    内訳 {\n      r = 1億円\n    }\n    }\n  }\n\n  事業 b \"u\" {\n    要求額 = 2億円\n  }\n}\n事業 c \"v\" {\n  要求額 = 1億円\n  }\n  内訳 {\n    r = 1億円\n  }\n}\n",
    "分野 \"s\" {\n  事業 a \"t\" {\n    x = 1\n      }\n  事業 b \"u\" {\n    y = 2\n  }\n}\n事業 c {\n  }\n  }\n}\n",
  ]

  @Test("random edits of texts with an extra } or a header that holds the items re-parse like a full parse", arguments: recoveryTexts.indices)
  func recovery(_ index: Int) {
    for seed in 0..<UInt64(6) { Self.check(Array(Self.recoveryTexts[index].utf8), edits: 150, seed: 700 + seed * 13 + UInt64(index)) }
  }

  @Test("random edits of every sample re-parse like a full parse", arguments: RepoPaths.files(under: "Samples", withExtension: "yosan"))
  func samples(_ url: URL) throws {
    Self.check(Array(try Data(contentsOf: url)), edits: 120, seed: 2_026)
  }

  /// Every entry on a line of its own inside a block whose value ends in a word, in `node`.
  static func entriesOnOwnLines(_ node: SyntaxNode, block: SyntaxNode?, bytes: [UInt8], into found: inout [(entry: SyntaxNode, block: SyntaxNode)]) {
    for child in node.childNodes {
      if child.kind == .entry, let block {
        let opener = block.children.first { $0.kind == .leftBrace }?.range.end ?? block.range.end
        let closer = block.children.reversed().first { $0.kind == .rightBrace }?.range.start ?? block.offset
        let before = bytes[Swift.min(opener, child.offset)..<child.offset]
        let after = bytes[child.range.end..<Swift.max(child.range.end, closer)]
        // Values that end in a word (amounts, names), not in a string or a comment.
        let endsInWord = child.children.reversed().first { !$0.kind.isTrivia }?.kind == .word && child.children.reversed().first?.kind == .word
        if before.contains(0x0A), after.contains(0x0A), endsInWord { found.append((child, block)) }
      }
      if child.kind == .block { entriesOnOwnLines(child, block: child, bytes: bytes, into: &found) }
    }
  }

  @Test("typing in an entry on its own line re-parses only its block", arguments: RepoPaths.files(under: "Samples/budgets", withExtension: "yosan"))
  func typingIsIncremental(_ url: URL) throws {
    let bytes = Array(try Data(contentsOf: url))
    let tree = Parser.parse(bytes)
    var entries: [(entry: SyntaxNode, block: SyntaxNode)] = []
    Self.entriesOnOwnLines(SyntaxNode(green: tree, offset: 0), block: nil, bytes: bytes, into: &entries)
    #expect(entries.count > 5)
    for (entry, _) in entries {
      // A digit typed at the end of the value, as when correcting an amount.
      let offset = entry.range.end
      var edited = bytes
      edited.insert(UInt8(ascii: "1"), at: offset)
      let range = TextRange(start: offset, end: offset)
      let incremental = edited.withUnsafeBufferPointer { Parser.reparseIncrementally(tree, replacing: range, insertedLength: 1, in: $0) }
      #expect(incremental != nil, "typing at \(offset) re-parsed the whole file")
      if let incremental { #expect(incremental.isStructurallyEqual(to: Parser.parse(edited))) }
    }
  }

  @Test("edits inside nested blocks re-parse only the block")
  func nested() {
    let text = Array("予算 \"x\" {\n  年度 = 令和7年度\n}\n\n分野 \"s\" {\n  事業 a \"t\" {\n    要求額 = 1億円\n    内訳 \"k\" {\n      人件費 = 1億円\n    }\n  }\n}\n".utf8)
    let marker = Array("人件費".utf8)
    let offset = (0..<text.count).first { Array(text[$0..<Swift.min(text.count, $0 + marker.count)]) == marker }!
    var edited = text
    edited.insert(contentsOf: Array("追加".utf8), at: offset)
    let old = Parser.parse(text)
    let new = edited.withUnsafeBufferPointer { Parser.reparse(old, replacing: TextRange(start: offset, end: offset), insertedLength: 6, in: $0) }
    #expect(new.isStructurallyEqual(to: Parser.parse(edited)))
    // The header block is shared with the old tree, not built again.
    guard case .node(let oldHeader) = old.children[0], case .node(let newHeader) = new.children[0] else {
      Issue.record("the header is not the first child")
      return
    }
    #expect(oldHeader === newHeader)
  }

  @Test("a brace typed at the end of a header line falls back to a full parse, and agrees with it")
  func openingBrace() {
    let text = Array("分野 \"s\" {\n  事業 a \"t\"\n    要求額 = 1億円\n}\n".utf8)
    let offset = text.firstIndex(of: UInt8(ascii: "\n"))! + 1 + "  事業 a \"t\"".utf8.count
    var edited = text
    edited.insert(contentsOf: Array(" {".utf8), at: offset)
    let old = Parser.parse(text)
    let range = TextRange(start: offset, end: offset)
    let incremental = edited.withUnsafeBufferPointer { Parser.reparseIncrementally(old, replacing: range, insertedLength: 2, in: $0) != nil }
    #expect(!incremental)
    let new = edited.withUnsafeBufferPointer { Parser.reparse(old, replacing: range, insertedLength: 2, in: $0) }
    #expect(new.isStructurallyEqual(to: Parser.parse(edited)))
  }

  /// `text` with a `}` typed at the start of its `index`th line `  }` (an item's closing line).
  static func typingCloser(in text: [UInt8], atItemClosingLine index: Int) -> (edited: [UInt8], range: TextRange) {
    let closing = Array("  }\n".utf8)
    let lines = (0..<text.count).filter { Array(text[$0..<Swift.min(text.count, $0 + closing.count)]) == closing }
    var edited = text
    edited.insert(UInt8(ascii: "}"), at: lines[index])
    return (edited, TextRange(start: lines[index], end: lines[index]))
  }

  @Test("after a full parse, the blocks the edit left alone are the old tree's")
  func sharingAfterAFullParse() {
    let item = { (id: String) in "  事業 \(id) \"t\" {\n    要求額 = 1億円\n  }\n" }
    let text = Array(("分野 \"s\" {\n" + item("a") + item("b") + item("c") + "}\n").utf8)
    // A `}` typed at the start of b's closing line closes the 分野 there: a full parse.
    let (edited, range) = Self.typingCloser(in: text, atItemClosingLine: 1)
    let old = Parser.parse(text)
    #expect(edited.withUnsafeBufferPointer { Parser.reparseIncrementally(old, replacing: range, insertedLength: 1, in: $0) } == nil)
    let new = edited.withUnsafeBufferPointer { Parser.reparse(old, replacing: range, insertedLength: 1, in: $0) }
    #expect(new.isStructurallyEqual(to: Parser.parse(edited)))
    // Item a (before the edit) and item c (after it, now outside the 分野) are the old nodes.
    func blocks(_ node: GreenNode) -> [GreenNode] {
      node.children.flatMap { child -> [GreenNode] in
        guard case .node(let inner) = child, inner.kind == .block else { return [] }
        return [inner] + blocks(inner)
      }
    }
    let oldBlocks = blocks(old)
    let shared = blocks(new).filter { block in oldBlocks.contains { $0 === block } }
    #expect(shared.count == 2, "\(shared.count) blocks shared")
  }

  @Test("a `}` that closes a section early re-parses only that section's top-level statements")
  func closerChangesTheTopLevel() {
    let item = { (id: String) in "  事業 \(id) \"t\" {\n    要求額 = 1億円\n  }\n" }
    let section = { (name: String, ids: [String]) in "分野 \"\(name)\" {\n" + ids.map(item).joined() + "}\n" }
    let text = Array((section("s", ["a", "b", "c"]) + "\n" + section("t", ["d", "e"]) + section("u", ["f"])).utf8)
    // A `}` typed at the start of b's closing line closes section s there; c and s's own `}` end
    // up at the top level. Sections t and u are not touched.
    let (edited, range) = Self.typingCloser(in: text, atItemClosingLine: 1)
    let old = Parser.parse(text)
    #expect(edited.withUnsafeBufferPointer { Parser.reparseIncrementally(old, replacing: range, insertedLength: 1, in: $0) } == nil)
    guard let new = edited.withUnsafeBufferPointer({ Parser.reparseTopLevel(old, replacing: range, insertedLength: 1, in: $0) }) else {
      Issue.record("the top-level re-parse refused the edit")
      return
    }
    #expect(new.isStructurallyEqual(to: Parser.parse(edited)))
    // Sections t and u are the old tree's nodes; so is everything inside them.
    let oldSections = old.children.compactMap { child -> GreenNode? in
      if case .node(let node) = child, node.kind == .block { return node }
      return nil
    }
    let kept = new.children.filter { child in
      if case .node(let node) = child { return oldSections.contains { $0 === node } }
      return false
    }
    #expect(kept.count == 2)
    // A `}` typed in the last top-level block has no end to stop at: only a full parse.
    let (atEnd, last) = Self.typingCloser(in: text, atItemClosingLine: 5)
    #expect(atEnd.withUnsafeBufferPointer { Parser.reparseTopLevel(old, replacing: last, insertedLength: 1, in: $0) } == nil)
  }

  @Test("a character typed into the indentation of a `}` line re-parses in place unless the `}` now closes an outer block")
  func dedentedCloser() {
    let text = Array("分野 \"s\" {\n  事業 a \"t\" {\n    内訳 \"k\" {\n      人件費 = 1億円\n    }\n    要求額 = 1億円\n  }\n}\n".utf8)
    let line = Array("    }\n".utf8)
    let lineStart = (0..<text.count).first { Array(text[$0..<Swift.min(text.count, $0 + line.count)]) == line }!
    let old = Parser.parse(text)
    var incremental: [Int] = []
    for column in 0...3 {
      var edited = text
      edited.insert(UInt8(ascii: "1"), at: lineStart + column)
      let range = TextRange(start: lineStart + column, end: lineStart + column)
      let new = edited.withUnsafeBufferPointer { Parser.reparse(old, replacing: range, insertedLength: 1, in: $0) }
      #expect(new.isStructurallyEqual(to: Parser.parse(edited)), "column \(column)")
      if edited.withUnsafeBufferPointer({ Parser.reparseIncrementally(old, replacing: range, insertedLength: 1, in: $0) }) != nil {
        incremental.append(column)
      }
    }
    // Indented by 0 the `}` closes the 分野, by 2 the 事業: the structure changes. By 1 or 3 it
    // still closes the 内訳.
    #expect(incremental == [1, 3])
  }

  /// REPARSE_ROUNDS=N runs N rounds instead of 20 (a longer search after changing the re-parse).
  @Test("random edits of random documents (2,000 edits)")
  func randomDocuments() {
    var random = Random(state: 99)
    let rounds = ProcessInfo.processInfo.environment["REPARSE_ROUNDS"].flatMap { Int($0) } ?? 20
    for round in 0..<rounds {
      var text: [UInt8] = []
      for _ in 0..<random.below(40) { text += RoundTripTests.fragments[random.below(RoundTripTests.fragments.count)] }
      Self.check(text, edits: 100, seed: UInt64(round))
    }
  }
}
