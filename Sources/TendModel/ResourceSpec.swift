/// One desired resource instance, as declared (after for_each/count expansion and variable interpolation).
public struct ResourceSpec: Sendable, Hashable, Codable {
    public var address: ResourceAddress
    public var type: String
    /// The provider that owns the type.
    public var provider: String
    /// Declared properties; references to other resources are still expressions.
    public var properties: [String: Expression]
    public var options: ResourceOptions
    /// Addresses this instance depends on, through references and depends_on.
    public var dependencies: [ResourceAddress]
    /// Where the resource is declared.
    public var location: SourceLocation?

    public init(address: ResourceAddress, type: String, provider: String, properties: [String: Expression],
                options: ResourceOptions = ResourceOptions(), dependencies: [ResourceAddress] = [],
                location: SourceLocation? = nil) {
        self.address = address
        self.type = type
        self.provider = provider
        self.properties = properties
        self.options = options
        self.dependencies = dependencies
        self.location = location
    }
}
