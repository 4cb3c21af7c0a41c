import YosanSyntax

/// A mistake in a configuration file, reported like any diagnostic: the file, a range in it, a
/// message. `yosan check` exits 2 when there is one.
public struct ConfigurationProblem: Hashable, Sendable {
  /// The rule id that configuration problems carry in reports (they belong to no rule).
  public static let ruleID = "configuration"

  /// The configuration file.
  public var path: String
  /// Severity error, rule id `configuration`, the range in the configuration file.
  public var diagnostic: Diagnostic
  /// 1-based line and column (in characters) of the start and the end of the range.
  public var line: Int
  public var column: Int
  public var endLine: Int
  public var endColumn: Int

  public var message: String { diagnostic.message }
}

/// Where a setting came from.
public struct SettingOrigin: Hashable, Sendable {
  /// The configuration file.
  public var path: String
  /// The 1-based line of the entry.
  public var line: Int
}

/// One configuration file, read and checked.
///
/// The file is written in Yosan's own block syntax (one parser, one set of error messages, and
/// editors highlight it for free):
///
/// ```yosan
/// root = true                       # do not look further up
/// 端数 = 切り捨て                    # or rounding = truncate: for documents without 端数
/// growth-threshold = 1.5            # the tags rule's "more than N times the previous year"
/// include = "予算/**", budgets      # only these are checked (when found in a folder)
/// exclude = "**/下書き-*.yosan", archive
///
/// rules {
///   unit-spacing = off              # off, style, info, warning or error
///   dash-none = warning
/// }
/// ```
public struct ConfigurationFile: Sendable {
  /// One setting in the order written: a rule id (inside `rules`), `rounding` or `growth-threshold`.
  public struct Setting: Sendable {
    public var key: String
    public var value: String
    public var origin: SettingOrigin
  }

  public var path: String
  /// `root = true`: configurations further up do not apply.
  public var isRoot = false
  public var settings: [Setting] = []
  public var include: [PathPattern]?
  public var includeOrigin: SettingOrigin?
  public var exclude: [PathPattern] = []
  public var excludeOrigin: SettingOrigin?
  public var problems: [ConfigurationProblem] = []

  /// The settings that may stand outside `rules { … }`, with their Japanese spellings.
  static let topLevelKeys = ["root", roundingKey.alias, roundingKey.japanese, "growth-threshold", "include", "exclude"]

  /// The budget key whose spellings set the default rounding (`端数`, `rounding`).
  static let roundingKey = Key.rounding.descriptor
  /// What a configuration's top level may set, for suggestions.
  static let settingSuggestions = SuggestionIndex(topLevelKeys + RuleRegistry.descriptors.map(\.id))

  /// Reads a configuration file. `folder` is the folder its patterns are relative to.
  public init(path: String, bytes: [UInt8], folder: String) {
    self.path = path
    let facts = Analyzer.parse(SourceFile(path: path, bytes: bytes))
    var reader = Reader(facts: facts, folder: folder)
    reader.read()
    isRoot = reader.isRoot
    settings = reader.settings
    include = reader.include
    includeOrigin = reader.includeOrigin
    exclude = reader.exclude
    excludeOrigin = reader.excludeOrigin
    problems = reader.problems
  }

  /// Walks the tree of a configuration file.
  struct Reader {
    let facts: FileFacts
    let folder: String
    var isRoot = false
    var settings: [Setting] = []
    var include: [PathPattern]?
    var includeOrigin: SettingOrigin?
    var exclude: [PathPattern] = []
    var excludeOrigin: SettingOrigin?
    var problems: [ConfigurationProblem] = []
    var seen: [String: Int] = [:]

    init(facts: FileFacts, folder: String) {
      self.facts = facts
      self.folder = folder
    }

    mutating func problem(_ message: String, at range: TextRange) {
      let start = facts.position(of: range.start)
      let end = facts.position(of: range.end)
      let diagnostic = Diagnostic(ruleID: ConfigurationProblem.ruleID, severity: .error, message: message, range: range)
      problems.append(
        ConfigurationProblem(
          path: facts.path, diagnostic: diagnostic, line: start.line, column: start.column, endLine: end.line, endColumn: end.column))
    }

