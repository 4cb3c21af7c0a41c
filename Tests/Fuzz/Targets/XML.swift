// Fuzz target: the XML reader, and its writer's round trip (see FuzzChecks.xml).
import YosanTestSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  if let failure = FuzzChecks.xml(Array(UnsafeRawBufferPointer(start: start, count: count))) { fatalError(failure) }
  return 0
}
