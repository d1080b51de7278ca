import TendModel

/// Sends HTTP requests with libcurl, at most `maxConcurrency` at a time, retrying the failures the policy
/// calls safe to retry (see `HTTPRetryPolicy`: never a change whose outcome is unknown).
///
/// Transfers run on the client's own threads, never on the Swift concurrency pool; an awaiting
/// task is resumed from there. Connections are kept alive and reused across requests. Cancelling
/// the awaiting task aborts its transfer and throws `CancellationError`.
public final class HTTPClient: Sendable {
    /// The retry policy every request uses.
    public let retry: HTTPRetryPolicy
    /// The most requests in flight at once.
    public let maxConcurrency: Int
    private let onRetry: (@Sendable (HTTPRetryEvent) -> Void)?
    private let pool: TransferPool
    private let permits: AsyncSemaphore
    private let sentCount = LockedValue(0)
    private let retriedCount = LockedValue(0)

    /// Creates a client; `onRetry` hears of every retry before its wait.
    public init(maxConcurrency: Int = 16, retry: HTTPRetryPolicy = .init(),
                onRetry: (@Sendable (HTTPRetryEvent) -> Void)? = nil) {
        self.maxConcurrency = max(1, maxConcurrency)
        self.retry = retry
        self.onRetry = onRetry
        pool = TransferPool(maxThreads: self.maxConcurrency)
        permits = AsyncSemaphore(permits: self.maxConcurrency)
    }

    deinit {
        pool.shutDown()
    }

    /// Requests actually sent so far, retries included.
    public var requestCount: Int {
        sentCount.current
    }

    /// Retries the client decided on so far (each one also counts in `requestCount` once sent).
    public var retryCount: Int {
        retriedCount.current
    }

    /// Sends a request, retrying as the policy says, and returns the final response — including
    /// a 4xx or 5xx one; throws `HTTPError` when no response came back, `CancellationError` when cancelled.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            switch try await transfer(request) {
            case var .response(response):
                response.attempts = attempt
                guard attempt <= retry.maxRetries, let reason = retry.reason(for: response, to: request),
                      let delay = retry.delay(attempt: attempt, retryAfter: RetryAfter.seconds(in: response)) else {
                    return response
                }
                try await wait(HTTPRetryEvent(attempt: attempt, reason: reason, delay: delay))
            case var .failure(error):
                error.attempts = attempt
                guard attempt <= retry.maxRetries, let reason = retry.reason(for: error, to: request),
                      let delay = retry.delay(attempt: attempt, retryAfter: nil) else {
                    throw error
                }
                try await wait(HTTPRetryEvent(attempt: attempt, reason: reason, delay: delay))
            case .cancelled:
                throw CancellationError()
            }
        }
    }

    /// Reports a retry and sleeps before it.
    private func wait(_ event: HTTPRetryEvent) async throws {
        retriedCount.withLock { $0 += 1 }
        onRetry?(event)
        try await Task.sleep(nanoseconds: UInt64(saturating: max(0, event.delay) * 1_000_000_000))
    }

    /// One attempt, holding a concurrency permit only while it is in flight.
    private func transfer(_ request: HTTPRequest) async throws -> TransferOutcome {
        await permits.acquire()
        if Task.isCancelled {
            await permits.release()
            throw CancellationError()
        }
        sentCount.withLock { $0 += 1 }
        let pool = self.pool
        let holder = LockedValue<TransferJob?>(nil)
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TransferOutcome, Never>) in
                let job = TransferJob(request: request, continuation: continuation)
                let cancelledEarly = holder.withLock { slot -> Bool in
                    slot = job
                    return Task.isCancelled
                }
                if cancelledEarly { job.cancel() }
                pool.submit(job)
            }
        } onCancel: {
            holder.withLock { $0?.cancel() }
        }
        await permits.release()
        return outcome
    }
}
