import YosanJSON

// MARK: - Ids and errors

/// A JSON-RPC request id: a number (kept exactly as the client wrote it) or a string. A response
/// carries the id byte for byte as the request had it (JSON-RPC 2.0, section 5).
public enum RequestID: Hashable, Sendable, CustomStringConvertible {
  case number(String)
  case string(String)
  /// A string id that a Swift string cannot hold exactly (it escapes a lone UTF-16 surrogate,
  /// `"\ud800"`, which reads as U+FFFD): the JSON text the client wrote, quotes included.
  case literal(String)

  /// The id whose JSON text is `text` and whose value reads as `value`: `.literal` when reading
  /// lost something (a U+FFFD from an escape), else the value.
  public init?(_ value: JSON, text: [UInt8]) {
    if case .string(let decoded) = value, decoded.contains("\u{FFFD}"), text.contains(UInt8(ascii: "\\")) {
      self = .literal(String(decoding: text, as: UTF8.self))
      return
    }
    self.init(value)
  }

  /// Nil for the types JSON-RPC does not allow as an id (null, booleans, arrays, objects).
  public init?(_ json: JSON) {
    switch json {
    case .number(let text): self = .number(text)
    case .string(let text): self = .string(text)
    default: return nil
    }
  }

  public var json: JSON {
    switch self {
    case .number(let text): return .number(text)
    case .string(let text): return .string(text)
    case .literal(let text): return .verbatim(text)
    }
  }

  public var description: String {
    switch self {
    case .number(let text), .literal(let text): return text
    case .string(let text): return "\"\(text)\""
    }
  }
}

/// An error answer: a JSON-RPC or LSP error code and a message that says what to send instead.
public struct ResponseError: Error, Sendable, Equatable {
  public var code: Int
  public var message: String

  public init(code: Int, message: String) {
    self.code = code
    self.message = message
  }

  // JSON-RPC 2.0
  public static let parseErrorCode = -32700
  public static let invalidRequestCode = -32600
  public static let methodNotFoundCode = -32601
  public static let invalidParamsCode = -32602
  public static let internalErrorCode = -32603
  // LSP
  public static let serverNotInitializedCode = -32002
  public static let requestFailedCode = -32803
  public static let contentModifiedCode = -32801
  public static let requestCancelledCode = -32800

  public static func parseError(_ message: String) -> ResponseError { ResponseError(code: parseErrorCode, message: message) }
  public static func invalidRequest(_ message: String) -> ResponseError { ResponseError(code: invalidRequestCode, message: message) }
  public static func methodNotFound(_ method: String) -> ResponseError {
    ResponseError(code: methodNotFoundCode, message: "unknown method `\(method)`")
  }
  public static func invalidParams(_ message: String) -> ResponseError { ResponseError(code: invalidParamsCode, message: message) }
  public static func requestFailed(_ message: String) -> ResponseError { ResponseError(code: requestFailedCode, message: message) }
  public static let serverNotInitialized = ResponseError(
    code: serverNotInitializedCode, message: "the server is not initialized; send `initialize` first")
  public static let contentModified = ResponseError(
    code: contentModifiedCode, message: "the document changed before the result was ready; ask again")
  public static let requestCancelled = ResponseError(code: requestCancelledCode, message: "the request was cancelled")

  public var json: JSON { .object([("code", .int(code)), ("message", .string(message))]) }
}

// MARK: - Incoming messages

/// One message from the client, classified. Anything that is not a valid request, notification or
/// response becomes `.invalid` with the error to answer (and the id, when one could be read), or
/// `.invalidNotification` when it is a notification (which is never answered).
public enum IncomingMessage: Sendable {
  case request(id: RequestID, method: String, params: JSON)
  case notification(method: String, params: JSON)
  case response(id: RequestID?, result: JSON?, error: JSON?)
  case invalid(id: RequestID?, ResponseError)
  /// A notification that cannot be read (nested too deeply): logged, not answered.
  case invalidNotification(method: String, ResponseError)

