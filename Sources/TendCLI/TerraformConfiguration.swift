import TendModel

/// Terraform's `configuration` block of plan JSON, from the specs a plan was made of: one entry per declared resource
/// (not per instance) with its properties as expressions — `constant_value` for a value written out, `references`
/// for one that reads other resources — and its `depends_on`.
///
/// tend evaluates variables, `count.index` and `each.*` while loading, so expressions are those of the resource's
/// first instance with those already filled in, and references name tend addresses (`vpc.id`, `vpc`), which have no
/// type prefix. A property holding a sensitive value shows no constant value: its expression is `{}`.
enum TerraformConfiguration {
    /// The first instance of each declared resource, by name: the one whose expressions stand for the declaration.
    static func firstInstances(_ specs: [ResourceSpec]) -> [ResourceSpec] {
        var first: [String: ResourceSpec] = [:]
        for spec in specs.sorted(byKey: \.address) where first[spec.address.name] == nil {
            first[spec.address.name] = spec
        }
        return first.keys.sorted().compactMap { first[$0] }
    }

    /// `provider_config`: one entry per provider the specs use.
    static func providerConfig(_ specs: [ResourceSpec]) -> Value {
        .map(Dictionary(uniqueKeysWithValues: Set(specs.map(\.provider)).sorted().map { name in
            (name, Value.map(["name": .string(name), "full_name": .string(name)]))
        }))
    }

    /// One declared resource of the `configuration` block.
    static func resource(_ spec: ResourceSpec) -> Value {
        let marks = spec.sensitiveMarks
        var expressions: [String: Value] = [:]
        // The properties the manifest writes; defaults the loader filled in are not configuration.
        let declared = spec.declaredProperties.map(Set.init)
        for (key, expression) in spec.properties where declared?.contains(key) ?? true {
            let path = AttributePath(keys: key)
            expressions[key] = marks.paths.contains(where: { $0.hasPrefix(path) }) ? .map([:]) : render(expression)
        }
        var entry: [String: Value] = [
            "address": .string(spec.address.name),
            "mode": .string("managed"),
            "type": .string(spec.type),
            "name": .string(spec.address.name),
            "provider_config_key": .string(spec.provider),
            "schema_version": .number(0),
            "expressions": .map(expressions),
        ]
        let explicit = spec.options.dependsOn
        if !explicit.isEmpty { entry["depends_on"] = .list(explicit.map { .string($0) }) }
        switch spec.address.key {
        case .index?: entry["count_expression"] = .map([:])
        case .string?: entry["for_each_expression"] = .map([:])
        case nil: break
        }
        return .map(entry)
    }

    /// `{"constant_value": v}` for an expression without references, else `{"references": [...]}`: each reference
    /// as written (`vpc.id`) followed by the resource it reads (`vpc`), without repeats.
    static func render(_ expression: Expression) -> Value {
        let references = expression.references
        guard !references.isEmpty else { return .map(["constant_value": expression.evaluate { _ in nil }]) }
        var seen: Set<String> = []
        var out: [Value] = []
        for reference in references {
            for text in [reference.description, reference.address.description] where seen.insert(text).inserted {
                out.append(.string(text))
            }
        }
        return .map(["references": .list(out)])
    }
}
