import TendModel

/// A parsed YAML or JSON node that remembers where it was written.
indirect enum ManifestNode: Sendable {
    case scalar(Scalar)
    case mapping([Entry], SourceLocation)
    case sequence([ManifestNode], SourceLocation)

    /// A scalar with its resolved kind and its raw text.
    struct Scalar: Sendable {
        enum Kind: Sendable, Equatable {
            case string
            case number(Number)
            case bool(Bool)
            case null
        }

        var text: String
        var kind: Kind
        /// Whether the scalar was written without quotes (so its raw text may stand for a string).
        var isPlain: Bool
        var location: SourceLocation
        /// The column where the text starts in the source, when the text maps one to one onto it.
        var contentColumn: Int?

        /// The location of the character `offset` unicode scalars into the text.
        func location(atOffset offset: Int) -> SourceLocation {
            guard let column = contentColumn else { return location }
            return SourceLocation(file: location.file, line: location.line, column: column + offset)
        }
    }

    /// One key of a mapping.
    struct Entry: Sendable {
        var key: String
        var keyLocation: SourceLocation
        var value: ManifestNode
    }

    var location: SourceLocation {
        switch self {
        case let .scalar(s): return s.location
        case let .mapping(_, l), let .sequence(_, l): return l
        }
    }

    var entries: [Entry]? {
        if case let .mapping(e, _) = self { return e }
        return nil
    }

    var items: [ManifestNode]? {
        if case let .sequence(i, _) = self { return i }
        return nil
    }

    var scalar: Scalar? {
        if case let .scalar(s) = self { return s }
        return nil
    }

    var isNull: Bool { scalar?.kind == .null }

    /// A short name of the node's kind, for error messages.
    var kindName: String {
        switch self {
        case let .scalar(s):
            switch s.kind {
            case .string: return "string"
            case .number: return "number"
            case .bool: return "bool"
            case .null: return "null"
            }
        case .mapping: return "map"
        case .sequence: return "list"
        }
    }

    /// The value of a mapping key.
    subscript(key: String) -> ManifestNode? {
        entries?.first { $0.key == key }?.value
    }

    /// The deepest node along `path`, for pointing at the part of a value that is wrong.
    func node(at path: AttributePath) -> ManifestNode {
        var current = self
        for component in path.components {
            switch (component, current) {
            case let (.key(k), .mapping(entries, _)):
                guard let next = entries.first(where: { $0.key == k }) else { return current }
                current = next.value
            case let (.index(i), .sequence(items, _)):
                guard i >= 0, i < items.count else { return current }
                current = items[i]
            default:
                return current
            }
        }
        return current
    }

    /// The location of `path`'s node, or of the key when the path ends in a missing key.
    func location(at path: AttributePath) -> SourceLocation {
        node(at: path).location
    }
}
