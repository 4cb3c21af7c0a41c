// swift-tools-version:6.0
import PackageDescription

// Layers (each may import only the ones above it):
//   YosanSyntax  text, positions, lexer, lossless tree, parser; knows nothing of budgets
//   YosanCore    values, model, diagnostics, rules, analysis; knows nothing of JSON-RPC or UTF-16
//   YosanJSON    a JSON value, reader and writer (no dependencies); used by the CLI and the server
//   YosanSheets  ZIP (CRC-32, DEFLATE), XML, CSV and XLSX codecs; knows nothing of budgets (uses
//                only YosanSyntax's CP932 codec); used by the CLI's import and export
//   YosanLSP     the language server; the only target that knows JSON-RPC and UTF-16
//   YosanCLI     commands, reporters, file system
//   yosan        the executable: one line that calls YosanCLI
//   YosanGenerator, yosan-bench   synthetic budgets and the benchmark (not part of the product)
let package = Package(
  name: "Yosan",
  products: [
    .executable(name: "yosan", targets: ["yosan"]),
    .library(name: "YosanCore", targets: ["YosanCore"]),
  ],
  targets: [
    .target(name: "YosanSyntax"),
    .target(name: "YosanCore", dependencies: ["YosanSyntax"]),
    .target(name: "YosanJSON"),
    .target(name: "YosanSheets", dependencies: ["YosanSyntax"]),
    .target(name: "YosanLSP", dependencies: ["YosanSyntax", "YosanCore", "YosanJSON"]),
    .target(name: "YosanCLI", dependencies: ["YosanSyntax", "YosanCore", "YosanLSP", "YosanJSON", "YosanSheets"]),
    .executableTarget(name: "yosan", dependencies: ["YosanCLI"]),
    .target(name: "YosanGenerator"),
    .executableTarget(name: "yosan-bench", dependencies: ["YosanGenerator", "YosanSyntax", "YosanCore", "YosanJSON", "YosanLSP"]),
    .target(name: "YosanTestSupport", dependencies: ["YosanSyntax", "YosanCore", "YosanJSON", "YosanLSP", "YosanSheets"]),
    .testTarget(name: "YosanSyntaxTests", dependencies: ["YosanSyntax", "YosanGenerator", "YosanTestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "YosanCoreTests", dependencies: ["YosanCore", "YosanGenerator", "YosanTestSupport"]),
    .testTarget(name: "YosanCLITests", dependencies: ["YosanCLI", "yosan", "YosanGenerator", "YosanTestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "YosanSheetsTests", dependencies: ["YosanSheets", "YosanTestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "YosanLSPTests", dependencies: ["YosanLSP", "YosanJSON", "YosanTestSupport"]),
  ]
)
