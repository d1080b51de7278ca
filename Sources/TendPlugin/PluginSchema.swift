import TendModel

/// The schema of a resource type, data source or provider configuration as a plugin reports it, independent of the
/// protocol version; cached on disk as JSON.
public struct PluginSchema: Sendable, Hashable, Codable {
    /// Bumped by the plugin when recorded state must be upgraded.
    public var version: Int
    /// The top-level block: the whole object.
    public var block: PluginBlock

    /// A schema of this version.
    public init(version: Int = 0, block: PluginBlock) {
        self.version = version
        self.block = block
    }
}
