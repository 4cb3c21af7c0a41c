import Foundation
import Testing
import YosanCore

/// `BudgetDiff`: matching by id, renames, semantic comparison, rows by name, moves, totals.
struct BudgetDiffTests {
  static let header = "予算 \"令和7年度 概算要求\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n"

  static func item(_ id: String, _ title: String, _ lines: [String]) -> String {
    "事業 \(id) \"\(title)\" {\n" + lines.map { "  " + $0 + "\n" }.joined() + "}\n\n"
  }

  /// One side from (name, text) pairs; the name within the side is the path.
  func side(_ files: [(String, String)], single: Bool = false) -> BudgetDiff.Side {
    let analysis = Analyzer.analyze(files.map { SourceFile(path: $0.0, text: $0.1) })
    return BudgetDiff.Side(analysis: analysis, names: files.map { single ? "" : $0.0 })
  }

  func diff(_ old: String, _ new: String) -> BudgetDiff {
    BudgetDiff.compare(side([("old.yosan", old)], single: true), side([("new.yosan", new)], single: true))
  }

  static let a = item("a", "事業A", ["担当 = 医政局総務課", "要求額 = 7.9億円", "前年度 = 7.0億円"])
  static let b = item("b", "事業B", ["担当 = 医政局総務課", "要求額 = 1億円", "前年度 = 1億円"])

  @Test func itemsAreMatchedByIdNeverByPosition() {
    let result = diff(Self.header + Self.a + Self.b, Self.header + Self.b + Self.a)
    #expect(result.isEmpty, "the same items in another order: \(result.changes.map(\.id))")
  }

  @Test func theSameFigureWrittenAnotherWayIsNoChange() {
    let new = Self.header + Self.item("a", "事業A", ["担当 = 医政局総務課", "要求額 = 790百万円", "前年度 = 700,000千円"]) + Self.b
    #expect(diff(Self.header + Self.a + Self.b, new).isEmpty)
    let rate = diff(
      Self.header + Self.item("r", "R", ["要求額 = 1億円", "補助率 = 1/2"]), Self.header + Self.item("r", "R", ["要求額 = 1億円", "補助率 = 50%"]))
    #expect(rate.isEmpty, "1/2 and 50% are the same rate")
  }

  @Test func changedFiguresGiveOldNewAndTheChangeInTheUnitInYenAndPercent() throws {
    let new = Self.header + Self.item("a", "事業A", ["担当 = 医政局総務課", "要求額 = 6.9億円", "前年度 = 7.0億円"]) + Self.b
    let result = diff(Self.header + Self.a + Self.b, new)
    let change = try #require(result.changes.first)
    #expect(result.changes.count == 1)
    #expect(change.kind == .changed)
    #expect(change.fields.map(\.key) == ["要求額"])
    guard case .amount(let amount) = change.fields[0].value else { throw CancellationError() }
    #expect(amount.old?.written == "7.9億円")
    #expect(amount.new?.written == "6.9億円")
    #expect(amount.delta == ExactDecimal("-100000000"))
    #expect(amount.deltaText == "△1.0億円")
    #expect(amount.deltaYenText == "△100,000,000円")
    #expect(amount.percentText == "△12.66%")
    #expect(result.requestChange.deltaText == "△1億円")
    #expect(result.old.request.yen == ExactDecimal("890000000"))
  }

  @Test func anIdChangedWithTheSameTitleAndDivisionIsAProbableRename() throws {
    let renamed = Self.item("a2", "事業A", ["担当 = 医政局総務課", "要求額 = 7.9億円", "前年度 = 7.0億円"])
    let result = diff(Self.header + Self.a + Self.b, Self.header + renamed + Self.b)
    let change = try #require(result.changes.first)
    #expect(result.changes.count == 1)
    #expect(change.kind == .renamed)
    #expect(change.old?.id == "a")
    #expect(change.new?.id == "a2")
    #expect(result.counts.renamed == 1)
    #expect(result.counts.added == 0)
    // Another division: not a rename but a removal and an addition.
    let moved = Self.item("a2", "事業A", ["担当 = 老健局総務課", "要求額 = 7.9億円", "前年度 = 7.0億円"])
    let other = diff(Self.header + Self.a + Self.b, Self.header + moved + Self.b)
    #expect(other.changes.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.added, .removed])
  }

