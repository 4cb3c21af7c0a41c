#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import YosanCLI

// A write beyond a file-size limit must fail with an error the tool reports (and cleans up
// after), not kill the process half-way through writing a temporary file.
signal(SIGXFSZ, SIG_IGN)
exit(CommandLineTool.main(CommandLine.arguments))
