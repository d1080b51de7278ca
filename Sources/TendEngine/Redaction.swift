import TendModel

/// Replaces sensitive values before anything leaves the state's resources table.
public enum Redaction {
    /// The marker shown instead of a sensitive value.
    public static let marker = Value.string("(sensitive)")

    /// The marker's text, for messages.
    public static let markerText = "(sensitive)"

    /// Attributes with the value at every listed path, and below it, replaced by the marker (a path is sensitive when
    /// it or any prefix of it is listed).
    public static func redact(_ attributes: [String: Value], paths: [AttributePath]) -> [String: Value] {
        SensitiveMarks(paths).redacting(attributes, marker: marker)
    }

    /// The sensitive paths of one resource: its type's sensitive attributes and those its spec derived.
    public static func paths(_ schema: ResourceSchema, _ spec: ResourceSpec?) -> [AttributePath] {
        SensitiveMarks(schema.sensitivePaths + (spec?.sensitivePaths ?? [])).paths
    }

    /// A message with every sensitive value of `attributes` (at `paths`) replaced by the marker, for errors that
    /// quote what they were given.
    public static func scrub(_ message: String, attributes: [[String: Value]?], paths: [AttributePath]) -> String {
        let marks = SensitiveMarks(paths)
        guard !marks.isEmpty else { return message }
        let secrets = attributes.compactMap { $0 }.flatMap { marks.secretTexts(in: $0) }
        return SensitiveMarks.scrub(message, removing: secrets, marker: markerText)
    }

    /// Attributes with every sensitive attribute of the schema, and every value at or below one of `paths`,
    /// replaced by the marker.
    public static func redact(_ attributes: [String: Value], schema: ResourceSchema, paths: [AttributePath]) -> [String: Value] {
        redact(attributes, paths: schema.sensitivePaths + paths)
    }
}
