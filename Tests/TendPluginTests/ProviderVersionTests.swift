import Testing
@testable import TendPlugin

@Suite struct ProviderVersionTests {
    @Test(arguments: [
        ("1.2.3", "1.2.3"),
        ("v5.100.0", "5.100.0"),
        ("5.0.0-beta.2", "5.0.0-beta.2"),
        ("1.0.0-rc1+build.7", "1.0.0-rc1+build.7"),
    ])
    func parsesVersions(text: String, printed: String) throws {
        #expect(try ProviderVersion(parsing: text).description == printed)
    }

    @Test(arguments: [
        ("", 1), ("1.2", 4), ("1.2.x", 5), ("1.2.3.4", 6), ("01.2.3", 1), ("1.2.3-", 7), ("1.2.3 ", 6),
    ])
    func rejectsGarbageSayingWhere(text: String, column: Int) {
        #expect {
            try ProviderVersion(parsing: text)
        } throws: { error in
            guard let error = error as? ProviderInstallationError else { return false }
            return error.code == .invalidVersion && error.message.contains("column \(column)")
        }
    }

    @Test(arguments: [
        ("1.0.0", "2.0.0"),
        ("1.9.0", "1.10.0"),
        ("1.0.0-alpha", "1.0.0"),
        ("1.0.0-alpha", "1.0.0-alpha.1"),
        ("1.0.0-alpha.1", "1.0.0-alpha.beta"),
        ("1.0.0-beta.2", "1.0.0-beta.11"),
        ("1.0.0-rc.1", "1.0.0"),
        ("5.99.9", "5.100.0"),
    ])
    func ordersBySemverPrecedence(lower: String, higher: String) throws {
        let low = try ProviderVersion(parsing: lower)
        let high = try ProviderVersion(parsing: higher)
        #expect(low < high)
        #expect(!(high < low))
    }

    @Test func ignoresBuildMetadataInEquality() throws {
        let plain = try ProviderVersion(parsing: "1.2.3")
        let built = try ProviderVersion(parsing: "1.2.3+linux")
        #expect(plain == built)
        #expect(Set([plain, built]).count == 1)
    }
}
