/// The elements of a set value: unordered and without duplicates. Two sets are equal when they hold the same
/// elements, whatever order they were given in; the elements are kept in one canonical order (by their canonical
/// JSON) so that every output, index path and digest of a set is the same for the same set.
public struct ValueSet: Sendable, Hashable {
    /// The elements, in canonical order, without duplicates.
    public let elements: [Value]

    /// A set of these values; order and repeats do not matter.
    public init<S: Sequence>(_ values: S) where S.Element == Value {
        var seen: Set<String> = []
        var keyed: [(key: String, value: Value)] = []
        for value in values {
            let key = value.containsUnknown ? ValueSet.key(value) : value.canonicalJSON
            if seen.insert(key).inserted { keyed.append((key, value)) }
        }
        keyed.sort { $0.key < $1.key }
        elements = keyed.map(\.value)
    }

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }

    /// Canonical JSON, but with unknown written as `?` rather than null, so a set may hold both.
    private static func key(_ value: Value) -> String {
        switch value {
        case .unknown: return "?"
        case let .list(items): return "[" + items.map(key).joined(separator: ",") + "]"
        case let .set(set): return "[" + set.elements.map(key).joined(separator: ",") + "]"
        case let .map(entries):
            return "{" + entries.keys.sorted().map { Value.quote($0) + ":" + key(entries[$0] ?? .null) }.joined(separator: ",") + "}"
        default: return value.canonicalJSON
        }
    }

    /// Whether `value` is an element.
    public func contains(_ value: Value) -> Bool { elements.contains(value) }
}
