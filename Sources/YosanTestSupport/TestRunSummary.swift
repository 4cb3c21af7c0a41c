#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The last line of `swift test`: what ran, and whether it passed.
///
/// `swift test` runs the XCTest runner before Swift Testing, and on Linux nothing but the command
/// line turns it off (SwiftPM enables XCTest by default, `--disable-xctest` is the only switch,
/// and the README's command is plain `swift test`). Every test of this package is a Swift Testing
/// test, so that runner always reports `Executed 0 tests` first, which reads like a failure. The
/// Swift Testing process (the one whose tests call into this module) ends with one line that says
/// what ran and how it went, written when the process exits, after Swift Testing's own summary.
public enum TestRunSummary {
  /// Registers the line once per process (touched by the helpers every suite uses).
  public static let register: Void = {
    #if canImport(Glibc)
      _ = on_exit({ status, _ in TestRunSummary.write(status: status) }, nil)
    #endif
  }()

  /// The line for a process that exits with `status`.
  public static func line(status: Int32) -> String {
    status == 0
      ? "swift test: all tests passed (Swift Testing: the summary above; the XCTest runner's \"Executed 0 tests\" before it is expected, the package has no XCTest tests)"
      : "swift test: FAILED (Swift Testing: the ✘ lines above; the XCTest runner's \"Executed 0 tests\" before them is expected, the package has no XCTest tests)"
  }

  static func write(status: Int32) {
    #if canImport(Glibc)
      fflush(nil)
      let text = "\n" + line(status: status) + "\n"
      // Standard error, where Swift Testing writes (SwiftPM shows both): after its summary.
      _ = text.withCString { Glibc.write(2, $0, strlen($0)) }
    #endif
  }
}
