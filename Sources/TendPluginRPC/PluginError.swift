/// An error from running or talking to a plugin: the code says which stage failed.
public struct PluginError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The binary could not be started.
        case launch
        /// It started but did not complete go-plugin's handshake.
        case handshake
        /// The process exited while tend was talking to it.
        case crashed
        /// A call took longer than its timeout.
        case timeout
        /// The connection failed (refused, reset).
        case connection
        /// A reply tend cannot decode: bad msgpack, a value that breaks the schema.
        case garbage
        /// The provider answered with error diagnostics.
        case diagnostics
        /// The provider does not have what was asked for (a type, a schema).
        case unsupported
    }

    public var code: Code
    public var message: String
    /// The provider's error diagnostics, when `code` is `.diagnostics`.
    public var diagnostics: [PluginDiagnostic]

    public init(_ code: Code, _ message: String, diagnostics: [PluginDiagnostic] = []) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
    }

    public var description: String { message }
}
