/// Everything a provider plugin's GetProviderSchema reports: its own configuration, its resource types and its
/// data sources, by type name.
public struct PluginProviderSchema: Sendable, Hashable, Codable {
    public var provider: PluginSchema
    public var resources: [String: PluginSchema]
    public var dataSources: [String: PluginSchema]

    public init(provider: PluginSchema, resources: [String: PluginSchema] = [:], dataSources: [String: PluginSchema] = [:]) {
        self.provider = provider
        self.resources = resources
        self.dataSources = dataSources
    }
}
