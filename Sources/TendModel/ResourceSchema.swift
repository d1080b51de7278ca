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
        // The schema's attributes, read in place (a copy of each would cost more than its one flag), and only those
        // holding sets looked up among the values: most types hold none, and each value's key is then not hashed.
        for index in attributes.indices where attributes.values[index].type.holdsSets {
            let key = attributes.keys[index]
            if let value = values[key] { out[key] = attributes.values[index].type.typed(value) }
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
    /// The provider that serves each type, where it is not the one named by the type's prefix (a Terraform plugin
    /// declared under another name, or a type a resource's `options.provider` moved).
    public var providerOfType: [String: String]
    /// Types looked up on demand: a Terraform plugin has hundreds, and a configuration uses a few.
    public var resolver: Resolver?
    /// Data source schemas by type, for `data:` entries; the resolver answers the rest.
    public var dataSchemas: [String: ResourceSchema] = [:]

    /// Looks types up on demand.
    public struct Resolver: Sendable {
        /// Every type name it knows, for suggestions.
        public var typeNames: @Sendable () -> [String]
        /// A type's schema and the name of the provider that serves it.
        public var resolve: @Sendable (String) -> (schema: ResourceSchema, provider: String)?

        /// Every data source type name it knows, for suggestions.
        public var dataTypeNames: @Sendable () -> [String]
        /// A data source type's schema and the name of the provider that serves it.
        public var resolveData: @Sendable (String) -> (schema: ResourceSchema, provider: String)?

        public init(typeNames: @escaping @Sendable () -> [String],
                    resolve: @escaping @Sendable (String) -> (schema: ResourceSchema, provider: String)?,
                    dataTypeNames: @escaping @Sendable () -> [String] = { [] },
                    resolveData: @escaping @Sendable (String) -> (schema: ResourceSchema, provider: String)? = { _ in nil }) {
            self.typeNames = typeNames
            self.resolve = resolve
            self.dataTypeNames = dataTypeNames
            self.resolveData = resolveData
        }
    }

    /// A catalog of resource schemas, and of the provider settings `validate` checks.
    public init(_ schemas: [ResourceSchema], providerSettings: [String: [String: AttributeSchema]] = [:],
                providerOfType: [String: String] = [:], resolver: Resolver? = nil, dataSchemas: [ResourceSchema] = []) {
        var byType: [String: ResourceSchema] = [:]
        for schema in schemas { byType[schema.type] = schema }
        self.schemas = byType
        self.providerSettings = providerSettings
        self.providerOfType = providerOfType
        self.resolver = resolver
        for schema in dataSchemas { self.dataSchemas[schema.type] = schema }
    }

    public subscript(type: String) -> ResourceSchema? { schemas[type] ?? resolver?.resolve(type)?.schema }

    /// Every type name known, sorted.
    public var typeNames: [String] {
        Array(Set(schemas.keys).union(resolver?.typeNames() ?? [])).sorted()
    }

    /// The schema of a data source type.
    public func dataSchema(_ type: String) -> ResourceSchema? {
        dataSchemas[type] ?? resolver?.resolveData(type)?.schema
    }

    /// Every data source type name known, sorted.
    public var dataTypeNames: [String] {
        Array(Set(dataSchemas.keys).union(resolver?.dataTypeNames() ?? [])).sorted()
    }

    /// The name of the provider that serves data source type `type`.
    public func providerName(ofDataType type: String) -> String {
        if dataSchemas[type] == nil, let resolved = resolver?.resolveData(type) { return resolved.provider }
        return ResourceSchema.providerName(ofType: type)
    }

    /// The name of the provider that serves `type`.
    public func providerName(ofType type: String) -> String {
        if let name = providerOfType[type] { return name }
        if schemas[type] == nil, let resolved = resolver?.resolve(type) { return resolved.provider }
        return ResourceSchema.providerName(ofType: type)
    }
}