    mutating func read() {
      // Syntax errors and bad bytes, with the messages budget files get.
      for rule in [SyntaxErrorRule.self, InvalidUTF8Rule.self] as [any FileRule.Type] {
        var context = RuleContext(file: facts, part: .wholeFile(length: facts.bytes.count), descriptor: rule.descriptor, severity: .error)
        rule.check(&context)
        for diagnostic in context.diagnostics { problem(diagnostic.message, at: diagnostic.range) }
      }
      facts.bytes.withUnsafeBufferPointer { bytes in
        for node in facts.root.childNodes {
          switch node.kind {
          case .entry: topLevel(EntrySyntax(node: node, bytes: bytes))
          case .block: block(BlockSyntax(node: node, bytes: bytes))
          default: break
          }
        }
      }
      problems.sort { $0.diagnostic.range.start < $1.diagnostic.range.start }
    }

    /// The entry's value as text, or nil (with a problem) when it has none.
    mutating func value(of entry: EntrySyntax) -> String? {
      guard let range = entry.valueRange else {
        if !entry.hasSyntaxError { problem("`\(entry.keyText)` has no value", at: entry.keyRange) }
        return nil
      }
      return entry.text(of: range)
    }

    func origin(_ entry: EntrySyntax) -> SettingOrigin {
      SettingOrigin(path: facts.path, line: facts.lineNumber(entry.keyRange.start))
    }

    /// False (with a problem) when the key was already set in this file.
    mutating func firstTime(_ key: String, _ entry: EntrySyntax) -> Bool {
      if let line = seen[key] {
        problem("`\(entry.keyText)` is set twice in this file; the first is on line \(line)", at: entry.keyRange)
        return false
      }
      seen[key] = facts.lineNumber(entry.keyRange.start)
      return true
    }

    mutating func topLevel(_ entry: EntrySyntax) {
      let key = entry.keyText
      switch key {
      case "root":
        guard firstTime(key, entry), let text = value(of: entry) else { return }
        switch text {
        case "true": isRoot = true
        case "false": isRoot = false
        default: problem("`root` takes true or false, not `\(text)`", at: entry.valueRange ?? entry.keyRange)
        }
      case ConfigurationFile.roundingKey.alias, ConfigurationFile.roundingKey.japanese, "growth-threshold":
        let name = key == ConfigurationFile.roundingKey.japanese ? "rounding" : key
        guard firstTime(name, entry), let text = value(of: entry) else { return }
        var probe = Configuration()
        if let message = probe.apply(name, text) {
          problem(message, at: entry.valueRange ?? entry.keyRange)
        } else {
          settings.append(Setting(key: name, value: text, origin: origin(entry)))
        }
      case "include", "exclude":
        guard firstTime(key, entry) else { return }
        guard let range = entry.valueRange else {
          if !entry.hasSyntaxError {
            problem("`\(key)` has no patterns; write one or more, like `\(key) = \"drafts/**\"`", at: entry.keyRange)
          }
          return
        }
        var patterns: [PathPattern] = []
        for (text, elementRange) in listElements(range) {
          if text.isEmpty {
            problem("empty pattern in `\(key)`; remove the extra comma", at: elementRange)
          } else if text.hasPrefix("../") || text.contains("/../") || text == ".." {
            problem("pattern `\(text)` leaves the configuration's folder; patterns are relative to it and stay inside it", at: elementRange)
          } else {
            patterns.append(PathPattern(text, base: folder))
          }
        }
        if key == "include" {
          include = patterns
          includeOrigin = origin(entry)
        } else {
          exclude = patterns
          excludeOrigin = origin(entry)
        }
      default:
        if RuleRegistry.descriptor(id: key) != nil {
          problem("`\(key)` is a rule; set its severity inside `rules { … }`", at: entry.keyRange)
          return
        }
        let hint =
          ConfigurationFile.settingSuggestions.suggestion(for: key).map { "did you mean `\($0)`?" }
          ?? "a configuration sets root, 端数 (rounding), growth-threshold, include, exclude, and rule severities in `rules { … }`"
        problem("unknown setting `\(key)`; \(hint)", at: entry.keyRange)
      }
    }

