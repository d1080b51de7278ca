import Testing
@testable import TendPlugin

@Suite struct ProviderLocatorTests {
    private static let aws = ProviderSource(type: "aws")

    private func locator(_ directories: [String], include: [String] = []) throws -> ProviderLocator {
        let patterns = try include.map(ProviderSourcePattern.init(parsing:))
        let entries = directories.map {
            ProviderSearchPath.Entry(directory: $0, origin: .pluginDirectoriesVariable, include: patterns)
        }
        return ProviderLocator(searchPath: ProviderSearchPath(entries: entries))
    }

    @Test func picksTheNewestMatchingAcrossDirectories() throws {
        let sandbox = try InstallationSandbox()
        try sandbox.installProvider(version: "5.100.0", in: "a")
        let wanted = try sandbox.installProvider(version: "5.101.0", in: "b")
        try sandbox.installProvider(version: "6.0.0", in: "b")
        let found = try locator([sandbox.file("a"), sandbox.file("b")])
            .locate(source: Self.aws, constraint: VersionConstraint(parsing: "~> 5.100"))
        #expect(found.version == ProviderVersion(5, 101, 0))
        #expect(found.executablePath == wanted)
    }

    @Test func theFirstDirectoryWinsForTheSameVersion() throws {
        let sandbox = try InstallationSandbox()
        let first = try sandbox.installProvider(version: "5.100.0", in: "a")
        try sandbox.installProvider(version: "5.100.0", in: "b")
        let found = try locator([sandbox.file("a"), sandbox.file("b")]).locate(source: Self.aws, constraint: .any)
        #expect(found.executablePath == first)
    }

    @Test func notFoundListsDirectoriesVersionsAndHowToInstall() throws {
        let sandbox = try InstallationSandbox()
        try sandbox.installProvider(version: "5.90.0", in: "a")
        try sandbox.installProvider(version: "4.67.0", in: "b")
        try sandbox.write("PK", to: "b/registry.terraform.io/hashicorp/aws/terraform-provider-aws_5.100.0_\(ProviderPlatform.current).zip")
        let locator = try locator([sandbox.file("a"), sandbox.file("b"), sandbox.file("empty")])
        let error = try #require(throws: ProviderInstallationError.self) {
            try locator.locate(source: Self.aws, constraint: VersionConstraint(parsing: "~> 5.100"))
        }
        #expect(error.code == .notFound)
        #expect(error.message.contains("registry.terraform.io/hashicorp/aws version \"~> 5.100\""))
        #expect(error.message.contains("\(sandbox.file("a")) (TEND_PLUGIN_DIRS): 5.90.0"))
        #expect(error.message.contains("\(sandbox.file("b")) (TEND_PLUGIN_DIRS): 4.67.0"))
        #expect(error.message.contains("\(sandbox.file("empty")) (TEND_PLUGIN_DIRS): nothing usable"))
        #expect(error.message.contains("Found but not matching: 5.90.0, 4.67.0"))
        #expect(error.message.contains("packed archive"))
        #expect(error.message.contains("unzip -d \(sandbox.file("b"))/registry.terraform.io/hashicorp/aws/5.100.0/\(ProviderPlatform.current)"))
        #expect(error.message.contains("TEND_PLUGIN_DIRS=DIR"))
        #expect(error.message.contains("terraform providers"))
    }

    @Test func directoriesExcludedForTheSourceAreNotSearched() throws {
        let sandbox = try InstallationSandbox()
        try sandbox.installProvider(version: "5.100.0", in: "a")
        let locator = try locator([sandbox.file("a")], include: ["acme/*"])
        let result = locator.search(for: Self.aws)
        #expect(result.installed.isEmpty)
        #expect(result.notSearched.map(\.directory) == [sandbox.file("a")])
        let error = try #require(throws: ProviderInstallationError.self) {
            try locator.locate(source: Self.aws, constraint: .any)
        }
        #expect(error.message.contains("include/exclude leave out"))
    }
}
