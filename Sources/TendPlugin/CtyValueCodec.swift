import TendModel

/// tend's values in the two encodings Terraform's plugin protocol carries them in: msgpack (a `DynamicValue`'s
/// `msgpack` field, what cty writes) and JSON (its `json` field, and `RawState`).
///
/// The type decides the shape: an object carries every attribute of its type (null where the value has none), a
/// set is written in tend's canonical element order, map keys are sorted, and a dynamic value carries its type.
/// Encoding converts as Terraform converts configuration (a number given for a string is its text, `"8"` for a
/// number is 8, `"true"` for a bool is true); whatever does not convert is an error naming its path
/// (`rule[1].port`).
public enum CtyValueCodec {
    /// The msgpack extension type cty writes for an unknown value (with one zero byte of payload: `d4 00 00`).
    public static let unknownExtensionType: Int8 = 0
    /// The msgpack extension type of an unknown value with refinements (a prefix, a range); read as plain unknown.
    public static let refinedUnknownExtensionType: Int8 = 12

    /// `value` as cty's msgpack for `type`.
    public static func encode(_ value: Value, as type: CtyType) throws(PluginValueError) -> [UInt8] {
        let converted = try convert(value, to: type, at: [])
        var writer = MessagePackWriter()
        try write(converted, as: type, into: &writer, at: [])
        return writer.bytes
    }

    /// The value in cty's msgpack `bytes` for `type`: lists and tuples as lists, sets as sets, maps and objects as
    /// maps (objects with every attribute), unknowns (refined or not) as `.unknown`.
    public static func decode(_ bytes: [UInt8], as type: CtyType) throws(PluginValueError) -> Value {
        let message = try MessagePackReader.read(bytes)
        return try read(message, as: type, at: [])
    }

    /// `value` as cty's JSON for `type` (sorted keys, numbers exact, objects with every attribute, a dynamic value
    /// as `{"type":…,"value":…}`). Unknown values have no JSON form and are an error.
    public static func encodeJSON(_ value: Value, as type: CtyType) throws(PluginValueError) -> [UInt8] {
        let converted = try convert(value, to: type, at: [])
        var out = ""
        try writeJSON(converted, as: type, into: &out, at: [])
        return Array(out.utf8)
    }

    /// The value in cty's JSON `bytes` for `type`.
    public static func decodeJSON(_ bytes: [UInt8], as type: CtyType) throws(PluginValueError) -> Value {
        let parsed: Value
        do {
            parsed = try bytes.withUnsafeBufferPointer { try JSONValueParser.parse($0) }
        } catch let error as JSONValueParser.SyntaxError {
            throw PluginValueError(.malformed, "not JSON: \(error.message)", offset: error.offset)
        } catch {
            throw PluginValueError(.malformed, "not JSON: \(error)")
        }
        return try readJSON(parsed, as: type, at: [])
    }

    /// The error for a value that is not of `type`.
    static func mismatch(_ value: Value, _ type: CtyType, at path: [PluginPathStep]) -> PluginValueError {
        PluginValueError(.typeMismatch, "\(type) required, got \(value.kindName)", path: PluginPathStep.render(path))
    }
}
