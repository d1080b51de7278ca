/// A provider release's semantic version: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`.
///
/// Ordered by semver precedence: numerically by the three numbers, a prerelease before its release, prerelease
/// identifiers compared one by one (numbers numerically and before words). Build metadata is kept for display but
/// plays no part in ordering or equality.
public struct ProviderVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The major number: a change here may break configurations.
    public var major: Int
    /// The minor number.
    public var minor: Int
    /// The patch number.
    public var patch: Int
    /// Dot-separated prerelease identifiers (`beta.2` is `["beta", "2"]`); empty for a release.
    public var prerelease: [String]
    /// Dot-separated build metadata; ignored when comparing.
    public var build: [String]

    /// Creates a version from its parts.
    public init(_ major: Int, _ minor: Int, _ patch: Int, prerelease: [String] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// Parses a full version; throws `.invalidVersion` saying where the text goes wrong. A leading `v` is allowed.
    public init(parsing text: String) throws {
        var scanner = VersionScanner(text)
        guard let version = try scanner.scanVersion(allowingPartial: false), scanner.isAtEnd else {
            throw ProviderInstallationError(.invalidVersion, scanner.failure(expecting: "a version like 1.2.3"))
        }
        self = version.version
    }

    /// Whether this is a prerelease (`5.0.0-beta1`).
    public var isPrerelease: Bool { !prerelease.isEmpty }

    /// `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`.
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    public static func == (lhs: ProviderVersion, rhs: ProviderVersion) -> Bool {
        lhs.major == rhs.major && lhs.minor == rhs.minor && lhs.patch == rhs.patch && lhs.prerelease == rhs.prerelease
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(prerelease)
    }

    public static func < (lhs: ProviderVersion, rhs: ProviderVersion) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, _): return false
        case (false, true): return true
        case (false, false): return precedes(lhs.prerelease, rhs.prerelease)
        }
    }

    /// Semver's order of prerelease identifier lists.
    private static func precedes(_ lhs: [String], _ rhs: [String]) -> Bool {
        for (left, right) in zip(lhs, rhs) where left != right {
            switch (UInt64(left), UInt64(right)) {
            case let (.some(a), .some(b)): return a < b
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none): return left < right
            }
        }
        return lhs.count < rhs.count
    }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
