import ProviderKit

/// An operation that must fail with a `ProviderError` of the expected kind, for checking that
/// a provider tells transient errors from terminal ones.
public struct ErrorProbe: Sendable {
    /// Whether the error must be worth retrying.
    public enum Expectation: String, Sendable, Hashable {
        case transient
        case terminal
    }

    /// The probe's name, shown in failures.
    public var name: String
    /// The resource type the probe exercises, shown in failures.
    public var type: String
    /// What kind of error the operation must throw.
    public var expectation: Expectation
    /// The operation; it must throw.
    public var operation: @Sendable (any ResourceProvider, ProviderContext) async throws -> Void

    /// Creates a probe.
    public init(name: String, type: String, expecting expectation: Expectation,
                operation: @escaping @Sendable (any ResourceProvider, ProviderContext) async throws -> Void) {
        self.name = name
        self.type = type
        self.expectation = expectation
        self.operation = operation
    }
}
