/// Finds the installed binary to run for a provider and a version constraint, offline, in the directories of a
/// search path.
public struct ProviderLocator: Sendable, Hashable {
    /// Where to look, in order.
    public var searchPath: ProviderSearchPath
    /// The platform whose binaries are wanted.
    public var platform: ProviderPlatform

    /// A locator searching `searchPath` for binaries of `platform`.
    public init(searchPath: ProviderSearchPath, platform: ProviderPlatform = .current) {
        self.searchPath = searchPath
        self.platform = platform
    }

    /// Everything the search path holds of `source`, merged in search order.
    public func search(for source: ProviderSource) -> ProviderSearchResult {
        var result = ProviderSearchResult(source: source, platform: platform)
        for entry in searchPath.entries {
            if entry.admits(source) {
                result.append(ProviderMirror(entry: entry, platform: platform).listing(for: source))
            } else {
                result.notSearched.append(entry)
            }
        }
        return result
    }

    /// The newest installed binary of `source` whose version meets `constraint`; throws `.notFound` with a message
    /// listing every directory looked in, the versions found that did not match and how to install one.
    public func locate(source: ProviderSource, constraint: VersionConstraint) throws -> InstalledProvider {
        let result = search(for: source)
        guard let provider = result.newest(matching: constraint) else {
            throw result.notFoundError(constraint: constraint)
        }
        return provider
    }
}
