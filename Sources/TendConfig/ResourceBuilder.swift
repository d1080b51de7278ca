import TendModel

/// Builds the specs of one declared resource: options once, properties per instance.
struct ResourceBuilder {
    var interpolator: Interpolator
    var defaultDriftPolicy: DriftPolicy

    /// What every instance of one declaration shares: its options, checked property entries and depends_on addresses.
    struct Prepared: Sendable {
        var declaration: ResourceDeclaration
        var options: ResourceOptions
        var properties: [ManifestNode.Entry]
        var explicitDependencies: [ResourceAddress]
        /// Where each property is written and the written names, sorted: the same for every instance, so every
        /// instance's spec shares one copy.
        var locations: [String: SourceLocation]
        var written: [String]
        /// The type's defaults for settable attributes that are not required and no property sets, and its provider:
        /// the same for every instance, worked out once.
        var defaults: [(name: String, value: Value)] = []
        var provider = ""
        /// Each property's value parsed, and its attribute's schema: in the order of `properties`.
        var parsed: [Interpolator.ParsedNode] = []
        var attributes: [AttributeSchema?] = []
    }

    /// Every instance's spec of every declaration, sorted by address. Instances are built in parallel chunks on
    /// every core (ten thousand instances of one declaration are as quick as a hundred declarations of a hundred);
    /// diagnostics are the same as building them one by one.
    func specs(for declarations: [ResourceDeclaration], diagnostics: inout DiagnosticList) -> [ResourceSpec] {
        // By name (declarations keep their order among equal names), so chunks come back in address order.
        let ordered = declarations.indices.sorted {
            (declarations[$0].name, $0) < (declarations[$1].name, $1)
        }
        let prepared = ordered.map { prepare(declarations[$0], diagnostics: &diagnostics) }
        let jobs = ResourceBuilder.chunks(prepared.map { $0.declaration.schema == nil ? 0 : $0.declaration.expansion.count })
        // Each spec is moved once into the joined array (a copy would retain and release each of its fields).
        var specs: [ResourceSpec]
        let found: [DiagnosticList]
        (specs, found) = ParallelWork.joined(jobs) { pieces, add -> DiagnosticList in
            var found = DiagnosticList()
            for piece in pieces {
                let declared = prepared[piece.declaration]
                for instance in declared.declaration.expansion[piece.instances] {
                    if let spec = spec(for: instance, of: declared, diagnostics: &found) { add(spec) }
                }
            }
            return found
        }
        for chunk in found { diagnostics.append(contentsOf: chunk) }
        // for_each lists keep their written order, and declarations come in written order: sorted in place.
        specs.sort(byKey: \.address)
        return specs
    }

    /// A run of instances of one prepared declaration.
    struct Piece: Sendable {
        var declaration: Int
        var instances: Range<Int>
    }

    /// Instances split into jobs of about `size`: large declarations are cut, small ones packed together.
    static func chunks(_ counts: [Int], size: Int = 256) -> [[Piece]] {
        var jobs: [[Piece]] = []
        var job: [Piece] = []
        var filled = 0
        for (declaration, count) in counts.enumerated() where count > 0 {
            var start = 0
            while start < count {
                let end = min(count, start + size - filled)
                job.append(Piece(declaration: declaration, instances: start..<end))
                filled += end - start
                start = end
                if filled == size {
                    jobs.append(job)
                    job = []
                    filled = 0
                }
            }
        }
        if !job.isEmpty { jobs.append(job) }
        return jobs
    }

    /// Reads what all instances of a declaration share, reporting its problems once.
    func prepare(_ declaration: ResourceDeclaration, diagnostics: inout DiagnosticList) -> Prepared {
        let options = self.options(for: declaration, diagnostics: &diagnostics)
        let properties = propertyEntries(of: declaration, diagnostics: &diagnostics)
        var explicitDependencies: [ResourceAddress] = []
        for name in options.dependsOn {
            explicitDependencies += instanceAddresses(of: name)
        }
        let locations = Dictionary(properties.map { ($0.key, $0.value.location) }, uniquingKeysWith: { _, last in last })
        var prepared = Prepared(declaration: declaration, options: options, properties: properties,
                                explicitDependencies: explicitDependencies, locations: locations, written: locations.keys.sorted())
        prepared.parsed = properties.map { interpolator.parsed($0.value) }
        prepared.attributes = properties.map { declaration.schema?.attributes[$0.key] }
        if let schema = declaration.schema {
            // Only those no property sets: every instance writes every property.
            let written = Set(properties.map(\.key))
            for (name, attribute) in schema.attributes.sorted(by: { $0.key < $1.key })
            where attribute.mode != .required && !written.contains(name) {
                if let value = attribute.defaultValue, attribute.isSettable { prepared.defaults.append((name, value)) }
            }
            prepared.provider = ResourceSchema.providerName(ofType: schema.type)
        }
        return prepared
    }

