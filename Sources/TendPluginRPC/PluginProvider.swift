import Foundation
import ProviderKit
import TendModel
import TendPlugin

/// A Terraform provider binary as a tend provider: every operation is a call to the plugin over its protocol, with
/// values encoded by the plugin's own schema. Types keep their Terraform names (`aws_sqs_queue`); `name` is the
/// provider block's name in the manifest.
public struct PluginProvider: ResourceProvider {
    public let name: String
    /// Where the provider comes from: `registry.terraform.io/hashicorp/aws`.
    public let source: String
    let connection: PluginConnection
    let catalog: PluginCatalog
    let counters: PluginCounters

    init(name: String, source: String, connection: PluginConnection, catalog: PluginCatalog) {
        self.name = name
        self.source = source
        self.connection = connection
        self.catalog = catalog
        self.counters = PluginCounters()
    }

    /// The protocol version the plugin speaks (from its schema's source or its handshake).
    public var protocolVersion: Int { catalog.protocolVersion }

    /// Every type's schema, converted on demand; listing them all converts them all.
    public var schemas: [ResourceSchema] { catalog.resourceSchemas }

    public var typeNames: [String] { catalog.schema.resources.keys.sorted() }

    /// The schema was fetched (or read from the cache) when the plugin started; types are converted when asked for.
    public var servesSchemasOnDemand: Bool { true }

    public func fetchSchemas() async throws -> [ResourceSchema] { [] }

    /// Terraform's providers plan with unknown configuration values.
    public var plansUnknownValues: Bool { true }

    /// A Terraform provider's create has no idempotency token; tend never re-sends one (plugin errors are terminal).
    public var createIsRetrySafe: Bool { false }

    public func schema(for type: String) -> ResourceSchema? { catalog.resourceSchema(type) }

    public func stop() async {
        await connection.stop()
    }

    public func statistics() async -> [String: Int] {
        counters.snapshot
    }

    // MARK: - Configuration

    public func configure(context: ProviderContext) async throws {
        let block = catalog.schema.provider.block
        let config = try encode(block.conform(PluginProvider.providerConfig(context.configuration)), block: block,
                                what: "the configuration of provider \(name)")
        var validate = Tfplugin5_PrepareProviderConfig.Request()
        validate.config = Tfplugin5_DynamicValue(msgpack: config)
        let validated: Tfplugin5_PrepareProviderConfig.Response = try await call(.validateProviderConfig, validate,
                                                                                 about: "provider configuration")
        try check(validated.diagnostics, about: "the configuration of provider \(name)", code: .invalidInput)
        var request = Tfplugin5_Configure.Request()
        request.terraformVersion = PluginProvider.terraformVersion
        request.config = Tfplugin5_DynamicValue(msgpack: config)
        let reply: Tfplugin5_Configure.Response = try await call(.configure, request, about: "configure")
        try check(reply.diagnostics, about: "configuring provider \(name)", code: .invalidInput)
    }

    /// The version tend reports as Terraform's to providers that ask (some gate features on it).
    static let terraformVersion = "1.11.0"

    /// The provider's own settings: the `config` map of its provider block.
    static func providerConfig(_ block: [String: Value]) -> [String: Value] {
        block["config"]?.mapValue ?? [:]
    }

    // MARK: - Helpers

    /// One call, counted, with failures explained (crash, hang, garbage) and turned into ProviderErrors.
    func call<Request: SwiftProtobufMessage, Reply: SwiftProtobufMessage>(
        _ method: PluginMethod, _ request: Request, about subject: String
    ) async throws -> Reply {
        counters.count(method)
        let wire: PluginWire
        do {
            wire = try await connection.wire()
        } catch {
            throw ProviderError(.failed, "\(error)")
        }
        do {
            // A call once sent runs to its end even when the run is interrupted (the engine lets operations in flight
            // finish, so their outcome is known): an unstructured task does not inherit the cancellation. A hung
            // call still ends, at the provider block's timeout.
            let sent = Task { try await wire.call(method, request) as Reply }
            return try await sent.value
        } catch {
            let failure = await connection.failure(error, during: "\(method.callName) (\(subject))")
            throw ProviderError(.failed, failure.message, remoteCode: "plugin_\(failure.code.rawValue)")
        }
    }

    /// Throws the error diagnostics, if any, as one ProviderError.
    func check(_ diagnostics: [Tfplugin5_Diagnostic], about subject: String, code: ProviderError.Code = .failed) throws {
        let errors = diagnostics.map(\.neutral).errors
        guard !errors.isEmpty else { return }
        var error = ProviderError(code, "\(subject): " + errors.map(\.description).joined(separator: "; "))
        error.attribute = errors.lazy.compactMap { PluginPathStep.attributePath($0.path) }.first
        throw error
    }

    func encode(_ value: Value, block: PluginBlock, what: String) throws -> [UInt8] {
        do {
            return try CtyValueCodec.encode(value, as: block.impliedType)
        } catch {
            throw ProviderError(.invalidInput, "\(what): \(error)")
        }
    }

    func decode(_ dynamic: Tfplugin5_DynamicValue, block: PluginBlock, what: String) throws -> Value {
        guard !dynamic.msgpack.isEmpty else {
            if dynamic.json.isEmpty { return .null }
            throw ProviderError(.failed, "provider \(name) answered \(what) in JSON; tend reads msgpack",
                                remoteCode: "plugin_garbage")
        }
        do {
            return try CtyValueCodec.decode([UInt8](dynamic.msgpack), as: block.impliedType)
        } catch {
            throw ProviderError(.failed, "provider \(name) sent \(what) tend cannot read: \(error)", remoteCode: "plugin_garbage")
        }
    }

    /// The schema of a managed type, or an error naming it.
    func resourceBlock(_ type: String) throws -> PluginSchema {
        guard let schema = catalog.schema.resources[type] else {
            throw ProviderError(.unknownType, "provider \(name) (\(source)) has no resource type \(type)")
        }
        return schema
    }
}

/// Counts calls by method, for `--verbose` and benchmarks.
final class PluginCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [String: Int] = [:]

    func count(_ method: PluginMethod) {
        lock.withLock { calls["plugin_calls", default: 0] += 1; calls["plugin_" + method.rawValue, default: 0] += 1 }
    }

    var snapshot: [String: Int] { lock.withLock { calls } }
}

extension PluginMethod {
    /// The method's name in protocol 5, for messages.
    var callName: String { descriptor(version: 5).method }
}

import SwiftProtobuf
typealias SwiftProtobufMessage = SwiftProtobuf.Message
