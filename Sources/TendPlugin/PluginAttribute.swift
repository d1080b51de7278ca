import TendModel

/// One attribute of a plugin schema block: a value of a cty type, or (tfplugin6) a nested object of attributes.
public struct PluginAttribute: Sendable, Hashable, Codable {
    /// The attribute's name in its block.
    public var name: String
    /// The value's type; nil when `nestedType` describes it instead.
    public var type: CtyType?
    /// tfplugin6 nested attributes: an object, or a collection of objects, of further attributes.
    public var nestedType: PluginNestedObject?
    /// What the plugin says the attribute is, for people.
    public var description: String
    /// The configuration must set it.
    public var isRequired: Bool
    /// The configuration may set it.
    public var isOptional: Bool
    /// The plugin may set it (when the configuration does not, if optional too).
    public var isComputed: Bool
    /// Its value is secret: every output redacts it.
    public var isSensitive: Bool
    /// Still accepted, but going away.
    public var isDeprecated: Bool
    /// Sent to the plugin but never stored in state (tfplugin 5.8/6.8 write-only attributes).
    public var isWriteOnly: Bool

    /// An attribute; give `type` or `nestedType`.
    public init(name: String, type: CtyType? = nil, nestedType: PluginNestedObject? = nil, description: String = "",
                isRequired: Bool = false, isOptional: Bool = false, isComputed: Bool = false, isSensitive: Bool = false,
                isDeprecated: Bool = false, isWriteOnly: Bool = false) {
        self.name = name
        self.type = type
        self.nestedType = nestedType
        self.description = description
        self.isRequired = isRequired
        self.isOptional = isOptional
        self.isComputed = isComputed
        self.isSensitive = isSensitive
        self.isDeprecated = isDeprecated
        self.isWriteOnly = isWriteOnly
    }

    /// The cty type of the attribute's value: its type, or its nested object's implied type (dynamic when the
    /// plugin gave neither).
    public var impliedType: CtyType {
        if let nestedType { return nestedType.impliedType }
        return type ?? .dynamic
    }

    /// Who sets the attribute, in tend's terms: required; optional and computed; optional; computed. An attribute
    /// the plugin marked none of these is taken as optional.
    public var mode: AttributeSchema.Mode {
        if isRequired { return .required }
        switch (isOptional, isComputed) {
        case (true, true): return .optionalComputed
        case (false, true): return .computed
        default: return .optional
        }
    }
}
