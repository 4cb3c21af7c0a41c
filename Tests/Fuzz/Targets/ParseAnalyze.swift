// Fuzz target (a): parse and analyse arbitrary bytes.
// Asserts the lossless round trip and that analysis terminates without trapping.
import YosanCore
import YosanSyntax

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParseAnalyze(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
  let tree = Parser.parse(bytes)
  guard tree.reconstructText(from: bytes) == bytes, tree.textLength == bytes.count else {
    fatalError("round trip failed for \(bytes.count) bytes")
  }
  let analysis = Analyzer.analyze([SourceFile(path: "a.yosan", bytes: bytes), SourceFile(path: "b.yosan", bytes: bytes)])
  for file in analysis.files {
    for diagnostic in file.diagnostics {
      guard diagnostic.range.start >= 0, diagnostic.range.end <= bytes.count else {
        fatalError("diagnostic \(diagnostic.ruleID) out of range: \(diagnostic.range) in \(bytes.count) bytes")
      }
      _ = file.facts.position(of: diagnostic.range.start)
    }
  }
  return 0
}
