import Foundation
import YosanGenerator

/// `yosan-bench spreadsheets [--items N] [--runs N]`: `yosan export` to CSV, XLSX and a Data
/// Package, and `yosan import` of the CSV and the XLSX back, on one generated file of N items
/// (10,000 by default); the median wall time, the median CPU time (user and system, all
/// threads: the figure to compare on a shared machine) and the peak memory of each command, in
/// a fresh process each run.
func benchmarkSpreadsheets(yosan: URL, items: Int, runs: Int) throws {
  let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("yosan-bench-sheets-\(getpid())")
  try? FileManager.default.removeItem(at: scratch)
  defer { try? FileManager.default.removeItem(at: scratch) }
  let files = BudgetGenerator.generate(.init(items: items, seed: 42))
  try writeFiles(files, to: scratch)
  let source = scratch.appendingPathComponent(files[0].name).path
  func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }
  let commands: [(String, [String], String?)] = [
    ("export --format csv", ["export", "--format", "csv", "-o", path("items.csv"), source], path("items.csv")),
    ("export --format xlsx", ["export", "--format", "xlsx", "-o", path("items.xlsx"), source], path("items.xlsx")),
    ("export --format datapackage", ["export", "--format", "datapackage", "-o", path("package"), source], nil),
    ("import (the CSV)", ["import", path("items.csv"), "-o", path("from-csv.yosan")], path("from-csv.yosan")),
    ("import (the XLSX)", ["import", path("items.xlsx"), "-o", path("from-xlsx.yosan")], path("from-xlsx.yosan")),
  ]
  let size = (try? FileManager.default.attributesOfItem(atPath: source)[.size] as? Int) ?? 0
  print("yosan-bench spreadsheets: \(yosan.path); \(items) items, \(String(format: "%.1f MB", Double(size) / 1e6)) of .yosan")
  print("")
  print("| command, \(items) items | wall (median of \(runs)) | CPU (median) | peak RSS | output |")
  print("|---|---|---|---|---|")
  for (name, arguments, output) in commands {
    var times: [Double] = []
    var cpu: [Double] = []
    var peak = 0.0
    for attempt in 0..<runs {
      if arguments[2] == "datapackage" { try? FileManager.default.removeItem(atPath: path("package")) }
      let result = run(yosan, arguments)
      if result.status != 0 { fail("`yosan \(arguments.joined(separator: " "))` exited \(result.status) (run \(attempt + 1))") }
      times.append(result.seconds)
      cpu.append(result.cpuSeconds)
      peak = max(peak, result.peakMB)
    }
    let bytes = output.flatMap { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? nil } ?? 0
    print("| \(name) | \(ms(median(times))) | \(ms(median(cpu))) | \(String(format: "%.1f MB", peak)) | \(bytes > 0 ? String(format: "%.1f MB", Double(bytes) / 1e6) : "a folder") |")
  }
}
