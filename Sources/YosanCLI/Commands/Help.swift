import YosanCore

/// Help texts. `yosan help` prints the overview, `yosan help COMMAND` a command's page.
enum Help {
  static let commands = ["check", "fmt", "export", "import", "diff", "report", "rules", "explain", "lsp", "help", "version"]
  static let commandNames = commands.joined(separator: ", ")

  /// `did you mean `check`?` for a misspelt command, if one is close enough.
  static func didYouMean(_ written: String) -> String? {
    let word = written.hasPrefix("--") ? String(written.dropFirst(2)) : written
    return Catalog.suggestion(for: word, among: commands).map { "did you mean `\($0)`?" }
  }

  static let overview = """
    yosan \(CommandLineTool.version): lint budget data files (.yosan)

    Usage:
      yosan check [options] PATH...   check files and directories (see `yosan help check`)
      yosan fmt [options] PATH...     rewrite files in the canonical layout (see `yosan help fmt`)
      yosan export [options] PATH...  write the budget model as JSON, CSV, XLSX or a Fiscal Data
                                      Package (see `yosan help export`)
      yosan import [options] INPUT    read a spreadsheet (CSV, TSV, XLSX) into a .yosan file
                                      (see `yosan help import`)
      yosan diff [options] OLD NEW    compare two versions item by item (see `yosan help diff`)
      yosan report PATH... -o FILE    write a one-file HTML report (see `yosan help report`)
      yosan rules                     list every rule with its id, severity and summary
      yosan explain RULE-ID           print a rule's documentation
      yosan lsp                       run the language server on standard input and output
      yosan help [COMMAND]            print help (also: yosan COMMAND --help, or -h)
      yosan --version                 print the version

    Exit status: 0 clean, 1 findings (see each command), 2 usage, configuration or I/O problem.

    """

  static let check = """
    Usage: yosan check [options] PATH...
           yosan check --watch [options] PATH...
           yosan check --show-config FILE

    Checks .yosan files. A PATH is a file, a directory (searched recursively for *.yosan; hidden
    directories and yosan.config.yosan files are skipped), or - for standard input. All files of one
    run are checked together: item ids are shared across them, so 内数(ID) may refer to an item in
    another file.

    Links and special files: in a directory only regular files are read, and a symbolic link is
    followed only when it leads to a place inside that directory (a file reached under two names is
    checked once; a link to a folder is not entered). A link that leads outside, and a FIFO, device
    or socket named *.yosan, are skipped and listed on standard error (a yosan.config.yosan link
    that leads outside is not read either); a link to nothing is an I/O problem. A file named on the command line is read wherever its links lead; a FIFO or a device
    named there is refused, never waited on.

    Output, one line per diagnostic, sorted by file and position:
      path:line:column: severity: message [rule-id]
    Lines and columns are 1-based; columns count characters (Unicode code points), so each kanji
    is one column. A summary of what was checked goes to standard error.

    Options:
      --format FORMAT      text (default); json (Spec/json-output.md); sarif (SARIF 2.1.0, for code
                           scanning); github (GitHub Actions annotations)
      --show-source        under each diagnostic, the line with a caret under the range, related
                           places and the safe fix (the default on a terminal)
      --color WHEN         auto (default: on a terminal), always or never; NO_COLOR turns it off
      --strict             exit 1 on warnings too
      --max-warnings N     exit 1 when there are more than N warnings
      --fix                apply every safe fix (notation that cannot change a figure's meaning),
                           repeatedly until none is left, then report what remains; files are
                           replaced atomically, keeping their mode, owner and extended
                           attributes, and never over a save made meanwhile (README, "No data
                           loss"); a file with several hard links is refused
      --diff               print the safe fixes as a unified diff instead of writing them (not
                           with --fix)
      --stdin-filename P   the path of the text read from - (for messages and configuration)
      --encoding E         utf-8 (default), or cp932 (Shift_JIS): read the files in that
                           encoding (a file already in UTF-8 is read as it is); not with --fix
                           or --diff (convert the files first with yosan fmt --encoding cp932)
      --show-config FILE   print the configuration that applies to FILE and where each setting
                           comes from
      --watch              check, then check again whenever a .yosan file or a configuration
                           file that applies changes, until Ctrl-C (exit 0): only the files
                           that changed are read and analysed again; each run prints the whole
                           result (the screen cleared on a terminal, else after a separator
                           line), the summary and a line saying what changed. Not with --fix,
                           --diff or -; --format text or json (one document per line).
                           Uses inotify, or polls every 0.5 s where it cannot (or with
                           YOSAN_WATCH_POLL=1)

    Configuration: yosan.config.yosan files in the file's folder and the folders above it (the
    nearest setting wins; root = true stops the search). See README.md, "Configuration".

    Suppressions: # yosan: disable-next-line RULE-ID -- reason, # yosan: disable-line RULE-ID --
    reason (at the end of the line) and # yosan: disable-file RULE-ID -- reason.

    Exit status:
      0  no error (and, with --strict, no warning; with --max-warnings N, at most N warnings);
         with --diff: nothing to fix
      1  at least one error, or warnings beyond --strict or --max-warnings; with --diff: there
         are fixes to apply
      2  usage, configuration or I/O problem (a missing or unreadable file, a directory with no
         .yosan files, a mistake in a configuration file, a file that could not be written)

    """

