/// One search directory read as a Terraform filesystem mirror or plugin cache.
///
/// Only the unpacked layout is used: `HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/terraform-provider-TYPE[_vVERSION][_xN]`,
/// an executable file. Packed archives (`HOST/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_OS_ARCH.zip`) are
/// reported as skipped. A listing reads only the directories of the layout for one source (the type directory,
/// each version directory, the platform directory) and never opens a binary.
public struct ProviderMirror: Sendable, Hashable {
    /// The directory and why it is searched.
    public var entry: ProviderSearchPath.Entry
    /// The platform whose binaries are wanted.
    public var platform: ProviderPlatform

    /// A mirror at `entry`'s directory, for binaries of `platform`.
    public init(entry: ProviderSearchPath.Entry, platform: ProviderPlatform = .current) {
        self.entry = entry
        self.platform = platform
    }

    /// What the mirror holds of `source`: the runnable binaries for the platform, by version, and what was skipped.
    /// A missing directory holds nothing.
    public func listing(for source: ProviderSource) -> ProviderSearchResult {
        var result = ProviderSearchResult(source: source, platform: platform, searched: [entry])
        let typeDirectory = InstallationPath.join(entry.directory, source.host, source.namespace, source.type)
        guard let names = InstallationFileSystem.entries(of: typeDirectory) else { return result }
        var installed: [InstalledProvider] = []
        var skipped: [SkippedProvider] = []
        for name in names {
            let path = InstallationPath.join(typeDirectory, name)
            if name.hasSuffix(".zip") {
                if let archive = Self.parseArchiveName(name, source: source) {
                    skipped.append(SkippedProvider(version: archive.version, path: path,
                                                   reason: .packedArchive(archive.platform), foundIn: entry))
                }
                continue
            }
            guard let version = try? ProviderVersion(parsing: name),   // not a version directory: not the layout's
                  InstallationFileSystem.status(at: path)?.kind == .directory else { continue }
            switch versionDirectory(path, version: version, source: source) {
            case .installed(let provider): installed.append(provider)
            case .skipped(let provider): skipped.append(provider)
            case nil: break
            }
        }
        result.installed = installed.sorted { $0.version > $1.version }
        result.skipped = skipped
        return result
    }

    private enum VersionOutcome {
        case installed(InstalledProvider)
        case skipped(SkippedProvider)
    }

    /// What `VERSION/` holds for the platform.
    private func versionDirectory(_ path: String, version: ProviderVersion, source: ProviderSource) -> VersionOutcome? {
        let platformDirectory = InstallationPath.join(path, platform.description)
        guard let names = InstallationFileSystem.entries(of: platformDirectory) else {
            let others = (InstallationFileSystem.entries(of: path) ?? []).compactMap(ProviderPlatform.init(parsing:))
            if others.isEmpty { return nil }
            return .skipped(SkippedProvider(version: version, path: path, reason: .otherPlatforms(others), foundIn: entry))
        }
        var notExecutable: String?
        for name in names {
            guard let executable = ExecutableName(name, source: source) else { continue }
            let file = InstallationPath.join(platformDirectory, name)
            guard let status = InstallationFileSystem.status(at: file), status.kind == .regular else { continue }
            guard status.isExecutableFile else {
                notExecutable = notExecutable ?? file
                continue
            }
            return .installed(InstalledProvider(source: source, version: version, platform: platform,
                                                executablePath: file, protocolVersion: executable.protocolVersion,
                                                foundIn: entry))
        }
        if let notExecutable {
            return .skipped(SkippedProvider(version: version, path: notExecutable, reason: .notExecutable, foundIn: entry))
        }
        return .skipped(SkippedProvider(version: version, path: platformDirectory, reason: .noExecutable, foundIn: entry))
    }

    /// The version and platform in `terraform-provider-TYPE_VERSION_OS_ARCH.zip`; nil for other names.
    static func parseArchiveName(_ name: String, source: ProviderSource) -> (version: ProviderVersion, platform: ProviderPlatform)? {
        let prefix = source.executablePrefix + "_"
        guard name.hasPrefix(prefix), name.hasSuffix(".zip") else { return nil }
        let parts = name.dropFirst(prefix.count).dropLast(".zip".count).split(separator: "_", omittingEmptySubsequences: false)
        // A name without a version is not a provider archive: skipped, not an error.
        guard parts.count == 3, let version = try? ProviderVersion(parsing: String(parts[0])),
              let platform = ProviderPlatform(parsing: "\(parts[1])_\(parts[2])") else { return nil }
        return (version, platform)
    }
}
