import TendModel

extension ResourceBuilder {
    static let optionKeys = ["depends_on", "ignore_changes", "prevent_destroy", "create_before_destroy", "drift", "provider"]

    /// Reads the `options` block; depends_on names must be declared, ignore_changes roots must be attributes.
    func options(for declaration: ResourceDeclaration, diagnostics: inout DiagnosticList) -> ResourceOptions {
        var options = ResourceOptions(drift: defaultDriftPolicy)
        guard let node = declaration.node["options"], !node.isNull else { return options }
        guard let entries = node.entries else {
            diagnostics.error("options of resource \"\(declaration.name)\" must be a mapping, got \(node.kindName)", at: node.location)
            return options
        }
        for entry in entries {
            let value = interpolator.value(from: entry.value, site: .option, diagnostics: &diagnostics)
            if value == .unknown { continue }
            switch entry.key {
            case "depends_on":
                options.dependsOn = names(value, entry.value, declaration: declaration, diagnostics: &diagnostics)
            case "ignore_changes":
                options.ignoreChanges = paths(value, entry.value, declaration: declaration, diagnostics: &diagnostics)
            case "prevent_destroy", "create_before_destroy":
                guard let flag = DriftPolicyParsing.bool(value) else {
                    diagnostics.error("\(entry.key) must be true or false, got \(value.canonicalJSON)", at: entry.value.location)
                    continue
                }
                if entry.key == "prevent_destroy" { options.preventDestroy = flag } else { options.createBeforeDestroy = flag }
            case "provider":
                // Which block serves the type was settled before schemas were fetched (ProviderRequirements).
                guard let name = value.stringValue else {
                    diagnostics.error("provider must be a provider block's name, got \(value.kindName)", at: entry.value.location)
                    continue
                }
                options.provider = name
            case "drift":
                guard let policy = DriftPolicyParsing.policy(value, at: entry.value.location, diagnostics: &diagnostics) else {
                    continue
                }
                options.drift = policy
            default:
                diagnostics.error("unknown option \"\(entry.key)\"" + Suggestion.hint(for: entry.key, among: ResourceBuilder.optionKeys),
                                  at: entry.keyLocation)
            }
        }
        return options
    }

    private func strings(_ value: Value, _ node: ManifestNode, option: String,
                         diagnostics: inout DiagnosticList) -> [(String, SourceLocation)] {
        guard let items = value.listValue else {
            diagnostics.error("\(option) must be a list, got \(value.kindName)", at: node.location)
            return []
        }
        var out: [(String, SourceLocation)] = []
        for (i, item) in items.enumerated() {
            let location = node.location(at: AttributePath([.index(i)]))
            guard let text = item.stringValue else {
                diagnostics.error("\(option) items must be strings, got \(item.kindName)", at: location)
                continue
            }
            out.append((text, location))
        }
        return out
    }

    private func names(_ value: Value, _ node: ManifestNode, declaration: ResourceDeclaration,
                       diagnostics: inout DiagnosticList) -> [String] {
        var out: [String] = []
        for (name, location) in strings(value, node, option: "depends_on", diagnostics: &diagnostics) {
            if name.hasPrefix(ResourceAddress.dataSourcePrefix) {
                let dataName = String(name.dropFirst(ResourceAddress.dataSourcePrefix.count))
                guard interpolator.dataTargets[dataName] != nil else {
                    diagnostics.error("depends_on names unknown data source \"\(dataName)\""
                        + Suggestion.hint(for: dataName, among: interpolator.dataTargets.keys), at: location)
                    continue
                }
                if !out.contains(name) { out.append(name) }
                continue
            }
            guard interpolator.targets[name] != nil else {
                diagnostics.error("depends_on names unknown resource \"\(name)\""
                    + Suggestion.hint(for: name, among: interpolator.targets.keys), at: location)
                continue
            }
            if !out.contains(name) { out.append(name) }
        }
        return out.sorted()
    }

    private func paths(_ value: Value, _ node: ManifestNode, declaration: ResourceDeclaration,
                       diagnostics: inout DiagnosticList) -> [AttributePath] {
        var out: [AttributePath] = []
        for (text, location) in strings(value, node, option: "ignore_changes", diagnostics: &diagnostics) {
            guard !text.contains(".."), let path = AttributePath(parsing: text), let root = path.root else {
                diagnostics.error("invalid attribute path \"\(text)\" in ignore_changes", at: location)
                continue
            }
            if let schema = declaration.schema, schema.attributes[root] == nil {
                diagnostics.error("ignore_changes names unknown attribute \"\(root)\" for \(schema.type)"
                    + Suggestion.hint(for: root, among: schema.attributes.keys), at: location)
                continue
            }
            out.append(path)
        }
        return out
    }
}

/// Reading drift policies and flags from values.
enum DriftPolicyParsing {
    static func bool(_ value: Value) -> Bool? {
        switch value {
        case let .bool(b): return b
        case .string("true"): return true
        case .string("false"): return false
        default: return nil
        }
    }

    static func policy(_ value: Value, at location: SourceLocation, diagnostics: inout DiagnosticList) -> DriftPolicy? {
        let text = value.stringValue ?? value.canonicalJSON
        if let policy = DriftPolicy(rawValue: text) { return policy }
        let names = DriftPolicy.allCases.map(\.rawValue)
        diagnostics.error("invalid drift policy \"\(text)\": expected report, remediate or ignore"
            + Suggestion.hint(for: text, among: names), at: location)
        return nil
    }
}