  @Test func twoCandidatesForARenameAreAmbiguous() {
    let old = Self.header + Self.item("x1", "同名", ["要求額 = 1億円"]) + Self.item("x2", "同名", ["要求額 = 2億円"])
    let new = Self.header + Self.item("y1", "同名", ["要求額 = 1億円"]) + Self.item("y2", "同名", ["要求額 = 2億円"])
    let counts = diff(old, new).counts
    #expect(counts.renamed == 0)
    #expect(counts.added == 2)
    #expect(counts.removed == 2)
  }

  @Test func breakdownRowsAreMatchedByLabel() throws {
    let old = Self.header + Self.item("k", "K", ["要求額 = 3,000千円", "内訳 \"所要額\" {", "  謝金 = 1,000千円", "  旅費 = 2,000千円", "}"])
    let new = Self.header + Self.item("k", "K", ["要求額 = 3,000千円", "内訳 \"所要額\" {", "  旅費 = 1,500千円", "  会議費 = 500千円", "  謝金 = 1,000千円", "}"])
    let change = try #require(diff(old, new).changes.first)
    #expect(change.fields.isEmpty)
    #expect(change.rows.map(\.label) == ["旅費", "会議費"], "謝金 moved down but did not change")
    #expect(change.rows[0].breakdown == "内訳 所要額")
    #expect(change.rows[0].amount.deltaText == "△500千円")
    #expect(change.rows[1].amount.old == nil)
  }

  @Test func tagsSharesDivisionTitleAndOtherKeys() throws {
    let old = Self.header + Self.item("t", "旧名", ["種別 = 拡充", "担当 = 医政局", "要求額 = 1億円", "負担割合 = 国 1/2, 都道府県 1/2", "実施主体 = 都道府県"])
    let new = Self.header + Self.item("t", "新名", ["種別 = 拡充, 推進枠", "担当 = 老健局", "要求額 = 1億円", "負担割合 = 都道府県 1/2, 国 1/2", "実施主体 = 市町村"])
    let change = try #require(diff(old, new).changes.first)
    #expect(change.fields.map(\.key) == ["事業名", "種別", "担当", "実施主体"], "the shares are the same in another order")
    guard case .tags(let added, let removed, _, _) = change.fields[1].value else { throw CancellationError() }
    #expect(added == [.priority])
    #expect(removed.isEmpty)
  }

  @Test func movesBetweenSectionsAndFiles() throws {
    let old = Self.header + "分野 \"一\" {\n" + Self.a + "}\n\n分野 \"二\" {\n" + Self.b + "}\n"
    let new = Self.header + "分野 \"一\" {\n" + Self.a + Self.b + "}\n\n分野 \"二\" {\n}\n"
    let change = try #require(diff(old, new).changes.first)
    #expect(change.id == "b")
    #expect(change.move?.fromSections == ["二"])
    #expect(change.move?.toSections == ["一"])
    #expect(change.move?.fromFile == nil, "two single files are one file")
    // Folders: the file's name within the folder tells a move.
    let result = BudgetDiff.compare(
      side([("x.yosan", Self.header + Self.a), ("y.yosan", Self.header + Self.b)]),
      side([("x.yosan", Self.header + Self.a + Self.b), ("y.yosan", Self.header)]))
    let moved = try #require(result.changes.first)
    #expect(result.changes.count == 1)
    #expect(moved.move?.fromFile == "y.yosan")
    #expect(moved.move?.toFile == "x.yosan")
  }

  @Test func addedAndRemovedItemsFilesAndHeaders() {
    let result = BudgetDiff.compare(
      side([("x.yosan", Self.header + Self.a)]),
      side([("x.yosan", Self.header.replacingOccurrences(of: "概算要求\n", with: "予算案\n") + Self.b), ("z.yosan", Self.header)]))
    #expect(result.counts.added == 1)
    #expect(result.counts.removed == 1)
    #expect(result.documents.map(\.kind) == [.changed, .added])
    #expect(result.documents[0].fields.map(\.key) == ["区分"])
  }

