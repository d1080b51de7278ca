import Testing
@testable import TendPlugin

@Suite struct ProviderLockFileTests {
    private static let aws = ProviderSource(type: "aws")

    /// Installed binaries of the given versions in a fresh sandbox, and what a locator finds there.
    private func install(_ versions: [String], in sandbox: InstallationSandbox) throws -> ProviderSearchResult {
        for version in versions {
            try sandbox.installProvider(version: version, content: "binary \(version)\n")
        }
        let entry = ProviderSearchPath.Entry(directory: sandbox.file("mirror"), origin: .pluginDirectoriesVariable)
        return ProviderLocator(searchPath: ProviderSearchPath(entries: [entry])).search(for: Self.aws)
    }

    private func constraint(_ text: String) throws -> VersionConstraint { try VersionConstraint(parsing: text) }

    @Test func firstRunLocksTheNewestMatchingWithItsHash() throws {
        let sandbox = try InstallationSandbox()
        let installed = try install(["5.100.0", "5.101.0", "6.0.0"], in: sandbox)
        var lock = ProviderLockFile()
        let selected = try lock.select(source: Self.aws, constraint: constraint("~> 5.100"), from: installed,
                                       hexDigest: SHA256FileHasher.hexDigest)
        #expect(selected.version == ProviderVersion(5, 101, 0))
        let entry = try #require(lock.providers[Self.aws])
        #expect(entry.version == ProviderVersion(5, 101, 0))
        #expect(entry.constraints == "~> 5.100")
        #expect(entry.hashes == ["sha256:" + (try SHA256FileHasher.hexDigest(ofFileAt: selected.executablePath))])
    }

    @Test func lockedVersionStaysPinnedWhenANewerIsInstalled() throws {
        let sandbox = try InstallationSandbox()
        var lock = ProviderLockFile()
        _ = try lock.select(source: Self.aws, constraint: constraint("~> 5.100"), from: install(["5.100.0"], in: sandbox),
                            hexDigest: SHA256FileHasher.hexDigest)
        let later = try install(["5.100.0", "5.102.0"], in: sandbox)
        let selected = try lock.select(source: Self.aws, constraint: constraint(">= 5.100, < 6"), from: later,
                                       hexDigest: SHA256FileHasher.hexDigest)
        #expect(selected.version == ProviderVersion(5, 100, 0))
        #expect(lock.providers[Self.aws]?.constraints == ">= 5.100, < 6")
        let upgraded = try lock.select(source: Self.aws, constraint: constraint("~> 5.100"), from: later, upgrade: true,
                                       hexDigest: SHA256FileHasher.hexDigest)
        #expect(upgraded.version == ProviderVersion(5, 102, 0))
        #expect(lock.providers[Self.aws]?.version == ProviderVersion(5, 102, 0))
    }

