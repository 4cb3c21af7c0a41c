import YosanCore
import YosanJSON
import YosanSyntax

/// Code actions: every fix a diagnostic carries (safe ones preferred), adding the missing required
/// keys, suppressing a rule on one line with a reason, and applying every safe fix of the file.
enum CodeActionFeature {
  static let quickFix = "quickfix"
  static let fixAll = "source.fixAll.yosan"
  static let kinds = [quickFix, fixAll]

  /// True for the rules a suppression comment may silence (all but the suppression rules).
  static func isSuppressible(_ ruleID: String) -> Bool {
    guard let descriptor = RuleRegistry.descriptor(id: ruleID) else { return false }
    return descriptor.category != .suppression
  }
}

/// A diagnostic as the client names it in a code action request's context.
private struct NamedDiagnostic: Hashable {
  let ruleID: String
  let start: Int
  let end: Int
}

extension LanguageServer {
  func codeActions(_ params: ParamReader) throws(ResponseError) -> JSON {
    let file = try file(params)
    let range = try file.view.range(params["range"])
    let only = try params["context"]["only"].optionalArray()?.map { (reader: ParamReader) throws(ResponseError) -> String in try reader.string() }
    func wanted(_ kind: String) -> Bool {
      guard let only else { return true }
      return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
    }
    guard capabilities.codeActionLiterals else { return .array([]) }
    var actions: [JSON] = []
    var titles = Set<String>()
    func add(_ title: String, kind: String, diagnostic: Diagnostic?, edits: [TextEdit], preferred: Bool) {
      guard wanted(kind), !edits.isEmpty, titles.insert(title).inserted else { return }
      var members: [(String, JSON)] = [("title", .string(title)), ("kind", .string(kind))]
      if let diagnostic { members.append(("diagnostics", .array([lspDiagnostic(diagnostic, in: file)]))) }
      if preferred { members.append(("isPreferred", .bool(true))) }
      members.append(("edit", workspaceEdit(edits, in: file)))
      actions.append(.object(members))
    }
    // The diagnostics the client names in its context (Neovim sends the cursor's position as the
    // range and the line's diagnostics here), by rule and range; an entry that cannot be read is
    // left out rather than failing the request.
    var named = Set<NamedDiagnostic>()
    for entry in (try? params["context"]["diagnostics"].optionalArray()) ?? [] {
      guard let code = try? entry["code"].string(), let at = try? file.view.range(entry["range"]) else { continue }
      named.insert(NamedDiagnostic(ruleID: code, start: at.start, end: at.end))
    }
    let relevant = file.diagnostics.filter { diagnostic in
      diagnostic.range.start <= range.end && diagnostic.range.end >= range.start
        || named.contains(NamedDiagnostic(ruleID: diagnostic.ruleID, start: diagnostic.range.start, end: diagnostic.range.end))
    }
    for diagnostic in relevant {
      for fix in diagnostic.fixes {
        add(fix.title, kind: CodeActionFeature.quickFix, diagnostic: diagnostic, edits: fix.edits, preferred: fix.isSafe)
      }
      if diagnostic.ruleID == "missing-required-key", let (title, edits) = missingKeysAction(diagnostic, in: file) {
        add(title, kind: CodeActionFeature.quickFix, diagnostic: diagnostic, edits: edits, preferred: false)
      }
      if CodeActionFeature.isSuppressible(diagnostic.ruleID) {
        add(
          "suppress `\(diagnostic.ruleID)` on this line (then write the reason after `--`)", kind: CodeActionFeature.quickFix,
          diagnostic: diagnostic,
          edits: [suppressionEdit(diagnostic, in: file)], preferred: false)
      }
    }
    let safe = LanguageServer.nonOverlapping(file.diagnostics.flatMap { $0.fixes.filter(\.isSafe) })
    add("apply every safe fix in this file (\(safe.count))", kind: CodeActionFeature.fixAll, diagnostic: nil, edits: safe.flatMap(\.edits), preferred: false)
    return .array(actions)
  }

  /// Fixes whose edits do not overlap, in order of position (the first of two overlapping wins).
  static func nonOverlapping(_ fixes: [Fix]) -> [Fix] {
    var result: [Fix] = []
    var taken: [TextRange] = []
    for fix in fixes.sorted(by: { ($0.edits.first?.range.start ?? 0) < ($1.edits.first?.range.start ?? 0) }) {
      let clashes = fix.edits.contains { edit in taken.contains { $0.start < edit.range.end && edit.range.start < $0.end || $0 == edit.range } }
      guard !clashes else { continue }
      result.append(fix)
      taken += fix.edits.map(\.range)
    }
    return result
  }

  func workspaceEdit(_ edits: [TextEdit], in file: FileContext) -> JSON {
    let json: [JSON] = edits.map { .object([("range", file.view.rangeJSON($0.range)), ("newText", .string($0.replacement))]) }
    if capabilities.documentChanges {
      return .object([(
        "documentChanges",
        .array([.object([
          ("textDocument", .object([("uri", .string(file.uri)), ("version", file.version.map(JSON.int) ?? .null)])),
          ("edits", .array(json)),
        ])])
      )])
    }
    return .object([("changes", .object([(file.uri, .array(json))]))])
  }

