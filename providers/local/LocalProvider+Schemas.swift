import TendModel

extension LocalProvider {
    /// `local_file`: a regular file with content from a string or another file.
    static let fileSchema = ResourceSchema(type: "local_file", description: "A file on the local machine.", attributes: [
        "path": AttributeSchema(.string, .required, forceNew: true, description: "Where the file lives; relative to the manifest directory."),
        "content": AttributeSchema(.string, .optional, description: "The file's text."),
        "source": AttributeSchema(.string, .optional, description: "A file whose bytes are copied."),
        "sensitive_content": AttributeSchema(.string, .optional, sensitive: true, description: "The file's text, never shown."),
        "mode": AttributeSchema(.string, .optional, default: .string("0644"), normalisation: .fileMode, description: "Permission bits in octal.",
                                constraint: .fileMode),
        "owner": AttributeSchema(.string, .optional, description: "The owning user's name."),
        "group": AttributeSchema(.string, .optional, description: "The owning group's name."),
        "sha256": AttributeSchema(.string, .computed, description: "The SHA-256 of the content, in hex.",
                                  derivedFrom: ["content", "sensitive_content", "source"]),
        "size": AttributeSchema(.number, .computed, description: "The size in bytes.",
                                derivedFrom: ["content", "sensitive_content", "source"]),
    ])

    /// `local_directory`: a directory, created with its parents.
    static let directorySchema = ResourceSchema(type: "local_directory", description: "A directory on the local machine.", attributes: [
        "path": AttributeSchema(.string, .required, forceNew: true, description: "Where the directory lives; relative to the manifest directory."),
        "mode": AttributeSchema(.string, .optional, default: .string("0755"), normalisation: .fileMode, description: "Permission bits in octal.",
                                constraint: .fileMode),
    ])

    /// `local_symlink`: a symbolic link.
    static let symlinkSchema = ResourceSchema(type: "local_symlink", description: "A symbolic link on the local machine.", attributes: [
        "path": AttributeSchema(.string, .required, forceNew: true, description: "Where the link lives; relative to the manifest directory."),
        "target": AttributeSchema(.string, .required, description: "What the link points at, stored as written."),
    ])
}
