import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import SwiftProtobuf
import TendPlugin

/// One connection to a running plugin: typed calls over a gRPC client. Values cross as msgpack bytes; encoding
/// them with the schema's types is the adapter's business.
struct PluginWire: Sendable {
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    /// Terraform plugin protocol major version, 5 or 6.
    let version: Int
    /// The longest any one call may take.
    let timeout: Duration

    /// The provider's schema is several megabytes for large providers; gRPC's default limit is 4 MiB.
    static let maximumMessageBytes = 256 * 1024 * 1024

    /// Sends one unary call and returns the reply.
    func call<Request: SwiftProtobuf.Message, Reply: SwiftProtobuf.Message>(
        _ method: PluginMethod, _ request: Request, as: Reply.Type = Reply.self, timeout override: Duration? = nil
    ) async throws -> Reply {
        var options = CallOptions.defaults
        options.timeout = override ?? timeout
        options.maxRequestMessageBytes = PluginWire.maximumMessageBytes
        options.maxResponseMessageBytes = PluginWire.maximumMessageBytes
        return try await client.unary(request: ClientRequest(message: request), descriptor: method.descriptor(version: version),
                                      serializer: ProtobufSerializer<Request>(), deserializer: ProtobufDeserializer<Reply>(),
                                      options: options) { response in try response.message }
    }

    /// Asks go-plugin's controller to shut the process down.
    func shutdown() async throws {
        var options = CallOptions.defaults
        options.timeout = .seconds(5)
        let _: Plugin_Empty = try await client.unary(
            request: ClientRequest(message: Plugin_Empty()), descriptor: Plugin_GRPCController.Method.Shutdown.descriptor,
            serializer: ProtobufSerializer<Plugin_Empty>(), deserializer: ProtobufDeserializer<Plugin_Empty>(),
            options: options) { response in try response.message }
    }
}

extension Tfplugin5_DynamicValue {
    /// A msgpack-encoded value.
    init(msgpack bytes: [UInt8]) {
        self.init()
        msgpack = Data(bytes)
    }

    /// The value's msgpack bytes; a value sent as JSON only is refused by the caller that needs msgpack.
    var bytes: [UInt8] { [UInt8](msgpack) }
}

extension Tfplugin5_Diagnostic {
    /// The protocol-neutral diagnostic.
    var neutral: PluginDiagnostic {
        PluginDiagnostic(severity: severity == .warning ? .warning : .error, summary: summary, detail: detail,
                         path: hasAttribute ? attribute.steps.compactMap(\.neutral) : [])
    }
}

extension Tfplugin5_AttributePath {
    /// The protocol-neutral path.
    var neutral: [PluginPathStep] { steps.compactMap(\.neutral) }
}

extension Tfplugin5_AttributePath.Step {
    var neutral: PluginPathStep? {
        switch selector {
        case let .attributeName(name): return .attribute(name)
        case let .elementKeyString(key): return .key(key)
        case let .elementKeyInt(index): return .index(index)
        case .none: return nil
        }
    }
}
