/// Why the client sent a request again.
public enum HTTPRetryReason: Sendable, Hashable {
    /// No response came back: a timeout or a connection failure.
    case transport(HTTPError.Code)
    /// The server answered 429 or 5xx.
    case status(Int)
    /// The policy's classifier called the response throttling (AWS's 400 `Throttling`, for one).
    case throttled(Int)
}

/// One retry the client made: which attempt failed, why, and how long it waited.
public struct HTTPRetryEvent: Sendable, Hashable {
    /// The attempt that failed, 1-based.
    public var attempt: Int
    /// Why it is retried.
    public var reason: HTTPRetryReason
    /// Seconds waited before the next attempt.
    public var delay: Double

    /// Creates an event.
    public init(attempt: Int, reason: HTTPRetryReason, delay: Double) {
        self.attempt = attempt
        self.reason = reason
        self.delay = delay
    }
}
