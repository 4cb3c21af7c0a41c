import Testing
import YosanGenerator
import YosanSyntax
import YosanTestSupport

@testable import YosanCore

/// A file being typed is invalid most of the time: the errors a typist leaves for a moment (an
/// unterminated string, a missing `}` or `=`, a stray `{`), typed at mid-document and removed
/// again, re-parse and re-check only what they can affect, and the session still answers what the
/// one-shot analyzer answers.
struct ErrorEditTests {
  /// One error: the edit that makes it in an item, as (offset, bytes removed, bytes inserted).
  enum Kind: CaseIterable {
    case unterminatedString, missingBrace, missingEquals, strayBrace
  }

  /// Finds `needle` in `bytes` at or after `from`.
  static func find(_ needle: String, in bytes: [UInt8], from: Int) -> Int? {
    let needle = Array(needle.utf8)
    var index = from
    while index + needle.count <= bytes.count {
      if bytes[index] == needle[0], Array(bytes[index..<(index + needle.count)]) == needle { return index }
      index += 1
    }
    return nil
  }

  /// The edit making `kind` in the first item at or after `from`.
  static func edit(_ kind: Kind, in bytes: [UInt8], from: Int) -> (range: TextRange, inserted: [UInt8])? {
    guard let item = find("\n  事業 ", in: bytes, from: from), let division = find("    担当 = ", in: bytes, from: item),
      let end = find("\n  }\n", in: bytes, from: item)
    else { return nil }
    let afterEquals = division + "    担当 = ".utf8.count
    switch kind {
    case .unterminatedString: return (TextRange(start: afterEquals, end: afterEquals), Array("\"".utf8))
    case .missingBrace: return (TextRange(start: end + 3, end: end + 4), [])
    case .missingEquals: return (TextRange(start: afterEquals - 2, end: afterEquals - 1), [])
    case .strayBrace:
      let lineEnd = bytes[afterEquals...].firstIndex(of: 0x0A)!
      return (TextRange(start: lineEnd, end: lineEnd), Array(" {".utf8))
    }
  }

  static let document = Array(BudgetGenerator.generate(.init(items: 600, seed: 5, defects: 6))[0].text.utf8)

  @Test("an error typed at mid-document and removed re-parses a region, not the file", arguments: Kind.allCases)
  func reparseIsLocal(_ kind: Kind) throws {
    let old = Self.document
    let (range, inserted) = try #require(Self.edit(kind, in: old, from: old.count / 2))
    var new = old
    new.replaceSubrange(range.start..<range.end, with: inserted)
    for (before, after, edit, length) in [
      (old, new, range, inserted.count), (new, old, TextRange(start: range.start, end: range.start + inserted.count), range.length),
    ] {
      let tree = Parser.parse(before)
      let reparsed = after.withUnsafeBufferPointer { buffer in
        Parser.reparseIncrementally(tree, replacing: edit, insertedLength: length, in: buffer)
          ?? Parser.reparseTopLevel(tree, replacing: edit, insertedLength: length, in: buffer)
      }
      let local = try #require(reparsed, "\(kind): only a full parse gave the tree")
      #expect(local.isStructurallyEqual(to: Parser.parse(after)), "\(kind)")
      // The blocks far from the edit are the old tree's.
      #expect(local.children.first { if case .node = $0 { true } else { false } }.map { child in
        tree.children.contains { if case .node(let a) = $0, case .node(let b) = child { a === b } else { false } }
      } == true)
    }
  }

  @Test("an error typed at mid-document and removed re-checks a few units, with the one-shot analyzer's results", arguments: Kind.allCases)
  func recheckIsLocal(_ kind: Kind) throws {
    let session = AnalysisSession()
    var bytes = Self.document
    session.update(path: "a.yosan", bytes: bytes)
    _ = session.diagnostics()
    var from = bytes.count / 3
    for round in 0..<6 {
      let (range, inserted) = try #require(Self.edit(kind, in: bytes, from: from))
      let removed = Array(bytes[range.start..<range.end])
      for (edit, text) in [(range, inserted), (TextRange(start: range.start, end: range.start + inserted.count), removed)] {
        bytes.replaceSubrange(edit.start..<edit.end, with: text)
        session.update(path: "a.yosan", bytes: bytes, changed: edit)
        let diagnostics = session.diagnostics().files[0].diagnostics
        // The edited item, and the one a missing `}` runs into.
        #expect(session.unitsCheckedLastTime <= 3, "\(kind), round \(round): \(session.unitsCheckedLastTime) units checked")
        #expect(diagnostics == Analyzer.analyze([SourceFile(path: "a.yosan", bytes: bytes)]).files[0].diagnostics, "\(kind), round \(round)")
      }
      from = range.end + 2_000
    }
  }
}

