/// One msgpack value as read from the wire: the format's own types, before any cty type gives them meaning.
public indirect enum MessagePackValue: Sendable, Hashable {
    case `nil`
    case bool(Bool)
    /// A signed integer (the int formats and the negative fixint).
    case int(Int64)
    /// An unsigned integer (the uint formats and the positive fixint).
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case string(String)
    case binary([UInt8])
    case array([MessagePackValue])
    /// Entries in wire order; keys may be any value and may repeat.
    case map([Entry])
    /// An extension: its application type and payload.
    case ext(type: Int8, data: [UInt8])

    /// One key and value of a map.
    public struct Entry: Sendable, Hashable {
        /// The key, often a string.
        public var key: MessagePackValue
        /// The value under the key.
        public var value: MessagePackValue

        /// An entry of this key and value.
        public init(key: MessagePackValue, value: MessagePackValue) {
            self.key = key
            self.value = value
        }
    }

    /// A short name of the value's format, for error messages.
    public var kindName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "bool"
        case .int, .uint: return "integer"
        case .float, .double: return "float"
        case .string: return "string"
        case .binary: return "binary"
        case .array: return "array"
        case .map: return "map"
        case .ext: return "extension"
        }
    }
}
