import Foundation
import ProviderKitTesting
import Testing

/// Apply executes the plan on AWS types, through the built binary against a real moto_server on 127.0.0.1.
@Suite(.serialized) struct AWSApplyContractTests {
    static func manifest(env: String) -> String {
        """
        stack: contract-aws
        providers:
          aws: { region: us-east-1, endpoint: "${env.AWS_ENDPOINT_URL}" }
        resources:
          main:
            type: aws_vpc
            properties:
              cidr_block: 10.8.0.0/16
              tags: { env: \(env), team: platform }
            options:
              ignore_changes: [tags.owner]
        """
    }

    /// Adds an `owner` tag to the VPC, as someone at the console would, and prints the VPC's tags as JSON.
    static let tagScript = """
    import boto3, json, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    ec2 = boto3.client("ec2", **kw)
    vpcs = [v for v in ec2.describe_vpcs()["Vpcs"] if {"Key": "tend:address", "Value": "main"} in v.get("Tags", [])]
    if sys.argv[2] == "tag":
        ec2.create_tags(Resources=[vpcs[0]["VpcId"]], Tags=[{"Key": "owner", "Value": "alice"}])
    print(json.dumps({"count": len(vpcs), "tags": {t["Key"]: t["Value"] for t in vpcs[0].get("Tags", [])} if vpcs else {}}))
    """

    // Defect 1: a tag update with ignore_changes [tags.owner] deleted the owner tag set outside tend.
    @Test func aTagUpdateKeepsAnIgnoredTag() throws {
        let moto = try MotoServer()
        let dir = try TemporaryDirectory()
        func tend(_ arguments: [String]) throws -> TendBinary.Result {
            try TendBinary.run(arguments, in: dir.url, environment: moto.environment)
        }
        try dir.write("main.yaml", Self.manifest(env: "dev"))
        let apply = try tend(["apply", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let tagged = try TendBinary.python(["-c", Self.tagScript, moto.endpoint, "tag"])
        #expect(tagged.status == 0, "\(tagged.stderr)")

        try dir.write("main.yaml", Self.manifest(env: "prod"))
        let update = try tend(["apply", "--auto-approve"])
        #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
        #expect(update.stdout.contains("1 changed"), "\(update.stdout)")
        let after = try TendBinary.python(["-c", Self.tagScript, moto.endpoint, "show"])
        let document = try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any]
        let tags = document?["tags"] as? [String: String] ?? [:]
        #expect(document?["count"] as? Int == 1)
        #expect(tags["env"] == "prod")
        #expect(tags["team"] == "platform")
        #expect(tags["owner"] == "alice", "ignored, so apply must not delete it: \(tags)")
        let plan = try tend(["plan", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let destroy = try tend(["destroy", "--auto-approve"])
        #expect(destroy.status == 0, "\(destroy.stdout)\(destroy.stderr)")
    }
}
