/// Every other value its key's grammar cannot read: tags, 区分, 端数, extension numbers, a missing
/// value (`malformed-value`).
enum MalformedValueRuleGeneral: MalformedValueRule {
  static let kind = ValueError.Kind.value
  static let descriptor = RuleDescriptor(
    id: "malformed-value",
    category: .values,
    defaultSeverity: .error,
    summary: "Every other value follows its key's grammar: known tags, 区分 and 端数 values, extension numbers, a value after `=`.",
    rationale: """
      An unknown tag is not a tag: 新規 spelled wrong would silently disable every check that
      depends on it. The same goes for 区分 and 端数 values, which decide how amounts are read.
      """,
    examples: [
      .passing("事業 a \"t\" {\n  種別 = 新規, 推進枠\n  担当 = 医政局\n  内線 = 4165, 4035\n  要求額 = 1億円\n  前年度 = なし\n}\n"),
      .failing("事業 a \"t\" {\n  種別 = «新期»\n  担当 = 医政局\n  要求額 = 1億円\n  前年度 = なし\n}\n", messages: ["種別: unknown tag `新期`; did you mean `新規`?"]),
      .failing("事業 a \"t\" {\n  担当 = 医政局\n  «要求額» =\n}\n", messages: ["要求額: 要求額 has no value; for example 要求額 = 7.9億円"]),
    ])
}

extension ValueError {
  /// Why any other value could not be read (`malformed-value`).
  public enum OtherValueProblem: Hashable, Sendable {
    /// No amount where an amount expression belongs.
    case missing
    /// `令和4年度第2` or the like: a supplementary budget's number not written `第N次`.
    case supplementaryOrdinal
    /// A 種別 element that is no tag; `suggestion` is the closest tag, if one is close.
    case unknownTag(written: String, suggestion: String?)
    case unknownDocumentKind(written: String, suggestion: String?)
    case unknownRoundingMode(written: String, suggestion: String?)
    case notAnExtension(written: String)
    /// A breakdown row with nothing after `=`; `headerUnit` when the header sets 単位.
    case emptyRow(label: String, headerUnit: Bool)
    /// An entry of key `key`, written `name`, with nothing after `=`.
    case emptyEntry(name: String, key: Key)

    var message: String {
      switch self {
      case .missing: return "missing value; write an amount or なし"
      case .supplementaryOrdinal: return "write the supplementary budget's number like `令和4年度第2次 3.0億円`"
      case .unknownTag(let written, let suggestion): return Self.unknown(Vocabulary.tags, written, suggestion)
      case .unknownDocumentKind(let written, let suggestion): return Self.unknown(Vocabulary.documentKinds, written, suggestion)
      case .unknownRoundingMode(let written, let suggestion): return Self.unknown(Vocabulary.roundingModes, written, suggestion)
      case .notAnExtension(let written): return "`\(written)` is not an extension number; write digits, like 4165"
      case .emptyRow(let label, let headerUnit):
        return "\(label) has no value; write an amount, like \(label) = \(headerUnit ? "1.0" : "1.0億円"), or なし"
      case .emptyEntry(let name, let key): return "\(name) has no value; for example \(name) = \(key.descriptor.example)"
      }
    }

    /// A word that is not one of `table`'s: the suggestion when one is close, else the choices.
    static func unknown<Value>(_ table: WordTable<Value>, _ written: String, _ suggestion: String?) -> String {
      "unknown \(table.name) `\(written)`; \(suggestion.map { "did you mean `\($0)`?" } ?? "use \(table.choices)")"
    }
  }
}
