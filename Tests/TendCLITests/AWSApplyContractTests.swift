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

    /// The VPCs tagged for address `main`, as `id cidr` lines.
    static let vpcScript = """
    import boto3, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    ec2 = boto3.client("ec2", **kw)
    for v in ec2.describe_vpcs()["Vpcs"]:
        if {"Key": "tend:address", "Value": "main"} in v.get("Tags", []):
            print(v["VpcId"], v["CidrBlock"])
    """

    // Defect 2 on AWS: the replacement of a create_before_destroy VPC carries the old one's address tag; neither the
    // create nor its recovery may take the old VPC for the new one (which then deleted the only VPC).
    @Test func createBeforeDestroyMakesANewVPCAndDeletesTheOld() throws {
        let moto = try MotoServer()
        let dir = try TemporaryDirectory()
        func tend(_ arguments: [String]) throws -> TendBinary.Result {
            try TendBinary.run(arguments, in: dir.url, environment: moto.environment)
        }
        func manifest(cidr: String) -> String {
            """
            stack: cbd-aws
            providers:
              aws: { region: us-east-1, endpoint: "${env.AWS_ENDPOINT_URL}" }
            resources:
              main:
                type: aws_vpc
                properties: { cidr_block: \(cidr) }
                options: { create_before_destroy: true }
            """
        }
        try dir.write("main.yaml", manifest(cidr: "10.20.0.0/16"))
        #expect(try tend(["apply", "--auto-approve"]).status == 0)
        let before = try TendBinary.python(["-c", Self.vpcScript, moto.endpoint]).stdout
        try dir.write("main.yaml", manifest(cidr: "10.21.0.0/16"))
        let replace = try tend(["apply", "--auto-approve"])
        #expect(replace.status == 0, "\(replace.stdout)\(replace.stderr)")
        let after = try TendBinary.python(["-c", Self.vpcScript, moto.endpoint]).stdout
        let lines = after.split(separator: "\n")
        #expect(lines.count == 1, "exactly one VPC for the address: \(after)")
        #expect(lines.first?.hasSuffix("10.21.0.0/16") == true, "the new one: \(after)")
        #expect(!before.isEmpty && after != before)
        let plan = try tend(["plan", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(try tend(["destroy", "--auto-approve"]).status == 0)
    }
}
