/// Something in a search directory that looks like a provider but cannot be run as it is, kept so a "not found"
/// message can say what was there.
public struct SkippedProvider: Sendable, Hashable {
    /// Why it cannot be run.
    public enum Reason: Sendable, Hashable {
        /// A packed archive, `terraform-provider-TYPE_VERSION_OS_ARCH.zip`, for the given platform: tend does not
        /// unpack zips.
        case packedArchive(ProviderPlatform)
        /// The version is there only for other platforms.
        case otherPlatforms([ProviderPlatform])
        /// The binary is there but not executable.
        case notExecutable
        /// The platform directory holds no `terraform-provider-TYPE` file.
        case noExecutable
    }

    /// The version, from the directory or archive name.
    public var version: ProviderVersion
    /// The file or directory at fault.
    public var path: String
    /// Why it cannot be run.
    public var reason: Reason
    /// The search path entry it was found under.
    public var foundIn: ProviderSearchPath.Entry

    /// Creates a record of a skipped provider.
    public init(version: ProviderVersion, path: String, reason: Reason, foundIn: ProviderSearchPath.Entry) {
        self.version = version
        self.path = path
        self.reason = reason
        self.foundIn = foundIn
    }
}
