/// A usage problem: a message for stderr, and exit status 2.
public struct UsageError: Error {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// `--help` or `-h` after a command: print the command's help (as `yosan help COMMAND`), exit 0.
public struct HelpRequest: Error {
  public var command: String
}

/// Hand-rolled argument parsing: options (`--name value`, `--name=value`, flags), positionals,
/// and `--` to end options. `--help` and `-h` ask for the command's help; `-` (standard input)
/// may be given once.
public struct Arguments {
  public var positionals: [String] = []
  var options: [String: [String]] = [:]
  var flags: Set<String> = []

  /// Parses `arguments` given the options that take a value and the flags that do not.
  public init(_ arguments: [String], command: String, valued: Set<String>, flags known: Set<String>) throws {
    var index = 0
    var onlyPositionals = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if onlyPositionals || argument == "-" || !argument.hasPrefix("-") {
        positionals.append(argument)
        continue
      }
      if argument == "--" {
        onlyPositionals = true
        continue
      }
      if argument == "--help" || argument == "-h" { throw HelpRequest(command: command) }
      var name = argument
      var value: String?
      if let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
      }
      if valued.contains(name) {
        if value == nil {
          guard index < arguments.count else { throw UsageError("yosan \(command): \(name) needs a value; see `yosan help \(command)`") }
          value = arguments[index]
          index += 1
        }
        options[name, default: []].append(value!)
      } else if known.contains(name) {
        if value != nil { throw UsageError("yosan \(command): \(name) takes no value; see `yosan help \(command)`") }
        flags.insert(name)
      } else {
        throw UsageError("yosan \(command): unknown option `\(name)`; see `yosan help \(command)`")
      }
    }
    if positionals.filter({ $0 == "-" }).count > 1 {
      throw UsageError("yosan \(command): - (standard input) is given twice; it can be read only once: give - once")
    }
  }

  public func value(_ name: String) -> String? { options[name]?.last }
  public func values(_ name: String) -> [String] { options[name] ?? [] }
  public func flag(_ name: String) -> Bool { flags.contains(name) }
}
