import Testing
@testable import TendHTTP

/// The retry policy's decisions, without a server.
@Suite struct RetryPolicyTests {
    @Test(arguments: [(429, true), (500, true), (503, true), (599, true), (400, false), (404, false), (200, false), (301, false)])
    func retriesOnlyThrottlingAndServerErrors(status: Int, retried: Bool) {
        #expect((HTTPRetryPolicy().reason(for: HTTPResponse(status: status)) != nil) == retried)
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
