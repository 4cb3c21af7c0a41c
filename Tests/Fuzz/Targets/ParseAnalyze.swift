// Fuzz target (a): parse and analyse arbitrary bytes (see FuzzChecks.parseAndAnalyse).
import YosanTestSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParseAnalyze(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  if let failure = FuzzChecks.parseAndAnalyse(Array(UnsafeRawBufferPointer(start: start, count: count))) { fatalError(failure) }
  return 0
}
