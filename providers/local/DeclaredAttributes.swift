import ProviderKit
import TendModel

/// A declared attribute: absent (or null), known only after apply, or a value.
enum Declared<Wrapped: Sendable>: Sendable {
    case absent
    case unknown
    case value(Wrapped)

    /// The value, when known.
    var known: Wrapped? {
        if case let .value(v) = self { return v }
        return nil
    }

    /// Whether the user set it (to a value or to something known after apply).
    var isSet: Bool {
        if case .absent = self { return false }
        return true
    }
}

/// Reads declared attributes of one resource, with errors that name the resource type.
struct DeclaredAttributes: Sendable {
    /// The resource type, for messages.
    let type: String
    /// The attributes as given.
    let values: [String: Value]

    /// A string attribute; numbers and bools read as their text, anything else is invalid input.
    func string(_ key: String) throws -> Declared<String> {
        switch values[key] {
        case nil, .null?:
            return .absent
        case .unknown?:
            return .unknown
        case let value?:
            if value.containsUnknown { return .unknown }
            switch value {
            case .string, .number, .bool:
                return .value(value.interpolationText ?? "")
            default:
                throw ProviderError(.invalidInput, "\(type): \(key) must be a string, got \(value.kindName)")
            }
        }
    }

    /// A required string attribute: absent is invalid input.
    func requiredString(_ key: String) throws -> Declared<String> {
        let declared = try string(key)
        guard declared.isSet else {
            throw ProviderError(.invalidInput, "\(type): \(key) is required")
        }
        return declared
    }

    /// Whether the attribute is set (to a value or to something known after apply).
    func isSet(_ key: String) -> Bool {
        switch values[key] {
        case nil, .null?: return false
        default: return true
        }
    }

    /// The mode attribute parsed, or `defaultMode` when absent; nil when known only after apply.
    func mode(default defaultMode: FileMode) throws -> FileMode? {
        switch try string("mode") {
        case .absent:
            return defaultMode
        case .unknown:
            return nil
        case let .value(text):
            guard let mode = FileMode(parsing: text) else {
                throw ProviderError(.invalidInput, "\(type): invalid mode \"\(text)\": expected up to 4 octal digits such as \"0644\"")
            }
            return mode
        }
    }
}
