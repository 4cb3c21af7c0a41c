import Foundation
import Testing
import YosanJSON
import YosanTestSupport

/// Applies a unified diff to a text the way `patch` does, checking every context and removed
/// line, line breaks included (`\ No newline at end of file` marks the line before it as having
/// none); nil when the diff does not apply.
func applyUnifiedDiff(_ diff: String, to text: String) -> String? {
  /// Lines with their line breaks.
  func lines(_ text: String) -> [String] {
    var result: [String] = []
    var current = ""
    for character in text.unicodeScalars {
      current.unicodeScalars.append(character)
      if character == "\n" {
        result.append(current)
        current = ""
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }
  let old = lines(text)
  let diffLines = lines(diff)
  var result: [String] = []
  var cursor = 0
  var index = 0
  while index < diffLines.count {
    let line = diffLines[index]
    index += 1
    guard line.hasPrefix("@@ -") else { continue }
    let oldStart = Int(line.dropFirst(4).prefix { $0 != "," && $0 != " " }) ?? 0
    let count = Int(line.dropFirst(4).drop { $0 != "," }.dropFirst().prefix { $0 != " " }) ?? 1
    // An empty old range names the line before it.
    let start = count == 0 ? oldStart : Swift.max(0, oldStart - 1)
    guard start >= cursor, start <= old.count else { return nil }
    result += old[cursor..<start]
    cursor = start
    while index < diffLines.count, let first = diffLines[index].first, first == " " || first == "-" || first == "+" {
      var body = String(diffLines[index].dropFirst())
      index += 1
      if index < diffLines.count, diffLines[index].hasPrefix("\\") {
        body.unicodeScalars.removeLast()
        index += 1
      }
      if first != "+" {
        guard cursor < old.count, old[cursor] == body else { return nil }
        cursor += 1
      }
      if first != "-" { result.append(body) }
    }
  }
  result += old[cursor...]
  return result.joined()
}

struct SuppressionCLITests {
  @Test func eachFormSuppressesAndUnusedOrReasonlessOnesAreReported() throws {
    let text = Scratch.header + """
      # yosan: disable-file missing-title -- 原本に表題なし
      事業 a {
        担当 = 医政局
        # yosan: disable-next-line unknown-key -- 旧様式の項目名
        要球額 = 1億円
        要求額 = 1億円
        前年額 = 1億円 # yosan: disable-line unknown-key
        補助率 = 1/2 # yosan: disable-line malformed-amount -- 念のため
        # yosan: disable-next-line unkown-key -- 綴り違い
        補正額 = 1億円
      }

      """
    let result = try YosanBinary.run(["check", "-"], input: Data(text.utf8))
    #expect(result.stdout.split(separator: "\n") == [
      "-:12:13: warning: this suppression gives no reason; add one after `--`, like `# yosan: disable-line unknown-key -- 原本の表記どおり` [suppression-without-reason]",
      "-:13:13: warning: this suppression of `malformed-amount` is unused: no `malformed-amount` diagnostic on line 13; remove it [unused-suppression]",
      "-:14:30: warning: unknown rule `unkown-key` in this suppression; did you mean `unknown-key`? [invalid-suppression]",
      "-:15:3: error: unknown key `補正額` in a 事業; did you mean `補正`? [unknown-key]",
    ])
    #expect(result.status == 1)
  }

  @Test(arguments: ["--", "－－", "——"])
  func theReasonSeparatorCanBeTypedWithAJapaneseInputMethod(_ separator: String) throws {
    let text = Scratch.header + Scratch.item("a", ["担当 = 医政局", "要求額 = 1億円", "要球額 = 1億円 # yosan: disable-line unknown-key \(separator) 旧様式の項目名"])
    let result = try YosanBinary.run(["check", "-"], input: Data(text.utf8))
    #expect(result.stdout == "")
    #expect(result.status == 0)
    let reasonless = Scratch.header + Scratch.item("a", ["担当 = 医政局", "要求額 = 1億円", "要球額 = 1億円 # yosan: disable-line unknown-key \(separator)"])
    #expect(try YosanBinary.run(["check", "-"], input: Data(reasonless.utf8)).stdout.contains("[suppression-without-reason]"))
  }

  @Test func unusedSuppressionsCanBeMadeErrorsOrTurnedOff() throws {
    let text = Scratch.header + Scratch.item("a", ["担当 = 医政局", "要求額 = 1億円 # yosan: disable-line unknown-key -- 念のため"])
    let dir = try Scratch.folder(["a.yosan": text, "yosan.config.yosan": "rules {\n  unused-suppression = error\n}\n"])
    #expect(try YosanBinary.run(["check", "a.yosan"], in: dir).status == 1)
    try Scratch.write("rules {\n  unused-suppression = off\n}\n", to: dir.appendingPathComponent("yosan.config.yosan"))
    let off = try YosanBinary.run(["check", "a.yosan"], in: dir)
    #expect(off.status == 0)
    #expect(off.stdout == "")
  }
}

