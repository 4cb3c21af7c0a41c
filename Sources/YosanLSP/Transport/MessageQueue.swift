#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import YosanJSON

/// The messages the reader thread has read and the main loop has not handled yet, plus what the
/// reader learns ahead of the main loop: which requests the client cancelled and which documents
/// have changes waiting (so that a result for an older version is dropped as ContentModified).
///
/// The reader pushes every message of one `read` in one batch, so the main loop sees a request and
/// a `$/cancelRequest` or `didChange` that arrived with it together.
public final class MessageQueue: @unchecked Sendable {
  /// One queued item.
  public enum Item: Sendable {
    case message(IncomingMessage)
    /// A framing problem or a message too large: answered with an error, logged.
    case framingError(id: RequestID?, ResponseError)
    /// The input ended; `unfinished` says what was cut off, if anything.
    case endOfInput(unfinished: String?)
  }

  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var items: [Item] = []
  private var head = 0
  /// Requests queued or being handled, not yet answered.
  private var open: Set<RequestID> = []
  private var cancelled: Set<RequestID> = []
  /// Per document URI, the number of queued open/change/close notifications.
  private var pendingChanges: [String: Int] = [:]

  public init() {
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
  }

  private func locked<T>(_ body: () -> T) -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return body()
  }

  /// The document a notification changes, if it is one of the document-sync notifications.
  static func changedDocument(_ message: IncomingMessage) -> String? {
    guard case .notification(let method, let params) = message else { return nil }
    switch method {
    case "textDocument/didChange", "textDocument/didOpen", "textDocument/didClose":
      return params["textDocument"]?["uri"]?.stringValue
    default:
      return nil
    }
  }

  /// Adds items read together. `$/cancelRequest` is recorded here and not queued.
  public func push(_ batch: [Item]) {
    guard !batch.isEmpty else { return }
    locked {
      for item in batch {
        if case .message(let message) = item {
          switch message {
          case .request(let id, _, _):
            open.insert(id)
          case .notification("$/cancelRequest", let params):
            if let id = params["id"].flatMap(RequestID.init), open.contains(id) { cancelled.insert(id) }
            continue
          default:
            if let uri = MessageQueue.changedDocument(message) { pendingChanges[uri, default: 0] += 1 }
          }
        }
        items.append(item)
      }
      pthread_cond_signal(condition)
    }
  }

  /// The next item, waiting for one; nil when `timeout` (in seconds) passes first.
  public func pop(timeout: Double? = nil) -> Item? {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    if head == items.count, let timeout {
      var now = timespec()
      clock_gettime(CLOCK_REALTIME, &now)
      let total = Double(now.tv_nsec) / 1e9 + timeout
      var deadline = timespec(tv_sec: now.tv_sec + Int(total), tv_nsec: Int((total - Double(Int(total))) * 1e9))
      while head == items.count {
        if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
      }
    } else {
      while head == items.count { pthread_cond_wait(condition, mutex) }
    }
    guard head < items.count else { return nil }
    // Diagnostics first: a pull request for diagnostics goes ahead of the other requests queued
    // before it (never ahead of a notification, which may change what it reports).
    if let first = MessageQueue.request(items[head]), !MessageQueue.diagnosticMethods.contains(first) {
      var index = head + 1
      while index < items.count, let method = MessageQueue.request(items[index]) {
        if MessageQueue.diagnosticMethods.contains(method) {
          let item = items.remove(at: index)
          items.insert(item, at: head)
          break
        }
        index += 1
      }
    }
    let item = items[head]
    head += 1
    if head == items.count || head > 1024 {
      items.removeFirst(head)
      head = 0
    }
    if case .message(let message) = item, let uri = MessageQueue.changedDocument(message) {
      pendingChanges[uri, default: 1] -= 1
      if pendingChanges[uri] == 0 { pendingChanges[uri] = nil }
    }
    return item
  }

  /// The requests for diagnostics (LSP 3.17 pull), answered before other requests.
  static let diagnosticMethods: Set<String> = ["textDocument/diagnostic", "workspace/diagnostic"]

  /// The method of a queued request (nil for anything else).
  static func request(_ item: Item) -> String? {
    if case .message(.request(_, let method, _)) = item { return method }
    return nil
  }

  /// True when nothing is waiting.
  public var isEmpty: Bool { locked { head == items.count } }

  /// True when the client cancelled `id`.
  public func isCancelled(_ id: RequestID) -> Bool { locked { cancelled.contains(id) } }

  /// Forgets `id` once it has been answered.
  public func answered(_ id: RequestID) {
    locked {
      open.remove(id)
      cancelled.remove(id)
    }
  }

  /// True when a change to the document `uri` is waiting: a result computed now would be stale.
  public func hasPendingChange(_ uri: String) -> Bool { locked { pendingChanges[uri] != nil } }
}
