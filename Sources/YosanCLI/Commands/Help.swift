/// Help texts. `yosan help` prints the overview, `yosan help COMMAND` a command's page.
enum Help {
  static let commandNames = "check, rules, explain, help, version"

  static let overview = """
    yosan \(CommandLineTool.version): lint budget data files (.yosan)

    Usage:
      yosan check [options] PATH...   check files and directories (see `yosan help check`)
      yosan rules                     list every rule with its id, severity and summary
      yosan explain RULE-ID           print a rule's documentation
      yosan help [COMMAND]            print help
      yosan --version                 print the version

    """

  static let check = """
    Usage: yosan check [options] PATH...

    Checks .yosan files. A PATH is a file, a directory (searched recursively for *.yosan; hidden
    directories are skipped), or - for standard input. All files of one run are checked together:
    item ids are shared across them, so 内数(ID) may refer to an item in another file.

    Output, one line per diagnostic, sorted by file and position:
      path:line:column: severity: message [rule-id]
    Lines and columns are 1-based; columns count characters (Unicode code points), so each kanji
    is one column. A summary of what was checked goes to standard error.

    Options:
      --format text|json   text (default) or a JSON document (schema: Spec/json-output.md)

    Exit status:
      0  no error-severity diagnostic
      1  at least one error-severity diagnostic
      2  usage or I/O problem (a missing or unreadable file, a directory with no .yosan files)

    """

  static let rules = """
    Usage: yosan rules [--markdown]

    Lists every rule: id, default severity and one-line summary. With --markdown, prints the
    full documentation of every rule (the text of Spec/rules.md).

    """

  static let explain = """
    Usage: yosan explain RULE-ID

    Prints a rule's documentation: summary, default severity, rationale and examples (the same
    text as its section of Spec/rules.md).

    """

  static let topics: [String: String] = ["check": check, "rules": rules, "explain": explain]
}
