import YosanCore
import YosanSyntax

/// `yosan check --show-config FILE`: the configuration that applies to FILE, setting by setting,
/// with the configuration file and line each comes from, in the configuration's own syntax.
enum ShowConfig {
  static func run(_ path: String, console: Console) -> Int32 {
    // Say so when the path is not a file a check would read, rather than describe a check that
    // cannot happen.
    switch FileSystem.kind(of: path) {
    case .file: break
    case .missing:
      console.error.line("yosan: \(path): no such file or directory; give --show-config the path of a .yosan file")
      return 2
    case .directory:
      let example = (path.hasSuffix("/") ? path : path + "/") + "FILE.yosan"
      console.error.line("yosan: \(path): is a directory; give --show-config the path of a .yosan file in it, like \(example)")
      return 2
    case .other:
      console.error.line("yosan: \(path): not a regular file; give --show-config the path of a .yosan file")
      return 2
    }
    var inputs = Inputs()
    let absolute = Paths.absolute(path, in: inputs.workingDirectory)
    let resolved = inputs.resolver.resolve(forFile: absolute)
    _ = inputs.configuration(forAbsolutePath: absolute)
    console.output.write(render(path: path, resolved: resolved, absolute: absolute, display: inputs.display))
    TextReporter.report(Report(analysis: .empty, configurationProblems: inputs.configurationProblems), to: console.error)
    for problem in inputs.problems { console.error.line("yosan: \(problem)") }
    return inputs.configurationProblems.isEmpty && inputs.problems.isEmpty ? 0 : 2
  }

  static func render(path: String, resolved: ResolvedConfiguration, absolute: String, display: (String) -> String) -> String {
    let c = resolved.configuration
    func origin(_ key: String) -> String {
      resolved.origins[key].map { "# \(display($0.path)):\($0.line)" } ?? "# default"
    }
    var out = "# The configuration of \(path)\n"
    out +=
      resolved.files.isEmpty
      ? "# No \(ConfigurationResolver.fileName) applies: every setting is the default.\n"
      : "# From \(resolved.files.map(display).joined(separator: ", ")) (nearest first).\n"
    if ConfigurationResolver.isConfigurationFile(absolute) {
      out += "# The file is a configuration file: it is checked as a configuration, never as a budget.\n"
    } else if let pattern = c.excludingPattern(for: absolute) {
      let how = c.exclude.contains(pattern) ? "excluded by `\(pattern.pattern)`" : "not matched by `include`"
      out += "# The file is not checked when found in a folder: \(how).\n"
    } else {
      out += "# The file is checked.\n"
    }
    out += "\n"
    out += "端数 = \((c.rounding ?? .round).japanese) \(origin("rounding"))\n"
    out += "growth-threshold = \(decimal(c.growthThreshold)) \(origin("growth-threshold"))\n"
    if let include = c.include {
      out += "include = \(include.map { quoted($0.pattern) }.joined(separator: ", ")) \(origin("include"))\n"
    } else {
      out += "# include: every file (default)\n"
    }
    // Exclude patterns add up; each group is relative to the folder of its own file.
    var bases: [String] = []
    for pattern in c.exclude where !bases.contains(pattern.base) { bases.append(pattern.base) }
    for base in bases {
      let patterns = c.exclude.filter { $0.base == base }.map { quoted($0.pattern) }
      let source = resolved.excludeOrigins[base].map { "\(display($0.path)):\($0.line)" } ?? display(ConfigurationResolver.path(inFolder: base))
      out += "exclude = \(patterns.joined(separator: ", ")) # \(source)\n"
    }
    if bases.isEmpty { out += "# exclude: nothing (default)\n" }
    out += "\nrules {\n"
    for rule in RuleRegistry.descriptors {
      let severity = c.severity(of: rule).map(\.description) ?? "off"
      out += "  \(rule.id) = \(severity) \(origin(rule.id))\n"
    }
    out += "}\n"
    // Align the `=` signs the way `yosan fmt` does.
    let facts = Analyzer.parse(SourceFile(path: ConfigurationResolver.fileName, text: out))
    return Formatter.format(facts).map { String(decoding: $0, as: UTF8.self) } ?? out
  }

  static func quoted(_ pattern: String) -> String {
    let plain = pattern.unicodeScalars.allSatisfy {
      $0 != " " && $0 != "," && $0 != "\"" && $0 != "#" && $0 != "=" && $0 != "{" && $0 != "}" && $0 != "、" && $0 != "，"
    }
    if plain { return pattern }
    return "\"" + pattern.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
  }

  /// A rational with a finite decimal expansion as a decimal (`3/2` as `1.5`).
  static func decimal(_ value: Rational) -> String {
    var scaled = value.numerator
    var places = 0
    var denominator = value.denominator
    while denominator % 10 == 0 { denominator /= 10; places += 1 }
    while denominator % 2 == 0 { denominator /= 2; scaled *= 5; places += 1 }
    while denominator % 5 == 0 { denominator /= 5; scaled *= 2; places += 1 }
    guard denominator == 1, places <= 30 else { return value.description }
    return ExactDecimal(significand: scaled, exponent: -places).formatted(grouping: false)
  }
}
