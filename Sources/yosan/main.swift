#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import YosanCLI

exit(CommandLineTool.main(CommandLine.arguments))
