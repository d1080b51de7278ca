import ProviderKit
import TendModel

/// Reads declared attribute values the way the EC2 types need them: scalars as text, bools with a default,
/// lists of strings.
enum EC2Values {
    /// A scalar attribute as text; nil when absent, null or empty.
    static func string(_ attributes: [String: Value], _ key: String) -> String? {
        guard let value = attributes[key], value != .null, let text = value.interpolationText, !text.isEmpty else { return nil }
        return text
    }

    /// A scalar attribute the type cannot do without; invalid input when it is missing.
    static func required(_ attributes: [String: Value], _ key: String, subject: String) throws -> String {
        guard let text = string(attributes, key) else {
            throw ProviderError(.invalidInput, "\(subject): \(key) is required")
        }
        return text
    }

    /// A bool attribute (`true`, or the text "true"); `fallback` when absent.
    static func bool(_ attributes: [String: Value], _ key: String, default fallback: Bool) -> Bool {
        switch attributes[key] {
        case let .bool(flag)?: return flag
        case let .string(text)?: return text == "true"
        default: return fallback
        }
    }

    /// A list of strings, sorted and without duplicates; nil when the attribute is absent or null.
    static func stringSet(_ attributes: [String: Value], _ key: String) -> [String]? {
        guard let items = attributes[key]?.elements else { return nil }
        return Array(Set(items.compactMap(\.interpolationText).filter { !$0.isEmpty })).sorted()
    }

    /// Strings as a set value.
    static func set(_ strings: [String]) -> Value {
        .set(of: strings.map(Value.string))
    }
}