  /// Parses and classifies one message body.
  public static func classify(_ body: [UInt8]) -> IncomingMessage {
    let json: JSON
    do {
      json = try JSON.parse(body)
    } catch let error as JSONError {
      guard error.message == JSONError.tooDeep, JSON.isValid(body) else { return .invalid(id: nil, .parseError("the message is not valid JSON: \(error)")) }
      // Valid JSON nested beyond what the reader takes: its id and method are still readable.
      let (id, hasID, method) = MessagePrefix.idAndMethod(body)
      let problem = ResponseError.invalidRequest(
        "the \(method.map { "`\($0)` message" } ?? "message") is nested more than \(JSON.maximumDepth) levels deep, more than the server reads")
      if let method, !hasID { return .invalidNotification(method: method, problem) }
      return .invalid(id: id, problem)
    } catch {
      return .invalid(id: nil, .parseError("the message is not valid JSON"))
    }
    // A string id is answered as written: when reading it lost something, its text is kept.
    if case .string(let text)? = json["id"], text.contains("\u{FFFD}") {
      return classify(json, id: MessagePrefix.idAndMethod(body).id)
    }
    return classify(json)
  }

  /// Classifies a message read; `id` is the id to answer with when the caller read it exactly.
  public static func classify(_ json: JSON, id exact: RequestID? = nil) -> IncomingMessage {
    guard case .object = json else {
      if case .array = json { return .invalid(id: nil, .invalidRequest("batches (JSON arrays) are not supported by the Language Server Protocol; send one message at a time")) }
      return .invalid(id: nil, .invalidRequest("a message must be a JSON object"))
    }
    let rawID = json["id"]
    let id = exact ?? rawID.flatMap(RequestID.init)
    guard json["jsonrpc"]?.stringValue == "2.0" else {
      return .invalid(id: id, .invalidRequest("`jsonrpc` must be \"2.0\""))
    }
    if let methodValue = json["method"] {
      guard let method = methodValue.stringValue else { return .invalid(id: id, .invalidRequest("`method` must be a string")) }
      let params = json["params"] ?? .null
      switch params {
      case .object, .array, .null: break
      default:
        if rawID == nil { return .notification(method: method, params: .null) }
        return .invalid(id: id, .invalidParams("`params` must be an object or an array"))
      }
      guard let rawID else { return .notification(method: method, params: params) }
      guard let id else {
        return .invalid(id: nil, .invalidRequest("a request id must be an integer or a string, not \(JSON.typeName(rawID))"))
      }
      return .request(id: id, method: method, params: params)
    }
    if rawID != nil, json["result"] != nil || json["error"] != nil {
      return .response(id: id, result: json["result"], error: json["error"])
    }
    return .invalid(id: id, .invalidRequest("a message needs a `method` (request or notification) or a `result` or `error` (response)"))
  }
}

extension JSON {
  /// The JSON type of a value, for messages.
  static func typeName(_ value: JSON) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    case .verbatim: return "a value"
    }
  }
}

// MARK: - Outgoing messages

/// Builders for what the server sends.
public enum Outgoing {
  public static func response(id: RequestID, result: JSON) -> JSON {
    .object([("jsonrpc", .string("2.0")), ("id", id.json), ("result", result)])
  }

  public static func error(id: RequestID?, _ error: ResponseError) -> JSON {
    .object([("jsonrpc", .string("2.0")), ("id", id?.json ?? .null), ("error", error.json)])
  }

  public static func notification(_ method: String, _ params: JSON) -> JSON {
    .object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)])
  }

  public static func request(id: RequestID, _ method: String, _ params: JSON) -> JSON {
    .object([("jsonrpc", .string("2.0")), ("id", id.json), ("method", .string(method)), ("params", params)])
  }

  /// A message framed for the wire: `Content-Length` header and body, in one buffer.
  public static func frame(_ message: JSON) -> [UInt8] {
    let body = message.serializedBytes()
    var framed = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
    framed.reserveCapacity(framed.count + body.count)
    framed.append(contentsOf: body)
    return framed
  }
}

