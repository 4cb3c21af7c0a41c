import YosanSyntax

/// Bytes that are not UTF-8.
enum InvalidUTF8Rule: FileRule {
  static let descriptor = RuleDescriptor(
    id: "invalid-utf8",
    category: .syntax,
    defaultSeverity: .error,
    summary: "A file must be UTF-8 text.",
    rationale: """
      Budget files travel between spreadsheets, word processors and mail, and a file saved as
      Shift_JIS or with a damaged byte turns Japanese text into something no reader can trust.
      Yosan reads such a file anyway (nothing is lost: the bytes stay as they are) and reports the
      first invalid byte's offset once per file, with the number of places where invalid bytes occur.
      Save the file as UTF-8.

      A file that reads as Shift_JIS (CP932) from start to end, as Japanese offices still save
      text, is one such finding and nothing else (read as UTF-8, every line of it would be an
      error): the message names the encoding and gives the commands that convert the file in
      place (`yosan fmt --encoding cp932`, atomically) or check it as it is
      (`yosan check --encoding cp932`).
      """,
    examples: [
      .passing("事業 a \"タイトル\" {\n  担当 = 医政局\n}\n"),
      .failing("事業 a \"«⟦FF⟧»\" {\n}\n", messages: ["the file is not UTF-8: invalid byte 0xFF at byte offset 10 (1 place); save it as UTF-8"]),
      .failing(
        "«⟦8E⟧⟦96⟧⟦8B⟧⟦C6⟧» a \"⟦8B⟧⟦7E⟧⟦8B⟧⟦7D⟧\" {\n  ⟦92⟧⟦53⟧⟦93⟧⟦96⟧ = ⟦88⟧⟦E3⟧⟦90⟧⟦AD⟧⟦8B⟧⟦C7⟧\n}\n",
        messages: [
          "the file is Shift_JIS (CP932), not UTF-8 (byte 0x8E on line 1 is the first UTF-8 cannot read); convert it to UTF-8 in place with `yosan fmt --encoding cp932 example.yosan` (or `iconv -f CP932 -t UTF-8 example.yosan`), or check it as it is with `yosan check --encoding cp932 example.yosan`"
        ]),
    ])

  static func check(_ context: inout RuleContext) {
    // One finding for the whole file (the first bad byte and how many places): the shell's.
    guard context.part.isShell else { return }
    guard let found = context.file.invalidUTF8 else { return }
    let byte = context.file.bytes[found.offset]
    let hex = String(byte, radix: 16, uppercase: true)
    if context.file.isShiftJIS {
      let path = shellQuoted(context.file.path)
      context.report(
        "the file is Shift_JIS (CP932), not UTF-8 (byte 0x\(hex) on line \(context.file.lineNumber(found.offset)) is the first UTF-8 cannot read); "
          + "convert it to UTF-8 in place with `yosan fmt --encoding cp932 \(path)` (or `iconv -f CP932 -t UTF-8 \(path)`), "
          + "or check it as it is with `yosan check --encoding cp932 \(path)`",
        at: TextRange(start: found.offset, length: found.length))
      return
    }
    let places = found.runs == 1 ? "1 place" : "\(found.runs) places"
    context.report("the file is not UTF-8: invalid byte 0x\(hex.count == 1 ? "0" : "")\(hex) at byte offset \(found.offset) (\(places)); save it as UTF-8", at: TextRange(start: found.offset, length: found.length))
  }

  /// `path` as a shell word: as it is when it holds nothing a shell reads specially, else in
  /// single quotes.
  static func shellQuoted(_ path: String) -> String {
    let special: Set<Character> = [" ", "\t", "'", "\"", "\\", "$", "`", "!", "&", "|", ";", "<", ">", "(", ")", "*", "?", "[", "]", "#", "~", "{", "}"]
    guard path.contains(where: { special.contains($0) }) else { return path }
    return "'" + path.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
  }
}
