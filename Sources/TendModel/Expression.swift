/// A reference to another resource's attribute: `vpc.id`, `site["a"].path`.
public struct Reference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The resource name.
    public var name: String
    /// The instance key, when the reference names one instance.
    public var key: ResourceAddress.InstanceKey?
    /// The attribute path below the instance.
    public var path: AttributePath
    /// Where the reference was written.
    public var location: SourceLocation?

    public init(name: String, key: ResourceAddress.InstanceKey? = nil, path: AttributePath, location: SourceLocation? = nil) {
        self.name = name
        self.key = key
        self.path = path
        self.location = location
    }

    /// The instance address this reference reads from.
    public var address: ResourceAddress { ResourceAddress(name: name, key: key) }

    public var description: String { "\(address).\(path)" }

    public static func == (lhs: Reference, rhs: Reference) -> Bool {
        lhs.name == rhs.name && lhs.key == rhs.key && lhs.path == rhs.path
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(key)
        hasher.combine(path)
    }
}

/// A property value that may still contain references to other resources.
public indirect enum Expression: Sendable, Hashable, Codable {
    /// A fully known value.
    case literal(Value)
    /// A list whose items may hold references.
    case list([Expression])
    /// A map whose values may hold references.
    case map([String: Expression])
    /// A single reference: keeps the referenced value's type.
    case reference(Reference)
    /// A string with references interpolated into it.
    case template([TemplatePart])

    /// One piece of an interpolated string.
    public enum TemplatePart: Sendable, Hashable, Codable {
        case text(String)
        case reference(Reference)
    }

    /// Every reference inside.
    /// Whether anything in it refers to another object (`references` is not empty), without collecting them.
    public var hasReferences: Bool {
        switch self {
        case .literal: return false
        case let .list(items): return items.contains(where: \.hasReferences)
        case let .map(entries): return entries.values.contains(where: \.hasReferences)
        case .reference: return true
        case let .template(parts):
            return parts.contains { if case .reference = $0 { return true } else { return false } }
        }
    }

    public var references: [Reference] {
        switch self {
        case .literal: return []
        case let .list(items): return items.flatMap(\.references)
        case let .map(entries): return entries.keys.sorted().flatMap { entries[$0]?.references ?? [] }
        case let .reference(r): return [r]
        case let .template(parts):
            return parts.compactMap { if case let .reference(r) = $0 { return r } else { return nil } }
        }
    }

    /// Evaluates with a lookup for references; an unresolved or unknown reference yields `.unknown`.
    public func evaluate(_ lookup: (Reference) -> Value?) -> Value {
        switch self {
        case let .literal(v): return v
        case let .list(items): return .list(items.map { $0.evaluate(lookup) })
        case let .map(entries): return .map(entries.mapValues { $0.evaluate(lookup) })
        case let .reference(r): return lookup(r) ?? .unknown
        case let .template(parts):
            var out = ""
            for part in parts {
                switch part {
                case let .text(t): out += t
                case let .reference(r):
                    guard let v = lookup(r), !v.containsUnknown, let text = v.interpolationText else { return .unknown }
                    out += text
                }
            }
            return .string(out)
        }
    }

    /// The value when no references are inside.
    public var literalValue: Value? {
        references.isEmpty ? evaluate { _ in nil } : nil
    }
}