struct FixCommandTests {
  /// Two unused suppressions (safe fixes that remove them) and an error without a safe fix.
  static let text = Scratch.header + """
    事業 a "t" {
      担当 = 医政局
      # yosan: disable-next-line unknown-key -- 昔の項目名
      要求額 = 1億円
      前年度 = 1億円 # yosan: disable-line unknown-key, malformed-amount -- 念のため
      要球額 = 2億円
    }

    """
  static let fixed = Scratch.header + """
    事業 a "t" {
      担当 = 医政局
      要求額 = 1億円
      前年度 = 1億円
      要球額 = 2億円
    }

    """

  @Test func fixAppliesSafeFixesKeepsPermissionsAndReportsWhatRemains() throws {
    let dir = try Scratch.folder(["a.yosan": Self.text])
    let file = dir.appendingPathComponent("a.yosan")
    try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
    let result = try YosanBinary.run(["check", "--fix", "a.yosan"], in: dir)
    #expect(try Scratch.read(file) == Self.fixed)
    #expect(result.stdout == "a.yosan:10:3: error: unknown key `要球額` in a 事業; did you mean `要求額`? [unknown-key]\n")
    #expect(result.stderr == "1 error, 0 warnings in 1 file (1 item, 0 sums, 0 rates checked); 2 fixes applied to 1 file\n")
    #expect(result.status == 1)
    let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
    // No temporary file is left behind.
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.yosan"])
    // Nothing left to fix: the file is not touched again.
    let again = try YosanBinary.run(["check", "--fix", "a.yosan"], in: dir)
    #expect(!again.stderr.contains("applied"))
  }

  @Test func diffShowsTheFixesWithoutWriting() throws {
    let dir = try Scratch.folder(["a.yosan": Self.text])
    let result = try YosanBinary.run(["check", "--diff", "a.yosan"], in: dir)
    #expect(result.status == 1)
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")) == Self.text)
    #expect(result.stdout.hasPrefix("--- a.yosan\n+++ a.yosan\n@@ "))
    #expect(applyUnifiedDiff(result.stdout, to: Self.text) == Self.fixed)
    #expect(result.stderr == "2 fixes would be applied to 1 file\n")
    let clean = try YosanBinary.run(["check", "--diff", "-"], input: Data(Self.fixed.utf8))
    #expect(clean.status == 0)
    #expect(clean.stdout == "")
  }

  @Test func fixOnStandardInputWritesTheTextToStandardOutput() throws {
    let result = try YosanBinary.run(["check", "--fix", "--stdin-filename", "a.yosan", "-"], input: Data(Self.text.utf8))
    #expect(result.stdout == Self.fixed)
    #expect(result.stderr.hasPrefix("a.yosan:10:3: error: unknown key `要球額`"))
    #expect(result.status == 1)
    #expect(try YosanBinary.run(["check", "--fix", "--format", "json", "-"], input: Data(Self.text.utf8)).status == 2)
  }

  @Test func fixAndJSONReportTheFixCount() throws {
    let dir = try Scratch.folder(["a.yosan": Self.text])
    let result = try YosanBinary.run(["check", "--fix", "--format", "json", "a.yosan"], in: dir)
    let json = try JSON.parse(result.stdout)
    #expect(json["summary"]?["fixed"]?.intValue == 2)
    #expect(json["diagnostics"]?.arrayValue?.count == 1)
  }

  @Test func aReadOnlyFileIsLeftIntactWithAClearMessage() throws {
    let dir = try Scratch.folder(["a.yosan": Self.text])
    let file = dir.appendingPathComponent("a.yosan")
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file.path)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path) }
    let result = try YosanBinary.run(["check", "--fix", "a.yosan"], in: dir)
    #expect(result.status == 2)
    #expect(result.stderr.contains("yosan: a.yosan: the file is read-only"))
    #expect(try Scratch.read(file) == Self.text)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.yosan"])
  }
}

