import YosanCore
import YosanJSON
import YosanSyntax

/// Definition, references, highlights and rename of item ids, across the workspace.
extension LanguageServer {
  /// The id at a position: an item's own id or a `内数(ID)` reference.
  func idTarget(_ params: ParamReader) throws(ResponseError) -> (file: FileContext, id: String, range: TextRange)? {
    let file = try file(params)
    let offset = try file.view.offset(params["position"])
    switch Target.at(offset, in: file.facts) {
    case .value(.reference(let reference)): return (file, reference.id, reference.range)
    case .itemID(let id, let range): return (file, id, range)
    default: return nil
    }
  }

  func locationJSON(_ location: WorkspaceLocation) -> JSON? {
    guard let context = fileContext(path: location.path) else { return nil }
    return .object([("uri", .string(context.uri)), ("range", context.view.rangeJSON(location.range))])
  }

  func definitionLocations(of id: String) -> [WorkspaceLocation] {
    definitions(of: id).map { WorkspaceLocation(path: $0.path, range: $0.item.idRange ?? $0.item.headerRange) }
  }

  func definition(_ params: ParamReader) throws(ResponseError) -> JSON {
    guard let target = try idTarget(params) else { return .null }
    return .array(definitionLocations(of: target.id).compactMap(locationJSON))
  }

  func references(_ params: ParamReader) throws(ResponseError) -> JSON {
    guard let target = try idTarget(params) else { return .null }
    let includeDeclaration = try params["context"]["includeDeclaration"].optionalBool() ?? true
    var locations = includeDeclaration ? definitionLocations(of: target.id) : []
    locations += references(to: target.id)
    return .array(locations.compactMap(locationJSON))
  }

  /// The id's definition (kind Write) and references (kind Read) in the same document.
  func documentHighlight(_ params: ParamReader) throws(ResponseError) -> JSON {
    guard let target = try idTarget(params) else { return .null }
    let path = target.file.path
    var highlights: [JSON] = []
    for location in definitionLocations(of: target.id) where location.path == path {
      highlights.append(.object([("range", target.file.view.rangeJSON(location.range)), ("kind", .int(3))]))
    }
    for location in references(to: target.id) where location.path == path {
      highlights.append(.object([("range", target.file.view.rangeJSON(location.range)), ("kind", .int(2))]))
    }
    return .array(highlights)
  }

  func prepareRename(_ params: ParamReader) throws(ResponseError) -> JSON {
    guard let target = try idTarget(params) else {
      throw .requestFailed("only item ids can be renamed; put the cursor on the id of a 事業 or inside 内数(…)")
    }
    return .object([("range", target.file.view.rangeJSON(target.range)), ("placeholder", .string(target.id))])
  }

  /// Renames an item id at its definitions and every `内数(ID)`, in every file. Refuses a new name
  /// that is not an identifier or that another item already has.
  func rename(_ params: ParamReader) throws(ResponseError) -> JSON {
    let newName = try params["newName"].string()
    guard let target = try idTarget(params) else {
      throw .requestFailed("only item ids can be renamed; put the cursor on the id of a 事業 or inside 内数(…)")
    }
    guard !newName.isEmpty, newName.unicodeScalars.allSatisfy(ValueParser.isIdentifierScalar) else {
      throw .requestFailed("`\(newName)` is not an item id; use letters of any script, digits, `-` and `_` (like `kaigo-kikin`)")
    }
    if newName == target.id { return .object([("changes", .object([]))]) }
    if let taken = definitions(of: newName).first {
      let line = fileContext(path: taken.path).map { $0.view.position(taken.item.headerRange.start).line + 1 } ?? 0
      throw .requestFailed("`\(newName)` is already the id of 事業 `\(newName)` in \(LanguageServer.displayName(taken.path)) line \(line); choose another name")
    }
    var byPath: [String: [TextRange]] = [:]
    var order: [String] = []
    for location in definitionLocations(of: target.id) + references(to: target.id) {
      if byPath[location.path] == nil { order.append(location.path) }
      byPath[location.path, default: []].append(location.range)
    }
    var changes: [(String, JSON)] = []
    var documentChanges: [JSON] = []
    for path in order {
      guard let context = fileContext(path: path) else { continue }
      let edits: [JSON] = byPath[path]!.sorted().map { .object([("range", context.view.rangeJSON($0)), ("newText", .string(newName))]) }
      changes.append((context.uri, .array(edits)))
      documentChanges.append(.object([
        ("textDocument", .object([("uri", .string(context.uri)), ("version", context.version.map(JSON.int) ?? .null)])),
        ("edits", .array(edits)),
      ]))
    }
    if capabilities.documentChanges { return .object([("documentChanges", .array(documentChanges))]) }
    return .object([("changes", .object(changes))])
  }
}
