import ProviderKit
import Synchronization
import TendModel

/// How many times operations were retried, across every task of a run (for `--verbose`).
public final class RetryCounter: Sendable {
    private let count = Mutex(0)

    /// A counter at zero.
    public init() {}

    /// Retries counted so far.
    public var value: Int { count.withLock { $0 } }

    func increment() { count.withLock { $0 += 1 } }
}

/// Exponential backoff with jitter for transient provider errors. Owned by the core, not by providers.
public struct RetryPolicy: Sendable {
    public var maxRetries: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// Where retries are counted, when anywhere.
    public var counter: RetryCounter?

    public init(maxRetries: Int = 4, baseDelay: Double = 0.2, maxDelay: Double = 10) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxRetries: 0)

    /// Seconds to wait before retry number `attempt` (1-based), honouring a server's Retry-After.
    public func delay(attempt: Int, retryAfter: Double?) -> Double {
        if let retryAfter { return min(maxDelay, max(0, retryAfter)) }
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 20)))
        return Double.random(in: ceiling / 2...ceiling)   // "equal jitter"
    }

    /// Runs `operation`, retrying transient ProviderErrors. Terminal errors and cancellation end it at once.
    public func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await operation()
            } catch let error as ProviderError where error.isTransient && attempt < maxRetries {
                attempt += 1
                counter?.increment()
                let seconds = delay(attempt: attempt, retryAfter: error.retryAfter)
                try await Task.sleep(nanoseconds: UInt64(saturating: seconds * 1_000_000_000))
            }
        }
    }
}
