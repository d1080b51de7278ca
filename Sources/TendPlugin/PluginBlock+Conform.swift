import TendModel

extension PluginBlock {
    /// The full object the protocol needs for these attributes: every attribute present (null where unset),
    /// absent list and set blocks as empty lists and sets, absent map blocks as empty maps, an absent single block
    /// null and an absent group block an object of nulls (as Terraform decodes an empty body); present blocks and
    /// nested attribute objects conformed in turn, and lists given where the schema says set (at any depth) made
    /// sets, so that values compare as the plugin will see them.
    ///
    /// Keys the schema does not know are kept, so that encoding refuses them by name rather than losing them.
    public func conform(_ attributes: [String: Value]) -> Value {
        var out = attributes
        for attribute in self.attributes {
            let value = attributes[attribute.name] ?? .null
            if let nested = attribute.nestedType {
                let inner = nested.block
                out[attribute.name] = nested.nesting.collection.mapElements(value) { inner.conformElement($0) }
            } else if let type = attribute.type, type.attributeType.holdsSets {
                out[attribute.name] = type.attributeType.typed(value)
            } else {
                out[attribute.name] = value
            }
        }
        for nested in blockTypes {
            out[nested.typeName] = nested.conform(attributes[nested.typeName] ?? .null)
        }
        return .map(out)
    }

    /// An element of a nested collection conformed, when it is an object.
    func conformElement(_ value: Value) -> Value {
        if case let .map(entries) = value { return conform(entries) }
        return value
    }
}

extension PluginNestedBlock {
    /// The block's value conformed; null stands for absent.
    func conform(_ value: Value) -> Value {
        let inner = block
        guard value == .null else { return nesting.collection.mapElements(value) { inner.conformElement($0) } }
        switch nesting {
        case .single: return .null
        case .group: return block.conform([:])
        case .list: return .list([])
        case .set: return .set(of: [])
        case .map: return .map([:])
        }
    }
}
