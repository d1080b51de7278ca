/// An AWS access key, its secret and an optional session token. Never shows the secret:
/// `description`, `debugDescription` and reflection print only the key ID's first four characters.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Where the credentials were found.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// `access_key` and `secret_key` in the provider block.
        case providerBlock
        /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
        case environment
        /// A profile in a shared credentials file.
        case sharedCredentialsFile(path: String, profile: String)
        /// Given directly in code (tests, callers with their own source).
        case explicit

        /// Where, in words.
        public var description: String {
            switch self {
            case .providerBlock: return "provider block"
            case .environment: return "environment"
            case let .sharedCredentialsFile(path, profile): return "profile \"\(profile)\" in \(path)"
            case .explicit: return "explicit"
            }
        }
    }

    /// The access key ID, e.g. `AKIA…`.
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials.
    public var sessionToken: String?
    /// Where they came from.
    public var source: Source

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: Source = .explicit) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    /// The key ID with all but its first four characters masked: `AKIA****`.
    public var redactedKeyID: String {
        String(accessKeyID.prefix(4)) + "****"
    }

    /// The redacted key ID, whether there is a session token, and the source.
    public var description: String {
        "AWSCredentials(\(redactedKeyID)\(sessionToken == nil ? "" : ", session token ****"), from \(source))"
    }

    /// Same as `description`: the secret never appears.
    public var debugDescription: String {
        description
    }

    /// A mirror with the secret fields redacted, so `dump` cannot reveal them either.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyID": redactedKeyID,
            "secretAccessKey": "****",
            "sessionToken": sessionToken == nil ? "nil" : "****",
            "source": source.description,
        ])
    }
}
