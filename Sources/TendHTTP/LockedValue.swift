import Foundation

/// A value behind a lock, for state shared with libcurl's threads.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    /// Wraps a value.
    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value locked and returns what it returns.
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }

    /// The current value.
    var current: Value {
        withLock { $0 }
    }
}
