import YosanCore
import YosanJSON
import YosanSyntax

/// `--format sarif`: a SARIF 2.1.0 log (OASIS, "Static Analysis Results Interchange Format") with
/// one run: the whole rule catalogue in `tool.driver.rules` (each with its `helpUri` into
/// Spec/rules.md), one result per diagnostic with its fixes, and configuration and I/O problems as
/// the invocation's notifications. Columns count Unicode code points (`columnKind`).
enum SARIFReporter {
  static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
  /// The base that relative artifact URIs are resolved against: the working directory.
  static let baseID = "SRCROOT"

  static func report(_ report: Report, to output: Output) {
    output.json(document(report))
  }

  static func document(_ report: Report) -> JSON {
    let rules = RuleRegistry.descriptors
    var ruleIndex: [String: Int] = [:]
    for (index, rule) in rules.enumerated() { ruleIndex[rule.id] = index }
    var results: [JSON] = []
    for file in report.analysis.files {
      for d in file.diagnostics { results.append(result(d, in: file.facts, ruleIndex: ruleIndex, report: report)) }
    }
    let configurationNotifications: [JSON] = report.configurationProblems.map { problem in
      .object([
        ("level", .string("error")),
        ("message", .object([("text", .string(problem.message))])),
        ("descriptor", .object([("id", .string(ConfigurationProblem.ruleID))])),
        (
          "locations",
          .array([location(path: problem.path, region: region(problem.line, problem.column, problem.endLine, problem.endColumn))])
        ),
      ])
    }
    let executionNotifications: [JSON] = report.ioProblems.map { problem in
      .object([("level", .string("error")), ("message", .object([("text", .string("\(problem.path): \(problem.reason)"))]))])
    }
    var invocation: [(String, JSON)] = [("executionSuccessful", .bool(report.configurationProblems.isEmpty && report.ioProblems.isEmpty))]
    if !configurationNotifications.isEmpty { invocation.append(("toolConfigurationNotifications", .array(configurationNotifications))) }
    if !executionNotifications.isEmpty { invocation.append(("toolExecutionNotifications", .array(executionNotifications))) }
    let driver: JSON = .object([
      ("name", .string("yosan")),
      ("version", .string(CommandLineTool.version)),
      ("semanticVersion", .string(CommandLineTool.version)),
      ("informationUri", .string(RuleDocumentation.repositoryURL)),
      ("rules", .array(rules.map(descriptor))),
    ])
    let run: JSON = .object([
      ("tool", .object([("driver", driver)])),
      ("invocations", .array([.object(invocation)])),
      (
        "originalUriBaseIds",
        .object([
          (
            baseID,
            .object([
              (
                "uri",
                .string(
                  "file://" + encode(report.workingDirectory.hasSuffix("/") ? report.workingDirectory : report.workingDirectory + "/"))
              )
            ])
          )
        ])
      ),
      ("columnKind", .string("unicodeCodePoints")),
      ("results", .array(results)),
    ])
    return .object([("$schema", .string(schemaURI)), ("version", .string("2.1.0")), ("runs", .array([run]))])
  }

  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: return "error"
    case .warning: return "warning"
    case .info, .style: return "note"
    }
  }

  static func descriptor(_ rule: RuleDescriptor) -> JSON {
    .object([
      ("id", .string(rule.id)),
      ("shortDescription", .object([("text", .string(rule.summary))])),
      ("fullDescription", .object([("text", .string(rule.rationale))])),
      ("helpUri", .string(RuleDocumentation.url(for: rule.id))),
      (
        "help",
        .object([
          ("text", .string(rule.summary + " " + RuleDocumentation.url(for: rule.id))),
          ("markdown", .string(RuleDocumentation.markdown(for: rule, headingLevel: 2))),
        ])
      ),
      ("defaultConfiguration", .object([("level", .string(level(rule.defaultSeverity)))])),
      (
        "properties",
        .object([
          ("category", .string(rule.category.title)), ("severity", .string(rule.defaultSeverity.description)),
          ("fix", .string(rule.fix.rawValue)),
          ("tags", .array([.string(rule.category.rawValue)])),
        ])
      ),
    ])
  }

  static func result(_ d: Diagnostic, in facts: FileFacts, ruleIndex: [String: Int], report: Report) -> JSON {
    var members: [(String, JSON)] = [("ruleId", .string(d.ruleID))]
    if let index = ruleIndex[d.ruleID] { members.append(("ruleIndex", .int(index))) }
    members += [
      ("level", .string(level(d.severity))),
      ("message", .object([("text", .string(d.message))])),
      ("locations", .array([location(path: facts.path, region: region(d.range, in: facts))])),
    ]
    if !d.related.isEmpty {
      members.append(
        (
          "relatedLocations",
          .array(
            d.related.enumerated().map { index, related in
              let target = report.facts(for: related, in: facts)
              var related = location(path: target.path, region: region(related.range, in: target), message: related.message)
              if case .object(let fields) = related { related = .object([("id", .int(index + 1))] + fields) }
              return related
            })
        ))
    }
    if !d.fixes.isEmpty {
      members.append(
        (
          "fixes",
          .array(
            d.fixes.map { fix in
              .object([
                ("description", .object([("text", .string(fix.title))])),
                (
                  "artifactChanges",
                  .array([
                    .object([
                      ("artifactLocation", artifact(facts.path)),
                      (
                        "replacements",
                        .array(
                          fix.edits.map { edit in
                            .object([
                              ("deletedRegion", region(edit.range, in: facts)),
                              ("insertedContent", .object([("text", .string(edit.replacement))])),
                            ])
                          })
                      ),
                    ])
                  ])
                ),
                ("properties", .object([("safe", .bool(fix.isSafe))])),
              ])
            })
        ))
    }
    var properties: [(String, JSON)] = [("severity", .string(d.severity.description))]
    if d.tags.contains(.unnecessary) { properties.append(("tags", .array([.string("unnecessary")]))) }
    members.append(("properties", .object(properties)))
    return .object(members)
  }

  static func region(_ range: TextRange, in facts: FileFacts) -> JSON {
    let start = facts.position(of: range.start)
    let end = facts.position(of: range.end)
    return region(start.line, start.column, end.line, end.column)
  }

  static func region(_ line: Int, _ column: Int, _ endLine: Int, _ endColumn: Int) -> JSON {
    .object([("startLine", .int(line)), ("startColumn", .int(column)), ("endLine", .int(endLine)), ("endColumn", .int(endColumn))])
  }

  static func location(path: String, region: JSON, message: String? = nil) -> JSON {
    var members: [(String, JSON)] = [("physicalLocation", .object([("artifactLocation", artifact(path)), ("region", region)]))]
    if let message { members.append(("message", .object([("text", .string(message))]))) }
    return .object(members)
  }

  /// A relative path is a URI relative to the working directory (`uriBaseId`); an absolute one a
  /// `file:` URI. Characters other than unreserved ones and `/` are percent-encoded.
  static func artifact(_ path: String) -> JSON {
    if path.hasPrefix("/") { return .object([("uri", .string("file://" + encode(path)))]) }
    return .object([("uri", .string(encode(Paths.withoutDotSlash(path)))), ("uriBaseId", .string(baseID))])
  }

  static func encode(_ path: String) -> String {
    var out = ""
    for byte in path.utf8 {
      switch byte {
      case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E, 0x2F:
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let hex = Array("0123456789ABCDEF")
        out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
      }
    }
    return out
  }
}