// MARK: - Reading params

/// A value inside a message's params, with its path for error messages (`params.position.line`).
/// Accessors throw `InvalidParams` naming what is missing or of the wrong type.
public struct ParamReader {
  public let value: JSON?
  public let path: String
  /// Set when an enclosing value is not an object: that is the error to report.
  let enclosingError: ResponseError?

  public init(_ value: JSON, path: String = "params") {
    self.value = value
    self.path = path
    self.enclosingError = nil
  }

  init(optional value: JSON?, path: String, enclosingError: ResponseError? = nil) {
    self.value = value
    self.path = path
    self.enclosingError = enclosingError
  }

  public subscript(key: String) -> ParamReader {
    var error = enclosingError
    if error == nil, let value, !value.isNull, value.objectValue == nil { error = wrongType("an object") }
    return ParamReader(optional: value?[key], path: path + "." + key, enclosingError: error)
  }

  /// True when the member is absent or null.
  public var isAbsent: Bool { value == nil || value!.isNull }

  func wrongType(_ expected: String) -> ResponseError {
    if let enclosingError { return enclosingError }
    guard let value, !value.isNull else { return .invalidParams("`\(path)` is missing; it must be \(expected)") }
    return .invalidParams("`\(path)` must be \(expected), not \(JSON.typeName(value))")
  }

  public func string() throws(ResponseError) -> String {
    guard let text = value?.stringValue else { throw wrongType("a string") }
    return text
  }

  public func int() throws(ResponseError) -> Int {
    guard let number = value?.intValue else { throw wrongType("an integer") }
    return number
  }

  /// The largest `uinteger` of LSP 3.17 (2^31 − 1).
  public static let maximumUInteger = Int(Int32.max)

  /// An LSP `uinteger` (0 to 2^31 − 1), as a position's line and character are.
  public func uinteger() throws(ResponseError) -> Int {
    let number = try int()
    guard number >= 0, number <= ParamReader.maximumUInteger else {
      throw .invalidParams("`\(path)` must be an unsigned integer (0 to \(ParamReader.maximumUInteger)), not \(number)")
    }
    return number
  }

  /// A `Range` (`{start, end}` positions, each `{line, character}`), checked: unsigned integers, and
  /// the start not after the end.
  public func range() throws(ResponseError) -> (start: (line: Int, character: Int), end: (line: Int, character: Int)) {
    let start = (line: try self["start"]["line"].uinteger(), character: try self["start"]["character"].uinteger())
    let end = (line: try self["end"]["line"].uinteger(), character: try self["end"]["character"].uinteger())
    guard start <= end else {
      throw .invalidParams(
        "`\(path)` ends before it starts (start \(start.line):\(start.character), end \(end.line):\(end.character)); a range's start comes first")
    }
    return (start, end)
  }

  public func bool() throws(ResponseError) -> Bool {
    guard let flag = value?.boolValue else { throw wrongType("a boolean") }
    return flag
  }

  public func array() throws(ResponseError) -> [ParamReader] {
    guard let elements = value?.arrayValue else { throw wrongType("an array") }
    return elements.enumerated().map { ParamReader(optional: $1, path: "\(path)[\($0)]") }
  }

  public func object() throws(ResponseError) -> ParamReader {
    guard case .object = value else { throw wrongType("an object") }
    return self
  }

  /// Absent members are nil, but a member inside a value of the wrong type is still an error.
  var isOptionalAndAbsent: Bool { enclosingError == nil && isAbsent }

  public func optionalString() throws(ResponseError) -> String? { isOptionalAndAbsent ? nil : try string() }
  public func optionalInt() throws(ResponseError) -> Int? { isOptionalAndAbsent ? nil : try int() }
  public func optionalBool() throws(ResponseError) -> Bool? { isOptionalAndAbsent ? nil : try bool() }
  public func optionalArray() throws(ResponseError) -> [ParamReader]? { isOptionalAndAbsent ? nil : try array() }
}
