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
}
