/// Everything the search directories hold of one provider for one platform: the runnable binaries, newest first
/// (a version found in several directories counts once, from the first), and what was found but cannot run.
public struct ProviderSearchResult: Sendable, Hashable {
    /// The provider searched for.
    public var source: ProviderSource
    /// The platform whose binaries were wanted.
    public var platform: ProviderPlatform
    /// The directories searched, in order.
    public var searched: [ProviderSearchPath.Entry]
    /// The directories of the search path not searched for this source, because of their `include` or `exclude`.
    public var notSearched: [ProviderSearchPath.Entry]
    /// The runnable binaries, newest version first.
    public var installed: [InstalledProvider]
    /// What looked like the provider but cannot run (packed archives, other platforms, missing execute bits).
    public var skipped: [SkippedProvider]

    /// Creates a result.
    public init(source: ProviderSource, platform: ProviderPlatform, searched: [ProviderSearchPath.Entry] = [],
                notSearched: [ProviderSearchPath.Entry] = [], installed: [InstalledProvider] = [],
                skipped: [SkippedProvider] = []) {
        self.source = source
        self.platform = platform
        self.searched = searched
        self.notSearched = notSearched
        self.installed = installed
        self.skipped = skipped
    }

    /// The installed versions, newest first.
    public var versions: [ProviderVersion] { installed.map(\.version) }

    /// The newest installed binary whose version meets `constraint`.
    public func newest(matching constraint: VersionConstraint) -> InstalledProvider? {
        installed.first { constraint.isSatisfied(by: $0.version) }
    }

    /// The installed binary of exactly `version`.
    public func installed(version: ProviderVersion) -> InstalledProvider? {
        installed.first { $0.version == version }
    }

    /// Adds a later directory's findings: versions already installed from an earlier directory are not added again.
    public mutating func append(_ later: ProviderSearchResult) {
        searched += later.searched
        notSearched += later.notSearched
        let known = Set(installed.map(\.version))
        installed += later.installed.filter { !known.contains($0.version) }
        installed.sort { $0.version > $1.version }
        skipped += later.skipped
    }
}
