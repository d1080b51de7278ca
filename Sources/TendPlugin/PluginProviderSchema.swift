/// Everything a provider plugin's GetProviderSchema reports: its own configuration, its resource types and its
/// data sources, by type name.
public struct PluginProviderSchema: Sendable, Hashable, Codable {
    /// The provider's own configuration block.
    public var provider: PluginSchema
    /// Resource type schemas, by type name.
    public var resources: [String: PluginSchema]
    /// Data source schemas, by type name.
    public var dataSources: [String: PluginSchema]

    /// A provider schema.
    public init(provider: PluginSchema, resources: [String: PluginSchema] = [:], dataSources: [String: PluginSchema] = [:]) {
        self.provider = provider
        self.resources = resources
        self.dataSources = dataSources
    }
}
