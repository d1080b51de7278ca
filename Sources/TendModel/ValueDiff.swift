/// How a changed value is best shown to people: multi-line text as a unified diff, JSON documents (policies) as
/// pretty-printed JSON with sorted keys so key order and spacing do not show, long single lines cut down to what
/// changed. Every renderer asks here, so plan and drift text, reports and webhooks show a change alike.
public enum ValueDiff {
    /// A unified diff from `expected` to `actual` when either is multi-line text or both are JSON documents whose
    /// pretty forms differ; nil when the values are better shown inline. A missing or null side counts as empty.
    public static func lines(expected: Value?, actual: Value?, context: Int = 3, maxLines: Int = 200) -> [TextDiff.Line]? {
        guard let old = text(expected), let new = text(actual), old != new else { return nil }
        if let oldJSON = jsonDocument(old), let newJSON = jsonDocument(new) {
            let a = prettyJSON(oldJSON)
            let b = prettyJSON(newJSON)
            // Documents that differ only in spacing or key order: the raw text shows where (a file's bytes count).
            if a != b { return TextDiff.unified(a, b, context: context, maxLines: maxLines) }
        }
        // One line with its newline reads best inline: `"env = dev\n" → "env = prod\n"`.
        guard TextDiff.hasSeveralLines(old) || TextDiff.hasSeveralLines(new) else { return nil }
        return TextDiff.unified(old, new, context: context, maxLines: maxLines)
    }

    /// Long single-line strings shortened around their difference (see `TextDiff.shortened`); nil when either
    /// value is not a single-line string or both are short.
    public static func shortened(expected: Value?, actual: Value?, width: Int = 80) -> (expected: String, actual: String)? {
        guard case let .string(old)? = expected, case let .string(new)? = actual,
              !old.contains("\n"), !new.contains("\n"), old.count > width || new.count > width else { return nil }
        let cut = TextDiff.shortened(old, new, width: width)
        return (cut.old, cut.new)
    }

    /// A side's text: a string as it is, nothing (absent or null) as empty, anything else nil.
    private static func text(_ value: Value?) -> String? {
        switch value {
        case nil, .null?: return ""
        case let .string(s)?: return s
        default: return nil
        }
    }

    /// The text as a JSON object or array, when it is one.
    private static func jsonDocument(_ text: String) -> Value? {
        guard let first = text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
              first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        // Text that does not parse is shown as text: this only decides how a value looks.
        guard let value = try? JSONValueParser.parse(text) else { return nil }
        switch value {
        case .map, .list: return value
        default: return nil
        }
    }

    /// JSON with sorted keys, two spaces of indent per level, one member or element per line.
    public static func prettyJSON(_ value: Value, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case let .list(items) where !items.isEmpty:
            return "[\n" + items.map { inner + prettyJSON($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case let .set(set) where !set.elements.isEmpty:
            return prettyJSON(.list(set.elements), indent: indent)
        case let .map(entries) where !entries.isEmpty:
            return "{\n" + entries.keys.sorted().map { key in
                inner + Value.quote(key) + ": " + prettyJSON(entries[key] ?? .null, indent: inner)
            }.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return value.canonicalJSON
        }
    }
}
