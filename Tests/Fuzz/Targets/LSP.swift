// Fuzz target (c): the language server's message reader and dispatcher fed arbitrary bytes.
import YosanTestSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLSP(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  if let failure = LSPFuzzCheck.run(Array(UnsafeRawBufferPointer(start: start, count: count))) { fatalError(failure) }
  return 0
}
