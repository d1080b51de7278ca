/// An HTTP request: method, absolute URL, headers in order, body and timeouts.
public struct HTTPRequest: Sendable, Hashable {
    /// The method, e.g. `GET`, `POST`, `PUT`, `DELETE`, `HEAD`.
    public var method: String
    /// The absolute `http` or `https` URL, already percent-encoded; sent exactly as given.
    public var url: String
    /// Header lines in the order they are sent; a name may repeat.
    public var headers: [HTTPHeader]
    /// The body; empty for none.
    public var body: [UInt8]
    /// Seconds the whole transfer may take, connecting included.
    public var timeout: Double
    /// Seconds connecting may take; capped by `timeout`.
    public var connectTimeout: Double
    /// How many redirects to follow; 0 (the default) returns a 3xx response as it is.
    public var maxRedirects: Int
    /// Whether sending the request twice has the same effect as sending it once, so the client may send it again
    /// after an answer that leaves its outcome unknown (a 5xx, a timeout, a reset connection). The default is true
    /// for `GET`, `HEAD` and `OPTIONS` only; an API that reads with `POST` (AWS's Query protocol) says so here.
    public var isIdempotent: Bool

    /// Creates a request; `isIdempotent` defaults to whether the method is a safe one (`GET`, `HEAD`, `OPTIONS`).
    public init(method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8] = [],
                timeout: Double = 30, connectTimeout: Double = 10, maxRedirects: Int = 0, isIdempotent: Bool? = nil) {
        self.isIdempotent = isIdempotent ?? ["GET", "HEAD", "OPTIONS"].contains(method.uppercased())
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxRedirects = maxRedirects
    }

    /// The value of the first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Replaces every header with this name (case-insensitively) by one line with `value`.
    public mutating func setHeader(_ name: String, _ value: String) {
        let wanted = name.lowercased()
        headers.removeAll { $0.name.lowercased() == wanted }
        headers.append(HTTPHeader(name, value))
    }
}
