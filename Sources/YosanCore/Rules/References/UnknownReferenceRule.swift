/// `内数(ID)` names an item that some checked file defines.
enum UnknownReferenceRule: WorkspaceRule {
  static let descriptor = RuleDescriptor(
    id: "unknown-reference",
    category: .references,
    defaultSeverity: .error,
    summary: "Every 内数(ID) names an item defined in one of the files checked together.",
    rationale: """
      `内数(kaigo-kikin)` says the amount is part of item kaigo-kikin's; if no file defines that
      id, the reader cannot tell what the amount is part of, and a typo in the id goes unnoticed.
      All files of one `yosan check` run (one editor workspace) are searched; the closest defined
      id is suggested. To name a total that is not an item, write the amount: 内数(97億円).

      What is inside the parentheses is decided by what resolves: an id that some file defines is
      a reference, even one that starts with digits or with 約 (`内数(8020運動)`, `内数(約款)`); a
      text with a unit is an amount (`内数(97億円)`, `内数(約106億円)`); anything else is an id
      that nothing defines, reported here with the closest defined id.
      """,
    fix: .unsafe,
    examples: [
      .passing(
        "事業 kikin \"地域医療介護総合確保基金（介護従事者確保分）\" {\n  担当 = 老健局\n  要求額 = 97億円\n}\n--- menu.yosan\n事業 tech \"介護テクノロジー導入支援事業\" {\n  担当 = 老健局\n  要求額 = 内数(kikin)\n}\n"
      ),
      .failing(
        "事業 kaigo-kikin \"地域医療介護総合確保基金（介護従事者確保分）\" {\n  担当 = 老健局\n  要求額 = 97億円\n}\n事業 tech \"介護テクノロジー導入支援事業\" {\n  担当 = 老健局\n  要求額 = 内数(«kaigo-kikn»)\n}\n",
        messages: ["no item has the id `kaigo-kikn` in the files checked; did you mean `kaigo-kikin`?"]),
      .passing(
        "事業 8020運動 \"8020運動・口腔保健推進事業\" {\n  担当 = 医政局歯科保健課\n  要求額 = 13億円\n}\n事業 約款 \"約款\" {\n  担当 = 医政局\n  要求額 = 1億円\n}\n事業 menu \"8020運動推進特別事業\" {\n  担当 = 医政局\n  要求額 = 内数(8020運動)\n  前年度 = 内数(約款)\n}\n事業 fund \"基金\" {\n  担当 = 医政局\n  要求額 = 内数(97億円)\n  前年度 = 内数(約89億円)\n}\n"
      ),
      .failing(
        "事業 8020運動 \"8020運動・口腔保健推進事業\" {\n  担当 = 医政局歯科保健課\n  要求額 = 13億円\n}\n事業 menu \"8020運動推進特別事業\" {\n  担当 = 医政局歯科保健課\n  要求額 = 内数(«8020運働»)\n}\n",
        messages: ["no item has the id `8020運働` in the files checked; did you mean `8020運動`?"]),
      .failing(
        "事業 tech \"介護テクノロジー導入支援事業\" {\n  担当 = 老健局\n  要求額 = 内数(«kikin»)\n}\n",
        messages: ["no item has the id `kikin` in the files checked; define it, or write the total as an amount, like 内数(97億円)"]),
    ])

  static func check(_ workspace: Workspace, _ context: inout WorkspaceRuleContext) {
    var ids = workspace.idSuggestions
    // The suggestion for each unknown id, found once however many times it is written.
    var suggestions: [String: String?] = [:]
    for (index, references) in workspace.references.enumerated() {
      // A text that also reads as an amount (`内数(97億円)`) is that amount when no item has its id.
      for reference in references where workspace.definitions[reference.id] == nil && !reference.isAlsoAnAmount {
        if ids == nil { ids = SuggestionIndex(Array(workspace.definitions.keys), order: .alphabetical) }
        let suggestion: String?
        if let known = suggestions[reference.id] {
          suggestion = known
        } else {
          suggestion = ids!.suggestion(for: reference.id)
          suggestions[reference.id] = suggestion
        }
        if let suggestion {
          context.report(
            file: index, "no item has the id `\(reference.id)` in the files checked; did you mean `\(suggestion)`?", at: reference.range,
            fixes: [
              Fix(
                title: "replace `\(reference.id)` with `\(suggestion)`", edits: [TextEdit(range: reference.range, replacement: suggestion)],
                isSafe: false)
            ])
        } else {
          context.report(
            file: index,
            "no item has the id `\(reference.id)` in the files checked; define it, or write the total as an amount, like 内数(97億円)",
            at: reference.range)
        }
      }
    }
  }
}
