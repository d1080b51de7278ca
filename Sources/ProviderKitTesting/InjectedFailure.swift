import ProviderKit

/// An error an `InMemoryProvider` throws instead of doing an operation.
public struct InjectedFailure: Sendable, Hashable {
    /// The error thrown.
    public var error: ProviderError
    /// How many more calls fail; nil fails every call.
    public var remaining: Int?

    /// Fails `times` calls with `error`, then lets calls succeed; nil `times` fails every call.
    public init(_ error: ProviderError, times: Int? = nil) {
        self.error = error
        self.remaining = times
    }

    /// A transient error for the first `times` calls, then success.
    public static func transient(times: Int, _ message: String = "injected transient failure") -> InjectedFailure {
        InjectedFailure(ProviderError(.transient, message), times: times)
    }

    /// A terminal error on every call.
    public static func terminal(_ code: ProviderError.Code = .failed, _ message: String = "injected terminal failure") -> InjectedFailure {
        InjectedFailure(ProviderError(code, message))
    }
}
