extension ProviderLockFile {
    /// Chooses the binary to run for `source` under `constraint` from what is installed, checking and updating
    /// the lock:
    ///
    /// - locked: the locked version is selected, even when a newer one is installed. Throws
    ///   `.lockedVersionExcluded` when the constraint no longer allows it, `.lockedVersionNotInstalled` when it is
    ///   not installed, `.hashMismatch` when the binary's hash is not among the locked ones (it changed since it
    ///   was locked). A changed but still satisfied constraint is recorded.
    /// - not locked, or `upgrade`: the newest installed version meeting the constraint is selected and locked
    ///   with its binary's hash (keeping the other hashes when the version stays the same). Throws `.notFound`
    ///   when there is none.
    ///
    /// `hexDigest` returns the SHA-256 hex digest of a file (`ProviderHashCache.hexDigest(ofFileAt:)`). The caller
    /// writes the lock when it changed.
    public mutating func select(source: ProviderSource, constraint: VersionConstraint,
                                from installed: ProviderSearchResult, upgrade: Bool = false,
                                hexDigest: (String) throws -> String) throws -> InstalledProvider {
        guard let entry = providers[source], !upgrade else {
            guard let newest = installed.newest(matching: constraint) else {
                throw installed.notFoundError(constraint: constraint)
            }
            let hash = Self.hash(hexDigest: try hexDigest(newest.executablePath))
            let kept = providers[source].map { $0.version == newest.version ? $0.hashes : [] } ?? []
            providers[source] = Entry(version: newest.version, constraints: constraint.description, hashes: kept + [hash])
            return newest
        }
        guard constraint.isSatisfied(by: entry.version) else {
            throw ProviderInstallationError(.lockedVersionExcluded,
                "\(source) is locked to \(entry.version) in \(Self.fileName), which the constraint \"\(constraint)\" does not allow; run `tend providers lock --upgrade` to select a version it allows")
        }
        guard let provider = installed.installed(version: entry.version) else {
            throw lockedVersionMissing(entry, installed: installed)
        }
        let hash = Self.hash(hexDigest: try hexDigest(provider.executablePath))
        guard entry.hashes.contains(hash) else {
            throw ProviderInstallationError(.hashMismatch, """
                the binary of \(source) \(entry.version) at \(provider.executablePath) changed since it was locked: \
                its hash \(hash) is not among those in \(Self.fileName) (\(entry.hashes.joined(separator: ", "))). \
                It may have been tampered with; tend will not run it. If you replaced it on purpose from a source \
                you trust, run `tend providers lock --upgrade` to lock the binary now installed.
                """)
        }
        if entry.constraints != constraint.description {
            providers[source]?.constraints = constraint.description
        }
        return provider
    }

    /// Drops the providers not in `sources`, as when a provider block leaves the manifests.
    public mutating func removeProviders(notIn sources: Set<ProviderSource>) {
        providers = providers.filter { sources.contains($0.key) }
    }

    private func lockedVersionMissing(_ entry: Entry, installed: ProviderSearchResult) -> ProviderInstallationError {
        var lines = [
            "\(installed.source) is locked to \(entry.version) in \(Self.fileName), but that version is not installed for \(installed.platform).",
        ]
        lines += installed.foundLines(installedLabel: "Installed instead")
        let directory = installed.layoutDirectory(in: installed.searched.first?.directory ?? "DIR",
                                                  version: entry.version.description)
        lines.append("Install \(entry.version) (for example as \(directory)/\(installed.source.executablePrefix)_v\(entry.version)), "
            + "or run `tend providers lock --upgrade` to lock an installed version.")
        return ProviderInstallationError(.lockedVersionNotInstalled, lines.joined(separator: "\n"))
    }
}
