import Foundation
import TendModel

/// How TendState writes structured columns as JSON text, and reads them back.
enum StateJSON {
    /// Canonical JSON of an attribute map.
    static func encode(_ attributes: [String: Value]) -> String {
        Value.map(attributes).canonicalJSON
    }

    /// Attribute paths as arrays of keys (strings) and indexes (numbers): `[["tags","owner"],["ports",0]]`.
    static func encode(paths: [AttributePath]) -> String {
        let lists = paths.map { path in
            Value.list(path.components.map { component in
                switch component {
                case let .key(key): return .string(key)
                case let .index(index): return .number(Number(index))
                }
            })
        }
        return Value.list(lists).canonicalJSON
    }

    /// Addresses as a list of their text forms.
    static func encode(addresses: [ResourceAddress]) -> String {
        Value.list(addresses.map { .string($0.description) }).canonicalJSON
    }

    /// Counts as a JSON object with sorted keys.
    static func encode(counts: [String: Int]) -> String {
        Value.map(counts.mapValues { .number(Number($0)) }).canonicalJSON
    }

    /// An attribute map; `column` names what is read, for the error.
    static func decodeAttributes(_ text: String, column: String) throws -> [String: Value] {
        var text = text
        return try text.withUTF8 { try decodeAttributes($0, column: column, sharing: nil) }
    }

    /// An attribute map from UTF-8 bytes; string attributes byte-equal to what `sharing` has for their key come back
    /// as that string.
    static func decodeAttributes(_ bytes: UnsafeBufferPointer<UInt8>, column: String,
                                 sharing: SharedStrings.Object?) throws -> [String: Value] {
        guard case let .map(attributes) = try parse(bytes, column: column, sharing: sharing) else {
            throw damaged(column, "attributes are not a JSON object")
        }
        return attributes
    }

    /// Any JSON value.
    static func decodeValue(_ text: String, column: String) throws -> Value {
        try parse(text, column: column)
    }

    /// Parses with the fast parser; Foundation's Codable path is several times slower on large states.
    private static func parse(_ text: String, column: String) throws -> Value {
        var text = text
        return try text.withUTF8 { try parse($0, column: column, sharing: nil) }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, column: String, sharing: SharedStrings.Object?) throws -> Value {
        do {
            return try JSONValueParser.parse(bytes, sharing: sharing)
        } catch {
            throw damaged(column, "invalid JSON: \(error)")
        }
    }

    static func decodePaths(_ text: String, column: String) throws -> [AttributePath] {
        if text == "[]" { return [] }
        guard case let .list(lists) = try parse(text, column: column) else { throw damaged(column, "paths are not a list") }
        return try lists.map { list in
            guard let items = list.listValue else { throw damaged(column, "a path is not a list") }
            return AttributePath(try items.map { item in
                switch item {
                case let .string(key): return .key(key)
                case let .number(number):
                    guard let index = number.intValue, index >= 0 else {
                        throw damaged(column, "a path index is not a whole number of at least 0")
                    }
                    return .index(index)
                default: throw damaged(column, "a path step is neither a key nor an index")
                }
            })
        }
    }

    static func decodeAddresses(_ text: String, column: String) throws -> [ResourceAddress] {
        if text == "[]" { return [] }
        guard case let .list(items) = try parse(text, column: column) else { throw damaged(column, "addresses are not a list") }
        return try items.map { item in
            guard case let .string(text) = item else { throw damaged(column, "an address is not a string") }
            return try address(text, column: column)
        }
    }

    static func decodeCounts(_ text: String, column: String) throws -> [String: Int] {
        try decode([String: Int].self, from: text, column: column)
    }

    /// Parses an address read from state.
    static func address(_ text: String, column: String) throws -> ResourceAddress {
        guard let address = ResourceAddress(parsing: text) else {
            throw damaged(column, "\"\(text)\" is not a resource address")
        }
        return address
    }

    private static func decode<Decoded: Decodable>(_ type: Decoded.Type, from text: String, column: String) throws -> Decoded {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw damaged(column, "invalid JSON: \(error)")
        }
    }

    private static func damaged(_ column: String, _ detail: String) -> StateError {
        StateError(.corrupt, "state column \(column) is damaged: \(detail)")
    }
}
