import TendModel

extension CtyType {
    /// The deepest type JSON accepted; a real schema is a handful of levels.
    static let maximumJSONDepth = 256

    /// Parses Terraform's type JSON: `"string"`, `"number"`, `"bool"`, `"dynamic"`, `["list",T]`, `["set",T]`,
    /// `["map",T]`, `["object",{"a":T}]`, `["object",{"a":T},["a"]]` (optional attributes) and `["tuple",[T]]`.
    /// Throws `PluginValueError` with code `invalidType` for anything else.
    public init(json: [UInt8]) throws(PluginValueError) {
        let parsed: Value
        do {
            parsed = try json.withUnsafeBufferPointer { try JSONValueParser.parse($0) }
        } catch {
            throw PluginValueError(.invalidType, "type JSON does not parse: \(error)")
        }
        self = try CtyType(parsed: parsed, depth: 0)
    }

    /// Parses type JSON text.
    public init(jsonText: String) throws(PluginValueError) {
        try self.init(json: Array(jsonText.utf8))
    }

    /// Reads a type from type JSON already parsed into a value.
    init(parsed: Value, depth: Int) throws(PluginValueError) {
        guard depth < CtyType.maximumJSONDepth else { throw PluginValueError(.invalidType, "type nested too deeply") }
        switch parsed {
        case .string("string"): self = .string
        case .string("number"): self = .number
        case .string("bool"): self = .bool
        case .string("dynamic"): self = .dynamic
        case let .list(items):
            guard case let .string(kind)? = items.first else {
                throw PluginValueError(.invalidType, "a type array must start with its kind")
            }
            self = try CtyType(kind: kind, arguments: Array(items.dropFirst()), depth: depth)
        default:
            throw PluginValueError(.invalidType, "\(parsed.canonicalJSON) is not a type")
        }
    }

    private init(kind: String, arguments: [Value], depth: Int) throws(PluginValueError) {
        switch (kind, arguments.count) {
        case ("list", 1): self = .list(try CtyType(parsed: arguments[0], depth: depth + 1))
        case ("set", 1): self = .set(try CtyType(parsed: arguments[0], depth: depth + 1))
        case ("map", 1): self = .map(try CtyType(parsed: arguments[0], depth: depth + 1))
        case ("object", 1), ("object", 2):
            guard case let .map(fields) = arguments[0] else {
                throw PluginValueError(.invalidType, "an object type needs a JSON object of attribute types")
            }
            var attributes: [String: CtyType] = [:]
            for (name, field) in fields { attributes[name] = try CtyType(parsed: field, depth: depth + 1) }
            var optional: Set<String> = []
            if arguments.count == 2 {
                guard case let .list(names) = arguments[1] else {
                    throw PluginValueError(.invalidType, "optional attributes must be a list of names")
                }
                for name in names {
                    guard case let .string(text) = name, attributes[text] != nil else {
                        throw PluginValueError(.invalidType, "optional attribute \(name.canonicalJSON) is not an attribute")
                    }
                    optional.insert(text)
                }
            }
            self = .object(attributes, optional: optional)
        case ("tuple", 1):
            guard case let .list(elements) = arguments[0] else {
                throw PluginValueError(.invalidType, "a tuple type needs a list of element types")
            }
            var types: [CtyType] = []
            for element in elements { types.append(try CtyType(parsed: element, depth: depth + 1)) }
            self = .tuple(types)
        default:
            throw PluginValueError(.invalidType, "\"\(kind)\" with \(arguments.count) arguments is not a type")
        }
    }

    /// The type JSON, with object attributes and optional names sorted: the same type gives the same text.
    public var jsonText: String {
        switch self {
        case .string: return "\"string\""
        case .number: return "\"number\""
        case .bool: return "\"bool\""
        case .dynamic: return "\"dynamic\""
        case let .list(element): return "[\"list\",\(element.jsonText)]"
        case let .set(element): return "[\"set\",\(element.jsonText)]"
        case let .map(element): return "[\"map\",\(element.jsonText)]"
        case let .object(attributes, optional):
            let fields = attributes.keys.sorted().map { Value.quote($0) + ":" + (attributes[$0] ?? .dynamic).jsonText }
            let head = "[\"object\",{" + fields.joined(separator: ",") + "}"
            if optional.isEmpty { return head + "]" }
            return head + ",[" + optional.sorted().map(Value.quote).joined(separator: ",") + "]]"
        case let .tuple(elements):
            return "[\"tuple\",[" + elements.map(\.jsonText).joined(separator: ",") + "]]"
        }
    }

    /// The type JSON as UTF-8 bytes, as a dynamic value's msgpack carries it.
    public var json: [UInt8] { Array(jsonText.utf8) }
}
