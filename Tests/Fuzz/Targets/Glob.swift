// Fuzz target (d): the `exclude`/`include` glob matcher against the patterns' definition, and its
// cost (see FuzzChecks.glob).
import YosanTestSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGlob(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  if let failure = FuzzChecks.glob(Array(UnsafeRawBufferPointer(start: start, count: count))) { fatalError(failure) }
  return 0
}
