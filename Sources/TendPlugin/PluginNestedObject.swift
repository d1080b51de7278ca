/// The type of a tfplugin6 nested attribute: an object of attributes, alone or in a collection.
public struct PluginNestedObject: Sendable, Hashable, Codable {
    /// How many objects the attribute holds.
    public enum Nesting: String, Sendable, Hashable, Codable {
        case single, list, set, map
    }

    /// Each object's attributes.
    public var attributes: [PluginAttribute]
    /// How the objects are collected.
    public var nesting: Nesting

    /// A nested object type.
    public init(attributes: [PluginAttribute], nesting: Nesting) {
        self.attributes = attributes
        self.nesting = nesting
    }

    /// The attributes as a block without nested blocks, so nested attributes and blocks share one walk.
    public var block: PluginBlock {
        PluginBlock(attributes: attributes)
    }

    /// The object type of one element (its attributes' types), in the collection the nesting says.
    public var impliedType: CtyType {
        nesting.collection.wrap(block.impliedType)
    }
}

extension PluginNestedObject.Nesting {
    var collection: PluginCollection {
        switch self {
        case .single: return .single
        case .list: return .list
        case .set: return .set
        case .map: return .map
        }
    }
}
