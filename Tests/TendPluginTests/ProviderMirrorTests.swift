import Testing
@testable import TendPlugin

@Suite struct ProviderMirrorTests {
    private static let aws = ProviderSource(type: "aws")
    private static let here = ProviderPlatform.current
    private static let elsewhere = ProviderPlatform(os: "plan9", arch: "mips")

    private func mirror(_ sandbox: InstallationSandbox) -> ProviderMirror {
        ProviderMirror(entry: .init(directory: sandbox.file("mirror"), origin: .pluginDirectoriesVariable))
    }

    @Test func listsEveryVersionForThePlatformNewestFirst() throws {
        let sandbox = try InstallationSandbox()
        try sandbox.installProvider(version: "5.99.0")
        let newest = try sandbox.installProvider(version: "5.100.0")
        try sandbox.installProvider(version: "5.9.0", name: "terraform-provider-aws")
        let listing = mirror(sandbox).listing(for: Self.aws)
        #expect(listing.versions == [ProviderVersion(5, 100, 0), ProviderVersion(5, 99, 0), ProviderVersion(5, 9, 0)])
        let first = try #require(listing.installed.first)
        #expect(first.executablePath == newest)
        #expect(first.protocolVersion == 5)
        #expect(first.platform == Self.here)
        #expect(first.source == Self.aws)
        #expect(first.foundIn.directory == sandbox.file("mirror"))
        #expect(listing.installed.last?.protocolVersion == nil)
        #expect(listing.skipped.isEmpty)
    }

    @Test func reportsOtherPlatformsPackedArchivesAndMissingExecuteBits() throws {
        let sandbox = try InstallationSandbox()
        try sandbox.installProvider(version: "6.0.0", platform: Self.elsewhere.description)
        let plain = try sandbox.installProvider(version: "5.100.0", executable: false)
        let zip = try sandbox.write("PK", to: "mirror/registry.terraform.io/hashicorp/aws/terraform-provider-aws_5.101.0_\(Self.here).zip")
        try sandbox.write("{}", to: "mirror/registry.terraform.io/hashicorp/aws/index.json")
        try sandbox.write("notes", to: "mirror/registry.terraform.io/hashicorp/aws/5.102.0/\(Self.here)/README.md")
        let listing = mirror(sandbox).listing(for: Self.aws)
        #expect(listing.installed.isEmpty)
        let reasons = Dictionary(uniqueKeysWithValues: listing.skipped.map { ($0.version.description, $0.reason) })
        #expect(reasons["6.0.0"] == .otherPlatforms([Self.elsewhere]))
        #expect(reasons["5.100.0"] == .notExecutable)
        #expect(reasons["5.101.0"] == .packedArchive(Self.here))
        #expect(reasons["5.102.0"] == .noExecutable)
        #expect(listing.skipped.first { $0.reason == .notExecutable }?.path == plain)
        #expect(listing.skipped.first { $0.reason == .packedArchive(Self.here) }?.path == zip)
    }

    @Test func ignoresOtherProvidersAndNamesNotOfTheLayout() throws {
        let sandbox = try InstallationSandbox()
        try sandbox.installProvider(version: "1.0.0", name: "terraform-provider-awscc")
        try sandbox.installProvider(version: "1.1.0", name: "terraform-provider-aws_v1.1.0_x5.sig")
        try sandbox.installProvider("hashicorp/awscc", version: "2.0.0")
        try sandbox.installProvider(version: "not-a-version")
        #expect(mirror(sandbox).listing(for: Self.aws).installed.isEmpty)
        #expect(mirror(sandbox).listing(for: ProviderSource(type: "awscc")).versions == [ProviderVersion(2, 0, 0)])
    }

    @Test func missingDirectoryHoldsNothing() {
        let mirror = ProviderMirror(entry: .init(directory: "/nonexistent/tend/mirror", origin: .impliedMirror))
        let listing = mirror.listing(for: Self.aws)
        #expect(listing.installed.isEmpty && listing.skipped.isEmpty)
        #expect(listing.searched.map(\.directory) == ["/nonexistent/tend/mirror"])
    }

    @Test(arguments: [
        ("terraform-provider-aws", true, nil),
        ("terraform-provider-aws_v5.100.0", true, nil),
        ("terraform-provider-aws_v5.100.0_x5", true, 5),
        ("terraform-provider-aws_x6", true, 6),
        ("terraform-provider-aws_v5.100.0_x5.exe", false, nil),
        ("terraform-provider-awscc", false, nil),
        ("terraform-provider-aws_", false, nil),
        ("terraform-provider-aws_x5_x6", false, nil),
    ] as [(String, Bool, Int?)])
    func parsesExecutableNames(name: String, isExecutableName: Bool, protocolVersion: Int?) {
        let parsed = ExecutableName(name, source: Self.aws)
        #expect((parsed != nil) == isExecutableName)
        #expect(parsed?.protocolVersion == protocolVersion)
    }
}
