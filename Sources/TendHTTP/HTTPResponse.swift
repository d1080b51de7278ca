/// An HTTP response: status, headers and body, plus how many attempts it took.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code of the final response.
    public var status: Int
    /// Headers by lowercased name; repeated headers are joined with `", "`.
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]
    /// Requests sent to get this response: 1 when no retry was needed.
    public var attempts: Int

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = [], attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    /// The value of a header, by name in any case.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }

    /// The body decoded as UTF-8, invalid bytes replaced.
    public var text: String {
        String(decoding: body, as: UTF8.self)
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool {
        (200..<300).contains(status)
    }
}
