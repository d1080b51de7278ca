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
    /// Property paths whose values are sensitive: the type's sensitive attributes, and every property derived from a
    /// sensitive value (a reference to one, a sensitive variable, each.value of a sensitive for_each). Sorted.
    public var sensitivePaths: [AttributePath]
    /// Where each declared property's value is written, for errors a provider reports about one attribute.
    public var propertyLocations: [String: SourceLocation] = [:]
    /// The top-level properties the configuration writes, sorted, without the schema defaults the loader fills in;
    /// nil when not known (a spec not loaded from manifests). Refresh asks providers to read these as they are now.
    public var declaredProperties: [String]?

    public init(address: ResourceAddress, type: String, provider: String, properties: [String: Expression],
                options: ResourceOptions = ResourceOptions(), dependencies: [ResourceAddress] = [],
                location: SourceLocation? = nil, sensitivePaths: [AttributePath] = []) {
        self.address = address
        self.type = type
        self.provider = provider
        self.properties = properties
        self.options = options
        self.dependencies = dependencies
        self.location = location
        self.sensitivePaths = sensitivePaths
    }

    /// The attributes a refresh must read as they are now: `declaredProperties`, or every property when that is
    /// not known.
    public var declaredAttributeNames: Set<String> { Set(declaredProperties ?? Array(properties.keys)) }

    /// The marks of this spec's sensitive paths.
    public var sensitiveMarks: SensitiveMarks { SensitiveMarks(sensitivePaths) }

    private enum CodingKeys: String, CodingKey {
        case address, type, provider, properties, options, dependencies, location, sensitivePaths, propertyLocations
        case declaredProperties
    }

    /// Where the value at `path` is declared: its top-level property, else the resource.
    public func location(of path: AttributePath?) -> SourceLocation? {
        guard case let .key(name)? = path?.components.first else { return location }
        return propertyLocations[name] ?? location
    }

    /// Decodes a spec; plan files written before sensitivity travelled have no `sensitivePaths` (none derived).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decode(ResourceAddress.self, forKey: .address)
        type = try container.decode(String.self, forKey: .type)
        provider = try container.decode(String.self, forKey: .provider)
        properties = try container.decode([String: Expression].self, forKey: .properties)
        options = try container.decode(ResourceOptions.self, forKey: .options)
        dependencies = try container.decode([ResourceAddress].self, forKey: .dependencies)
        location = try container.decodeIfPresent(SourceLocation.self, forKey: .location)
        sensitivePaths = try container.decodeIfPresent([AttributePath].self, forKey: .sensitivePaths) ?? []
        propertyLocations = try container.decodeIfPresent([String: SourceLocation].self, forKey: .propertyLocations) ?? [:]
        declaredProperties = try container.decodeIfPresent([String].self, forKey: .declaredProperties)
    }
}
