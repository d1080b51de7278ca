/// When and how long to wait before sending a request again.
///
/// A request is sent again only when sending it twice cannot do anything twice:
/// - it certainly never reached the server (refused connection, unknown host);
/// - it was throttled (429, or a response the `isThrottled` classifier accepts): a server that throttles a
///   request rejects it before acting on it, so it did nothing;
/// - it is idempotent (`HTTPRequest.isIdempotent`: reads), and the transport failed (a timeout, a lost connection),
///   or, when `retriesServerErrors` (webhooks), it got a 5xx.
///
/// A provider's client leaves `retriesServerErrors` off: every answer the server gave goes back to the engine,
/// which owns the one retry layer for operations. A request that changes something and got a 5xx, a timeout or a
/// reset may have been carried out; sending it again could do it twice (a second VPC), so the engine first finds
/// out what happened. Never retries any other 4xx. Waits with exponential backoff and jitter, or as long as the
/// server's `Retry-After` asks, and gives up on a `Retry-After` longer than `maxDelay`.
public struct HTTPRetryPolicy: Sendable {
    /// How the backoff is randomised.
    public enum Jitter: Sendable, Hashable {
        /// Exactly the exponential ceiling: for tests.
        case none
        /// Anywhere between zero and the ceiling.
        case full
        /// Between half the ceiling and the ceiling.
        case equal
    }

    /// Retries after the first attempt; 0 sends once.
    public var maxRetries: Int
    /// Seconds before the first retry, doubled for each one after.
    public var baseDelay: Double
    /// The longest wait in seconds.
    public var maxDelay: Double
    /// How the backoff is randomised.
    public var jitter: Jitter
    /// Whether a response the status alone would not retry is throttling all the same.
    public var isThrottled: @Sendable (HTTPResponse) -> Bool
    /// Whether an idempotent request that got a 5xx is sent again here (true), or the answer goes back to a caller
    /// that owns retries (a provider's engine).
    public var retriesServerErrors: Bool

    /// Creates a policy.
    public init(maxRetries: Int = 4, baseDelay: Double = 0.1, maxDelay: Double = 20, jitter: Jitter = .full,
                isThrottled: @escaping @Sendable (HTTPResponse) -> Bool = { _ in false }, retriesServerErrors: Bool = true) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.isThrottled = isThrottled
        self.retriesServerErrors = retriesServerErrors
    }

    /// A policy that never retries.
    public static var none: HTTPRetryPolicy { HTTPRetryPolicy(maxRetries: 0) }

    /// Why the response to `request` should be retried, or nil when it should be returned as it is.
    public func reason(for response: HTTPResponse, to request: HTTPRequest) -> HTTPRetryReason? {
        if response.status == 429 { return .status(429) }
        if response.status >= 400, isThrottled(response) { return .throttled(response.status) }
        if retriesServerErrors, request.isIdempotent, (500..<600).contains(response.status) { return .status(response.status) }
        return nil
    }

    /// Why a failed transfer of `request` should be retried, or nil when it is final.
    public func reason(for error: HTTPError, to request: HTTPRequest) -> HTTPRetryReason? {
        guard error.isTransient, error.wasNotSent || request.isIdempotent else { return nil }
        return .transport(error.code)
    }

    /// Seconds to wait before retry number `attempt` (1-based); nil when the server asked for
    /// longer than `maxDelay`, so the caller should give up and report the response.
    public func delay(attempt: Int, retryAfter: Double?) -> Double? {
        if let retryAfter {
            return retryAfter > maxDelay ? nil : max(0, retryAfter)
        }
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(max(attempt - 1, 0), 30)))
        switch jitter {
        case .none: return ceiling
        case .full: return Double.random(in: 0...ceiling)
        case .equal: return Double.random(in: ceiling / 2...ceiling)
        }
    }
}
