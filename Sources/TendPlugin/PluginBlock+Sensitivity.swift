import TendModel

extension PluginBlock {
    /// The paths of sensitive attributes at any depth that hold whatever the value: `password`, and through
    /// single and group blocks and single nested attributes `login.password`.
    ///
    /// tend's paths have no wildcard for "every element", so below a list, set or map of blocks (or of nested
    /// attributes) the collection's own path is listed when any attribute inside it is sensitive: the whole
    /// collection is redacted, which hides more than needed but never too little. `sensitivePaths(in:)` gives the
    /// exact paths for a given value.
    public var sensitivePaths: [AttributePath] {
        sensitivePaths(under: AttributePath([])).sorted()
    }

    /// The exact paths of sensitive attributes in `attributes`, element by element: `rule[1].secret`,
    /// `user["bob"].password`. Set elements are indexed in the set's canonical order, as `SensitiveMarks` and
    /// `Value.value(at:)` index them.
    public func sensitivePaths(in attributes: [String: Value]) -> [AttributePath] {
        sensitivePaths(in: attributes, under: AttributePath([])).sorted()
    }

    /// Whether anything in the block is sensitive.
    var containsSensitive: Bool {
        attributes.contains { $0.isSensitive || $0.nestedType?.block.containsSensitive == true }
            || blockTypes.contains { $0.block.containsSensitive }
    }

    private func sensitivePaths(under base: AttributePath) -> [AttributePath] {
        var out: [AttributePath] = []
        func visit(_ name: String, _ inner: PluginBlock, _ collection: PluginCollection) {
            let path = base.appending(.key(name))
            if collection == .single {
                out += inner.sensitivePaths(under: path)
            } else if inner.containsSensitive {
                out.append(path)
            }
        }
        for attribute in attributes {
            if attribute.isSensitive {
                out.append(base.appending(.key(attribute.name)))
            } else if let nested = attribute.nestedType {
                visit(attribute.name, nested.block, nested.nesting.collection)
            }
        }
        for nested in blockTypes { visit(nested.typeName, nested.block, nested.nesting.collection) }
        return out
    }

    private func sensitivePaths(in attributes: [String: Value], under base: AttributePath) -> [AttributePath] {
        var out: [AttributePath] = []
        func visit(_ name: String, _ inner: PluginBlock, _ collection: PluginCollection) {
            guard inner.containsSensitive, let value = attributes[name] else { return }
            let path = base.appending(.key(name))
            switch (collection, value) {
            case let (.single, .map(entries)):
                out += inner.sensitivePaths(in: entries, under: path)
            case (.list, .list), (.list, .set), (.set, .list), (.set, .set):
                let elements = collection == .set ? ValueSet(value.elements ?? []).elements : value.elements ?? []
                for (index, element) in elements.enumerated() {
                    if case let .map(entries) = element { out += inner.sensitivePaths(in: entries, under: path.appending(.index(index))) }
                }
            case let (.map, .map(elements)):
                for (key, element) in elements {
                    if case let .map(entries) = element { out += inner.sensitivePaths(in: entries, under: path.appending(.key(key))) }
                }
            default:
                break
            }
        }
        for attribute in self.attributes {
            if attribute.isSensitive {
                out.append(base.appending(.key(attribute.name)))
            } else if let nested = attribute.nestedType {
                visit(attribute.name, nested.block, nested.nesting.collection)
            }
        }
        for nested in blockTypes { visit(nested.typeName, nested.block, nested.nesting.collection) }
        return out
    }
}