    /// One instance's spec; nil when the type is unknown.
    func spec(for instance: ResourceDeclaration.Instance, of prepared: Prepared, diagnostics: inout DiagnosticList) -> ResourceSpec? {
        let declaration = prepared.declaration
        var values: [String: Expression] = [:]
        // Exactly what it will hold: room for more would stay with each of ten thousand specs to the end.
        values.reserveCapacity(prepared.properties.count + prepared.defaults.count)
        var sensitive: [AttributePath] = []
        for (index, entry) in prepared.properties.enumerated() {
            sensitive += interpolator.sensitiveInputPaths(in: entry.value, at: AttributePath([.key(entry.key)]), scope: instance.scope)
            let attribute = prepared.attributes[index]
            let type = attribute?.type ?? .any
            let expression = interpolator.expression(from: prepared.parsed[index], expecting: type, site: .property,
                                                     scope: instance.scope, diagnostics: &diagnostics)
            let coerced = ResourceBuilder.coerce(expression, to: type)
            var problems: [(AttributePath, String)] = []
            if let mismatch = ResourceBuilder.mismatch(coerced, type) {
                problems = [mismatch]
            } else if let constraint = attribute?.constraint {
                problems = ResourceBuilder.violations(coerced, constraint)
            }
            for (path, reason) in problems {
                let full = AttributePath([.key(entry.key)] + path.components)
                diagnostics.error("invalid value for attribute \"\(full)\": \(reason)", at: entry.value.location(at: path))
            }
            values[entry.key] = coerced
        }
        guard let schema = declaration.schema else { return nil }
        for (name, value) in prepared.defaults { values[name] = .literal(value) }
        let address = ResourceAddress(name: declaration.name, key: instance.key)
        var referenced = prepared.explicitDependencies
        for expression in values.values where expression.hasReferences {
            referenced += expression.references.map(\.address)
        }
        // Most instances refer to one object or none: a set is built only when there can be repeats.
        let dependencies = referenced.count < 2 ? referenced : Set(referenced).sorted()
        var spec = ResourceSpec(address: address, type: schema.type, provider: prepared.provider,
                                properties: values, options: prepared.options, dependencies: dependencies,
                                location: declaration.location, sensitivePaths: sensitive)
        spec.propertyLocations = prepared.locations
        spec.declaredProperties = prepared.written
        return spec
    }

    /// Every instance address of a declared resource; a data source (`data.NAME`) has one.
    func instanceAddresses(of name: String) -> [ResourceAddress] {
        if name.hasPrefix(ResourceAddress.dataSourcePrefix) { return [ResourceAddress(name: name)] }
        switch interpolator.targets[name]?.instances {
        case .single?: return [ResourceAddress(name: name)]
        case let .forEach(keys)?: return keys.map { ResourceAddress(name: name, key: $0) }
        case let .count(n)?: return (0..<n).map { ResourceAddress(name: name, key: .index($0)) }
        case .unknown?, nil: return []
        }
    }

    /// The settable, non-null property entries; reports unknown, computed and missing required attributes.
    private func propertyEntries(of declaration: ResourceDeclaration, diagnostics: inout DiagnosticList) -> [ManifestNode.Entry] {
        var entries: [ManifestNode.Entry] = []
        if let node = declaration.node["properties"], !node.isNull {
            if let list = node.entries {
                entries = list
            } else {
                diagnostics.error("properties of resource \"\(declaration.name)\" must be a mapping, got \(node.kindName)",
                                  at: node.location)
            }
        }
        guard let schema = declaration.schema else { return entries }
        var kept: [ManifestNode.Entry] = []
        for entry in entries {
            guard let attribute = schema.attributes[entry.key] else {
                diagnostics.error("unknown attribute \"\(entry.key)\" for \(schema.type)"
                    + Suggestion.hint(for: entry.key, among: schema.attributes.keys.filter { schema.attributes[$0]?.isSettable == true }),
                    at: entry.keyLocation)
                continue
            }
            guard attribute.isSettable else {
                diagnostics.error("attribute \"\(entry.key)\" is computed and cannot be set", at: entry.keyLocation)
                continue
            }
            if !entry.value.isNull { kept.append(entry) }
        }
        for (name, attribute) in schema.attributes.sorted(by: { $0.key < $1.key }) where attribute.mode == .required {
            if !kept.contains(where: { $0.key == name }) {
                diagnostics.error("missing required attribute \"\(name)\" for \(schema.type)", at: declaration.typeLocation)
            }
        }
        return kept
    }

    /// Converts literal scalars to the attribute's type where lossless.
    static func coerce(_ expression: Expression, to type: AttributeType) -> Expression {
        switch (expression, type) {
        case let (.literal(v), _): return .literal(type.coerce(v))
        case let (.list(items), .list(e)), let (.list(items), .set(e)): return .list(items.map { coerce($0, to: e) })
        case let (.map(entries), .map(e)): return .map(entries.mapValues { coerce($0, to: e) })
        case let (.map(entries), .object(fields)):
            var out: [String: Expression] = [:]
            for (k, v) in entries { out[k] = fields[k].map { coerce(v, to: $0) } ?? v }
            return .map(out)
        default: return expression
        }
    }

    /// The first type mismatch among literal parts; references are checked at plan time.
    static func mismatch(_ expression: Expression, _ type: AttributeType,
                         at path: AttributePath = AttributePath([])) -> (AttributePath, String)? {
        switch (expression, type) {
        case let (.literal(v), _): return type.mismatch(for: v, at: path)
        case (.reference, _), (_, .any): return nil
        case (.template, .string), (.template, .number), (.template, .bool): return nil
        case let (.list(items), .list(e)), let (.list(items), .set(e)):
            for (i, item) in items.enumerated() {
                if let m = mismatch(item, e, at: path.appending(.index(i))) { return m }
            }
            return nil
        case let (.map(entries), .map(e)):
            for key in entries.keys.sorted() {
                if let item = entries[key], let m = mismatch(item, e, at: path.appending(.key(key))) { return m }
            }
            return nil
        case let (.map(entries), .object(fields)):
            for key in entries.keys.sorted() {
                guard let field = fields[key] else { return (path.appending(.key(key)), "unknown field \"\(key)\"") }
                if let item = entries[key], let m = mismatch(item, field, at: path.appending(.key(key))) { return m }
            }
            return nil
        case (.list, _): return (path, "expected \(type), got list")
        case (.map, _): return (path, "expected \(type), got map")
        case (.template, _): return (path, "expected \(type), got string")
        }
    }
}
