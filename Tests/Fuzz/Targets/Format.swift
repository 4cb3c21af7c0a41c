// Fuzz target (b): format arbitrary bytes (see FuzzChecks.format).
import YosanTestSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormat(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  if let failure = FuzzChecks.format(Array(UnsafeRawBufferPointer(start: start, count: count))) { fatalError(failure) }
  return 0
}
