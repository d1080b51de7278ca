/// What one transfer came to.
enum TransferOutcome: Sendable {
    /// The server answered (any status).
    case response(HTTPResponse)
    /// No answer: timeout, connection failure, bad URL.
    case failure(HTTPError)
    /// The task was cancelled mid-transfer.
    case cancelled
}

/// One request waiting for, or running on, a transfer thread; resumed exactly once from there.
final class TransferJob: Sendable {
    /// The request to send.
    let request: HTTPRequest
    /// Set from any thread when the awaiting task is cancelled; the transfer aborts at its next progress tick.
    let cancellation = LockedValue(false)
    private let continuation: CheckedContinuation<TransferOutcome, Never>

    /// Creates a job that will resume `continuation`.
    init(request: HTTPRequest, continuation: CheckedContinuation<TransferOutcome, Never>) {
        self.request = request
        self.continuation = continuation
    }

    /// Whether the awaiting task was cancelled.
    var isCancelled: Bool { cancellation.current }

    /// Marks the job cancelled.
    func cancel() { cancellation.withLock { $0 = true } }

    /// Hands the outcome back to the awaiting task.
    func finish(_ outcome: TransferOutcome) {
        continuation.resume(returning: outcome)
    }
}