    @Test func refusesABinaryThatChangedSinceItWasLocked() throws {
        let sandbox = try InstallationSandbox()
        let installed = try install(["5.100.0"], in: sandbox)
        var lock = ProviderLockFile()
        _ = try lock.select(source: Self.aws, constraint: .any, from: installed, hexDigest: SHA256FileHasher.hexDigest)
        try sandbox.installProvider(version: "5.100.0", content: "tampered\n")
        let error = try #require(throws: ProviderInstallationError.self) {
            try lock.select(source: Self.aws, constraint: .any, from: installed, hexDigest: SHA256FileHasher.hexDigest)
        }
        #expect(error.code == .hashMismatch)
        #expect(error.message.contains("changed since it was locked"))
    }

    @Test func refusesALockedVersionTheConstraintNoLongerAllows() throws {
        let sandbox = try InstallationSandbox()
        let installed = try install(["5.100.0", "6.1.0"], in: sandbox)
        var lock = ProviderLockFile()
        _ = try lock.select(source: Self.aws, constraint: constraint("~> 5.100"), from: installed,
                            hexDigest: SHA256FileHasher.hexDigest)
        let error = try #require(throws: ProviderInstallationError.self) {
            try lock.select(source: Self.aws, constraint: constraint("~> 6.0"), from: installed,
                            hexDigest: SHA256FileHasher.hexDigest)
        }
        #expect(error.code == .lockedVersionExcluded)
        #expect(error.message.contains("tend providers lock --upgrade"))
        #expect(lock.providers[Self.aws]?.version == ProviderVersion(5, 100, 0))
    }

    @Test func namesALockedVersionThatIsNotInstalled() throws {
        let sandbox = try InstallationSandbox()
        var lock = ProviderLockFile(providers: [
            Self.aws: .init(version: ProviderVersion(5, 100, 0), constraints: "~> 5.100", hashes: ["sha256:00"]),
        ])
        let installed = try install(["5.101.0"], in: sandbox)
        let error = try #require(throws: ProviderInstallationError.self) {
            try lock.select(source: Self.aws, constraint: constraint("~> 5.100"), from: installed,
                            hexDigest: { _ in Issue.record("nothing to hash"); return "" })
        }
        #expect(error.code == .lockedVersionNotInstalled)
        #expect(error.message.contains("locked to 5.100.0"))
        #expect(error.message.contains("Installed instead: 5.101.0"))
    }

    @Test func unlockedWithNothingMatchingIsNotFound() throws {
        let sandbox = try InstallationSandbox()
        var lock = ProviderLockFile()
        let error = try #require(throws: ProviderInstallationError.self) {
            try lock.select(source: Self.aws, constraint: constraint("~> 7.0"), from: install(["5.0.0"], in: sandbox),
                            hexDigest: SHA256FileHasher.hexDigest)
        }
        #expect(error.code == .notFound)
        #expect(lock.providers.isEmpty)
    }

    @Test func writesStableSortedBytesAndReadsThemBack() throws {
        let sandbox = try InstallationSandbox()
        let google = ProviderSource(type: "google")
        let lock = ProviderLockFile(providers: [
            google: .init(version: ProviderVersion(6, 1, 0), constraints: ">= 6.0", hashes: ["sha256:bb", "sha256:aa"]),
            Self.aws: .init(version: ProviderVersion(5, 100, 0), constraints: "~> 5.100", hashes: ["sha256:cc"]),
        ])
        let expected = """
            {
              "format_version": 1,
              "providers": {
                "registry.terraform.io/hashicorp/aws": {
                  "constraints": "~> 5.100",
                  "hashes": [
                    "sha256:cc"
                  ],
                  "version": "5.100.0"
                },
                "registry.terraform.io/hashicorp/google": {
                  "constraints": ">= 6.0",
                  "hashes": [
                    "sha256:aa",
                    "sha256:bb"
                  ],
                  "version": "6.1.0"
                }
              }
            }

            """
        #expect(String(decoding: lock.encoded(), as: UTF8.self) == expected)
        let path = sandbox.file(ProviderLockFile.fileName)
        try lock.write(to: path)
        let reread = try ProviderLockFile.read(from: path)
        #expect(reread == lock)
        #expect(reread.encoded() == lock.encoded())
        #expect(InstallationFileSystem.entries(of: sandbox.path) == [ProviderLockFile.fileName])
    }

    @Test func missingLockIsEmptyAndAMalformedOneIsAnError() throws {
        let sandbox = try InstallationSandbox()
        #expect(try ProviderLockFile.read(from: sandbox.file("none.json")) == ProviderLockFile())
        let newer = try sandbox.write("{\"format_version\":2,\"providers\":{}}", to: "newer.json")
        let error = try #require(throws: ProviderInstallationError.self) { try ProviderLockFile.read(from: newer) }
        #expect(error.code == .invalidLockFile)
        let garbage = try sandbox.write("{\"format_version\":1,\"providers\":{\"a/b/c/d\":{}}}", to: "bad.json")
        #expect(throws: ProviderInstallationError.self) { try ProviderLockFile.read(from: garbage) }
    }
}
