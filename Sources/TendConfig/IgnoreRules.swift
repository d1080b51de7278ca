import TendModel

/// `.tendignore`: which drift findings not to report.
///
/// One rule per line; `#` starts a comment; later rules win; `!` negates (re-includes).
/// - `type:GLOB` matches a resource type; `id:GLOB` an object id; `address:GLOB` a managed address;
/// - `attribute:ADDRESS_GLOB:PATH_GLOB` ignores attribute drift on matching addresses;
/// - a bare `GLOB` matches a type, an address or an id.
/// Globs take `*` (any run of characters), `?` (one character) and `[abc]` sets — except on addresses,
/// where brackets are literal so `site["a"]` and `site[*]` read naturally.
public struct IgnoreRules: Sendable, Hashable {
    /// One parsed line.
    public struct Rule: Sendable, Hashable {
        public enum Target: Sendable, Hashable {
            case type(String)
            case id(String)
            case address(String)
            case attribute(address: String, path: String)
            case any(String)
        }

        public var target: Target
        public var isNegated: Bool
        public var line: Int
    }

    public var rules: [Rule]

    public init(rules: [Rule] = []) {
        self.rules = rules
    }

    /// Parses the file's text; malformed lines become diagnostics at `file:line:1`.
    public static func parse(_ text: String, file: String) -> (IgnoreRules, [Diagnostic]) {
        var rules: [Rule] = []
        var diagnostics: [Diagnostic] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let negated = line.hasPrefix("!")
            if negated { line = String(line.dropFirst()).trimmingWhitespace() }
            let location = SourceLocation(file: file, line: offset + 1, column: 1)
            guard let target = parseTarget(line) else {
                diagnostics.append(Diagnostic(.error, "invalid ignore rule \"\(raw)\": expected type:GLOB, id:GLOB, address:GLOB, attribute:ADDRESS:PATH or GLOB",
                                              at: location))
                continue
            }
            rules.append(Rule(target: target, isNegated: negated, line: offset + 1))
        }
        return (IgnoreRules(rules: rules), diagnostics)
    }

    private static func parseTarget(_ line: String) -> Rule.Target? {
        guard !line.isEmpty else { return nil }
        for (prefix, make) in [("type:", Rule.Target.type), ("id:", Rule.Target.id), ("address:", Rule.Target.address)] {
            if line.hasPrefix(prefix) {
                let glob = String(line.dropFirst(prefix.count))
                return glob.isEmpty ? nil : make(glob)
            }
        }
        if line.hasPrefix("attribute:") {
            let rest = line.dropFirst("attribute:".count)
            guard let colon = rest.lastIndex(of: ":") else { return nil }
            let address = String(rest[..<colon])
            let path = String(rest[rest.index(after: colon)...])
            return address.isEmpty || path.isEmpty ? nil : .attribute(address: address, path: path)
        }
        return .any(line)
    }

    /// Whether a whole resource or object is ignored.
    public func ignores(type: String, address: String?, id: String?) -> Bool {
        var ignored = false
        for rule in rules {
            let matches: Bool
            switch rule.target {
            case let .type(glob): matches = Glob.matches(glob, type)
            case let .id(glob): matches = id.map { Glob.matches(glob, $0) } ?? false
            case let .address(glob): matches = address.map { Glob.matches(glob, $0, sets: false) } ?? false
            case let .any(glob):
                matches = Glob.matches(glob, type) || (address.map { Glob.matches(glob, $0, sets: false) } ?? false)
                    || (id.map { Glob.matches(glob, $0) } ?? false)
            case .attribute: continue
            }
            if matches { ignored = !rule.isNegated }
        }
        return ignored
    }

    /// Whether drift of one attribute path of a managed resource is ignored.
    public func ignores(address: String, path: String) -> Bool {
        var ignored = false
        for rule in rules {
            guard case let .attribute(addressGlob, pathGlob) = rule.target else { continue }
            if Glob.matches(addressGlob, address, sets: false) && (Glob.matches(pathGlob, path) || path.hasPrefix(pathGlob + ".")) {
                ignored = !rule.isNegated
            }
        }
        return ignored
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
