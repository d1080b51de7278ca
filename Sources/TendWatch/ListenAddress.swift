import Foundation

/// Where the metrics server listens: `HOST:PORT`, `[IPv6]:PORT`; port 0 picks a free one.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host name or IP address.
    public var host: String
    /// The TCP port; 0 lets the system choose.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `127.0.0.1:9464`, `localhost:0`, `[::1]:9464`.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.lastIndex(of: ":") else {
            throw WatchError(.invalidListenAddress, "--listen expects HOST:PORT, such as 127.0.0.1:9464, got \"\(text)\"")
        }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let portText = trimmed[trimmed.index(after: colon)...]
        guard !host.isEmpty, !host.contains(" "), let port = Int(portText), (0...65535).contains(port) else {
            throw WatchError(.invalidListenAddress, "--listen expects HOST:PORT with a port from 0 to 65535, got \"\(text)\"")
        }
        self.init(host: host, port: port)
    }

    /// Whether only this machine can connect: `localhost`, `127.0.0.0/8` or `::1`.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