/// Hover and completion right after an edit read an analysis exact at their position only.
struct WindowedAnalysisTests {
  static func only(_ item: Item) -> String {
    var document = Document()
    document.members = [.item(item)]
    return ModelFingerprint.of(document, positions: true)
  }

  @Test("after an edit that moves the units after it, the unit at a position is where the one-shot analysis puts it, and no other unit is shown")
  func exactAtPosition() throws {
    let session = AnalysisSession()
    var bytes = ErrorEditTests.document
    session.update(path: "a.yosan", bytes: bytes)
    _ = session.diagnostics()
    var random = SplitMix64(seed: 4)
    for round in 0..<8 {
      // An error typed (or a line added) in the first half; a position in the second half.
      let at = try #require(ErrorEditTests.find("\n    担当 = ", in: bytes, from: random.below(bytes.count / 2)))
      let inserted = Array((round % 2 == 0 ? "\"" : "\n  x").utf8)
      bytes.replaceSubrange((at + 1)..<(at + 1), with: inserted)
      session.update(path: "a.yosan", bytes: bytes, changed: TextRange(start: at + 1, end: at + 1))
      _ = session.diagnostics()
      let offset = try #require(ErrorEditTests.find("要求額 = ", in: bytes, from: bytes.count / 2 + random.below(bytes.count / 3))) + 3
      let window = try #require(session.analysis(of: "a.yosan", exactIn: TextRange.empty(at: offset)))
      let fresh = Analyzer.analyze([SourceFile(path: "a.yosan", bytes: bytes)]).files[0]
      let expected = try #require(fresh.facts.document.units.first { $0.item.range.contains(offset) })
      #expect(window.facts.document.units.count == 1)
      let shown = try #require(window.facts.document.units.first)
      #expect(Self.only(shown.item) == Self.only(expected.item), "round \(round)")
      var items = 0
      window.facts.document.forEachItem { _ in items += 1 }
      #expect(items == expected.item.allItems.count)
      #expect(window.diagnostics == fresh.diagnostics)
    }
  }
}

/// A section's total that an edit makes inconsistent is reported with its members' places, which
/// must be exact: the members of that section are lowered again where they stand, not every unit
/// the edit moved.
struct SectionTotalEditTests {
  @Test("an amount edited in a section lowers again the moved units of that section only, with the one-shot analyzer's results")
  func sectionTotalIsLocal() throws {
    // The first section gets a 合計 its items do not add up to: reported with their places.
    var text = BudgetGenerator.generate(.init(items: 600, seed: 8, itemsPerSection: 20))[0].text
    let section = try #require(text.range(of: "\n分野 "))
    let header = try #require(text.range(of: "{\n", range: section.upperBound..<text.endIndex))
    text.insert(contentsOf: "  合計 = 1億円\n", at: header.upperBound)
    var bytes = Array(text.utf8)
    let session = AnalysisSession()
    session.update(path: "a.yosan", bytes: bytes)
    #expect(session.diagnostics().files[0].diagnostics.contains { $0.ruleID == "section-total" })
    // In the first section, then further on.
    var from = text.utf8.distance(from: text.startIndex, to: header.upperBound)
    for round in 0..<4 {
      // A digit typed into an item's amount, then removed: its section's 合計 is off, then right.
      let amount = try #require(ErrorEditTests.find("  要求額 = ", in: bytes, from: from)) + "  要求額 = ".utf8.count
      for (edit, text) in [(TextRange(start: amount, end: amount), Array("9".utf8)), (TextRange(start: amount, end: amount + 1), [UInt8]())] {
        bytes.replaceSubrange(edit.start..<edit.end, with: text)
        session.update(path: "a.yosan", bytes: bytes, changed: edit)
        let diagnostics = session.diagnostics().files[0].diagnostics
        let expected = Analyzer.analyze([SourceFile(path: "a.yosan", bytes: bytes)]).files[0].diagnostics
        #expect(diagnostics == expected, "round \(round)")
        #expect(session.unitsMovedAndLoweredLastTime <= 20, "round \(round): \(session.unitsMovedAndLoweredLastTime) units lowered again")
      }
      from = amount + 5_000
    }
  }
}
