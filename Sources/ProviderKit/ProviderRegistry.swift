import TendModel

/// The providers tend knows, by name.
public struct ProviderRegistry: Sendable {
    /// Providers by name.
    public private(set) var providers: [String: any ResourceProvider]

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

    /// The provider that manages a type.
    public func provider(forType type: String) -> (any ResourceProvider)? {
        providers.values.first { $0.schema(for: type) != nil }
    }

    /// Phase one of loading a configuration: every provider's schemas, fetched at run time (an out-of-process
    /// provider asks its plugin), with the provider settings `validate` checks. Resources are validated against it
    /// in phase two. A provider that cannot say is an error naming it.
    public func fetchCatalog() async throws -> SchemaCatalog {
        var schemas: [ResourceSchema] = []
        for name in providers.keys.sorted() {
            guard let provider = providers[name] else { continue }
            do {
                schemas += try await provider.fetchSchemas()
            } catch {
                throw ProviderError(.failed, "fetching the schemas of provider \(name): \(error)")
            }
        }
        return SchemaCatalog(schemas, providerSettings: providers.filter { !$0.value.settingsSchema.isEmpty }
            .mapValues(\.settingsSchema))
    }

    /// Every static schema of every provider, for config validation without asking any provider.
    public var catalog: SchemaCatalog {
        SchemaCatalog(providers.keys.sorted().flatMap { providers[$0]?.schemas ?? [] },
                      providerSettings: providers.filter { !$0.value.settingsSchema.isEmpty }.mapValues(\.settingsSchema))
    }
}
