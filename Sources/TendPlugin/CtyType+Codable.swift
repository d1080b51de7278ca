import TendModel

/// Through `Codable` (the schema cache on disk) a type is its type JSON, nested in the surrounding document rather
/// than quoted inside a string: `"string"`, `["list","string"]`, `["object",{"a":"number"},["a"]]`.
extension CtyType: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let json = try container.decode(TypeJSON.self)
        do {
            self = try CtyType(parsed: json.value, depth: 0)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(TypeJSON(value: jsonValue))
    }

    /// The type JSON as a value (strings, lists and maps).
    var jsonValue: Value {
        switch self {
        case .string, .number, .bool, .dynamic:
            return .string(String(jsonText.dropFirst().dropLast()))
        case let .list(element): return .list([.string("list"), element.jsonValue])
        case let .set(element): return .list([.string("set"), element.jsonValue])
        case let .map(element): return .list([.string("map"), element.jsonValue])
        case let .object(attributes, optional):
            let fields = Value.map(attributes.mapValues(\.jsonValue))
            if optional.isEmpty { return .list([.string("object"), fields]) }
            return .list([.string("object"), fields, .list(optional.sorted().map(Value.string))])
        case let .tuple(elements): return .list([.string("tuple"), .list(elements.map(\.jsonValue))])
        }
    }
}

/// Type JSON through Codable: strings, arrays and objects of them.
private struct TypeJSON: Codable {
    var value: Value

    init(value: Value) { self.value = value }

    init(from decoder: Decoder) throws {
        // Type JSON is a string, an array or an object: each shape is tried in turn, and what fits is the answer.
        if let container = try? decoder.singleValueContainer(), let text = try? container.decode(String.self) {
            value = .string(text)
        } else if var items = try? decoder.unkeyedContainer() {   // a probe of the next shape
            var out: [Value] = []
            while !items.isAtEnd { out.append(try items.decode(TypeJSON.self).value) }
            value = .list(out)
        } else {
            let fields = try decoder.container(keyedBy: AnyKey.self)
            var out: [String: Value] = [:]
            for key in fields.allKeys { out[key.stringValue] = try fields.decode(TypeJSON.self, forKey: key).value }
            value = .map(out)
        }
    }

    func encode(to encoder: Encoder) throws {
        switch value {
        case let .list(items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(TypeJSON(value: item)) }
        case let .map(fields):
            var container = encoder.container(keyedBy: AnyKey.self)
            for key in fields.keys.sorted() { try container.encode(TypeJSON(value: fields[key] ?? .null), forKey: AnyKey(key)) }
        default:
            var container = encoder.singleValueContainer()
            try container.encode(value.stringValue ?? "dynamic")
        }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ text: String) { stringValue = text }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
