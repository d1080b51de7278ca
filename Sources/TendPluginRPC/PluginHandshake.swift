import Foundation

/// The line a go-plugin server prints on stdout once it listens: `CORE|APP|NETWORK|ADDRESS|PROTOCOL[|CERT]`, e.g.
/// `1|5|unix|/tmp/plugin123/sock|grpc|`.
struct PluginHandshake: Sendable, Hashable {
    /// go-plugin's core protocol version; only 1 exists.
    var coreVersion: Int
    /// The negotiated application protocol: Terraform's plugin protocol major version, 5 or 6.
    var protocolVersion: Int
    /// `unix` or `tcp`.
    var network: String
    /// The socket path, or `HOST:PORT` for tcp.
    var address: String
    /// `grpc` (`netrpc` is the pre-0.12 protocol, which tend does not speak).
    var wireProtocol: String
    /// The server's certificate (base64 DER) when it asks for mutual TLS; empty for plain gRPC.
    var serverCertificate: String

    /// Parses a handshake line; nil with the reason when it is not one tend can use.
    static func parse(_ line: String, supported: Set<Int>) -> Result<PluginHandshake, PluginError> {
        let parts = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|", omittingEmptySubsequences: false)
            .map(String.init)
        guard parts.count >= 5, let core = Int(parts[0]), let version = Int(parts[1]) else {
            return .failure(PluginError(.handshake, "the plugin printed \"\(line.prefix(200))\" where its handshake line "
                                        + "(CORE|PROTOCOL|NETWORK|ADDRESS|grpc) was expected; is it a Terraform provider?"))
        }
        let handshake = PluginHandshake(coreVersion: core, protocolVersion: version, network: parts[2], address: parts[3],
                                        wireProtocol: parts[4], serverCertificate: parts.count > 5 ? parts[5] : "")
        guard core == 1 else {
            return .failure(PluginError(.handshake, "the plugin speaks go-plugin core protocol \(core); tend speaks 1"))
        }
        guard supported.contains(version) else {
            return .failure(PluginError(.handshake, "the plugin chose Terraform plugin protocol \(version); tend speaks "
                                        + supported.sorted().map(String.init).joined(separator: " and ")))
        }
        guard handshake.wireProtocol == "grpc" else {
            return .failure(PluginError(.handshake, "the plugin speaks \(handshake.wireProtocol), not grpc (a provider "
                                        + "built for Terraform before 0.12)"))
        }
        guard handshake.network == "unix" || handshake.network == "tcp" else {
            return .failure(PluginError(.handshake, "the plugin listens on network \"\(handshake.network)\""))
        }
        return .success(handshake)
    }
}
