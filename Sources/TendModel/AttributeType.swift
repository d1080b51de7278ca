/// The type of an attribute in a schema.
public indirect enum AttributeType: Sendable, Hashable, Codable, CustomStringConvertible {
    case string
    case number
    case bool
    case list(AttributeType)
    /// Unordered and without duplicates; compared as a set everywhere.
    case set(AttributeType)
    case map(AttributeType)
    case object([String: AttributeType])
    case any

    public var description: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .bool: return "bool"
        case let .list(e): return "list(\(e))"
        case let .set(e): return "set(\(e))"
        case let .map(e): return "map(\(e))"
        case .object: return "object"
        case .any: return "any"
        }
    }

    /// Checks a value against this type; returns the path and reason of the first mismatch.
    public func mismatch(for value: Value, at path: AttributePath = AttributePath([])) -> (AttributePath, String)? {
        switch (self, value) {
        case (_, .unknown), (.any, _), (_, .null): return nil
        case (.string, .string): return nil
        case (.string, .number), (.string, .bool): return nil   // scalars convert to strings, as in Terraform
        case (.number, .number), (.bool, .bool): return nil
        case let (.number, .string(s)) where Number(parsing: s) != nil: return nil
        case let (.bool, .string(s)) where s == "true" || s == "false": return nil
        case let (.list(element), .list), let (.set(element), .list), let (.set(element), .set):
            for (i, item) in (value.elements ?? []).enumerated() {
                if let m = element.mismatch(for: item, at: path.appending(.index(i))) { return m }
            }
            return nil
        case let (.map(element), .map(entries)):
            for key in entries.keys.sorted() {
                if let item = entries[key], let m = element.mismatch(for: item, at: path.appending(.key(key))) { return m }
            }
            return nil
        case let (.object(fields), .map(entries)):
            for key in entries.keys.sorted() {
                guard let fieldType = fields[key] else { return (path.appending(.key(key)), "unknown field \"\(key)\"") }
                if let item = entries[key], let m = fieldType.mismatch(for: item, at: path.appending(.key(key))) { return m }
            }
            return nil
        default:
            return (path, "expected \(self), got \(value.kindName)")
        }
    }

    /// The value with every list this type says is a set made a set, at any depth; nothing else changes.
    public func typed(_ value: Value) -> Value {
        switch (self, value) {
        case let (.set(e), .list), let (.set(e), .set): return .set(of: (value.elements ?? []).map { e.typed($0) })
        case let (.list(e), .list(items)): return e.holdsSets ? .list(items.map { e.typed($0) }) : value
        case let (.map(e), .map(entries)): return e.holdsSets ? .map(entries.mapValues { e.typed($0) }) : value
        case let (.object(fields), .map(entries)):
            guard fields.values.contains(where: \.holdsSets) else { return value }
            var out: [String: Value] = [:]
            for (k, v) in entries { out[k] = fields[k].map { $0.typed(v) } ?? v }
            return .map(out)
        default: return value
        }
    }

    /// The type of the value under `key` in a map or object of this type; `any` when the type does not say.
    public func elementType(forKey key: String) -> AttributeType {
        switch self {
        case let .map(e): return e
        case let .object(fields): return fields[key] ?? .any
        default: return .any
        }
    }

    /// Whether a set lies anywhere in this type.
    public var holdsSets: Bool {
        switch self {
        case .set: return true
        case let .list(e), let .map(e): return e.holdsSets
        case let .object(fields): return fields.values.contains(where: \.holdsSets)
        case .string, .number, .bool, .any: return false
        }
    }

    /// Converts scalars to this type where the conversion is lossless (`"8"` → 8 for a number).
    public func coerce(_ value: Value) -> Value {
        switch (self, value) {
        case let (.string, .number(n)): return .string(n.description)
        case let (.string, .bool(b)): return .string(b ? "true" : "false")
        case let (.number, .string(s)): return Number(parsing: s).map(Value.number) ?? value
        case let (.bool, .string(s)) where s == "true" || s == "false": return .bool(s == "true")
        case let (.list(e), .list(items)): return .list(items.map { e.coerce($0) })
        // A list stays a list (its order is where validation points); `typed` makes it a set.
        case let (.set(e), .list(items)): return .list(items.map { e.coerce($0) })
        case let (.set(e), .set(set)): return .set(of: set.elements.map { e.coerce($0) })
        case let (.map(e), .map(entries)): return .map(entries.mapValues { e.coerce($0) })
        case let (.object(fields), .map(entries)):
            var out: [String: Value] = [:]
            for (k, v) in entries { out[k] = fields[k].map { $0.coerce(v) } ?? v }
            return .map(out)
        default: return value
        }
    }
}
