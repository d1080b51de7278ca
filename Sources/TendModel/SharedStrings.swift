/// Strings a state read may hand out for recorded string attributes with exactly their bytes, by object and
/// attribute: a plan passes the string literals its specs declare, so an unchanged text is held once, not twice, and
/// comparing the two later is a pointer check.
///
/// Built from specs, it reads their properties where they are: nothing is gathered per spec (a table of tables for
/// 10,000 specs cost some 10 ms of CPU to build, and as much again to free).
public struct SharedStrings: Sendable {
    private enum Source: Sendable {
        case table([ResourceAddress: [String: String]])
        case specs([ResourceSpec], positions: [ResourceAddress: Int])
    }

    private let source: Source

    /// Nothing to share.
    public static let none = SharedStrings([:])

    /// The strings of `table[address][attribute]`.
    public init(_ table: [ResourceAddress: [String: String]]) {
        source = .table(table)
    }

    /// The string literals each spec declares.
    public init(declaredBy specs: [ResourceSpec]) {
        var positions: [ResourceAddress: Int] = [:]
        positions.reserveCapacity(specs.count)
        for index in specs.indices { positions[specs[index].address] = index }
        source = .specs(specs, positions: positions)
    }

    /// What may be shared with the object at `address`; nil when nothing.
    public func object(_ address: ResourceAddress) -> Object? {
        switch source {
        case let .table(table):
            return table[address].map { Object(source: .table($0)) }
        case let .specs(specs, positions):
            // The spec's own properties, not the array of every spec: threads decoding records at once would
            // otherwise all count references on that one array.
            return positions[address].map { Object(source: .properties(specs[$0].properties)) }
        }
    }

    /// The strings one object may share.
    public struct Object {
        fileprivate enum Source {
            case table([String: String])
            case properties([String: Expression])
        }

        fileprivate let source: Source

        fileprivate init(source: Source) {
            self.source = source
        }

        /// The strings of `strings[attribute]`.
        public init(_ strings: [String: String]) {
            source = .table(strings)
        }

        /// The string `attribute` may be shared with.
        public func string(for attribute: String) -> String? {
            switch source {
            case let .table(strings):
                return strings[attribute]
            case let .properties(properties):
                guard case let .literal(.string(text))? = properties[attribute] else { return nil }
                return text
            }
        }
    }
}
