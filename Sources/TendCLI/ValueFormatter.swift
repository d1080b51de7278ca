import TendModel

/// Renders attribute values for people: quoted strings, inline lists and maps, placeholders for unknown and sensitive.
enum ValueFormatter {
    static let unknownText = "(known after apply)"
    static let sensitiveText = "(sensitive)"
    static let maxString = 120

    /// The value at `path`, with what `marks` cover shown as `(sensitive)` at any depth.
    static func format(_ value: Value?, at path: AttributePath, marks: SensitiveMarks) -> String {
        guard let value, marks.touches(path) else { return format(value) }
        if marks.covers(path) { return format(value, sensitive: true) }
        switch value {
        case .list, .set:
            return "[" + (value.elements ?? []).enumerated().map { format($1, at: path.appending(.index($0)), marks: marks) }
                .joined(separator: ", ") + "]"
        case let .map(entries):
            if entries.isEmpty { return "{}" }
            return "{ " + entries.keys.sorted().map { key in
                "\(key) = \(format(entries[key], at: path.appending(.key(key)), marks: marks))"
            }.joined(separator: ", ") + " }"
        default:
            return format(value)
        }
    }

    static func format(_ value: Value?, sensitive: Bool = false) -> String {
        guard let value else { return "null" }
        if sensitive, value != .null { return value == .unknown ? unknownText : sensitiveText }
        switch value {
        case .null: return "null"
        case .unknown: return unknownText
        case let .bool(b): return b ? "true" : "false"
        case let .number(n): return n.description
        case let .string(s):
            if s.utf8.count > maxString {
                let head = String(s.prefix(60))
                return Value.quote(head).dropLast() + "…\" (\(s.utf8.count) bytes)"
            }
            return Value.quote(s)
        case .list, .set: return "[" + (value.elements ?? []).map { format($0) }.joined(separator: ", ") + "]"
        case let .map(entries):
            if entries.isEmpty { return "{}" }
            return "{ " + entries.keys.sorted().map { "\($0) = \(format(entries[$0]))" }.joined(separator: ", ") + " }"
        }
    }
}
