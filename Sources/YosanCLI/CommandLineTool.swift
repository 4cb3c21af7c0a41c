import YosanCore

/// The `yosan` command line: subcommand dispatch, help and version.
public enum CommandLineTool {
  public static let version = "0.1.0"

  /// Runs the tool and returns the exit status.
  public static func main(_ arguments: [String]) -> Int32 {
    let console = Console()
    defer { console.flush() }
    let args = Array(arguments.dropFirst())
    guard let command = args.first else {
      console.error.write(Help.overview)
      return 2
    }
    let rest = Array(args.dropFirst())
    do {
      switch command {
      case "check": return try CheckCommand.run(rest, console: console)
      case "fmt": return try FormatCommand.run(rest, console: console)
      case "export": return try ExportCommand.run(rest, console: console)
      case "import": return try ImportCommand.run(rest, console: console)
      case "diff": return try DiffCommand.run(rest, console: console)
      case "report": return try ReportCommand.run(rest, console: console)
      case "rules": return try RulesCommand.run(rest, console: console)
      case "explain": return try ExplainCommand.run(rest, console: console)
      case "lsp": return try LSPCommand.run(rest, console: console)
      case "help", "--help", "-h":
        if let topic = rest.first {
          guard let text = Help.topics[topic] else {
            throw UsageError("yosan help: no help for `\(topic)`; \(Help.didYouMean(topic) ?? "the commands are \(Help.commandNames)")")
          }
          console.output.write(text)
        } else {
          console.output.write(Help.overview)
        }
        return 0
      case "--version", "version":
        console.output.line("yosan \(version)")
        return 0
      default:
        throw UsageError("yosan: unknown command `\(command)`; \(Help.didYouMean(command) ?? "the commands are \(Help.commandNames)")")
      }
    } catch let request as HelpRequest {
      console.output.write(Help.topics[request.command] ?? Help.overview)
      return 0
    } catch let error as UsageError {
      console.error.line(error.message)
      return 2
    } catch {
      console.error.line("yosan: \(error)")
      return 2
    }
  }
}

/// Standard output and standard error, buffered.
public final class Console {
  public let output = Output(fd: 1)
  public let error = Output(fd: 2)

  public init() {}

  public func flush() {
    output.flush()
    error.flush()
  }
}
