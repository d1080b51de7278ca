import TendModel

/// The providers tend knows, by name, and which one serves each type.
///
/// A type is served by: the provider its resources chose (`routes`, from `options.provider`); else the provider
/// named by the type's prefix (`aws` for `aws_vpc`: a provider block named `aws` with a `source` replaces the
/// built-in one), when it has the type; else the first provider, by name, that has it (a Terraform plugin declared
/// under another name serves the types the built-in providers lack).
public struct ProviderRegistry: Sendable {
    /// Providers by name.
    public private(set) var providers: [String: any ResourceProvider]
    /// The provider chosen for a type by name, overriding the rule above.
    public var routes: [String: String] = [:]
    /// The provider chosen for a data source type by name (a `data:` entry's `options.provider`), overriding the
    /// same rule for data sources.
    public var dataRoutes: [String: String] = [:]

    /// Creates a registry of the given providers.
    public init(_ providers: [any ResourceProvider] = []) {
        var byName: [String: any ResourceProvider] = [:]
        for provider in providers { byName[provider.name] = provider }
        self.providers = byName
    }

    /// Adds or replaces a provider.
    public mutating func register(_ provider: any ResourceProvider) {
        providers[provider.name] = provider
    }

    /// The provider with that name.
    public func provider(named name: String) -> (any ResourceProvider)? { providers[name] }

    /// The provider that serves a type.
    public func provider(forType type: String) -> (any ResourceProvider)? {
        if let name = routes[type] {
            guard let chosen = providers[name], chosen.schema(for: type) != nil else { return nil }
            return chosen
        }
        if let named = providers[ResourceSchema.providerName(ofType: type)], named.schema(for: type) != nil { return named }
        for name in providers.keys.sorted() {
            if let provider = providers[name], provider.schema(for: type) != nil { return provider }
        }
        return nil
    }

    /// The provider that serves a data source type, by the same rule as resource types (with `dataRoutes`).
    public func provider(forDataType type: String) -> (any ResourceProvider)? {
        if let name = dataRoutes[type] {
            guard let chosen = providers[name], chosen.dataSchema(for: type) != nil else { return nil }
            return chosen
        }
        if let named = providers[ResourceSchema.providerName(ofType: type)], named.dataSchema(for: type) != nil { return named }
        for name in providers.keys.sorted() {
            if let provider = providers[name], provider.dataSchema(for: type) != nil { return provider }
        }
        return nil
    }

    /// Phase one of loading a configuration: every provider's schemas, fetched at run time (an out-of-process
    /// provider asks its plugin), with the provider settings `validate` checks. Resources are validated against it
    /// in phase two. A provider that cannot say is an error naming it.
    public func fetchCatalog() async throws -> SchemaCatalog {
        var fetched: [String: [ResourceSchema]] = [:]
        for name in providers.keys.sorted() {
            guard let provider = providers[name] else { continue }
            do {
                let schemas = try await provider.fetchSchemas()
                fetched[name] = provider.servesSchemasOnDemand ? [] : schemas
            } catch {
                throw ProviderError(.failed, "fetching the schemas of provider \(name): \(error)")
            }
        }
        return makeCatalog(fetched)
    }

    /// Every static schema of every provider, for config validation without asking any provider.
    public var catalog: SchemaCatalog {
        makeCatalog(providers.mapValues { $0.servesSchemasOnDemand ? [] : $0.schemas })
    }

    /// The catalog of the schemas each provider gave: a type's schema is that of the provider serving it. Types of
    /// providers that index their schemas (plugins) are looked up on demand.
    private func makeCatalog(_ fetched: [String: [ResourceSchema]]) -> SchemaCatalog {
        // The same rule as provider(forType:), over what each provider fetched: a schema fetched at run time need not
        // be among a provider's static ones.
        var byType: [String: [String: ResourceSchema]] = [:]
        for (name, list) in fetched {
            for schema in list { byType[schema.type, default: [:]][name] = schema }
        }
        var schemas: [ResourceSchema] = []
        var providerOfType: [String: String] = [:]
        for (type, candidates) in byType {
            let prefix = ResourceSchema.providerName(ofType: type)
            let chosen = routes[type] ?? (candidates[prefix] != nil ? prefix : candidates.keys.sorted().first)
            guard let name = chosen, let schema = candidates[name] else { continue }
            schemas.append(schema)
            if name != prefix { providerOfType[type] = name }
        }
        let registry = self
        let resolver = SchemaCatalog.Resolver(
            typeNames: { registry.providers.values.flatMap(\.typeNames) },
            resolve: { type in
                guard let provider = registry.provider(forType: type), let schema = provider.schema(for: type) else { return nil }
                return (schema, provider.name)
            },
            dataTypeNames: { registry.providers.values.flatMap(\.dataTypeNames) },
            resolveData: { type in
                guard let provider = registry.provider(forDataType: type), let schema = provider.dataSchema(for: type) else {
                    return nil
                }
                return (schema, provider.name)
            })
        return SchemaCatalog(schemas, providerSettings: providers.filter { !$0.value.settingsSchema.isEmpty }.mapValues(\.settingsSchema),
                             providerOfType: providerOfType, resolver: resolver)
    }
}