    mutating func block(_ block: BlockSyntax) {
      guard block.keyword == "rules" else {
        let word = block.keyword ?? "{"
        let suggestion = Catalog.suggestion(for: word, among: ["rules"]).map { "; did you mean `\($0)`?" } ?? ""
        problem("unknown block `\(word)` in a configuration\(suggestion); the only block is `rules { … }`", at: block.keywordRange)
        return
      }
      for element in block.body {
        switch element {
        case .entry(let entry):
          let id = entry.keyText
          guard let descriptor = RuleRegistry.descriptor(id: id) else {
            if ConfigurationFile.topLevelKeys.contains(id) {
              problem("`\(id)` is not a rule; set it outside the `rules` block", at: entry.keyRange)
            } else {
              let suggestion =
                RuleRegistry.idSuggestions.suggestion(for: id).map { "; did you mean `\($0)`?" }
                ?? "; `yosan rules` lists them"
              problem("unknown rule `\(id)`\(suggestion)", at: entry.keyRange)
            }
            continue
          }
          guard firstTime(descriptor.id, entry), let text = value(of: entry) else { continue }
          var probe = Configuration()
          if let message = probe.apply(descriptor.id, text) {
            problem(message, at: entry.valueRange ?? entry.keyRange)
          } else {
            settings.append(Setting(key: descriptor.id, value: text, origin: origin(entry)))
          }
        case .block(let inner):
          problem("a `rules` block holds only `rule-id = severity` entries", at: inner.keywordRange)
        case .broken:
          break
        }
      }
    }

    /// The elements of a list value: separated by `,`, `，` or `、` outside quotes, trimmed,
    /// quotes removed; with the range of each.
    func listElements(_ range: TextRange) -> [(String, TextRange)] {
      let bytes = facts.bytes
      var result: [(String, TextRange)] = []
      var start = range.start
      var index = range.start
      var inQuote = false
      func finish(_ end: Int) {
        var a = start
        var b = end
        while a < b, bytes[a] == 0x20 || bytes[a] == 0x09 { a += 1 }
        while b > a, bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09 { b -= 1 }
        var text = String(decoding: bytes[a..<b], as: UTF8.self)
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = ValueParser.unescape(String(text.dropFirst().dropLast())) }
        result.append((text, TextRange(start: a, end: b)))
      }
      while index < range.end {
        let b = bytes[index]
        if b == 0x22 {
          inQuote.toggle()
        } else if !inQuote {
          var separator = 0
          if b == 0x2C { separator = 1 }
          if index + 2 < range.end, b == 0xE3, bytes[index + 1] == 0x80, bytes[index + 2] == 0x81 { separator = 3 }
          if index + 2 < range.end, b == 0xEF, bytes[index + 1] == 0xBC, bytes[index + 2] == 0x8C { separator = 3 }
          if separator > 0 {
            finish(index)
            index += separator
            start = index
            continue
          }
        }
        index += 1
      }
      finish(range.end)
      return result
    }
  }
}

/// The configuration that applies to one file, with where each part came from.
public struct ResolvedConfiguration: Sendable {
  public var configuration: Configuration
  /// The configuration files that apply, nearest first.
  public var files: [String]
  /// Problems in those files.
  public var problems: [ConfigurationProblem]
  /// Where each setting that is not the default came from: a rule id, `rounding`,
  /// `growth-threshold`, `include` or `exclude` (the nearest).
  public var origins: [String: SettingOrigin]
  /// Where the `exclude` patterns of each folder (their `PathPattern.base`) come from: `exclude`
  /// patterns add up along the folders, each group from its own file.
  public var excludeOrigins: [String: SettingOrigin] = [:]
}

/// Finds and merges the configuration files that apply to a file. No I/O of its own: it reads
/// files through the closure it is given, so the CLI and the language server share it.
///
/// Discovery starts in the file's folder and goes up to the root (of the path as given: pass
/// absolute paths to search every folder above). Every `yosan.config.yosan` found applies, up to
/// and including one that says `root = true`. A setting (a rule's severity, `rounding`,
/// `growth-threshold`, `include`) comes from the nearest file that sets it; `exclude` patterns add
/// up along the way, each relative to the folder of its own file.
///
/// Not thread-safe: it caches the files it reads. Make a new one when configuration files change.
public final class ConfigurationResolver {
  /// The name of configuration files. It ends in `.yosan` so that editors treat it as Yosan text;
  /// `yosan check` never takes it for a budget file.
  public static let fileName = "yosan.config.yosan"

