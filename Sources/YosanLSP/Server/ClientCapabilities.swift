import YosanJSON

/// What the client said it supports in `initialize`, reduced to what the server decides on. Every
/// field has the conservative default of a client that declares nothing.
struct ClientCapabilities {
  var positionEncodings: [String] = []
  /// `textDocument.diagnostic`: the client pulls diagnostics; the server does not push them.
  var pullDiagnostics = false
  /// `workspace.diagnostics.refreshSupport`: the server may ask the client to pull again.
  var diagnosticRefresh = false
  /// `window.workDoneProgress`: the server may create progress tokens.
  var workDoneProgress = false
  var snippets = false
  var completionMarkdown = false
  var hoverMarkdown = false
  var hierarchicalSymbols = false
  var lineFoldingOnly = false
  var codeActionLiterals = false
  var documentChanges = false
  var watchedFilesRegistration = false
  var multilineTokens = false
  var semanticTokensRefresh = false
  var inlayHintRefresh = false
  var labelDetails = false
  var insertReplace = false

  init() {}

  init(_ json: JSON?) {
    guard let json else { return }
    func flag(_ path: String...) -> Bool {
      var value: JSON? = json
      for key in path { value = value?[key] }
      return value?.boolValue ?? false
    }
    func strings(_ path: String...) -> [String] {
      var value: JSON? = json
      for key in path { value = value?[key] }
      return value?.arrayValue?.compactMap(\.stringValue) ?? []
    }
    positionEncodings = strings("general", "positionEncodings")
    if case .object = json["textDocument"]?["diagnostic"] { pullDiagnostics = true }
    diagnosticRefresh = flag("workspace", "diagnostics", "refreshSupport")
    workDoneProgress = flag("window", "workDoneProgress")
    snippets = flag("textDocument", "completion", "completionItem", "snippetSupport")
    completionMarkdown = strings("textDocument", "completion", "completionItem", "documentationFormat").contains("markdown")
    hoverMarkdown = strings("textDocument", "hover", "contentFormat").contains("markdown")
    hierarchicalSymbols = flag("textDocument", "documentSymbol", "hierarchicalDocumentSymbolSupport")
    lineFoldingOnly = flag("textDocument", "foldingRange", "lineFoldingOnly")
    if case .object = json["textDocument"]?["codeAction"]?["codeActionLiteralSupport"] { codeActionLiterals = true }
    documentChanges = flag("workspace", "workspaceEdit", "documentChanges")
    watchedFilesRegistration = flag("workspace", "didChangeWatchedFiles", "dynamicRegistration")
    multilineTokens = flag("textDocument", "semanticTokens", "multilineTokenSupport")
    semanticTokensRefresh = flag("workspace", "semanticTokens", "refreshSupport")
    inlayHintRefresh = flag("workspace", "inlayHint", "refreshSupport")
    labelDetails = flag("textDocument", "completion", "completionItem", "labelDetailsSupport")
    insertReplace = flag("textDocument", "completion", "completionItem", "insertReplaceSupport")
  }
}
