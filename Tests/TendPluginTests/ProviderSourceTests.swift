import Testing
@testable import TendPlugin

@Suite struct ProviderSourceTests {
    @Test(arguments: [
        ("aws", "registry.terraform.io/hashicorp/aws"),
        ("hashicorp/aws", "registry.terraform.io/hashicorp/aws"),
        ("HashiCorp/AWS", "registry.terraform.io/hashicorp/aws"),
        ("registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/aws"),
        ("example.com:8443/acme/my-thing", "example.com:8443/acme/my-thing"),
    ])
    func parsesShortAndFullForms(text: String, full: String) throws {
        #expect(try ProviderSource(parsing: text).description == full)
    }

    @Test(arguments: [
        ("", "type is empty"),
        ("a/b/c/d", "expected TYPE"),
        ("hashicorp/", "type is empty"),
        ("hashi corp/aws", "namespace"),
        ("hashicorp/aws_v2", "\"_\""),
        ("-bad/aws", "starts or ends with a dash"),
        ("exa..mple.com/acme/x", "host"),
    ])
    func rejectsGarbage(text: String, fragment: String) {
        #expect {
            try ProviderSource(parsing: text)
        } throws: { error in
            guard let error = error as? ProviderInstallationError else { return false }
            return error.code == .invalidSource && error.message.contains(fragment)
        }
    }

    @Test(arguments: [
        ("registry.terraform.io/hashicorp/*", "hashicorp/aws", true),
        ("registry.terraform.io/hashicorp/*", "acme/aws", false),
        ("hashicorp/aws", "aws", true),
        ("*/*", "acme/thing", true),
        ("*/*", "example.com/acme/thing", false),
        ("*/*/*", "example.com/acme/thing", true),
    ])
    func patternsMatchSources(pattern: String, source: String, matches: Bool) throws {
        let parsed = try ProviderSourcePattern(parsing: pattern)
        #expect(parsed.matches(try ProviderSource(parsing: source)) == matches)
    }

    @Test func patternWithAnyNamespaceNeedsAnyType() {
        #expect(throws: ProviderInstallationError.self) { try ProviderSourcePattern(parsing: "*/aws") }
    }
}