  @Test func largestChangesFirstWithinAndAcrossSections() {
    let old = Self.header + "分野 \"小\" {\n" + Self.item("s", "S", ["要求額 = 1百万円"]) + "}\n\n分野 \"大\" {\n"
      + Self.item("l1", "L1", ["要求額 = 1億円"]) + Self.item("l2", "L2", ["要求額 = 1億円"]) + "}\n"
    let new = Self.header + "分野 \"小\" {\n" + Self.item("s", "S", ["要求額 = 2百万円"]) + "}\n\n分野 \"大\" {\n"
      + Self.item("l1", "L1", ["要求額 = 2億円"]) + Self.item("l2", "L2", ["要求額 = 5億円"]) + "}\n"
    let result = diff(old, new)
    #expect(result.groups.map(\.sections) == [["大"], ["小"]])
    #expect(result.groups[0].changes.map(\.id) == ["l2", "l1"])
  }

  @Test func itemsWithoutIdAreMatchedByAUniqueTitle() throws {
    let old = Self.header + "事業 \"題名\" {\n  要求額 = 1億円\n}\n"
    let new = Self.header + "事業 \"題名\" {\n  要求額 = 2億円\n}\n"
    let change = try #require(diff(old, new).changes.first)
    #expect(change.matchedByTitle)
    #expect(change.kind == .changed)
  }

  @Test func itemsWithoutIdsAndRepeatedTitlesAreNeverPairedByPosition() {
    let twice = "事業 \"同じ\" {\n  要求額 = 1億円\n}\n\n事業 \"同じ\" {\n  要求額 = 2億円\n}\n"
    let counts = diff(Self.header + twice, Self.header + twice.replacingOccurrences(of: "2億円", with: "3億円")).counts
    #expect(counts.added == 2)
    #expect(counts.removed == 2)
    #expect(counts.changed == 0)
  }

  @Test func subItemsOfARenamedItemHaveNotMoved() throws {
    let old = Self.header + Self.item("p", "親", ["担当 = 医政局", "要求額 = 3億円", "事業 c \"子\" {", "  要求額 = 3億円", "}"])
    let new = Self.header + Self.item("p2", "親", ["担当 = 医政局", "要求額 = 3億円", "事業 c \"子\" {", "  要求額 = 3億円", "}"])
    let result = diff(old, new)
    #expect(result.changes.map(\.id) == ["p2"])
    #expect(result.counts.moved == 0)
    // Moved under another parent: a move.
    let other = Self.header + Self.item("p", "親", ["担当 = 医政局", "要求額 = 3億円"]) + Self.item("q", "別", ["担当 = 医政局", "要求額 = 3億円", "事業 c \"子\" {", "  要求額 = 3億円", "}"])
    let moved = try #require(diff(old, other).changes.first { $0.id == "c" })
    #expect(moved.move?.fromParent == "p")
    #expect(moved.move?.toParent == "q")
  }

  @Test func aSideWithSyntaxErrorsIsComparedOnWhatCouldBeRead() {
    let broken = Self.header + Self.item("a", "事業A", ["担当 = 医政局総務課", "要求額 = 8億円", "前年度 = 7.0億円", "要求額 1億円 {{"]) + Self.b
    let result = diff(Self.header + Self.a + Self.b, broken)
    #expect(result.new.filesWithSyntaxErrors == ["new.yosan"])
    #expect(result.changes.map(\.id).contains("a"))
    #expect(!result.changes.map(\.id).contains("b"), "b is still read and unchanged")
  }

  @Test func totalsLeaveOutSubItemsRestatedItemsAndPartsOfOthers() {
    let text = Self.header + Self.item("p", "P", ["要求額 = 3億円", "事業 c \"C\" {", "  要求額 = 3億円", "}"])
      + Self.item("r", "R", ["種別 = 再掲", "要求額 = 5億円"]) + Self.item("n", "N", ["要求額 = 内数(p)"])
    let result = diff(text, text)
    #expect(result.isEmpty)
    #expect(result.new.request.yen == ExactDecimal("300000000"))
    #expect(result.new.items == 4)
  }
}
