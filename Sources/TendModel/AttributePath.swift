/// A path into an attribute value: `tags.owner`, `ingress[0].port`.
public struct AttributePath: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// One step of a path.
    public enum Component: Sendable, Hashable, Codable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component]) { self.components = components }

    /// A path of map keys.
    public init(keys: String...) { self.components = keys.map { .key($0) } }

    /// Parses `a.b[0].c` or `a["x.y"]`; nil when malformed.
    public init?(parsing text: String) {
        var components: [Component] = []
        var chars = Substring(text)
        var expectKey = true
        while !chars.isEmpty {
            if chars.first == "[" {
                chars.removeFirst()
                if chars.first == "\"" {
                    chars.removeFirst()
                    guard let end = chars.firstIndex(of: "\"") else { return nil }
                    components.append(.key(String(chars[..<end])))
                    chars = chars[chars.index(after: end)...]
                } else {
                    let digits = chars.prefix { $0.isNumber }
                    guard let i = Int(digits) else { return nil }
                    components.append(.index(i))
                    chars = chars.dropFirst(digits.count)
                }
                guard chars.first == "]" else { return nil }
                chars.removeFirst()
                expectKey = false
            } else if chars.first == "." {
                guard !components.isEmpty, !expectKey else { return nil }
                chars.removeFirst()
                expectKey = true
            } else {
                guard expectKey else { return nil }
                let name = chars.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                components.append(.key(String(name)))
                chars = chars.dropFirst(name.count)
                expectKey = false
            }
        }
        if components.isEmpty || expectKey && text.hasSuffix(".") { return nil }
        self.components = components
    }

    public var description: String {
        var out = ""
        for component in components {
            switch component {
            case let .key(k):
                if k.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ":" || $0 == "/" }), !k.isEmpty {
                    out += out.isEmpty ? k : "." + k
                } else {
                    out += "[\"" + k + "\"]"
                }
            case let .index(i): out += "[\(i)]"
            }
        }
        return out
    }

    /// The first key, the attribute's top-level name.
    public var root: String? {
        if case let .key(k) = components.first { return k }
        return nil
    }

    /// Whether `self` equals `other` or lies below it.
    public func hasPrefix(_ other: AttributePath) -> Bool {
        components.count >= other.components.count && Array(components.prefix(other.components.count)) == other.components
    }

    /// The path one step deeper.
    public func appending(_ component: Component) -> AttributePath {
        AttributePath(components + [component])
    }

    public static func < (lhs: AttributePath, rhs: AttributePath) -> Bool {
        lhs.description < rhs.description
    }
}
