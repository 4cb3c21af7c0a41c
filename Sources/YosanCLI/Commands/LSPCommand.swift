import YosanLSP

/// `yosan lsp`: the language server on standard input and output.
enum LSPCommand {
  static let help = """
    Usage: yosan lsp [--stdio]

    Runs the Yosan language server, speaking the Language Server Protocol over standard input and
    output (--stdio is accepted and is the only transport). Logs go to standard error. Editor
    setups are in the README's "Editors" section.

    Exit status: 0 after `shutdown` and `exit`, 1 when the client exits without `shutdown` or the
    input ends.

    """

  static func run(_ arguments: [String], console: Console) throws -> Int32 {
    for argument in arguments {
      switch argument {
      case "--stdio": continue
      case "--help", "-h":
        console.output.write(help)
        return 0
      default:
        throw UsageError("yosan lsp: unknown option `\(argument)`; the server takes no options other than --stdio")
      }
    }
    console.flush()
    return LanguageServer.runStdio(version: CommandLineTool.version)
  }
}
