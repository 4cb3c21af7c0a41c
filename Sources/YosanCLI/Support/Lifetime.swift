/// Values the process keeps until it exits.
///
/// A command's last act is to exit; freeing a large analysis first (every tree node, item and
/// string, one by one) takes longer than some analyses themselves — tens of milliseconds for
/// 10,000 items — and the operating system reclaims the memory at exit anyway.
enum Lifetime {
  nonisolated(unsafe) private static var kept: [Any] = []

  static func keepUntilExit(_ value: Any) { kept.append(value) }
}
