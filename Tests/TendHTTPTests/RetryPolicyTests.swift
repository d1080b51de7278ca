import Testing
@testable import TendHTTP

/// The retry policy's decisions, without a server.
@Suite struct RetryPolicyTests {
    @Test(arguments: [(429, true), (500, true), (503, true), (599, true), (400, false), (404, false), (200, false), (301, false)])
    func retriesOnlyThrottlingAndServerErrorsOfReads(status: Int, retried: Bool) {
        let read = HTTPRequest(method: "GET", url: "http://127.0.0.1/")
        #expect((HTTPRetryPolicy().reason(for: HTTPResponse(status: status), to: read) != nil) == retried)
    }

    /// A change that got a 5xx may have been carried out; only throttling (which rejects a request before acting
    /// on it) is sent again.
    @Test(arguments: [(429, true), (500, false), (503, false), (400, false)])
    func retriesChangesOnlyWhenThrottled(status: Int, retried: Bool) {
        let change = HTTPRequest(method: "POST", url: "http://127.0.0.1/")
        #expect((HTTPRetryPolicy().reason(for: HTTPResponse(status: status), to: change) != nil) == retried)
        let throttling = HTTPRetryPolicy { $0.status == 400 }
        #expect(throttling.reason(for: HTTPResponse(status: 400), to: change) == .throttled(400))
    }

    @Test(arguments: [("GET", true), ("HEAD", true), ("OPTIONS", true), ("POST", false), ("PUT", false), ("DELETE", false)])
    func onlySafeMethodsAreIdempotentByDefault(method: String, idempotent: Bool) {
        #expect(HTTPRequest(method: method, url: "http://127.0.0.1/").isIdempotent == idempotent)
        #expect(HTTPRequest(method: method, url: "http://127.0.0.1/", isIdempotent: true).isIdempotent)
    }

    @Test func retriesAChangeAfterATransportFailureOnlyWhenItWasNotSent() {
        let change = HTTPRequest(method: "POST", url: "http://127.0.0.1/")
        let read = HTTPRequest(method: "POST", url: "http://127.0.0.1/", isIdempotent: true)
        let refused = HTTPError(.connection, "refused", wasNotSent: true)
        let reset = HTTPError(.connection, "reset")
        let timeout = HTTPError(.timeout, "timed out")
        #expect(HTTPRetryPolicy().reason(for: refused, to: change) == .transport(.connection))
        #expect(HTTPRetryPolicy().reason(for: reset, to: change) == nil)
        #expect(HTTPRetryPolicy().reason(for: timeout, to: change) == nil)
        #expect(HTTPRetryPolicy().reason(for: reset, to: read) == .transport(.connection))
        #expect(HTTPRetryPolicy().reason(for: timeout, to: read) == .transport(.timeout))
    }

    @Test func backsOffExponentiallyUpToTheLongestDelay() {
        let policy = HTTPRetryPolicy(baseDelay: 0.5, maxDelay: 3, jitter: .none)
        #expect((1...5).map { policy.delay(attempt: $0, retryAfter: nil) } == [0.5, 1, 2, 3, 3])
    }

    @Test(arguments: [HTTPRetryPolicy.Jitter.full, .equal])
    func jitterStaysUnderTheCeiling(jitter: HTTPRetryPolicy.Jitter) throws {
        let policy = HTTPRetryPolicy(baseDelay: 1, maxDelay: 100, jitter: jitter)
        for _ in 0..<100 {
            let delay = try #require(policy.delay(attempt: 3, retryAfter: nil))
            #expect(delay <= 4)
            #expect(delay >= (jitter == .equal ? 2 : 0))
        }
    }

    @Test func readsRetryAfterAsSecondsOrADate() {
        #expect(RetryAfter.seconds(in: HTTPResponse(status: 429, headers: ["retry-after": "7"])) == 7)
        let dated = HTTPResponse(status: 503, headers: ["retry-after": "Sun, 06 Nov 1994 08:49:42 GMT",
                                                       "date": "Sun, 06 Nov 1994 08:49:37 GMT"])
        #expect(RetryAfter.seconds(in: dated) == 5)
        #expect(RetryAfter.seconds(in: HTTPResponse(status: 503, headers: ["retry-after": "soon"])) == nil)
        #expect(RetryAfter.epochSeconds(httpDate: "Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(RetryAfter.epochSeconds(httpDate: "Tue, 29 Feb 2000 12:00:00 GMT") == 951_825_600)
    }
}
