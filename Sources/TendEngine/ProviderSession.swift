import ProviderKit
import TendModel

/// The providers one run has configured: each is configured once, before its first operation, and stopped at the
/// end of the run.
actor ProviderSession {
    private var configured: [String: any ResourceProvider] = [:]
    private var failures: [String: String] = [:]

    /// Configures every provider not configured yet; returns a message per provider that refused.
    func configure(_ providers: [(any ResourceProvider, ProviderContext)]) async -> [String: String] {
        var refused: [String: String] = [:]
        for (provider, context) in providers {
            if let failure = failures[provider.name] {
                refused[provider.name] = failure
                continue
            }
            guard configured[provider.name] == nil else { continue }
            do {
                try await provider.configure(context: context)
                configured[provider.name] = provider
            } catch {
                let message = Engine.describe(error)
                failures[provider.name] = message
                refused[provider.name] = message
            }
        }
        return refused
    }

    /// Stops every configured provider, once.
    func stopAll() async {
        let providers = configured.values
        configured = [:]
        for provider in providers { await provider.stop() }
    }
}

extension Engine {
    /// Configures, once per run, the providers of the given resource types and data sources (those some provider
    /// serves).
    func configureProviders(forTypes types: Set<String>, dataSources: [DataSourceSpec] = [], settings: PlanSettings) async throws {
        var byName: [String: (any ResourceProvider, ProviderContext)] = [:]
        let providers = types.map { registry.provider(forType: $0) } + dataSources.map { dataProvider(for: $0) }
        for case let provider? in providers where byName[provider.name] == nil {
            byName[provider.name] = (provider, context(for: provider.name, settings: settings))
        }
        let refused = await session.configure(byName.keys.sorted().compactMap { byName[$0] })
        guard refused.isEmpty else {
            throw EngineError(.planFailed, refused.keys.sorted().map { name in
                Diagnostic(.error, "configuring provider \(name): \(refused[name] ?? "")")
            })
        }
    }

    /// Stops the providers this engine configured; call when the command is done.
    public func stopProviders() async {
        await session.stopAll()
    }

    /// Records brought up to their type's current schema version by their provider (in memory; apply writes them).
    func upgraded(_ records: [ResourceRecord], settings: PlanSettings) async throws -> [ResourceRecord] {
        // One lookup per type, not per record: a large state has few types.
        var versions: [String: (provider: any ResourceProvider, version: Int)?] = [:]
        for type in Set(records.map(\.type)) {
            versions[type] = registry.provider(forType: type).flatMap { provider in
                provider.schema(for: type).map { (provider, $0.version) }
            }
        }
        guard Self.holdsOutdated(records, versions: versions) else { return records }
        var out = records
        for index in out.indices {
            let record = out[index]
            guard let (provider, version) = versions[record.type] ?? nil, record.schemaVersion != version,
                  record.status == .created, let schema = provider.schema(for: record.type) else { continue }
            do {
                out[index].attributes = try await provider.upgrade(type: record.type, attributes: record.attributes,
                                                                   from: record.schemaVersion,
                                                                   context: context(for: record.provider, settings: settings))
                out[index].schemaVersion = schema.version
            } catch {
                throw EngineError(.planFailed, [Diagnostic(.error, "upgrading the state of \(record.address): \(Engine.describe(error))",
                                                           address: record.address.description)])
            }
        }
        return out
    }

    /// Whether a record's schema version is not its type's current one. Not async, and a pattern rather than
    /// `?? nil`: in an async function, or through `??`, the scan copied each record whole to read two of its fields.
    private static func holdsOutdated(_ records: [ResourceRecord],
                                      versions: [String: (provider: any ResourceProvider, version: Int)?]) -> Bool {
        records.contains { record in
            guard case let known?? = versions[record.type] else { return false }
            return known.version != record.schemaVersion
        }
    }
}
