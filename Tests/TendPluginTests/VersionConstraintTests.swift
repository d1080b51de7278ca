import Testing
@testable import TendPlugin

@Suite struct VersionConstraintTests {
    @Test(arguments: [
        ("~> 5.100", "5.100.0", true),
        ("~> 5.100", "5.150.3", true),
        ("~> 5.100", "5.99.0", false),
        ("~> 5.100", "6.0.0", false),
        ("~> 5.100.0", "5.100.9", true),
        ("~> 5.100.0", "5.101.0", false),
        ("~> 5", "5.9.0", true),
        ("~> 5", "6.0.0", false),
        (">= 1.2, < 2.0.0", "1.2.0", true),
        (">= 1.2, < 2.0.0", "2.0.0", false),
        (">1.0.0", "1.0.0", false),
        ("<= 1.0.0", "1.0.0", true),
        ("!= 3.1.0", "3.1.0", false),
        ("!= 3.1.0", "3.1.1", true),
        ("4.0.0", "4.0.0", true),
        ("= 4.0.0", "4.0.1", false),
        ("", "7.0.0", true),
        (">= 5.0.0", "6.0.0-beta1", false),
        ("~> 6.0", "6.0.0-beta1", false),
        ("6.0.0-beta1", "6.0.0-beta1", true),
        ("= 6.0.0-beta1, < 7.0.0", "6.0.0-beta1", true),
        ("", "1.0.0-rc1", false),
    ])
    func matchesLikeTerraform(constraint: String, version: String, matches: Bool) throws {
        let parsed = try VersionConstraint(parsing: constraint)
        #expect(parsed.isSatisfied(by: try ProviderVersion(parsing: version)) == matches)
    }

    @Test(arguments: [
        ("~>5.100", "~> 5.100"),
        (" >= 1.2 ,<2 ", ">= 1.2, < 2"),
        ("1.2.3", "= 1.2.3"),
        ("", ""),
    ])
    func printsANormalForm(text: String, printed: String) throws {
        #expect(try VersionConstraint(parsing: text).description == printed)
    }

    @Test(arguments: [
        ("~> 5.x", 6, "a number"),
        (">= ", 4, "a version"),
        ("=> 1.0", 2, "a version"),
        ("1.0 2.0", 5, "\",\" or the end"),
        (">= 1.0,", 8, "a version"),
        ("~> 1.0.0-", 10, "letters"),
    ])
    func rejectsGarbageSayingWhatAndWhere(text: String, column: Int, expected: String) {
        #expect {
            try VersionConstraint(parsing: text)
        } throws: { error in
            guard let error = error as? ProviderInstallationError else { return false }
            return error.code == .invalidConstraint && error.message.contains("column \(column)")
                && error.message.contains("expected \(expected)") && error.message.contains(text)
        }
    }

    @Test func picksTheNewestMatching() throws {
        let versions = try ["5.99.0", "5.100.0", "5.101.2", "6.0.0", "5.102.0-beta1"].map(ProviderVersion.init(parsing:))
        let newest = try VersionConstraint(parsing: "~> 5.100").newest(of: versions)
        #expect(newest == ProviderVersion(5, 101, 2))
    }
}
