import Foundation
import Testing
import TendHTTP

/// The client against a real server on 127.0.0.1: round trips, retries, timeouts, reuse, concurrency.
/// Serialized: each test starts its own server process with blocking calls, and the timings are loose
/// bounds that parallel tests on two cores would blur.
@Suite(.serialized) struct HTTPClientTests {
    private func json(_ response: HTTPResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(response.body))
        return try #require(object as? [String: Any])
    }

    private func echoedHeaders(_ echo: [String: Any]) -> [String: String] {
        let pairs = echo["headers"] as? [[String]] ?? []
        var headers: [String: String] = [:]
        for pair in pairs where pair.count == 2 { headers[pair[0].lowercased()] = pair[1] }
        return headers
    }

    @Test func getsABody() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient()
        let response = try await client.send(HTTPRequest(url: server.url("/ok")))
        #expect(response.status == 200)
        #expect(response.text == "ok")
        #expect(response.header("Content-Type") == "text/plain")
        #expect(response.attempts == 1)
        #expect(client.requestCount == 1)
    }

    @Test func postsHeadersAndBodyAsGiven() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient()
        let request = HTTPRequest(method: "POST", url: server.url("/echo?a=1"),
                                  headers: [HTTPHeader("Content-Type", "application/x-amz-json-1.1"),
                                            HTTPHeader("X-Amz-Target", "Service.Operation")],
                                  body: Array(#"{"name":"web"}"#.utf8))
        let response = try await client.send(request)
        let echo = try json(response)
        let headers = echoedHeaders(echo)
        #expect(echo["method"] as? String == "POST")
        #expect(echo["path"] as? String == "/echo?a=1")
        #expect(echo["body"] as? String == #"{"name":"web"}"#)
        #expect(headers["content-type"] == "application/x-amz-json-1.1")
        #expect(headers["x-amz-target"] == "Service.Operation")
        #expect(headers["expect"] == nil)
        #expect(response.header("x-repeated") == "one, two")
    }

    @Test(arguments: ["PUT", "DELETE", "PATCH"])
    func sendsOtherMethods(method: String) async throws {
        let server = try TestServer()
        defer { server.stop() }
        let body: [UInt8] = method == "DELETE" ? [] : Array("payload".utf8)
        let response = try await HTTPClient().send(HTTPRequest(method: method, url: server.url("/echo"), body: body))
        let echo = try json(response)
        #expect(echo["method"] as? String == method)
        #expect(echo["body"] as? String == String(decoding: body, as: UTF8.self))
        if !body.isEmpty { #expect(echoedHeaders(echo)["content-type"] == "application/octet-stream") }
    }

    @Test func retriesServerErrorsUntilSuccess() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let events = EventLog()
        let client = HTTPClient(retry: HTTPRetryPolicy(baseDelay: 0.01, jitter: .none), onRetry: { events.append($0) })
        let response = try await client.send(HTTPRequest(url: server.url("/status/503?times=2")))
        #expect(response.status == 200)
        #expect(response.attempts == 3)
        #expect(client.requestCount == 3)
        #expect(events.all.map(\.reason) == [.status(503), .status(503)])
        #expect(events.all.map(\.delay) == [0.01, 0.02])
    }

    @Test func returnsTheLastServerErrorWhenRetriesRunOut() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(retry: HTTPRetryPolicy(maxRetries: 2, baseDelay: 0.01))
        let response = try await client.send(HTTPRequest(url: server.url("/status/500")))
        #expect(response.status == 500)
        #expect(response.attempts == 3)
        #expect(client.requestCount == 3)
    }

    @Test(arguments: [400, 403, 404, 409])
    func neverRetriesOtherClientErrors(status: Int) async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(retry: HTTPRetryPolicy(baseDelay: 0.01))
        let response = try await client.send(HTTPRequest(url: server.url("/status/\(status)")))
        #expect(response.status == status)
        #expect(response.attempts == 1)
        #expect(client.requestCount == 1)
    }

    @Test func retriesWhatTheClassifierCallsThrottling() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let policy = HTTPRetryPolicy(baseDelay: 0.01) { $0.status == 400 && $0.text.contains("<Code>Throttling</Code>") }
        let client = HTTPClient(retry: policy)
        let response = try await client.send(HTTPRequest(url: server.url("/aws-throttle?times=2")))
        #expect(response.status == 200)
        #expect(response.attempts == 3)
    }

    @Test(arguments: [false, true])
    func honoursRetryAfter(asDate: Bool) async throws {
        let server = try TestServer()
        defer { server.stop() }
        let events = EventLog()
        let client = HTTPClient(retry: HTTPRetryPolicy(baseDelay: 0.01), onRetry: { events.append($0) })
        let started = ContinuousClock.now
        let path = asDate ? "/throttle-retry-after?seconds=2&date=1" : "/throttle-retry-after?seconds=1"
        let response = try await client.send(HTTPRequest(url: server.url(path)))
        let elapsed = ContinuousClock.now - started
        #expect(response.status == 200)
        #expect(response.attempts == 2)
        #expect(events.all.first?.reason == .status(429))
        #expect(elapsed >= .milliseconds(900))
        // Well under the 20 s longest delay the policy would otherwise wait; wide, as a loaded machine is slow.
        #expect(elapsed < .seconds(12))
    }

    @Test func givesUpWhenRetryAfterExceedsTheLongestDelay() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(retry: HTTPRetryPolicy(maxDelay: 0.5))
        let response = try await client.send(HTTPRequest(url: server.url("/throttle-retry-after?seconds=3")))
        #expect(response.status == 429)
        #expect(response.header("retry-after") == "3")
        #expect(response.attempts == 1)
    }

    /// The defect of issue 9: a create whose answer was a 5xx may have been carried out, so it is never sent again.
    @Test func neverSendsAChangeAgainAfterAServerError() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(retry: HTTPRetryPolicy(baseDelay: 0.01))
        let response = try await client.send(HTTPRequest(method: "POST", url: server.url("/status/503?times=1&key=change"), body: [1]))
        #expect(response.status == 503)
        #expect(response.attempts == 1)
        #expect(client.requestCount == 1)
        #expect(client.retryCount == 0)
    }

    @Test func sendsAChangeMarkedIdempotentAgainAfterAServerError() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(retry: HTTPRetryPolicy(baseDelay: 0.01))
        let request = HTTPRequest(method: "POST", url: server.url("/status/503?times=1&key=read"), body: [1], isIdempotent: true)
        let response = try await client.send(request)
        #expect(response.status == 200)
        #expect(response.attempts == 2)
        #expect(client.retryCount == 1)
    }

    @Test func sendsAThrottledChangeAgain() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let policy = HTTPRetryPolicy(baseDelay: 0.01) { $0.status == 400 && $0.text.contains("<Code>Throttling</Code>") }
        let client = HTTPClient(retry: policy)
        let response = try await client.send(HTTPRequest(method: "POST", url: server.url("/aws-throttle?times=2&key=post"), body: [1]))
        #expect(response.status == 200)
        #expect(response.attempts == 3)
        #expect(client.retryCount == 2)
    }

    @Test func neverSendsAChangeAgainAfterATimeout() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(retry: HTTPRetryPolicy(maxRetries: 2, baseDelay: 0.01))
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(method: "POST", url: server.url("/slow?ms=1000"), body: [1], timeout: 0.2))
        }
        #expect(error?.code == .timeout)
        #expect(error?.wasNotSent == false)
        #expect(error?.attempts == 1)
        #expect(client.requestCount == 1)
    }

    @Test func sendsARefusedChangeAgain() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(retry: HTTPRetryPolicy(maxRetries: 2, baseDelay: 0.01))
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.closedPort)/ok", body: [1]))
        }
        #expect(error?.wasNotSent == true)
        #expect(error?.attempts == 3)
    }

    @Test func timesOut() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(retry: .none)
        let started = ContinuousClock.now
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: server.url("/slow?ms=2000"), timeout: 0.3))
        }
        #expect(error?.code == .timeout)
        #expect(error?.isTransient == true)
        #expect(ContinuousClock.now - started < .milliseconds(1500))
    }

    @Test func retriesTimeouts() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(retry: HTTPRetryPolicy(maxRetries: 1, baseDelay: 0.01))
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: server.url("/slow?ms=1000"), timeout: 0.2))
        }
        #expect(error?.code == .timeout)
        #expect(error?.attempts == 2)
        #expect(client.requestCount == 2)
    }

    @Test func refusedConnectionIsTransient() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(retry: HTTPRetryPolicy(maxRetries: 2, baseDelay: 0.01))
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: "http://127.0.0.1:\(server.closedPort)/ok"))
        }
        #expect(error?.code == .connection)
        #expect(error?.isTransient == true)
        #expect(error?.attempts == 3)
        #expect(client.requestCount == 3)
    }

    @Test(arguments: ["ftp://127.0.0.1/x", "not a url", "http://[::1/"])
    func rejectsInvalidURLs(url: String) async throws {
        let client = HTTPClient(retry: HTTPRetryPolicy(baseDelay: 0.01))
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: url))
        }
        #expect(error?.code == .invalidURL)
        #expect(error?.isTransient == false)
        #expect(client.requestCount == 1)
    }

    @Test func reusesTheConnectionForSequentialRequests() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(maxConcurrency: 4)
        var ports: Set<String> = []
        for _ in 0..<5 {
            ports.insert(try await client.send(HTTPRequest(url: server.url("/keepalive"))).text)
        }
        #expect(ports.count == 1)
    }

    @Test func keepsAtMostMaxConcurrencyInFlight() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient(maxConcurrency: 3)
        let url = server.url("/concurrent?ms=150")
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<10 {
                group.addTask { try await client.send(HTTPRequest(url: url)).status }
            }
            for try await status in group { #expect(status == 200) }
        }
        let stats = try json(try await HTTPClient().send(HTTPRequest(url: server.url("/stats"))))
        #expect(stats["max_in_flight"] as? Int == 3)
        #expect(client.requestCount == 10)
    }

    @Test func cancellingAbortsTheTransfer() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = HTTPClient()
        // The answer would take 20 s; an abort ends the wait long before, even on a loaded machine.
        let url = server.url("/slow?ms=20000")
        let started = ContinuousClock.now
        let task = Task { try await client.send(HTTPRequest(url: url)) }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}

/// Retry events collected from the client's callback.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [HTTPRetryEvent] = []

    func append(_ event: HTTPRetryEvent) { lock.withLock { events.append(event) } }
    var all: [HTTPRetryEvent] { lock.withLock { events } }
}
