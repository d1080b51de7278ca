import Foundation
import TendModel

/// A stop flag set once (by SIGINT or SIGTERM) that wakes every sleeper waiting on it.
///
/// It never cancels anything: the run in flight finishes and the loop sees the flag afterwards.
public final class StopSignal: WatchSleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    /// Creates a signal that has not fired.
    public init() {}

    /// Whether `request()` was called.
    public var isStopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Sets the flag and wakes every sleeper; later calls do nothing more.
    public func request() {
        lock.lock()
        requested = true
        let woken = waiters
        waiters = [:]
        lock.unlock()
        for continuation in woken.values { continuation.resume() }
    }

    /// Waits up to `seconds`, or until `request()`, or until the calling task is cancelled.
    public func sleep(seconds: Double) async {
        guard !isStopRequested else { return }
        await withTaskGroup(of: Void.self) { group in
            // The sleep throws only when cancelled, which is how a stop request ends it: nothing to report.
            group.addTask { try? await Task.sleep(nanoseconds: UInt64(saturating: max(0, min(seconds, 1e9)) * 1_000_000_000)) }
            group.addTask { await self.waitUntilRequested() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns once the flag is set (or the calling task is cancelled).
    public func waitUntilRequested() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                lock.lock()
                if requested || Task.isCancelled {
                    lock.unlock()
                    continuation.resume()
                    return
                }
                waiters[id] = continuation
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            let continuation = waiters.removeValue(forKey: id)
            lock.unlock()
            continuation?.resume()
        }
    }
}