  // MARK: - Suppression

  /// Inserts `# yosan: disable-next-line RULE -- ` above the diagnostic's line, indented like it
  /// (the core's edit, shared with the CLI). The reason is for the author to write after `--`;
  /// until they do, `suppression-without-reason` asks for it.
  func suppressionEdit(_ diagnostic: Diagnostic, in file: FileContext) -> TextEdit {
    SuppressionComments.suppressionEdit(for: diagnostic, in: file.facts, reason: "")
  }

  /// The spaces and tabs that start the line at `lineStart`.
  static func indentation(at lineStart: Int, in bytes: [UInt8]) -> String {
    var end = lineStart
    while end < bytes.count, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
    return String(decoding: bytes[lineStart..<end], as: UTF8.self)
  }

  // MARK: - Missing required keys

  /// Adds every required key an item or the header lacks, right after its `{`, with a value where
  /// one can be inferred (the item's 内訳 total, the year and kind in the header's title or in the
  /// workspace's other files) and empty otherwise, so that the value is the next thing to write.
  func missingKeysAction(_ diagnostic: Diagnostic, in file: FileContext) -> (String, [TextEdit])? {
    let document = file.document
    let lineBreak = file.view.lineBreak
    if let item = LanguageServer.innermostItem(at: diagnostic.range.start, in: document), item.headerRange == diagnostic.range {
      let missing = file.document.issues.compactMap { issue -> Key? in
        if case .missingKey(let key, .item, let range) = issue, range == item.headerRange { return key }
        return nil
      }
      guard !missing.isEmpty else { return nil }
      var lines: [String] = []
      for key in missing {
        var value = ""
        if key == .request || key == .budgetAmount, let total = item.breakdowns.first(where: { $0.kind == .full })?.total {
          value = file.view.text(total.location.valueRange)
        }
        lines.append("\(key.descriptor.japanese) = \(value)")
      }
      return insertAfterBrace(of: item.range, lines: lines, title: missing, in: file, lineBreak: lineBreak)
    }
    if let header = document.header, header.keywordRange == diagnostic.range {
      var lines: [String] = []
      var missing: [Key] = []
      if header.fiscalYear == nil && !header.entries.contains(where: { $0.key == .fiscalYear }) {
        missing.append(.fiscalYear)
        lines.append("年度 = " + (inferredYear(title: header.title?.text) ?? ""))
      }
      if header.kind == nil && !header.entries.contains(where: { $0.key == .documentKind }) {
        missing.append(.documentKind)
        lines.append("区分 = " + (inferredKind(title: header.title?.text) ?? ""))
      }
      guard !missing.isEmpty else { return nil }
      return insertAfterBrace(of: header.range, lines: lines, title: missing, in: file, lineBreak: lineBreak)
    }
    if document.header == nil, diagnostic.range.isEmpty {
      let text = ["予算 {", "  年度 = " + (inferredYear(title: nil) ?? ""), "  区分 = " + (inferredKind(title: nil) ?? ""), "}", "", ""]
        .joined(separator: lineBreak)
      return ("add the 予算 header with 年度 and 区分", [TextEdit(range: TextRange.empty(at: diagnostic.range.start), replacement: text)])
    }
    return nil
  }

  func insertAfterBrace(of block: TextRange, lines: [String], title keys: [Key], in file: FileContext, lineBreak: String) -> (String, [TextEdit])? {
    let view = file.view
    let headerLine = view.lines.line(containing: block.start)
    let afterHeader = view.lines.end(ofLine: headerLine)
    guard afterHeader <= block.end else { return nil }
    let indentation = LanguageServer.indentation(at: view.lines.start(ofLine: headerLine), in: view.bytes) + "  "
    var text = lines.map { indentation + $0 + lineBreak }.joined()
    // A header line that ends the file without a line break needs one first.
    if afterHeader == view.bytes.count, afterHeader > 0, view.bytes[afterHeader - 1] != 0x0A, view.bytes[afterHeader - 1] != 0x0D {
      text = lineBreak + text
    }
    let names = keys.map { $0.descriptor.japanese }.joined(separator: ", ")
    return ("add the missing required keys (\(names))", [TextEdit(range: TextRange.empty(at: afterHeader), replacement: text)])
  }

  /// A fiscal year named in `title` (`令和7年度`), else the one most files of the workspace declare.
  func inferredYear(title: String?) -> String? {
    if let title, let match = title.firstMatch(of: /(令和|平成)([0-9０-９]+|元)年度/) { return String(match.0) }
    var counts: [String: Int] = [:]
    for file in currentAnalysis().files {
      if let year = file.facts.document.fiscalYear { counts[year.description, default: 0] += 1 }
    }
    return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
  }

  /// A document kind named in `title`, else the one most files of the workspace declare.
  func inferredKind(title: String?) -> String? {
    if let title, let kind = DocumentKind.allCases.first(where: { title.contains($0.rawValue) }) { return kind.rawValue }
    var counts: [String: Int] = [:]
    for file in currentAnalysis().files {
      if let kind = file.facts.document.kind { counts[kind.rawValue, default: 0] += 1 }
    }
    return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
  }
}
