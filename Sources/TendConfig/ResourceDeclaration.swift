import TendModel

/// One `resources:` entry after its name, type, for_each and count are checked.
struct ResourceDeclaration: Sendable {
    /// One instance to build: its key and what each.* or count.index evaluate to in it.
    struct Instance: Sendable {
        var key: ResourceAddress.InstanceKey?
        var scope: Interpolator.Scope
    }

    static let keys = ["type", "properties", "options", "for_each", "count"]

    var name: String
    var location: SourceLocation
    var node: ManifestNode
    /// The location of the `type:` value, or of the name without one.
    var typeLocation: SourceLocation
    var schema: ResourceSchema?
    var instances: Interpolator.Target.Instances = .single
    var expansion: [Instance] = [Instance(key: nil, scope: .none)]

    var target: Interpolator.Target { Interpolator.Target(schema: schema, instances: instances) }

    /// Reads a declaration; nil when it is not a mapping.
    static func read(_ declaration: ManifestSet.Declaration, catalog: SchemaCatalog, interpolator: Interpolator,
                     limits: ManifestLimits, diagnostics: inout DiagnosticList) -> ResourceDeclaration? {
        let name = declaration.name
        if !ResourceAddress.isValidName(name) {
            diagnostics.error("invalid resource name \"\(name)\": start with a letter or \"_\", then letters, digits, \"_\" or \"-\"",
                              at: declaration.location)
        }
        if name == "data" {
            diagnostics.error("\"data\" cannot name a resource: ${data.NAME.ATTRIBUTE} refers to data sources",
                              at: declaration.location)
        }
        guard let entries = declaration.node.entries else {
            diagnostics.error("resource \"\(name)\" must be a mapping with type and properties, got \(declaration.node.kindName)",
                              at: declaration.node.location)
            return nil
        }
        var result = ResourceDeclaration(name: name, location: declaration.location, node: declaration.node,
                                         typeLocation: declaration.location)
        for entry in entries where !keys.contains(entry.key) {
            diagnostics.error("unknown key \"\(entry.key)\" in resource \"\(name)\"" + Suggestion.hint(for: entry.key, among: keys),
                              at: entry.keyLocation)
        }
        result.readType(catalog: catalog, diagnostics: &diagnostics)
        let forEach = entries.first { $0.key == "for_each" }
        let count = entries.first { $0.key == "count" }
        if let forEach {
            if let count {
                diagnostics.error("resource \"\(name)\" cannot have both for_each and count", at: count.keyLocation)
            }
            let value = interpolator.value(from: forEach.value, site: .forEach, diagnostics: &diagnostics)
            let isSensitive = interpolator.usesSensitiveInput(forEach.value, scope: .none)
            result.expand(forEach: value, node: forEach.value, isSensitive: isSensitive, limit: limits.maximumInstancesPerResource,
                          diagnostics: &diagnostics)
        } else if let count {
            let value = interpolator.value(from: count.value, expecting: .number, site: .count, diagnostics: &diagnostics)
            result.expand(count: value, node: count.value, limit: limits.maximumInstancesPerResource, diagnostics: &diagnostics)
        }
        return result
    }

    private mutating func readType(catalog: SchemaCatalog, diagnostics: inout DiagnosticList) {
        guard let typeNode = node["type"] else {
            diagnostics.error("resource \"\(name)\" has no type", at: location)
            return
        }
        typeLocation = typeNode.location
        guard let scalar = typeNode.scalar, scalar.kind == .string else {
            diagnostics.error("type of resource \"\(name)\" must be a string, got \(typeNode.kindName)", at: typeNode.location)
            return
        }
        guard let schema = catalog[scalar.text] else {
            diagnostics.error("unknown resource type \"\(scalar.text)\"" + Suggestion.hint(for: scalar.text, among: catalog.typeNames),
                              at: typeNode.location)
            return
        }
        self.schema = schema
    }

    private mutating func expand(forEach value: Value, node: ManifestNode, isSensitive: Bool, limit: Int,
                                 diagnostics: inout DiagnosticList) {
        let size = value.elements?.count ?? value.mapValue?.count ?? 0
        if size > limit {
            diagnostics.error("for_each has \(size) items, more than the limit of \(limit) instances of one resource",
                              at: node.location)
            instances = .unknown
            expansion = []
            return
        }
        switch value {
        case .unknown:
            instances = .unknown
            expansion = []
        case .list where isSensitive, .set where isSensitive:
            // A list's items become the instance keys, and addresses are shown by every output.
            diagnostics.error("for_each over a sensitive list would show its items in every instance address; "
                + "use a map whose keys are not secret (each.value stays sensitive)", at: node.location)
            instances = .unknown
            expansion = []
        case .list, .set:
            var keys: [String] = []
            var seen: Set<String> = []
            for (i, item) in (value.elements ?? []).enumerated() {
                guard let key = item.interpolationText, item != .null else {
                    diagnostics.error("for_each list items must be strings, got \(item.kindName)",
                                      at: node.location(at: AttributePath([.index(i)])))
                    continue
                }
                guard seen.insert(key).inserted else {
                    diagnostics.error("duplicate for_each key \"\(key)\"", at: node.location(at: AttributePath([.index(i)])))
                    continue
                }
                keys.append(key)
            }
            keys.sort()
            instances = .forEach(keys.map { .string($0) })
            expansion = keys.map { Instance(key: .string($0), scope: Interpolator.Scope(eachKey: $0, eachValue: .string($0))) }
        case let .map(entries):
            let keys = entries.keys.sorted()
            instances = .forEach(keys.map { .string($0) })
            expansion = keys.map {
                Instance(key: .string($0), scope: Interpolator.Scope(eachKey: $0, eachValue: entries[$0], isSensitive: isSensitive))
            }
        default:
            diagnostics.error("for_each must be a list of strings or a map, got \(value.kindName)", at: node.location)
            instances = .unknown
            expansion = []
        }
    }

    private mutating func expand(count value: Value, node: ManifestNode, limit: Int, diagnostics: inout DiagnosticList) {
        if value == .unknown {
            instances = .unknown
            expansion = []
            return
        }
        let maximum = Int64(limit)
        guard let n = ValueConstraint.checkedInteger(value, in: 0...maximum), let total = Int(exactly: n) else {
            let number = value.numberValue ?? value.stringValue.flatMap { Number(parsing: $0) }
            let bound = (number?.doubleValue ?? 0) > Double(maximum) ? " of at most \(maximum) (the limit of instances of one resource)" : ""
            diagnostics.error("count must be a non-negative whole number\(bound), got \(value.canonicalJSON)", at: node.location)
            instances = .unknown
            expansion = []
            return
        }
        instances = .count(total)
        expansion = (0..<total).map { Instance(key: .index($0), scope: Interpolator.Scope(countIndex: $0)) }
    }
}
