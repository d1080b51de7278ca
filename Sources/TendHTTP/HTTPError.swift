/// A request that got no HTTP response: a timeout, a connection failure, a bad URL.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The transfer or the connect took longer than allowed.
        case timeout
        /// The connection was refused or reset, or the host name did not resolve.
        case connection
        /// The URL is malformed or not `http`/`https`.
        case invalidURL = "invalid_url"
        /// More redirects than the request allows.
        case tooManyRedirects = "too_many_redirects"
        /// Anything else libcurl reported.
        case other
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, naming the method and URL.
    public var message: String
    /// libcurl's error number, when the failure came from libcurl.
    public var curlCode: Int?
    /// Requests sent before giving up, retries included.
    public var attempts: Int
    /// Whether the request certainly never reached the server (refused connection, unknown host, bad URL), so
    /// nothing can have happened there. False for a timeout or a connection reset after sending: the server may
    /// have acted on a request whose answer was lost.
    public var wasNotSent: Bool

    /// Creates an error.
    public init(_ code: Code, _ message: String, curlCode: Int? = nil, attempts: Int = 1, wasNotSent: Bool = false) {
        self.code = code
        self.message = message
        self.curlCode = curlCode
        self.attempts = attempts
        self.wasNotSent = wasNotSent
    }

    /// Whether retrying may succeed: timeouts and connection failures.
    public var isTransient: Bool {
        code == .timeout || code == .connection
    }

    /// The code and the message.
    public var description: String {
        "\(code.rawValue): \(message)"
    }
}
