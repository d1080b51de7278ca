/// One declared data source (`data: NAME: {type, properties}`): read, never managed. Its address is `data.NAME`.
public struct DataSourceSpec: Sendable, Hashable, Codable {
    /// `data.NAME`.
    public var address: ResourceAddress
    /// The data source type (`aws_ami`, `tendtest_echo`).
    public var type: String
    /// The provider that serves the type.
    public var provider: String
    /// Declared properties; references to resources and other data sources are still expressions.
    public var properties: [String: Expression]
    /// Addresses it depends on, through references and depends_on: resources and other data sources.
    public var dependencies: [ResourceAddress]
    /// Where it is declared.
    public var location: SourceLocation?
    /// Property paths whose values are sensitive (the type's sensitive attributes and what derives from sensitive
    /// values); a reference to any of them is sensitive too. Sorted.
    public var sensitivePaths: [AttributePath]

    public init(name: String, type: String, provider: String, properties: [String: Expression],
                dependencies: [ResourceAddress] = [], location: SourceLocation? = nil, sensitivePaths: [AttributePath] = []) {
        self.address = .dataSource(name)
        self.type = type
        self.provider = provider
        self.properties = properties
        self.dependencies = dependencies
        self.location = location
        self.sensitivePaths = sensitivePaths
    }

    /// The name under `data:`.
    public var name: String { String(address.name.dropFirst(ResourceAddress.dataSourcePrefix.count)) }

    /// The configuration to read with, with references taken from `values` (by address); nulls are left out.
    /// A reference to something not in `values` is unknown.
    public func configuration(values: [ResourceAddress: [String: Value]]) -> [String: Value] {
        var out: [String: Value] = [:]
        for (key, expression) in properties {
            let value = expression.evaluate { reference in values[reference.address]?.value(at: reference.path) }
            if value != .null { out[key] = value }
        }
        return out
    }
}

/// A data source as planned: read at plan time, its result known, or left to apply.
public struct DataSourceRead: Sendable, Hashable, Codable {
    public var spec: DataSourceSpec
    /// What the read returned at plan time; nil when it is read during apply, before what refers to it.
    public var result: [String: Value]?
    /// Why the read waits for apply; nil when it was read at plan time.
    public var deferralReason: String?

    public init(spec: DataSourceSpec, result: [String: Value]?, deferralReason: String? = nil) {
        self.spec = spec
        self.result = result
        self.deferralReason = deferralReason
    }

    /// Whether the read waits for apply.
    public var isDeferred: Bool { result == nil }
}