struct FormatCommandTests {
  static let messy = Scratch.header + "事業 a \"t\" {\n担当=医政局\n      要求額 = 1億円 # コメント\n}\n事業 b \"u\" { 担当 = 医政局\n要求額 = 2億円 }\n"
  static let formatted = Scratch.header + "事業 a \"t\" {\n  担当   = 医政局\n  要求額 = 1億円 # コメント\n}\n\n事業 b \"u\" {\n  担当   = 医政局\n  要求額 = 2億円\n}\n"

  @Test func fmtRewritesAndIsIdempotent() throws {
    let dir = try Scratch.folder(["a.yosan": Self.messy, "clean.yosan": Self.formatted])
    let result = try YosanBinary.run(["fmt", "."], in: dir)
    #expect(result.status == 0)
    #expect(result.stderr == "1 file reformatted, 1 file unchanged\n")
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")) == Self.formatted)
    let again = try YosanBinary.run(["fmt", "--check", "."], in: dir)
    #expect(again.status == 0)
    #expect(again.stdout == "")
  }

  @Test func checkAndDiffWriteNothing() throws {
    let dir = try Scratch.folder(["a.yosan": Self.messy, "clean.yosan": Self.formatted])
    let check = try YosanBinary.run(["fmt", "--check", "."], in: dir)
    #expect(check.status == 1)
    #expect(check.stdout == "./a.yosan\n")
    #expect(check.stderr == "1 file would be reformatted, 1 file already formatted\n")
    let diff = try YosanBinary.run(["fmt", "--diff", "a.yosan"], in: dir)
    #expect(diff.status == 1)
    #expect(applyUnifiedDiff(diff.stdout, to: Self.messy) == Self.formatted)
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")) == Self.messy)
  }

  @Test func aFileWithSyntaxErrorsIsReportedAndLeftByteForByte() throws {
    let broken = Scratch.header + "事業 a \"t\" {\n担当 医政局\n   要求額=1億円\n}\n"
    let dir = try Scratch.folder(["a.yosan": broken, "b.yosan": Self.messy])
    let before = try Scratch.bytes(dir.appendingPathComponent("a.yosan"))
    let result = try YosanBinary.run(["fmt", "a.yosan", "b.yosan"], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("a.yosan:7:1: error: missing `=` after `担当`; write `担当 = 医政局` [syntax-error]"))
    #expect(result.stderr.contains("yosan: a.yosan: not formatted: it has syntax errors"))
    #expect(try Scratch.bytes(dir.appendingPathComponent("a.yosan")) == before)
    #expect(try Scratch.read(dir.appendingPathComponent("b.yosan")) == Self.formatted, "the other file is still formatted")
  }

  @Test func crlfAndTheByteOrderMarkSurvive() throws {
    let crlf = "\u{FEFF}" + Self.messy.replacingOccurrences(of: "\n", with: "\r\n")
    let dir = try Scratch.folder(["a.yosan": crlf])
    #expect(try YosanBinary.run(["fmt", "a.yosan"], in: dir).status == 0)
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")) == "\u{FEFF}" + Self.formatted.replacingOccurrences(of: "\n", with: "\r\n"))
  }

  @Test func standardInputGoesToStandardOutput() throws {
    let result = try YosanBinary.run(["fmt", "-"], input: Data(Self.messy.utf8))
    #expect(result.stdout == Self.formatted)
    #expect(result.status == 0)
    let broken = "事業 a \"t\" {\n担当 医政局\n"
    let unchanged = try YosanBinary.run(["fmt", "--stdin-filename", "x.yosan", "-"], input: Data(broken.utf8))
    #expect(unchanged.stdout == broken, "an editor piping through fmt keeps its text")
    #expect(unchanged.status == 1)
  }

  /// The bundled samples are in fmt's layout: copying them and turning on the fmt hook changes
  /// nothing.
  @Test func theSamplesAreInFmtsLayout() throws {
    let result = try YosanBinary.run(["fmt", "--check", "Samples"])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout == "")
  }

  /// A full-width id gets a safe fix to its half-width form, which `--fix` applies.
  @Test func aFullWidthIdIsFixedToItsHalfWidthForm() throws {
    let dir = try Scratch.folder(["a.yosan": Scratch.header + Scratch.item("ｋｉｋｉｎ", ["担当 = 医政局", "要求額 = 1億円"])])
    let fixed = try YosanBinary.run(["check", "--fix", "a.yosan"], in: dir)
    #expect(fixed.status == 0, "\(fixed.stdout)")
    #expect(try Scratch.read(dir.appendingPathComponent("a.yosan")).contains("事業 kikin \"t\" {"))
  }

  @Test func configurationFilesAreFormattedToo() throws {
    let dir = try Scratch.folder(["yosan.config.yosan": "rules {\nmissing-title=off\n}\n", "a.yosan": Self.formatted])
    #expect(try YosanBinary.run(["fmt", "."], in: dir).status == 0)
    #expect(try Scratch.read(dir.appendingPathComponent("yosan.config.yosan")) == "rules {\n  missing-title = off\n}\n")
  }
}

