// TendModel owns tend's plain values: attribute values and paths, addresses,
// schemas, diagnostics with source locations, resource specs and records, and
// plans. It imports nothing of tend's and does no I/O.

/// A dynamically typed attribute value, the currency between config, providers, diff and state.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    /// An exact number: integers are exact 64-bit, others keep their exact decimal value.
    case number(Number)
    case string(String)
    case list([Value])
    /// Unordered, without duplicates: equal whatever order the elements came in (see `ValueSet`).
    case set(ValueSet)
    case map([String: Value])
    /// A value that is only known after apply (a computed attribute or a reference to one).
    case unknown
}

extension Value {
    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The map payload, if this is a map.
    public var mapValue: [String: Value]? {
        if case let .map(m) = self { return m }
        return nil
    }

    /// The list payload, if this is a list.
    public var listValue: [Value]? {
        if case let .list(l) = self { return l }
        return nil
    }

    /// The items of a list, or the elements of a set in their canonical order; nil for anything else.
    public var elements: [Value]? {
        switch self {
        case let .list(items): return items
        case let .set(set): return set.elements
        default: return nil
        }
    }

    /// A set of these values.
    public static func set<S: Sequence>(of values: S) -> Value where S.Element == Value {
        .set(ValueSet(values))
    }

    /// The bool payload, if this is a bool.
    public var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    /// The number payload, if this is a number.
    public var numberValue: Number? {
        if case let .number(n) = self { return n }
        return nil
    }

    /// Whether this value or anything inside it is unknown.
    public var containsUnknown: Bool {
        switch self {
        case .unknown: return true
        case let .list(items): return items.contains { $0.containsUnknown }
        case let .set(set): return set.elements.contains { $0.containsUnknown }
        case let .map(entries): return entries.values.contains { $0.containsUnknown }
        default: return false
        }
    }

    /// A short name of the value's kind, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .list: return "list"
        case .set: return "set"
        case .map: return "map"
        case .unknown: return "unknown"
        }
    }

    /// The value as it reads inside an interpolated string.
    public var interpolationText: String? {
        switch self {
        case let .string(s): return s
        case let .bool(b): return b ? "true" : "false"
        case let .number(n): return n.description
        case .null: return ""
        default: return nil
        }
    }

    /// Looks up a nested value by path; nil when any step is missing.
    public func value(at path: AttributePath) -> Value? {
        var current = self
        for component in path.components {
            switch (component, current) {
            case let (.key(k), .map(m)):
                guard let next = m[k] else { return nil }
                current = next
            case let (.index(i), .list(l)):
                guard i >= 0, i < l.count else { return nil }
                current = l[i]
            case let (.index(i), .set(s)):
                guard i >= 0, i < s.count else { return nil }
                current = s.elements[i]
            case (_, .unknown):
                return .unknown
            default:
                return nil
            }
        }
        return current
    }
}