  static let fmt = """
    Usage: yosan fmt [--check] [--diff] [--encoding utf-8|cp932] [--stdin-filename P] PATH...

    Rewrites .yosan files (and yosan.config.yosan files) in the canonical layout: two-space
    indentation, one space around `=` with the `=` of consecutive entries aligned, one statement
    per line, comments kept on their line, a blank line around every 事業 and 分野. Only blanks
    change: every value, id, key spelling and comment stays as written, so the budget's meaning
    cannot change. CRLF files stay CRLF, a byte order mark stays. A file with syntax errors is
    reported and left untouched. With -, the formatted text goes to standard output. Files are
    replaced as by `check --fix` (README, "No data loss"); directories are walked as by `check`
    (see `yosan help check`, "Links and special files").

    Options:
      --check              write nothing; list the files that would change
      --diff               write nothing; print the changes as a unified diff
      --encoding cp932     the files are Shift_JIS (CP932): convert each to UTF-8 in place (and
                           format it when it can be), atomically; a file already in UTF-8 is
                           left as it is
      --stdin-filename P   the path of the text read from - (for messages and configuration)

    Exit status:
      0  every file is formatted (or was rewritten)
      1  a file has syntax errors; with --check or --diff, a file would change
      2  usage or I/O problem (the file that could not be written is left as it was)

    """

  static let export = """
    Usage: yosan export [--format json|csv|xlsx|datapackage] [--bom] [--with-findings]
                        [-o PATH] [--stdin-filename P] PATH...

    Writes the budget model of the files for other tools (schema and layouts: Spec/export.md).
      json         (the default) every file with its header, sections and items, amounts as
                   exact yen integers beside the text as written
      csv          one row per item: file, line, id, parent, section, title, division, fiscal
                   year, tags, request and previous year in yen and as written, change in yen
                   and %, rate, shares, then the document's header and the item's other keys;
                   RFC 4180
      xlsx         a workbook: 事業 (the items, as the CSV), 内訳 (breakdown rows), 分野
                   (sections), 検証結果 (with --with-findings); Japanese headers in row 1, the
                   ASCII names in row 2; figures as numbers in yen and in the unit written
      datapackage  a Fiscal Data Package: datapackage.json (Data Package v2 with the fiscal
                   column types) and a CSV file per table, in the folder -o names
    yosan import reads the CSV and XLSX back.

    Options:
      --format FORMAT      json (default), csv, xlsx or datapackage
      --bom                start the CSV with a UTF-8 byte order mark, for spreadsheet programs
                           that need it to read Japanese text
      --with-findings      add the findings of yosan check (a sheet, or a resource)
      -o, --output PATH    write to PATH (a folder for datapackage) instead of standard output;
                           nothing is half-written
      --stdin-filename P   the path of the text read from - (for messages and configuration)

    Exit status:
      0  exported
      1  a file has syntax errors (reported; the export leaves out what could not be read)
      2  usage, configuration or I/O problem

    """

  static let diff = """
    Usage: yosan diff [--format text|json|csv|markdown] [--bom] [--exit-zero] [--color WHEN] OLD NEW
           yosan diff --git PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE

    Compares two versions of a budget item by item (Spec/diff-output.md). OLD and NEW are files,
    folders, - (standard input), or git:REV:PATH (PATH as it is in the git revision REV, relative
    to the current folder: yosan diff git:HEAD~1:budgets budgets). Items are matched by id, never by
    position; an item whose id changed but whose title and division did not is a probable rename.
    Reported per item: added, removed, moved (file, 分野 or parent), and changed fields: 要求額,
    前年度 and 補正 (old → new, 増△減 in the unit shown and in yen, and %), 種別, 補助率, 負担割合,
    担当, the title, the other keys, breakdown rows (by label); and the totals and counts. Both
    sides are checked first; a side with syntax errors is compared on what could be read.

    Options:
      --format FORMAT      text (default: grouped by 分野, the largest changes first, △ for
                           decreases); json (Spec/diff-output.md); csv (one row per change);
                           markdown (for a pull request comment)
      --bom                start the CSV with a UTF-8 byte order mark
      --exit-zero          exit 0 when the versions differ
      --color WHEN         auto (default: on a terminal), always or never; NO_COLOR turns it off
      --git                be git's external diff driver: .gitattributes `*.yosan diff=yosan` and
                           git config diff.yosan.command 'yosan diff --git' (exits 0 on differences)

    Exit status:
      0  no differences
      1  differences
      2  usage or I/O problem (a missing file, a revision or path git does not have, not in a git
         repository)

    """

  static let report = """
    Usage: yosan report [--base OLD] [--title TEXT] -o FILE.html PATH...

    Writes one self-contained HTML file (no external resource: inline CSS, SVG and a small script
    for sorting; it prints on A4) for people who read budgets: the totals of 要求額 and 前年度 and
    the change, counts by tag, the check's findings linked to their item and file:line; a treemap
    of the request by 分野 and 事業 coloured by the change from the previous year; a waterfall from
    the previous total to the request by 分野; a sortable table of every item with a ✓ or ✗ on each
    breakdown's sum; a card per item with its breakdowns, rates and shares. With --base OLD (a file,
    folder or git:REV:PATH, as for yosan diff), the changes from OLD are in the report too.

    Options:
      -o, --output FILE    the HTML file to write (replaced safely if it exists)
      --base OLD           the version to compare with
      --title TEXT         the report's title (default: the header of the first file)

    Exit status:
      0  the report was written
      1  the report was written; the files have errors (listed in the report)
      2  usage or I/O problem (nothing was written)

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

  static let topics: [String: String] = [
    "check": check, "fmt": fmt, "export": export, "import": ImportCommand.help, "diff": diff, "report": report, "rules": rules, "explain": explain,
    "lsp": LSPCommand.help,
  ]
}
