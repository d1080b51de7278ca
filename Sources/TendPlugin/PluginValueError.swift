/// Why a plugin value, type or msgpack payload could not be read or written: a code to branch on, where it happened
/// (the byte offset in the input, or the attribute path in the value), and a message for people.
public struct PluginValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, Codable {
        /// The msgpack input ended inside a value.
        case truncated
        /// A byte that starts no msgpack value (0xc1), or a length beyond what the input holds.
        case malformed
        /// Arrays, maps or types nested deeper than the reader allows.
        case tooDeep
        /// A msgpack string that is not UTF-8.
        case invalidUTF8
        /// Bytes left over after the one value.
        case trailingBytes
        /// A Terraform type JSON that is not one.
        case invalidType
        /// A value that does not fit (and does not convert to) the type at its path.
        case typeMismatch
        /// An object attribute the type does not have.
        case unsupportedAttribute
        /// A number that neither msgpack nor JSON can carry (NaN, infinity) or that is not a number at all.
        case invalidNumber
        /// An unknown value where the encoding has no way to say so (JSON).
        case unknownNotAllowed
        /// A dynamic value whose type cannot be inferred (a set of mixed types).
        case uninferableType
    }

    /// What went wrong, to branch on.
    public var code: Code
    /// What went wrong, for people.
    public var message: String
    /// The byte offset in the input, when reading.
    public var offset: Int?
    /// The attribute path in Terraform's syntax (`rule[1].port`), when the value is at fault.
    public var path: String?

    /// An error with a code, a message and where it happened.
    public init(_ code: Code, _ message: String, offset: Int? = nil, path: String? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
        self.path = path
    }

    /// The path, the message, the offset and the code.
    public var description: String {
        var out = message
        if let path, !path.isEmpty { out = "\(path): " + out }
        if let offset { out += " at byte \(offset)" }
        return out + " [\(code.rawValue)]"
    }
}
