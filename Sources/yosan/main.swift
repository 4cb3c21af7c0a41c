#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import YosanCLI

// A write beyond a file-size limit must fail with an error the tool reports (and cleans up
// after), not kill the process half-way through writing a temporary file.
signal(SIGXFSZ, SIG_IGN)

#if canImport(Glibc)
  // A one-shot command allocates its trees and model once and frees them at exit: glibc's default
  // of serving large blocks with mmap (unmapped on free, faulted in again on the next allocation)
  // and returning freed heap to the system cost `yosan check` of 10,000 items a third of its page
  // faults (24,000 → 16,000) and a tenth of its processor time. The language server, which lives
  // long and opens and closes documents, keeps the defaults. `mallopt` is looked up at run time:
  // the Glibc module does not export <malloc.h>.
  if CommandLine.arguments.dropFirst().first != "lsp",
    let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt")
  {
    typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
    let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3
    _ = mallopt(mmapThreshold, 1 << 30)
    _ = mallopt(trimThreshold, Int32.max)
  }
#endif

exit(CommandLineTool.main(CommandLine.arguments))
