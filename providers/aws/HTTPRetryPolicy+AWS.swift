import TendHTTP

extension HTTPRetryPolicy {
    /// The client policy for AWS: the usual retries, plus AWS's throttling codes sent with a 400.
    public static func aws(maxRetries: Int = 4, baseDelay: Double = 0.1, maxDelay: Double = 20) -> HTTPRetryPolicy {
        HTTPRetryPolicy(maxRetries: maxRetries, baseDelay: baseDelay, maxDelay: maxDelay, jitter: .full,
                        isThrottled: AWSErrorParser.isThrottling)
    }
}
