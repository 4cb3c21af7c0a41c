// Fuzz target: ZIP archives, workbooks and raw DEFLATE streams (see FuzzChecks.archive).
import YosanTestSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  if let failure = FuzzChecks.archive(Array(UnsafeRawBufferPointer(start: start, count: count))) { fatalError(failure) }
  return 0
}
