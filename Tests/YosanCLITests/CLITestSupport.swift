import Foundation
import YosanJSON
import YosanTestSupport

/// Scratch folders and common texts for the CLI tests.
enum Scratch {
  /// A fresh folder with the given files in it (paths may have folders).
  static func folder(_ files: [String: String]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("yosan-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files { try write(text, to: url.appendingPathComponent(name)) }
    return url
  }

  static func write(_ text: String, to file: URL) throws {
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
  }

  static func read(_ file: URL) throws -> String { String(decoding: try Data(contentsOf: file), as: UTF8.self) }

  static func bytes(_ file: URL) throws -> [UInt8] { Array(try Data(contentsOf: file)) }

  /// A valid 予算 header (five lines with the blank line after it).
  static let header = "予算 \"令和7年度\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n"

  /// An item with the given body lines (indented by two spaces).
  static func item(_ id: String, _ lines: [String]) -> String {
    "事業 \(id) \"t\" {\n" + lines.map { "  " + $0 + "\n" }.joined() + "}\n"
  }

  /// A JSON Schema of `Spec/`.
  static func schema(_ name: String) throws -> JSONSchema {
    JSONSchema(try JSON.parse(String(decoding: try Data(contentsOf: RepoPaths.url("Spec/" + name)), as: UTF8.self)))
  }
}
