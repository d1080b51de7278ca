import TendModel

extension Interpolator {
    /// Evaluates the text of one `${...}`, parsed already as `parsed`.
    func evaluate(_ text: String, _ parsed: Result<ExpressionSyntax, ExpressionSyntax.Problem>, at location: SourceLocation,
                  site: Site, scope: Scope, diagnostics: inout DiagnosticList) -> Piece {
        let syntax: ExpressionSyntax
        switch parsed {
        case let .success(s): syntax = s
        case let .failure(problem):
            diagnostics.error("invalid interpolation \"${\(text)}\": \(problem.reason)", at: location)
            return .failed
        }
        switch syntax {
        case let .variable(name, path):
            guard let value = variables[name] else {
                if !declaredVariables.contains(name) {
                    diagnostics.error("unknown variable \"\(name)\"" + Suggestion.hint(for: name, among: declaredVariables),
                                      at: location)
                }
                return .failed
            }
            return navigate(value, path, what: "var.\(name)", at: location, diagnostics: &diagnostics)
        case let .environment(name):
            if let value = environment[name] { return .value(.string(value)) }
            if site == .provider { return .value(.string("")) }
            diagnostics.error("environment variable \"\(name)\" is not set", at: location)
            return .failed
        case .eachKey:
            guard let key = scope.eachKey else {
                diagnostics.error("each.key can only be used in a resource with for_each", at: location)
                return .failed
            }
            return .value(.string(key))
        case let .eachValue(path):
            guard let value = scope.eachValue else {
                diagnostics.error("each.value can only be used in a resource with for_each", at: location)
                return .failed
            }
            return navigate(value, path, what: "each.value", at: location, diagnostics: &diagnostics)
        case .countIndex:
            guard let index = scope.countIndex else {
                diagnostics.error("count.index can only be used in a resource with count", at: location)
                return .failed
            }
            return .value(.number(Number(index)))
        case let .resource(name, keySyntax, path):
            return reference(name, keySyntax, path, at: location, site: site, scope: scope, diagnostics: &diagnostics)
        case let .dataSource(name, path):
            return dataReference(name, path, at: location, site: site, diagnostics: &diagnostics)
        }
    }

    private func navigate(_ value: Value, _ path: [AttributePath.Component], what: String, at location: SourceLocation,
                          diagnostics: inout DiagnosticList) -> Piece {
        if path.isEmpty { return .value(value) }
        let attributePath = AttributePath(path)
        guard let inner = value.value(at: attributePath) else {
            diagnostics.error("\(what) has no element \(attributePath)", at: location)
            return .failed
        }
        return .value(inner)
    }

    private func reference(_ name: String, _ keySyntax: ExpressionSyntax.KeySyntax?, _ path: AttributePath,
                           at location: SourceLocation, site: Site, scope: Scope, diagnostics: inout DiagnosticList) -> Piece {
        guard site == .property || site == .output else {
            diagnostics.error("\(site.rawValue) cannot refer to other resources (\(name).\(path))", at: location)
            return .failed
        }
        guard let target = targets[name] else {
            diagnostics.error("reference to unknown resource \"\(name)\"" + Suggestion.hint(for: name, among: targets.keys),
                              at: location)
            return .failed
        }
        var key: ResourceAddress.InstanceKey?
        switch keySyntax {
        case nil: key = nil
        case let .literal(k)?: key = k
        case .eachKey?, .eachValue?:
            guard let k = keySyntax == .eachKey ? scope.eachKey : scope.eachValue?.interpolationText else {
                diagnostics.error("each.key and each.value can only be used in a resource with for_each", at: location)
                return .failed
            }
            key = .string(k)
        case .countIndex?:
            guard let i = scope.countIndex else {
                diagnostics.error("count.index can only be used in a resource with count", at: location)
                return .failed
            }
            key = .index(i)
        }
        let address = ResourceAddress(name: name, key: key)
        if let schema = target.schema, let root = path.root, schema.attributes[root] == nil {
            diagnostics.error("unknown attribute \"\(root)\" for \(schema.type) in reference \(address).\(path)"
                + Suggestion.hint(for: root, among: schema.attributes.keys), at: location)
            return .failed
        }
        guard checkKey(address, of: target, at: location, diagnostics: &diagnostics) else { return .failed }
        return .reference(Reference(name: name, key: key, path: path, location: location))
    }

    private func dataReference(_ name: String, _ path: AttributePath, at location: SourceLocation, site: Site,
                               diagnostics: inout DiagnosticList) -> Piece {
        guard site == .property || site == .output else {
            diagnostics.error("\(site.rawValue) cannot refer to data sources (data.\(name).\(path))", at: location)
            return .failed
        }
        guard let schema = dataTargets[name] else {
            diagnostics.error("reference to unknown data source \"\(name)\"" + Suggestion.hint(for: name, among: dataTargets.keys),
                              at: location)
            return .failed
        }
        let address = ResourceAddress.dataSource(name)
        if let schema, let root = path.root, schema.attributes[root] == nil {
            diagnostics.error("unknown attribute \"\(root)\" for data source \(schema.type) in reference \(address).\(path)"
                + Suggestion.hint(for: root, among: schema.attributes.keys), at: location)
            return .failed
        }
        return .reference(Reference(name: address.name, key: nil, path: path, location: location))
    }

    private func checkKey(_ address: ResourceAddress, of target: Target, at location: SourceLocation,
                          diagnostics: inout DiagnosticList) -> Bool {
        let name = address.name
        switch (target.instances, address.key) {
        case (.unknown, _), (.single, nil):
            return true
        case let (.single, key?):
            let shown = ResourceAddress(name: name, key: key)
            diagnostics.error("resource \"\(name)\" has no for_each or count, so \(shown) names no instance; use \(name)",
                              at: location)
            return false
        case let (.forEach(keys), nil):
            let example = ResourceAddress(name: name, key: keys.first ?? .string("key"))
            diagnostics.error("resource \"\(name)\" has for_each; name one instance, e.g. \(example)", at: location)
            return false
        case (.count, nil):
            diagnostics.error("resource \"\(name)\" has count; name one instance, e.g. \(name)[0]",
                              at: location)
            return false
        case let (.forEach(keys), key?):
            if keys.contains(key) { return true }
        case let (.count(n), .index(i)?):
            if i >= 0 && i < n { return true }
        case (.count, .string?):
            break
        }
        diagnostics.error("\(address) is not an instance of resource \"\(name)\"", at: location)
        return false
    }
}
