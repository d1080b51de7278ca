extension Array {
    /// `map(field)`, each element read where it lies: a large value (a spec, a record) is not copied whole, each of
    /// its fields retained and released, to read one of them.
    @inlinable
    public func mapInPlace<T>(_ field: (borrowing Element) throws -> T) rethrows -> [T] {
        try withUnsafeBufferPointer { elements in
            var out: [T] = []
            out.reserveCapacity(elements.count)
            for index in elements.indices { out.append(try field(elements[index])) }
            return out
        }
    }

    /// `contains(where:)`, each element read where it lies (see `mapInPlace`).
    @inlinable
    public func containsInPlace(where predicate: (borrowing Element) throws -> Bool) rethrows -> Bool {
        try withUnsafeBufferPointer { elements in
            for index in elements.indices where try predicate(elements[index]) { return true }
            return false
        }
    }

    /// The positions of the elements `predicate` accepts, each element read where it lies (see `mapInPlace`).
    @inlinable
    public func indicesInPlace(where predicate: (borrowing Element) throws -> Bool) rethrows -> [Int] {
        try withUnsafeBufferPointer { elements in
            var out: [Int] = []
            for index in elements.indices where try predicate(elements[index]) { out.append(index) }
            return out
        }
    }
}
