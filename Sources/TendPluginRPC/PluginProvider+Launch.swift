import Foundation
import ProviderKit
import TendPlugin

/// How to run one plugin: which binary, for which provider block.
public struct PluginLaunch: Sendable, Hashable {
    /// The provider block's name in the manifest.
    public var name: String
    /// `registry.terraform.io/hashicorp/aws`.
    public var source: String
    /// The provider binary.
    public var executable: String
    /// SHA-256 of the binary (hex): the key of its cached schema.
    public var binaryHash: String
    /// The protocol major version its file name names (`_x5`), or nil to offer 5 and 6 and take its choice.
    public var protocolVersion: Int?
    /// The plugin's environment.
    public var environment: [String: String]
    /// Where schemas are cached by binary hash; nil for no cache.
    public var schemaCacheDirectory: String?
    /// Seconds one call may take before the plugin counts as hung.
    public var callTimeout: Double

    public init(name: String, source: String, executable: String, binaryHash: String, protocolVersion: Int?,
                environment: [String: String], schemaCacheDirectory: String?, callTimeout: Double) {
        self.name = name
        self.source = source
        self.executable = executable
        self.binaryHash = binaryHash
        self.protocolVersion = protocolVersion
        self.environment = environment
        self.schemaCacheDirectory = schemaCacheDirectory
        self.callTimeout = callTimeout
    }
}

extension PluginProvider {
    /// Starts the plugin (in the background) and loads its schema: from the cache when this binary's schema is
    /// there, else by asking the plugin (and caching the answer).
    public static func start(_ launch: PluginLaunch, log: PluginLog) async throws -> PluginProvider {
        let versions = launch.protocolVersion.map { [$0] } ?? [6, 5]
        let connection = PluginConnection(
            launch: .init(name: launch.name, executable: launch.executable, protocolVersions: versions,
                          environment: launch.environment, callTimeout: launch.callTimeout), log: log)
        await connection.warmUp()
        let cache = launch.schemaCacheDirectory.map { PluginSchemaCache(directory: $0) }
        if let cache, let cached = cache.load(hash: launch.binaryHash, versions: versions) {
            return PluginProvider(name: launch.name, source: launch.source, connection: connection, catalog: cached)
        }
        let catalog: PluginCatalog
        do {
            let wire = try await connection.wire()
            let fetched = try await fetchSchema(wire: wire, provider: launch.name)
            catalog = fetched.catalog
            cache?.save(fetched.bytes, hash: launch.binaryHash, version: wire.version)
        } catch {
            let failure = await connection.failure(error, during: "GetProviderSchema")
            await connection.stop()
            throw ProviderError(.failed, failure.message)
        }
        let provider = PluginProvider(name: launch.name, source: launch.source, connection: connection, catalog: catalog)
        provider.counters.count(.getSchema)
        return provider
    }

    /// GetProviderSchema, decoded with the protocol version's own message type; the reply's bytes are what the
    /// cache keeps and the index reads.
    static func fetchSchema(wire: PluginWire, provider: String) async throws -> (catalog: PluginCatalog, bytes: [UInt8]) {
        let request = Tfplugin5_GetProviderSchema.Request()
        let bytes: [UInt8]
        if wire.version >= 6 {
            let reply: Tfplugin6_GetProviderSchema.Response = try await wire.call(.getSchema, request)
            bytes = try reply.serializedBytes()
        } else {
            let reply: Tfplugin5_GetProviderSchema.Response = try await wire.call(.getSchema, request)
            bytes = try reply.serializedBytes()
        }
        return (try PluginSchemaCache.catalog(bytes: Data(bytes), version: wire.version, provider: provider), bytes)
    }
}

/// Provider schemas on disk, one file per binary hash and protocol version, in the protocol's own encoding (a
/// protobuf message decodes several times faster than the same schema as JSON).
struct PluginSchemaCache: Sendable {
    let directory: String

    func path(hash: String, version: Int) -> String {
        (directory as NSString).appendingPathComponent("\(hash).tfplugin\(version).pb")
    }

    /// The cached schema, or nil when there is none or it does not index (it is then fetched and written again).
    func load(hash: String, versions: [Int]) -> PluginCatalog? {
        for version in versions {
            guard let data = FileManager.default.contents(atPath: path(hash: hash, version: version)) else { continue }
            if let catalog = try? PluginSchemaCache.catalog(bytes: data, version: version, provider: "") { return catalog }   // refetched
        }
        return nil
    }

    /// Writes the schema atomically; a cache that cannot be written only costs the next run a fetch.
    func save(_ bytes: [UInt8], hash: String, version: Int) {
        let target = path(hash: hash, version: version)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)   // see above
        let temporary = target + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else { return }
        if rename(temporary, target) != 0 { unlink(temporary) }
    }

    static func catalog(bytes: Data, version: Int, provider: String) throws -> PluginCatalog {
        let index = try PluginSchemaIndex(bytes: bytes, version: version)
        try failOnErrors(index.diagnostics, provider: provider)
        return PluginCatalog(schema: index, protocolVersion: version)
    }

    private static func failOnErrors(_ diagnostics: [PluginDiagnostic], provider: String) throws {
        let errors = diagnostics.errors
        guard !errors.isEmpty else { return }
        throw PluginError(.diagnostics, "provider \(provider) could not give its schema: "
                          + errors.map(\.description).joined(separator: "; "), diagnostics: errors)
    }
}