  private let readFile: (String) -> [UInt8]?
  private var cache: [String: ConfigurationFile?] = [:]
  private var resolved: [String: ResolvedConfiguration] = [:]

  /// - Parameter readFile: the contents of a file, or nil when there is none.
  public init(readFile: @escaping (String) -> [UInt8]?) {
    self.readFile = readFile
  }

  /// True when `path` names a configuration file.
  public static func isConfigurationFile(_ path: String) -> Bool {
    path == fileName || path.hasSuffix("/" + fileName)
  }

  /// The configuration for the file at `path`, and the problems of the configuration files read.
  public func configuration(forFile path: String) -> (Configuration, [ConfigurationProblem]) {
    let resolved = resolve(forFile: path)
    return (resolved.configuration, resolved.problems)
  }

  /// The configuration for the file at `path` with where each setting came from.
  public func resolve(forFile path: String) -> ResolvedConfiguration {
    resolve(folder: ConfigurationResolver.folder(of: path))
  }

  /// The folder holding `path`, as the first of `folders(above:)`.
  static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    if slash == path.startIndex { return "/" }
    let folder = String(path[..<slash])
    return folder == "." ? "" : folder
  }

  /// The configuration of the files in `folder`: its own configuration file over its parent's
  /// resolution (unless its file says `root = true`). Each folder is resolved once, from its
  /// parent's, so a tree of nested configurations costs one merge per folder, not one per folder
  /// for every file below it.
  public func resolve(folder: String) -> ResolvedConfiguration {
    if let cached = resolved[folder] { return cached }
    // The folders up to the nearest one already resolved (or the top), resolved downward.
    var chain = [folder]
    while let parent = ConfigurationResolver.parent(of: chain[chain.count - 1]), resolved[parent] == nil { chain.append(parent) }
    for current in chain.reversed() {
      let file = self.file(inFolder: current)
      var result: ResolvedConfiguration
      if let file, file.isRoot {
        result = ResolvedConfiguration(configuration: Configuration(), files: [], problems: [], origins: [:])
      } else if let parent = ConfigurationResolver.parent(of: current), let above = resolved[parent] {
        result = above
      } else {
        result = ResolvedConfiguration(configuration: Configuration(), files: [], problems: [], origins: [:])
      }
      if let file {
        for setting in file.settings {
          _ = result.configuration.apply(setting.key, setting.value)
          result.origins[setting.key] = setting.origin
        }
        if let include = file.include {
          result.configuration.include = include
          result.origins["include"] = file.includeOrigin
        }
        if !file.exclude.isEmpty {
          result.configuration.exclude += file.exclude
          result.origins["exclude"] = file.excludeOrigin
          result.excludeOrigins[file.exclude[0].base] = file.excludeOrigin
        }
        result.files.insert(file.path, at: 0)
        result.problems = file.problems + result.problems
      }
      resolved[current] = result
    }
    return resolved[folder]!
  }

  /// The folder above `folder`, in the form `folders(above:)` gives; nil at the top.
  static func parent(of folder: String) -> String? {
    if folder.isEmpty || folder == "/" { return nil }
    return ConfigurationResolver.folder(of: folder)
  }

  /// The configuration file in `folder`, read once.
  public func file(inFolder folder: String) -> ConfigurationFile? {
    if let cached = cache[folder] { return cached }
    let path = ConfigurationResolver.path(inFolder: folder)
    let file = readFile(path).map { ConfigurationFile(path: path, bytes: $0, folder: folder) }
    cache[folder] = file
    return file
  }

  /// The path of the configuration file in `folder`.
  public static func path(inFolder folder: String) -> String {
    if folder.isEmpty || folder == "." { return fileName }
    return folder.hasSuffix("/") ? folder + fileName : folder + "/" + fileName
  }

  /// The folders from the one holding `path` up to the top: `/a/b/x` gives `/a/b`, `/a`, `/`;
  /// `b/x` gives `b` and `` (the current folder).
  public static func folders(above path: String) -> [String] {
    var folders = [folder(of: path)]
    while let above = parent(of: folders[folders.count - 1]) { folders.append(above) }
    return folders
  }
}
