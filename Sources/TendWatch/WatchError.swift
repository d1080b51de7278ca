// TendWatch owns scheduled drift detection around the engine: the loop and its
// timing, webhook notifications, and the metrics served over HTTP. It never
// loads configuration or opens state itself: the CLI passes in one run as a
// closure. It must not import TendCLI.

/// Why a watch option or server could not be used.
public struct WatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// `--interval` is not a duration tend understands, or is below the minimum.
        case invalidInterval = "invalid_interval"
        /// `--jitter` is not a fraction or a percentage below 100 %.
        case invalidJitter = "invalid_jitter"
        /// `--listen` is not HOST:PORT.
        case invalidListenAddress = "invalid_listen_address"
        /// `--webhook` is not an http or https URL.
        case invalidWebhookURL = "invalid_webhook_url"
        /// The metrics server could not start.
        case server
    }

    /// The kind of problem.
    public var code: Code
    /// What to tell the user.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
