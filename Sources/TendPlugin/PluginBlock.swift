import TendModel

/// A block of a plugin schema: attributes and nested block types. A resource's, a data source's and a provider's
/// configuration are each one block.
public struct PluginBlock: Sendable, Hashable, Codable {
    /// The block's attributes.
    public var attributes: [PluginAttribute]
    /// The block types that may be nested in it.
    public var blockTypes: [PluginNestedBlock]
    /// What the plugin says the block is, for people.
    public var description: String
    /// Still accepted, but going away.
    public var isDeprecated: Bool

    /// A block of these attributes and nested block types.
    public init(attributes: [PluginAttribute] = [], blockTypes: [PluginNestedBlock] = [], description: String = "",
                isDeprecated: Bool = false) {
        self.attributes = attributes
        self.blockTypes = blockTypes
        self.description = description
        self.isDeprecated = isDeprecated
    }

    /// The object type of the block's value: each attribute's type, and each nested block type as an object
    /// (single, group), or a list, set or map of objects.
    public var impliedType: CtyType {
        var types: [String: CtyType] = [:]
        for attribute in attributes { types[attribute.name] = attribute.impliedType }
        for nested in blockTypes { types[nested.typeName] = nested.impliedType }
        return .object(types)
    }

    /// The attribute of this name, if there is one.
    public func attribute(named name: String) -> PluginAttribute? {
        attributes.first { $0.name == name }
    }

    /// The nested block type of this name, if there is one.
    public func blockType(named name: String) -> PluginNestedBlock? {
        blockTypes.first { $0.typeName == name }
    }
}
