/// A nested block type of a plugin schema block (`ingress { … }`): its block, how often it may appear, and how the
/// appearances are collected.
public struct PluginNestedBlock: Sendable, Hashable, Codable {
    /// How the block's appearances form a value.
    public enum Nesting: String, Sendable, Hashable, Codable {
        /// At most one; absent is null.
        case single
        /// An ordered list.
        case list
        /// A set: unordered, without duplicates.
        case set
        /// Keyed by the block's label.
        case map
        /// Exactly one, always present: absent is an object of nulls.
        case group
    }

    /// The name the block is written with (`ingress`), and its attribute name in the value.
    public var typeName: String
    /// What each appearance holds.
    public var block: PluginBlock
    /// How appearances are collected.
    public var nesting: Nesting
    /// The fewest appearances the configuration must have.
    public var minItems: Int
    /// The most appearances allowed; 0 for no limit.
    public var maxItems: Int

    /// A nested block type.
    public init(typeName: String, block: PluginBlock, nesting: Nesting, minItems: Int = 0, maxItems: Int = 0) {
        self.typeName = typeName
        self.block = block
        self.nesting = nesting
        self.minItems = minItems
        self.maxItems = maxItems
    }

    /// The block's object type, in the collection the nesting says (single and group: the object itself).
    ///
    /// Terraform makes a list block whose type holds `dynamic` a tuple, and such a map block an object, so that
    /// elements may differ in type; tend does not: such blocks are rare and their values still encode as lists.
    public var impliedType: CtyType {
        nesting.collection.wrap(block.impliedType)
    }
}

extension PluginNestedBlock.Nesting {
    var collection: PluginCollection {
        switch self {
        case .single, .group: return .single
        case .list: return .list
        case .set: return .set
        case .map: return .map
        }
    }
}
