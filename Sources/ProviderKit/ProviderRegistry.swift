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

    /// Every schema of every provider, for config validation.
    public var catalog: SchemaCatalog {
        SchemaCatalog(providers.keys.sorted().flatMap { providers[$0]?.schemas ?? [] },
                      providerSettings: providers.filter { !$0.value.settingsSchema.isEmpty }.mapValues(\.settingsSchema))
    }
}
