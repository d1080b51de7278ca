import Foundation
import ProviderKitTesting
import Testing

/// Objects AWS makes by itself — the default VPC and its subnets, every VPC's default security group (including
/// that of a VPC tend created) — are counted apart, not reported as unmanaged; a group someone made by hand in
/// tend's VPC is. `--include-defaults` reports them all.
@Suite struct DefaultObjectsEndToEndTests {
    static let addGroup = """
    import boto3, sys
    ec2 = boto3.client("ec2", endpoint_url=sys.argv[1], region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["tended"]}])["Vpcs"][0]["VpcId"]
    group = ec2.create_security_group(GroupName="by-hand", Description="made at the console", VpcId=vpc)["GroupId"]
    defaults = [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] == "default"]
    print(group, " ".join(defaults))
    """

    @Test func defaultObjectsAreCountedApartAndAGroupMadeByHandIsUnmanaged() throws {
        let moto = try MotoServer()
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", """
            stack: defaults
            providers:
              aws: { region: us-east-1, endpoint: "${env.AWS_ENDPOINT_URL}" }
            resources:
              network:
                type: aws_vpc
                properties: { cidr_block: 10.7.0.0/16, tags: { Name: tended } }
              app:
                type: aws_subnet
                properties: { vpc_id: "${network.id}", cidr_block: 10.7.1.0/24 }
              web:
                type: aws_security_group
                properties: { name: web, vpc_id: "${network.id}" }
            """)
        func tend(_ arguments: [String]) throws -> TendBinary.Result {
            try TendBinary.run(arguments, in: dir.url, environment: moto.environment)
        }
        let apply = try tend(["apply", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")

        let clean = try tend(["drift", "detect", "--json"])
        let cleanFindings = try Self.findings(clean.stdout)
        #expect(cleanFindings.filter { $0.kind == "unmanaged" && $0.type == "aws_security_group" }.isEmpty,
                "no VPC's default group is unmanaged: \(cleanFindings)")
        #expect(cleanFindings.filter { $0.kind == "unmanaged" && $0.type == "aws_vpc" }.isEmpty, "the default VPC is AWS's")
        #expect(cleanFindings.filter { $0.kind == "unmanaged" && $0.type == "aws_subnet" }.isEmpty, "default subnets are AWS's")
        let summary = try #require(try Self.summary(clean.stdout))
        // The default VPC, its subnets (one per zone), and the default groups of both VPCs.
        #expect((summary["total_defaults"] as? Int ?? 0) >= 4, "\(summary)")
        // The report counts them as the drift run did, apart from unmanaged ones and coverage.
        let report = try tend(["report", "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        let reported = try #require(try Self.summary(report.stdout))
        #expect(reported["total_defaults"] as? Int == summary["total_defaults"] as? Int, "\(reported)")
        #expect(reported["total_unmanaged"] as? Int == 0 && reported["coverage"] as? Double == 100, "\(reported)")
        let markdown = try tend(["report", "--format", "markdown"])
        #expect(markdown.stdout.contains("| Cloud defaults |"), "\(markdown.stdout)")

        let made = try TendBinary.python(["-c", Self.addGroup, moto.endpoint])
        #expect(made.status == 0, "\(made.stderr)")
        let ids = made.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
        let byHand = try #require(ids.first)
        let defaultGroups = Array(ids.dropFirst())
        #expect(defaultGroups.count >= 2, "the default VPC's group and the group of tend's VPC")

        let text = try tend(["drift", "detect"])
        #expect(text.stdout.contains("aws_security_group \(byHand) exists but is not managed by tend"), "\(text.stdout)")
        #expect(text.stdout.contains("the cloud made by itself"), "\(text.stdout)")
        for group in defaultGroups { #expect(!text.stdout.contains(group), "\(group) is a default group: \(text.stdout)") }

        let all = try Self.findings(try tend(["drift", "detect", "--json", "--include-defaults"]).stdout)
        let unmanagedGroups = Set(all.filter { $0.kind == "unmanaged" && $0.type == "aws_security_group" }.map(\.address))
        #expect(unmanagedGroups.contains("aws_security_group:\(byHand)"))
        for group in defaultGroups { #expect(unmanagedGroups.contains("aws_security_group:\(group)")) }
    }

    struct Finding {
        var kind: String
        var type: String
        var address: String
    }

    static func findings(_ json: String) throws -> [Finding] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let items = try #require(document["findings"] as? [[String: Any]])
        return items.map { Finding(kind: $0["kind"] as? String ?? "", type: $0["type"] as? String ?? "",
                                   address: $0["address"] as? String ?? "") }
    }

    static func summary(_ json: String) throws -> [String: Any]? {
        try (JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["summary"] as? [String: Any]
    }
}
