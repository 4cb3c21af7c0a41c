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
      """,
    examples: [
      .passing("事業 a \"タイトル\" {\n  担当 = 医政局\n}\n"),
      .failing("事業 a \"«⟦FF⟧»\" {\n}\n", messages: ["the file is not UTF-8: invalid byte 0xFF at byte offset 10 (1 place); save it as UTF-8"]),
    ])

  static func check(_ context: inout RuleContext) {
    // One finding for the whole file (the first bad byte and how many places): the shell's.
    guard context.part.isShell else { return }
    guard let found = context.file.invalidUTF8 else { return }
    let byte = context.file.bytes[found.offset]
    let hex = String(byte, radix: 16, uppercase: true)
    let places = found.runs == 1 ? "1 place" : "\(found.runs) places"
    context.report("the file is not UTF-8: invalid byte 0x\(hex.count == 1 ? "0" : "")\(hex) at byte offset \(found.offset) (\(places)); save it as UTF-8", at: TextRange(start: found.offset, length: found.length))
  }
}