/// The notation rules' safe fixes, end to end: after `check --fix`, no fixable notation finding
/// is left, and the figures that `export` reads are the same as before.
struct NotationFixEndToEndTests {
  static let text = Scratch.header + """
    事業 a "全角の数字と単位の空白" {
      担当 = 医政局
      要求額 = ７．９億円
      前年度 = ６．２ 億円
      補助率 = １／２
      内訳 {
        研究費 = ５．２ 億円
        事務費 = 2.7 億円
        合計 = ７．９ 億円
      }
    }

    事業 b "ダッシュのなし" {
      種別 = 新規
      担当 = 老健局
      要求額 = １２，３４５千円
      前年度 = －
      負担割合 = 国 １／２、都道府県 １／４、市町村 １／４
    }

    事業 c "ダッシュと単位" {
      種別 = 新規
      担当 = 健康局
      要求額 = 3.0 百万円
      前年度 = -
    }

    事業 d "長音" {
      種別 = 新規
      担当 = 保険局
      要求額 = １億円
      前年度 = ー
    }

    """

  /// Every figure of an export: the yen of amounts and the exact fractions, by place.
  func figures(_ export: JSON) -> [String] {
    var result: [String] = []
    func walk(_ value: JSON, _ path: String) {
      switch value {
      case .object(let members):
        for (key, member) in members where key != "written" && key != "line" { walk(member, path + "/" + key) }
      case .array(let elements):
        for (index, element) in elements.enumerated() { walk(element, "\(path)/\(index)") }
      case .number(let n): result.append("\(path)=\(n)")
      case .string(let s): if path.hasSuffix("fraction") || path.contains("fractions") || path.hasSuffix("kind") { result.append("\(path)=\(s)") }
      default: break
      }
    }
    walk(export, "")
    return result
  }

  @Test func fixLeavesNoFixableNotationAndTheFiguresUnchanged() throws {
    let dir = try Scratch.folder(["a.yosan": Self.text])
    let notation: Set<String> = ["fullwidth-character", "unit-spacing", "dash-none"]
    let before = try JSON.parse(try YosanBinary.run(["check", "--format", "json", "a.yosan"], in: dir).stdout)
    let found = (before["diagnostics"]?.arrayValue ?? []).compactMap { $0["rule"]?.stringValue }
    #expect(Set(found).isSuperset(of: notation), "the file has every kind of notation finding: \(found)")
    #expect(found.filter { $0 == "fullwidth-character" }.count >= 5)
    let exportBefore = try JSON.parse(try YosanBinary.run(["export", "a.yosan"], in: dir).stdout)

    let fixed = try YosanBinary.run(["check", "--fix", "a.yosan"], in: dir)
    #expect(fixed.stderr.contains("applied to 1 file"))
    let after = try JSON.parse(try YosanBinary.run(["check", "--format", "json", "a.yosan"], in: dir).stdout)
    let remaining = (after["diagnostics"]?.arrayValue ?? []).filter { diagnostic in
      notation.contains(diagnostic["rule"]?.stringValue ?? "") || (diagnostic["fixes"]?.arrayValue ?? []).contains { $0["safe"]?.boolValue == true }
    }
    #expect(remaining.isEmpty, "left: \(remaining.map { $0["message"]?.stringValue ?? "" })")
    let exportAfter = try JSON.parse(try YosanBinary.run(["export", "a.yosan"], in: dir).stdout)
    #expect(figures(exportAfter) == figures(exportBefore))
    #expect(figures(exportBefore).contains("/files/0/items/0/request/yen=790000000"))
    #expect(figures(exportBefore).contains("/files/0/items/1/request/yen=12345000"))
    #expect(exportAfter["files"]?[0]?["items"]?[0]?["request"]?["written"]?.stringValue == "7.9億円")
    #expect(exportAfter["files"]?[0]?["items"]?[1]?["previous"]?["written"]?.stringValue == "なし")
    // And the fixed file is still formatted as it was: `fmt` and `--fix` do not fight.
    let formatted = try YosanBinary.run(["fmt", "--check", "a.yosan"], in: dir)
    #expect(formatted.status == 0 || formatted.stdout == "a.yosan\n")
  }
}
