// TendHTTP is tend's HTTP client: libcurl driven from dedicated threads, with a bound on
// requests in flight and retries for transient failures. It imports CCurl and TendModel only;
// it knows nothing of providers, AWS, the engine or state.

/// One request header line: a name and its value, sent as given.
public struct HTTPHeader: Sendable, Hashable {
    /// The header name, e.g. `Content-Type`.
    public var name: String
    /// The value, without the trailing line break.
    public var value: String

    /// Creates a header.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
