/// Which attribute paths of a resource hold sensitive values. Sensitivity is a mark that travels: a path is
/// sensitive when it, or any path above it, is marked, and a value holds sensitive parts when a marked path lies at
/// or below it. Every output redacts through these marks instead of asking the schema alone.
public struct SensitiveMarks: Sendable, Hashable {
    /// The marked paths, sorted, without duplicates.
    public let paths: [AttributePath]

    /// Marks for these paths (duplicates and order do not matter).
    public init<S: Sequence>(_ paths: S) where S.Element == AttributePath {
        var paths = Array(paths)
        // Most marks hold no path or one: no set to build then.
        if paths.count > 1 { paths = Set(paths).sorted() }
        self.paths = paths
    }

    /// Whether nothing is marked.
    public var isEmpty: Bool { paths.isEmpty }

    /// These marks and those of `other`.
    public func union(_ other: [AttributePath]) -> SensitiveMarks {
        other.isEmpty ? self : SensitiveMarks(paths + other)
    }

    /// Whether the value at `path` is sensitive as a whole: the path or one above it is marked.
    public func covers(_ path: AttributePath) -> Bool {
        paths.contains { path.hasPrefix($0) }
    }

    /// Whether the value at `path` is or contains something sensitive.
    public func touches(_ path: AttributePath) -> Bool {
        paths.contains { path.hasPrefix($0) || $0.hasPrefix(path) }
    }

    /// The value at `path` with every sensitive part replaced by `marker`; null and unknown values reveal nothing
    /// and stay as they are.
    public func redacting(_ value: Value, at path: AttributePath, marker: Value) -> Value {
        guard touches(path) else { return value }
        if value == .null || value == .unknown { return value }
        if covers(path) { return marker }
        switch value {
        case let .map(entries):
            var out: [String: Value] = [:]
            for (key, item) in entries { out[key] = redacting(item, at: path.appending(.key(key)), marker: marker) }
            return .map(out)
        case let .list(items):
            return .list(items.enumerated().map { redacting($1, at: path.appending(.index($0)), marker: marker) })
        case let .set(set):
            // Redacted elements are shown in the set's order, as a list: markers must not merge or reorder them.
            return .list(set.elements.enumerated().map { redacting($1, at: path.appending(.index($0)), marker: marker) })
        default:
            return value
        }
    }

    /// Attributes with every sensitive part replaced by `marker`.
    public func redacting(_ attributes: [String: Value], marker: Value) -> [String: Value] {
        guard !paths.isEmpty else { return attributes }
        var out = attributes
        for (key, value) in attributes {
            let path = AttributePath([.key(key)])
            if touches(path) { out[key] = redacting(value, at: path, marker: marker) }
        }
        return out
    }

    /// Terraform's `before_sensitive`/`after_sensitive` shape: an object mirroring the attributes with `true` where
    /// a value is sensitive, objects and arrays where sensitive parts lie deeper, and nothing for the rest.
    public func mask(_ attributes: [String: Value]) -> [String: Value] {
        var out: [String: Value] = [:]
        for (key, value) in attributes {
            if let flag = mask(value, at: AttributePath([.key(key)])) { out[key] = flag }
        }
        return out
    }

    private func mask(_ value: Value, at path: AttributePath) -> Value? {
        guard touches(path) else { return nil }
        if covers(path) { return .bool(true) }
        switch value {
        case let .map(entries):
            var out: [String: Value] = [:]
            for (key, item) in entries {
                if let flag = mask(item, at: path.appending(.key(key))) { out[key] = flag }
            }
            return .map(out)
        case let .list(items):
            return .list(items.enumerated().map { mask($1, at: path.appending(.index($0))) ?? .bool(false) })
        case let .set(set):
            return .list(set.elements.enumerated().map { mask($1, at: path.appending(.index($0))) ?? .bool(false) })
        default:
            return nil
        }
    }

    /// The texts of every sensitive string, number or bool in `attributes`, for scrubbing messages that may embed them.
    public func secretTexts(in attributes: [String: Value]) -> [String] {
        guard !paths.isEmpty else { return [] }
        var out: [String] = []
        func collect(_ value: Value, _ path: AttributePath, _ inside: Bool) {
            let isSensitive = inside || covers(path)
            switch value {
            case let .map(entries):
                for (key, item) in entries where isSensitive || touches(path.appending(.key(key))) {
                    collect(item, path.appending(.key(key)), isSensitive)
                }
            case .list, .set:
                for (i, item) in (value.elements ?? []).enumerated() where isSensitive || touches(path.appending(.index(i))) {
                    collect(item, path.appending(.index(i)), isSensitive)
                }
            case .null, .unknown:
                break
            default:
                if isSensitive, let text = value.interpolationText, !text.isEmpty { out.append(text) }
            }
        }
        for (key, value) in attributes where touches(AttributePath([.key(key)])) {
            collect(value, AttributePath([.key(key)]), false)
        }
        return out
    }

    /// `text` with every occurrence of each secret replaced by `marker`, longest secrets first (so a secret that
    /// contains another is removed whole). Secrets shorter than three characters are left: they would mangle
    /// every message and hide nothing.
    public static func scrub(_ text: String, removing secrets: [String], marker: String) -> String {
        var out = text
        for secret in Set(secrets).sorted(by: { $0.count > $1.count }) where secret.count >= 3 {
            out = out.replacing(secret, with: marker)
        }
        return out
    }
}
