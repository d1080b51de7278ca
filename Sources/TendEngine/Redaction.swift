import TendModel

/// Replaces sensitive values before anything leaves the state's resources table.
public enum Redaction {
    /// The marker shown instead of a sensitive value.
    public static let marker = Value.string("(sensitive)")

    /// Attributes with every sensitive top-level attribute replaced by the marker.
    public static func redact(_ attributes: [String: Value], schema: ResourceSchema) -> [String: Value] {
        var out = attributes
        for (name, attribute) in schema.attributes where attribute.sensitive && out[name] != nil {
            out[name] = marker
        }
        return out
    }

    /// Attributes with every sensitive attribute of the schema, and every value at or below one of `paths`,
    /// replaced by the marker.
    public static func redact(_ attributes: [String: Value], schema: ResourceSchema, paths: [AttributePath]) -> [String: Value] {
        var out = redact(attributes, schema: schema)
        for path in paths where out.value(at: path) != nil {
            out.set(marker, at: path)
        }
        return out
    }
}
