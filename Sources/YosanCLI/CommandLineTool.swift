import YosanCore

/// The `yosan` command line: subcommand dispatch, help and version.
public enum CommandLineTool {
  public static let version = "0.1.0"

  /// Runs the tool and returns the exit status.
  public static func main(_ arguments: [String]) -> Int32 {
    let console = Console()
    let status = run(arguments, console: console)
    return console.finish(status)
  }

  static func run(_ arguments: [String], console: Console) -> Int32 {
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
  /// Set once a command has reported the failed write itself (naming the file it was for).
  var outputFailureReported = false

  public init() {}

  public func flush() {
    output.flush()
    error.flush()
  }

  /// Flushes both streams at the end of a command: when standard output could not be written
  /// (a full disk, `/dev/full`), the output is incomplete, which standard error says, and the
  /// status is 2 whatever the command found; when standard error could not be written, 2 too.
  func finish(_ status: Int32) -> Int32 {
    var status = status
    if !output.flush() {
      if !outputFailureReported {
        error.line("yosan: cannot write to standard output (\(output.failure ?? "write error")); the output is incomplete")
      }
      status = 2
    }
    if !error.flush() { status = 2 }
    return status
  }

  /// The message for a write to standard output that failed, or nil after a flush that worked.
  func standardOutputProblem(path: String) -> IOError? {
    guard !output.flush() else { return nil }
    outputFailureReported = true
    return IOError(path: path, reason: "cannot write the result to standard output (\(output.failure ?? "write error"))")
  }
}
