// Fuzz target (e): the column index of long lines (LineIndex, PositionEncoding's checkpoints)
// against counting from the line's start, before and after an edit (see FuzzChecks.columns).
import YosanTestSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzColumns(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  if let failure = FuzzChecks.columns(Array(UnsafeRawBufferPointer(start: start, count: count))) { fatalError(failure) }
  return 0
}
