extension ProviderSearchResult {
    /// The `.notFound` error for `constraint`: what was wanted, every directory looked in, the versions found that
    /// do not match, what was found but cannot run, and how to install a binary.
    public func notFoundError(constraint: VersionConstraint) -> ProviderInstallationError {
        let wanted = constraint.conditions.isEmpty ? "any version" : "version \"\(constraint)\""
        var lines = ["no installed \(source) \(wanted) for \(platform)."]
        lines += foundLines(installedLabel: "Found but not matching")
        lines += installAdvice(constraint: constraint)
        return ProviderInstallationError(.notFound, lines.joined(separator: "\n"))
    }

    /// "Looked in", the installed versions under `installedLabel`, and "Found but not usable" lines.
    func foundLines(installedLabel: String) -> [String] {
        var lines = ["Looked in:"]
        if searched.isEmpty { lines.append("  (no directories: set TEND_PLUGIN_DIRS)") }
        for entry in searched {
            let versions = installed.filter { $0.foundIn == entry }.map(\.version.description)
            let found = versions.isEmpty ? "nothing usable" : versions.joined(separator: ", ")
            lines.append("  \(entry.directory) (\(entry.origin)): \(found)")
        }
        for entry in notSearched {
            lines.append("  not \(entry.directory) (\(entry.origin)): its include/exclude leave out \(source)")
        }
        if !installed.isEmpty {
            lines.append(installedLabel + ": " + installed.map(\.version.description).joined(separator: ", "))
        }
        if !skipped.isEmpty {
            lines.append("Found but not usable:")
            lines += skipped.map { "  \($0.version): \(describe($0))" }
        }
        return lines
    }

    private func describe(_ skipped: SkippedProvider) -> String {
        switch skipped.reason {
        case .packedArchive(let archivePlatform) where archivePlatform == platform:
            let target = layoutDirectory(in: skipped.foundIn.directory, version: skipped.version.description)
            return "\(skipped.path) is a packed archive, which tend does not unpack; run: unzip -d \(target) \(skipped.path)"
        case .packedArchive(let archivePlatform):
            return "\(skipped.path) is a packed archive for \(archivePlatform) only"
        case .otherPlatforms(let platforms):
            return "\(skipped.path) holds only " + platforms.map(\.description).joined(separator: ", ")
        case .notExecutable:
            return "\(skipped.path) is not executable; run: chmod +x \(skipped.path)"
        case .noExecutable:
            return "\(skipped.path) holds no \(source.executablePrefix) file"
        }
    }

    /// `DIR/HOST/NAMESPACE/TYPE/VERSION/OS_ARCH`.
    func layoutDirectory(in directory: String, version: String) -> String {
        InstallationPath.join(directory, source.host, source.namespace, source.type, version, platform.description)
    }

    private func installAdvice(constraint: VersionConstraint) -> [String] {
        let example = searched.first?.directory ?? "DIR"
        let layout = layoutDirectory(in: example, version: "VERSION")
        let requirement = constraint.conditions.isEmpty ? "" : " version \"\(constraint)\""
        return [
            "To install one (tend does not download providers):",
            "  - on a machine with network access, run `terraform init` with TF_PLUGIN_CACHE_DIR=DIR in a",
            "    configuration that requires \(source)\(requirement); copy DIR here and set TEND_PLUGIN_DIRS=DIR",
            "    (`terraform providers mirror -platform=\(platform) DIR` works too, but writes zips: unzip each into",
            "    DIR/HOST/NAMESPACE/TYPE/VERSION/OS_ARCH);",
            "  - or copy the binary to \(layout)/\(source.executablePrefix)_vVERSION and make it executable.",
        ]
    }
}
