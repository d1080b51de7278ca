import Foundation
import TendHTTP
import TendModel

/// Delivers webhook bodies in background tasks, so a slow or dead receiver never holds up the loop.
///
/// Each delivery retries with backoff (the client's policy: connection failures, timeouts, 429 and 5xx);
/// one that still fails, or that is dropped because too many are pending, is reported to `onFailure`.
public actor WebhookNotifier {
    /// The receivers.
    public let urls: [String]
    private let secret: String?
    private let client: HTTPClient
    private let maxPending: Int
    private let timeout: Double
    private let onFailure: @Sendable (String) -> Void
    private var pending: [UUID: Task<Void, Never>] = [:]

    /// The retry policy webhook deliveries use unless told otherwise: five retries, 0.5 s doubling to 8 s.
    public static let defaultRetry = HTTPRetryPolicy(maxRetries: 5, baseDelay: 0.5, maxDelay: 8, jitter: .equal)

    /// Creates a notifier; without a secret, bodies are sent unsigned.
    public init(urls: [String], secret: String?, client: HTTPClient = HTTPClient(maxConcurrency: 4, retry: defaultRetry),
                maxPending: Int = 64, timeout: Double = 10, onFailure: @escaping @Sendable (String) -> Void) {
        self.urls = urls
        self.secret = secret
        self.client = client
        self.maxPending = max(1, maxPending)
        self.timeout = timeout
        self.onFailure = onFailure
    }

    /// Deliveries started and not yet finished.
    public var pendingCount: Int { pending.count }

    /// Starts delivering `body` to every URL and returns at once.
    public func notify(_ body: [UInt8]) {
        for url in urls {
            guard pending.count < maxPending else {
                onFailure("webhook \(url): dropped, \(pending.count) deliveries are still pending")
                continue
            }
            let request = makeRequest(url: url, body: body)
            let id = UUID()
            let client = self.client
            let onFailure = self.onFailure
            pending[id] = Task {
                await WebhookNotifier.deliver(request, client: client, onFailure: onFailure)
                self.finished(id)
            }
        }
    }

    /// Waits up to `seconds` for pending deliveries, then cancels the rest (each counts as a failure).
    /// Returns how many were abandoned.
    @discardableResult
    public func drain(seconds: Double) async -> Int {
        let deadline = ContinuousClock.now + .milliseconds(Int64(saturating: max(0, seconds) * 1000))
        while !pending.isEmpty && ContinuousClock.now < deadline {
            do { try await Task.sleep(nanoseconds: 20_000_000) } catch { break }   // cancelled: stop waiting, abandon the rest
        }
        let abandoned = pending.values
        for task in abandoned { task.cancel() }
        for task in abandoned { await task.value }
        return abandoned.count
    }

    /// The signed POST for one receiver. Delivery is at least once: a POST whose answer was lost (a 5xx, a timeout)
    /// is sent again, so it is marked idempotent; receivers tell repeats apart by `run_id` and `event`.
    func makeRequest(url: String, body: [UInt8]) -> HTTPRequest {
        var headers = [HTTPHeader("Content-Type", "application/json"), HTTPHeader("User-Agent", "tend-watch")]
        if let secret { headers.append(HTTPHeader(WebhookSignature.headerName, WebhookSignature.headerValue(body: body, secret: secret))) }
        return HTTPRequest(method: "POST", url: url, headers: headers, body: body, timeout: timeout,
                           connectTimeout: min(timeout, 5), isIdempotent: true)
    }

    private func finished(_ id: UUID) {
        pending[id] = nil
    }

    private static func deliver(_ request: HTTPRequest, client: HTTPClient, onFailure: @Sendable (String) -> Void) async {
        do {
            let response = try await client.send(request)
            if !response.isSuccess {
                onFailure("webhook \(request.url): HTTP \(response.status) after \(response.attempts) attempt\(response.attempts == 1 ? "" : "s")")
            }
        } catch is CancellationError {
            onFailure("webhook \(request.url): abandoned at shutdown")
        } catch let error as HTTPError {
            onFailure("webhook \(request.url): \(error.message) after \(error.attempts) attempt\(error.attempts == 1 ? "" : "s")")
        } catch {
            onFailure("webhook \(request.url): \(error)")
        }
    }
}
