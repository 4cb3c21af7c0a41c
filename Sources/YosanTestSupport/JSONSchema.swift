import YosanJSON

/// A validator for the subset of JSON Schema (draft 2020-12) that the schemas in `Spec/` use:
/// `type` (one or several), `const`, `enum`, `minimum`, `required`, `properties`,
/// `additionalProperties: false`, `items`, `anyOf`, `minItems` and local `$ref`s into `$defs`.
/// An unknown keyword is an error, so a schema cannot silently ask for more than is checked.
public struct JSONSchema {
  public let root: JSON

  public init(_ root: JSON) { self.root = root }

  static let keywords: Set<String> = [
    "$schema", "$id", "$defs", "$ref", "title", "description", "type", "const", "enum", "minimum", "required", "properties",
    "additionalProperties", "items", "anyOf", "minItems",
  ]

  /// Every place where `value` does not match, as `JSON-pointer: problem`; empty when it matches.
  public func validate(_ value: JSON) -> [String] {
    var errors: [String] = []
    check(value, against: root, at: "", errors: &errors)
    return errors
  }

  func check(_ value: JSON, against schema: JSON, at path: String, errors: inout [String]) {
    guard let members = schema.objectValue else {
      errors.append("\(path): the schema is not an object")
      return
    }
    for (key, _) in members where !JSONSchema.keywords.contains(key) { errors.append("\(path): unsupported schema keyword `\(key)`") }
    if let reference = schema["$ref"]?.stringValue {
      guard reference.hasPrefix("#/$defs/"), let target = root["$defs"]?[String(reference.dropFirst(8))] else {
        errors.append("\(path): unresolvable $ref \(reference)")
        return
      }
      check(value, against: target, at: path, errors: &errors)
    }
    if let type = schema["type"] {
      let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
      if !allowed.contains(where: { JSONSchema.has(value, type: $0) }) {
        errors.append("\(path): expected \(allowed.joined(separator: " or ")), found \(JSONSchema.describe(value))")
        return
      }
    }
    if let constant = schema["const"], constant != value { errors.append("\(path): expected \(constant.serialized()), found \(value.serialized())") }
    if let options = schema["enum"]?.arrayValue, !options.contains(value) { errors.append("\(path): \(value.serialized()) is not one of \(JSON.array(options).serialized())") }
    if let minimum = schema["minimum"]?.intValue, let number = value.intValue, number < minimum { errors.append("\(path): \(number) is below \(minimum)") }
    if let alternatives = schema["anyOf"]?.arrayValue {
      let matches = alternatives.contains { alternative in
        var inner: [String] = []
        check(value, against: alternative, at: path, errors: &inner)
        return inner.isEmpty
      }
      if !matches { errors.append("\(path): matches none of the alternatives (\(JSONSchema.describe(value)))") }
    }
    if let object = value.objectValue {
      for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !object.contains(where: { $0.0 == name }) {
        errors.append("\(path): missing `\(name)`")
      }
      let properties = schema["properties"]?.objectValue ?? []
      for (name, member) in object {
        if let property = properties.first(where: { $0.0 == name }) {
          check(member, against: property.1, at: path + "/" + name, errors: &errors)
        } else if schema["additionalProperties"]?.boolValue == false {
          errors.append("\(path): unexpected `\(name)`")
        }
      }
    }
    if let array = value.arrayValue {
      if let minimum = schema["minItems"]?.intValue, array.count < minimum { errors.append("\(path): fewer than \(minimum) items") }
      if let items = schema["items"] {
        for (index, element) in array.enumerated() { check(element, against: items, at: "\(path)/\(index)", errors: &errors) }
      }
    }
  }

  static func has(_ value: JSON, type: String) -> Bool {
    switch (type, value) {
    case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number): return true
    case ("integer", .number(let text)): return Int128(text) != nil
    default: return false
    }
  }

  static func describe(_ value: JSON) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number(let n): return "the number \(n)"
    case .string(let s): return "the string \"\(s.prefix(40))\""
    case .array: return "an array"
    case .object: return "an object"
    case .verbatim(let text): return "the JSON text \(text.prefix(40))"
    }
  }
}
