extension Value {
    /// This value with the value at `components` replaced by `newValue` (nil removes a map entry). Missing maps on
    /// the way are created; a step that does not fit (an index out of range, a key into a non-map) leaves it as is.
    public func setting(_ newValue: Value?, at components: ArraySlice<AttributePath.Component>) -> Value? {
        guard let first = components.first else { return newValue }
        let rest = components.dropFirst()
        switch (first, self) {
        case let (.key(key), .map(entries)):
            var out = entries
            out[key] = (entries[key] ?? .null).setting(newValue, at: rest)
            if out[key] == .null, rest.isEmpty == false, entries[key] == nil { out[key] = nil }
            return .map(out)
        case let (.key(key), .null):
            guard let inner = Value.null.setting(newValue, at: rest), inner != .null else { return self }
            return .map([key: inner])
        case let (.index(index), .list(items)):
            guard items.indices.contains(index) else { return self }
            var out = items
            out[index] = items[index].setting(newValue, at: rest) ?? .null
            return .list(out)
        case let (.index(index), .set(set)):
            guard set.elements.indices.contains(index) else { return self }
            var out = set.elements
            out[index] = set.elements[index].setting(newValue, at: rest) ?? .null
            return .set(of: out)
        default:
            return self
        }
    }
}

extension Dictionary where Key == String, Value == TendModel.Value {
    /// The nested value at a path, nil when absent.
    public func value(at path: AttributePath) -> TendModel.Value? {
        guard let root = path.root, let top = self[root] else { return nil }
        return top.value(at: AttributePath(Array(path.components.dropFirst())))
    }

    /// Sets (or with nil removes) the value at a path of any depth; see `Value.setting(_:at:)`.
    public mutating func set(_ newValue: TendModel.Value?, at path: AttributePath) {
        guard case let .key(root)? = path.components.first else { return }
        let rest = path.components.dropFirst()
        if rest.isEmpty {
            self[root] = newValue
        } else {
            self[root] = (self[root] ?? .null).setting(newValue, at: rest)
        }
    }
}
