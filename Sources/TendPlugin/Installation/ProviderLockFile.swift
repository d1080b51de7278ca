import Foundation

/// The providers a configuration was locked to, `.tend.lock.json` beside the manifests: for each source the
/// version selected, the constraint it was selected under and the SHA-256 hashes of the binaries accepted for it.
///
/// ```json
/// {
///   "format_version": 1,
///   "providers": {
///     "registry.terraform.io/hashicorp/aws": {
///       "constraints": "~> 5.100",
///       "hashes": [
///         "sha256:…"
///       ],
///       "version": "5.100.0"
///     }
///   }
/// }
/// ```
///
/// In the spirit of Terraform's `.terraform.lock.hcl`, but JSON, and hashing the executable itself (one hash per
/// platform's binary) rather than Terraform's `h1:` directory hash. The same content always gives the same bytes:
/// keys sorted, hashes sorted, two-space indentation, a final newline.
public struct ProviderLockFile: Sendable, Hashable {
    /// What is locked for one provider.
    public struct Entry: Sendable, Hashable {
        /// The version selected.
        public var version: ProviderVersion
        /// The constraint it was last selected or checked under, in normal form.
        public var constraints: String
        /// `sha256:HEX` of each accepted binary, sorted.
        public var hashes: [String]

        /// Creates an entry; hashes are sorted and deduplicated.
        public init(version: ProviderVersion, constraints: String, hashes: [String]) {
            self.version = version
            self.constraints = constraints
            self.hashes = Array(Set(hashes)).sorted()
        }
    }

    /// The file's name, beside the manifests.
    public static let fileName = ".tend.lock.json"
    /// The format this tend reads and writes.
    public static let formatVersion = 1

    /// The locked providers.
    public var providers: [ProviderSource: Entry]

    /// A lock file locking `providers`; empty by default.
    public init(providers: [ProviderSource: Entry] = [:]) {
        self.providers = providers
    }

    /// `sha256:HEX`, the form of a hash in the lock file.
    public static func hash(hexDigest: String) -> String { "sha256:" + hexDigest }

    /// Reads the lock file at `path`; a missing file is an empty lock. Throws `.invalidLockFile` for one that does
    /// not parse or is of a newer format.
    public static func read(from path: String) throws -> ProviderLockFile {
        guard let bytes = try InstallationFileSystem.readFile(at: path) else { return ProviderLockFile() }
        return try ProviderLockFile(json: bytes, file: path)
    }

    /// Parses lock file bytes; `file` names it in errors.
    public init(json bytes: [UInt8], file: String) throws {
        struct Document: Decodable {
            struct Provider: Decodable {
                var version: String
                var constraints: String
                var hashes: [String]
            }

            var formatVersion: Int
            var providers: [String: Provider]

            enum CodingKeys: String, CodingKey {
                case formatVersion = "format_version"
                case providers
            }
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw ProviderInstallationError(.invalidLockFile, "\(file): not a tend lock file: \(error)")
        }
        guard document.formatVersion == Self.formatVersion else {
            throw ProviderInstallationError(.invalidLockFile,
                "\(file): format_version \(document.formatVersion) is not one this tend reads (\(Self.formatVersion)); was it written by a newer tend?")
        }
        var providers: [ProviderSource: Entry] = [:]
        for (key, provider) in document.providers {
            do {
                providers[try ProviderSource(parsing: key)] = Entry(
                    version: try ProviderVersion(parsing: provider.version), constraints: provider.constraints,
                    hashes: provider.hashes)
            } catch let error as ProviderInstallationError {
                throw ProviderInstallationError(.invalidLockFile, "\(file): provider \"\(key)\": \(error.message)")
            }
        }
        self.init(providers: providers)
    }

    /// The file's bytes: the same lock always gives the same bytes.
    public func encoded() -> [UInt8] {
        var lines = ["{", "  \"format_version\": \(Self.formatVersion),"]
        if providers.isEmpty {
            lines.append("  \"providers\": {}")
        } else {
            lines.append("  \"providers\": {")
            let sources = providers.keys.sorted()
            for (index, source) in sources.enumerated() {
                guard let entry = providers[source] else { continue }
                lines.append("    \(Self.quoted(source.description)): {")
                lines.append("      \"constraints\": \(Self.quoted(entry.constraints)),")
                if entry.hashes.isEmpty {
                    lines.append("      \"hashes\": [],")
                } else {
                    lines.append("      \"hashes\": [")
                    lines += entry.hashes.enumerated().map { position, hash in
                        "        \(Self.quoted(hash))" + (position == entry.hashes.count - 1 ? "" : ",")
                    }
                    lines.append("      ],")
                }
                lines.append("      \"version\": \(Self.quoted(entry.version.description))")
                lines.append("    }" + (index == sources.count - 1 ? "" : ","))
            }
            lines.append("  }")
        }
        lines.append("}")
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// Writes the lock to `path` atomically: a temporary file in the same directory renamed over it.
    public func write(to path: String) throws {
        try InstallationFileSystem.writeAtomically(encoded(), to: path)
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
