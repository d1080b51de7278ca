/// The schema of one resource type.
public struct ResourceSchema: Sendable, Hashable, Codable {
    public var type: String
    public var description: String
    public var attributes: [String: AttributeSchema]
    public var version: Int

    public init(type: String, description: String = "", version: Int = 1, attributes: [String: AttributeSchema]) {
        self.type = type
        self.description = description
        self.version = version
        self.attributes = attributes
    }

    /// Top-level sensitive attribute paths.
    public var sensitivePaths: [AttributePath] {
        attributes.filter { $0.value.sensitive }.keys.sorted().map { AttributePath(keys: $0) }
    }

    /// The attributes with every value typed by its attribute's type (lists a schema says are sets made sets);
    /// attributes the schema does not know are left as they are.
    public func typed(_ values: [String: Value]) -> [String: Value] {
        var out = values
        for (key, value) in values {
            guard let type = attributes[key]?.type, type.holdsSets else { continue }
            out[key] = type.typed(value)
        }
        return out
    }

    /// The provider name: the type's prefix before the first underscore (`local_file` → `local`).
    public static func providerName(ofType type: String) -> String {
        String(type.prefix { $0 != "_" })
    }
}

/// Every known resource schema, by type name.
public struct SchemaCatalog: Sendable {
    public var schemas: [String: ResourceSchema]
    /// The settings of each provider's block (`providers: aws: max_concurrency: 16`) that `validate` checks,
    /// by provider name and setting. Settings not listed are passed through unchecked.
    public var providerSettings: [String: [String: AttributeSchema]]

    /// A catalog of resource schemas, and of the provider settings `validate` checks.
    public init(_ schemas: [ResourceSchema], providerSettings: [String: [String: AttributeSchema]] = [:]) {
        var byType: [String: ResourceSchema] = [:]
        for schema in schemas { byType[schema.type] = schema }
        self.schemas = byType
        self.providerSettings = providerSettings
    }

    public subscript(type: String) -> ResourceSchema? { schemas[type] }
}
