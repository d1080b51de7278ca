/// The type of an attribute in a schema.
public indirect enum AttributeType: Sendable, Hashable, Codable, CustomStringConvertible {
    case string
    case number
    case bool
    case list(AttributeType)
    case map(AttributeType)
    case object([String: AttributeType])
    case any

    public var description: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .bool: return "bool"
        case let .list(e): return "list(\(e))"
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
        case let (.list(element), .list(items)):
            for (i, item) in items.enumerated() {
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

    /// Converts scalars to this type where the conversion is lossless (`"8"` → 8 for a number).
    public func coerce(_ value: Value) -> Value {
        switch (self, value) {
        case let (.string, .number(n)): return .string(n.description)
        case let (.string, .bool(b)): return .string(b ? "true" : "false")
        case let (.number, .string(s)): return Number(parsing: s).map(Value.number) ?? value
        case let (.bool, .string(s)) where s == "true" || s == "false": return .bool(s == "true")
        case let (.list(e), .list(items)): return .list(items.map { e.coerce($0) })
        case let (.map(e), .map(entries)): return .map(entries.mapValues { e.coerce($0) })
        case let (.object(fields), .map(entries)):
            var out: [String: Value] = [:]
            for (k, v) in entries { out[k] = fields[k].map { $0.coerce(v) } ?? v }
            return .map(out)
        default: return value
        }
    }
}
