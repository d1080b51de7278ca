import Foundation
import Testing
import TendHTTP
import TendModel
import TendState
@testable import TendWatch

@Suite struct WebhookTests {
    @Test func signatureMatchesRFC4231TestCase2() {
        let hex = WebhookSignature.hex(body: Array("what do ya want for nothing?".utf8), secret: Array("Jefe".utf8))
        #expect(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func signatureHeaderIsPrefixedAndWorksWithAnEmptySecretOrBody() {
        #expect(WebhookSignature.headerValue(body: [], secret: "key").hasPrefix("sha256="))
        // RFC 2104 with an empty key and message: the well-known b613679a… value.
        #expect(WebhookSignature.hex(body: [], secret: [])
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func payloadIsSentOnlyWhenSomethingOpenedOrResolved() {
        #expect(WebhookPayload.body(for: WatchMetricsTests.report(open: [])) == nil)
        var stillOpen = WatchMetricsTests.report(open: [WatchMetricsTests.finding(1, .missing)])
        stillOpen.opened = []
        #expect(WebhookPayload.body(for: stillOpen) == nil, "findings seen before are not news")
    }

    @Test func payloadHasSortedKeysAndTheFindings() throws {
        var finding = WatchMetricsTests.finding(3, .changed, path: "content")
        finding.expected = .string("a")
        finding.actual = .string("b")
        var resolved = WatchMetricsTests.finding(2, .missing, address: "gone")
        resolved.resolvedAt = Date(timeIntervalSince1970: 1_700_000_100)
        resolved.resolution = .reverted
        var report = WatchMetricsTests.report(open: [finding])
        report.resolved = [resolved]
        let body = try #require(WebhookPayload.body(for: report))
        #expect(String(decoding: body, as: UTF8.self) == """
        {"at":"2023-11-14T22:15:00Z","event":"drift",\
        "new":[{"actual":"b","address":"web","expected":"a","first_seen":"2023-11-14T22:13:20Z","id":3,"kind":"changed",\
        "last_seen":"2023-11-14T22:13:20Z","path":"content","status":"open","type":"local_file"}],\
        "resolved":[{"address":"gone","first_seen":"2023-11-14T22:13:20Z","id":2,"kind":"missing","last_seen":"2023-11-14T22:13:20Z",\
        "resolution":"reverted","resolved_at":"2023-11-14T22:15:00Z","status":"resolved","type":"local_file"}],\
        "run_id":7,"stack":"demo",\
        "summary":{"coverage":100,"new":1,"open":1,"remediated":[],"resolved":1,"total_changed":1,"total_defaults":2,\
        "total_managed":4,"total_missing":1,"total_unmanaged":0}}
        """)
    }

    @Test func requestIsASignedJSONPost() async {
        let notifier = WebhookNotifier(urls: [], secret: "Jefe") { _ in }
        let request = await notifier.makeRequest(url: "http://127.0.0.1:1/hook", body: Array("what do ya want for nothing?".utf8))
        #expect(request.method == "POST")
        #expect(request.header("content-type") == "application/json")
        #expect(request.header("x-tend-signature") == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let unsigned = await WebhookNotifier(urls: [], secret: nil) { _ in }.makeRequest(url: "http://x/", body: [])
        #expect(unsigned.header("x-tend-signature") == nil)
    }

    @Test func aDeliveryThatKeepsFailingIsReportedOnceWithoutBlocking() async throws {
        let failures = Failures()
        let client = HTTPClient(retry: HTTPRetryPolicy(maxRetries: 2, baseDelay: 0.01, maxDelay: 0.02, jitter: .none))
        // Nothing listens on port 1 of the loopback address: connection refused, retried, then given up.
        let notifier = WebhookNotifier(urls: ["http://127.0.0.1:1/hook"], secret: "s", client: client) { failures.add($0) }
        let start = ContinuousClock.now
        await notifier.notify(Array("{}".utf8))
        #expect(ContinuousClock.now - start < .milliseconds(100), "notify returns before the delivery ends")
        // Drain returns as soon as the delivery ends; the long bound only covers a suite that keeps both cooperative
        // threads of a 2-core machine busy (tests that run the tend binary block them for seconds).
        let abandoned = await notifier.drain(seconds: 120)
        #expect(abandoned == 0)
        #expect(failures.messages.count == 1)
        #expect(failures.messages.first?.contains("after 3 attempts") == true, "\(failures.messages)")
        #expect(await notifier.pendingCount == 0)
    }

    @Test func tooManyPendingDeliveriesAreDroppedAndCounted() async {
        let failures = Failures()
        let client = HTTPClient(retry: HTTPRetryPolicy(maxRetries: 50, baseDelay: 5, maxDelay: 5, jitter: .none))
        let notifier = WebhookNotifier(urls: ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b", "http://127.0.0.1:1/c"],
                                       secret: nil, client: client, maxPending: 2) { failures.add($0) }
        await notifier.notify(Array("{}".utf8))
        #expect(failures.messages.count == 1)
        #expect(failures.messages.first?.contains("dropped") == true)
        let abandoned = await notifier.drain(seconds: 0.1)
        #expect(abandoned == 2, "deliveries still retrying at shutdown are abandoned after the bounded wait")
        #expect(failures.messages.count == 3)
    }

    @Test(arguments: [("127.0.0.1:9464", "127.0.0.1", 9464, true), ("localhost:0", "localhost", 0, true),
                      ("[::1]:80", "::1", 80, true), ("0.0.0.0:9464", "0.0.0.0", 9464, false)])
    func parsesListenAddresses(text: String, host: String, port: Int, isLoopback: Bool) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.isLoopback == isLoopback)
    }

    @Test(arguments: ["9464", ":9464", "host:", "host:port", "host:70000", "host:-1"])
    func rejectsBadListenAddresses(text: String) {
        #expect(throws: WatchError.self) { try ListenAddress(parsing: text) }
    }
}

/// Failure messages collected from any thread.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func add(_ message: String) {
        lock.lock()
        items.append(message)
        lock.unlock()
    }

    var messages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

@Suite struct MetricsServerTests {
    @Test func servesMetricsAndHealthThenShutsDownWhenTold() async throws {
        let metrics = WatchMetrics()
        let stop = StopSignal()
        let bound = BoundAddress()
        let server = MetricsServer(address: ListenAddress(host: "127.0.0.1", port: 0), metrics: metrics)
        let running = Task { try await server.run(onRunning: { bound.set($0) }, until: { await stop.waitUntilRequested() }) }
        var address: ListenAddress?
        for _ in 0..<250 where address == nil {
            address = bound.value
            if address == nil { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        let port = try #require(address?.port)
        #expect(port != 0)
        let client = HTTPClient(retry: .none)
        let scraped = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics"))
        #expect(scraped.status == 200)
        #expect(scraped.header("content-type") == WatchMetrics.prometheusContentType)
        #expect(scraped.text == metrics.prometheusText())
        let health = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz"))
        #expect(health.status == 200)
        #expect(health.text.contains(#""status":"ok""#))
        #expect(try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/nothing")).status == 404)
        stop.request()
        try await running.value
    }

    @Test func anAddressInUseIsAnErrorNotAHang() async throws {
        let stop = StopSignal()
        let bound = BoundAddress()
        let first = MetricsServer(address: ListenAddress(host: "127.0.0.1", port: 0), metrics: WatchMetrics())
        let running = Task { try await first.run(onRunning: { bound.set($0) }, until: { await stop.waitUntilRequested() }) }
        defer { stop.request() }
        var address: ListenAddress?
        for _ in 0..<250 where address == nil {
            address = bound.value
            if address == nil { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        let taken = try #require(address)
        let second = MetricsServer(address: taken, metrics: WatchMetrics())
        await #expect(throws: (any Error).self) {
            try await second.run(onRunning: { _ in }, until: { await StopSignal().waitUntilRequested() })
        }
        stop.request()
        try await running.value
    }
}

/// The address a server reported, from any thread.
final class BoundAddress: @unchecked Sendable {
    private let lock = NSLock()
    private var address: ListenAddress?

    func set(_ address: ListenAddress) {
        lock.withLock { self.address = address }
    }

    var value: ListenAddress? { lock.withLock { address } }
}
