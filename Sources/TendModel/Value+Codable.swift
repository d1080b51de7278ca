import Foundation

/// Values through `Codable` (saved plan files): plain JSON for null, bools, numbers, strings, lists and maps, so a
/// plan written before unknowns and sets were kept still reads. What plain JSON cannot say is written as an object
/// with a `$tend` key: `{"$tend":"unknown"}` for a value known only after apply, `{"$tend":"set","elements":[…]}`
/// for a set, and `{"$tend":"map","entries":{…}}` for a map that itself has a `$tend` key, so no map is mistaken
/// for one of the others.
extension Value: Codable {
    private static let tag = "$tend"

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {   // each try? probes one JSON kind; the last branch refuses
            self = .bool(b)
        } else if let n = try? container.decode(Number.self) {   // a probe: no moves on
            self = .number(n)
        } else if let s = try? container.decode(String.self) {   // a probe: no moves on
            self = .string(s)
        } else if let l = try? container.decode([Value].self) {   // a probe: no moves on
            self = .list(l)
        } else if let object = try? decoder.container(keyedBy: Key.self) {   // a probe: no moves on
            self = try Value.decodeObject(object)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// A JSON object: a map, or one of the `$tend` forms.
    private static func decodeObject(_ object: KeyedDecodingContainer<Key>) throws -> Value {
        let tag = Key(Value.tag)
        guard object.contains(tag) else {
            var entries: [String: Value] = [:]
            for key in object.allKeys { entries[key.stringValue] = try object.decode(Value.self, forKey: key) }
            return .map(entries)
        }
        let kind = try object.decode(String.self, forKey: tag)
        switch kind {
        case "unknown" where object.allKeys.count == 1:
            return .unknown
        case "set" where object.allKeys.count == 2:
            return .set(of: try object.decode([Value].self, forKey: Key("elements")))
        case "map" where object.allKeys.count == 2:
            return .map(try object.decode([String: Value].self, forKey: Key("entries")))
        default:
            throw DecodingError.dataCorruptedError(forKey: tag, in: object,
                                                   debugDescription: "a \(Value.tag) object of unknown form \"\(kind)\"")
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case let .bool(b):
            var container = encoder.singleValueContainer()
            try container.encode(b)
        case let .number(n):
            var container = encoder.singleValueContainer()
            try container.encode(n)
        case let .string(s):
            var container = encoder.singleValueContainer()
            try container.encode(s)
        case let .list(l):
            var container = encoder.singleValueContainer()
            try container.encode(l)
        case let .map(m) where m[Value.tag] == nil:
            var container = encoder.singleValueContainer()
            try container.encode(m)
        case let .map(m):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode("map", forKey: Key(Value.tag))
            try container.encode(m, forKey: Key("entries"))
        case let .set(set):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode("set", forKey: Key(Value.tag))
            try container.encode(set.elements, forKey: Key("elements"))
        case .unknown:
            var container = encoder.container(keyedBy: Key.self)
            try container.encode("unknown", forKey: Key(Value.tag))
        }
    }
}

extension Value {
    /// Canonical JSON text: sorted keys, no whitespace. Same value, same bytes.
    public var canonicalJSON: String {
        var out: [UInt8] = []
        appendCanonicalJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the canonical JSON text (`canonicalJSON`) to `out`: one buffer for the whole value, where building
    /// the text piece by piece made a string per element and per level.
    public func appendCanonicalJSON(to out: inout [UInt8]) {
        switch self {
        case .null, .unknown: out.append(contentsOf: "null".utf8)
        case let .bool(b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case let .number(n): out.append(contentsOf: n.description.utf8)
        case let .string(s): Value.appendQuoted(s, to: &out)
        case let .list(l): Value.appendJSONArray(l, to: &out)
        case let .set(set): Value.appendJSONArray(set.elements, to: &out)
        case let .map(m):
            out.append(UInt8(ascii: "{"))
            for (index, key) in m.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Value.appendQuoted(key, to: &out)
                out.append(UInt8(ascii: ":"))
                (m[key] ?? .null).appendCanonicalJSON(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func appendJSONArray(_ elements: [Value], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            element.appendCanonicalJSON(to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// JSON string quoting, working on UTF-8 bytes: most strings need no escapes at all.
    public static func quote(_ s: String) -> String {
        let needsEscape = s.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
        if !needsEscape { return "\"" + s + "\"" }
        var out: [UInt8] = []
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a quoted JSON string to `out`.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        var text = s
        text.withUTF8 { bytes in
            out.reserveCapacity(out.count + bytes.count + 2)
            out.append(0x22)
            // Runs between characters that need escaping are copied whole.
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                out.append(0x5C)
                switch byte {
                case 0x22, 0x5C: out.append(byte)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    let hex = "0123456789abcdef".utf8
                    out.append(UInt8(ascii: "u"))
                    out.append(0x30)
                    out.append(0x30)
                    out.append(hex[hex.index(hex.startIndex, offsetBy: Int(byte >> 4))])
                    out.append(hex[hex.index(hex.startIndex, offsetBy: Int(byte & 0x0F))])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            out.append(0x22)
        }
    }
}
