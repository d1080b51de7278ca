import TendModel

/// An error from a provider operation, transient (worth retrying) or terminal.
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// A timeout, connection error, throttling or 5xx: retrying may succeed.
        case transient
        /// Invalid input the user must fix.
        case invalidInput = "invalid_input"
        /// The object exists already where the provider cannot adopt it.
        case conflict
        /// Not allowed.
        case accessDenied = "access_denied"
        /// The type is not one this provider manages.
        case unknownType = "unknown_type"
        /// Anything else that retrying will not fix.
        case failed
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, in words that name the object.
    public var message: String
    /// A code from the remote side (an AWS error code, an errno name), when there is one.
    public var remoteCode: String?
    /// Seconds the remote side asked to wait before retrying.
    public var retryAfter: Double?
    /// The request never reached the remote side (connection refused, unknown host): nothing can have changed.
    /// A timeout is not this: the remote side may have acted on a request whose answer was lost.
    public var wasNotSent: Bool
    /// The attribute the error is about (a provider's diagnostic with a path), for pointing at where it is declared.
    public var attribute: AttributePath?

    /// Creates an error.
    public init(_ code: Code, _ message: String, remoteCode: String? = nil, retryAfter: Double? = nil, wasNotSent: Bool = false) {
        self.code = code
        self.message = message
        self.remoteCode = remoteCode
        self.retryAfter = retryAfter
        self.wasNotSent = wasNotSent
    }

    /// Whether retrying may succeed.
    public var isTransient: Bool { code == .transient }

    /// The message, with the remote code when there is one.
    public var description: String {
        remoteCode.map { "\(message) (\($0))" } ?? message
    }
}
