extension Array {
    /// The elements ordered by `key` (stable), each element moved once: large values (specs, records, changes) are
    /// not copied back and forth while sorting, and an array already in order is returned as it is.
    ///
    /// Inlinable, so that at each call site a key path such as `\.address` becomes a read of that one field: through
    /// an unspecialised key-path function every element (a spec of some twenty references) was copied to read it.
    @inlinable
    public func sorted<Key: Comparable>(byKey key: (Element) -> Key) -> [Element] {
        let keys = map(key)
        if keys.indices.dropFirst().allSatisfy({ !(keys[$0] < keys[$0 - 1]) }) { return self }
        return keys.indices.sorted { keys[$0] < keys[$1] || (!(keys[$1] < keys[$0]) && $0 < $1) }.map { self[$0] }
    }
}
