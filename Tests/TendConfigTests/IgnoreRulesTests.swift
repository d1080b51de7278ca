import TendConfig
import Testing

@Suite struct IgnoreRulesTests {
    @Test(arguments: [
        ("type:aws_s3_*", "aws_s3_bucket", "logs", "x", true),
        ("type:aws_s3_*", "aws_vpc", "logs", "x", false),
        ("address:site[*]", "local_file", "site[\"a\"]", "x", true),
        ("id:vpc-0?", "aws_vpc", "main", "vpc-01", true),
        ("id:vpc-0?", "aws_vpc", "main", "vpc-011", false),
        ("logs", "aws_s3_bucket", "logs", "x", true),
        ("id:[ab]*", "t", "n", "beta", true),
        ("id:[!ab]*", "t", "n", "beta", false),
    ])
    func matchesGlobsOnTypeAddressAndID(rule: String, type: String, address: String, id: String, expected: Bool) {
        let (rules, problems) = IgnoreRules.parse(rule, file: ".tendignore")
        #expect(problems.isEmpty)
        #expect(rules.ignores(type: type, address: address, id: id) == expected)
    }

    @Test func laterRulesWinAndNegationReincludes() {
        let (rules, _) = IgnoreRules.parse("type:*\n!type:aws_vpc\n", file: ".tendignore")
        #expect(rules.ignores(type: "aws_subnet", address: nil, id: nil))
        #expect(!rules.ignores(type: "aws_vpc", address: nil, id: nil))
    }

    @Test func attributeRulesCoverNestedPaths() {
        let (rules, _) = IgnoreRules.parse("attribute:web*:tags\n", file: ".tendignore")
        #expect(rules.ignores(address: "web", path: "tags.owner"))
        #expect(rules.ignores(address: "web2", path: "tags"))
        #expect(!rules.ignores(address: "web", path: "name"))
    }

    @Test func malformedLinesAreReportedWithTheirLine() {
        let (_, problems) = IgnoreRules.parse("# fine\ntype:\nattribute:nopath\n", file: ".tendignore")
        #expect(problems.map { $0.location?.line } == [2, 3])
    }
}
