import TendHTTP

extension HTTPRetryPolicy {
    /// The client policy for AWS: re-sends what certainly did nothing (throttled, AWS's throttling codes sent with a
    /// 400 included, or never sent) and reads whose transport failed. A 5xx goes back to the engine, which owns the
    /// retries of operations: one layer, not two.
    public static func aws(maxRetries: Int = 4, baseDelay: Double = 0.1, maxDelay: Double = 20) -> HTTPRetryPolicy {
        HTTPRetryPolicy(maxRetries: maxRetries, baseDelay: baseDelay, maxDelay: maxDelay, jitter: .full,
                        isThrottled: AWSErrorParser.isThrottling, retriesServerErrors: false)
    }
}
