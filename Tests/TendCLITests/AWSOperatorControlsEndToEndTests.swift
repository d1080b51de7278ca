import Foundation
import ProviderKitTesting
import Testing

/// Issue 15, part 5, against a moto_server on 127.0.0.1 that writes down every request: targeting with
/// dependencies, exclusion with dependents, `--replace`, `--refresh=false` (no reads at all) and
/// `apply --retry-failed` after a create the API refused.
@Suite(.serialized) struct AWSOperatorControlsEndToEndTests {
    static let manifest = """
    stack: controls-aws
    providers:
      aws: { region: us-east-1, endpoint: "${env.AWS_ENDPOINT_URL}" }
    resources:
      net:
        type: aws_vpc
        properties: { cidr_block: 10.0.0.0/16, tags: { Name: net } }
      front:
        type: aws_subnet
        properties: { vpc_id: "${net.id}", cidr_block: 10.0.1.0/24, availability_zone: us-east-1a }
      web:
        type: aws_security_group
        properties:
          name: web
          description: Web servers
          vpc_id: ${net.id}
          ingress:
            - { protocol: tcp, from_port: 443, to_port: 443, cidr_blocks: [0.0.0.0/0] }
      logs:
        type: aws_s3_bucket
        properties: { bucket: tend-controls-logs }
    """

    /// Adds a subnet and a bucket that records its id: the subnet's create is what the test makes fail.
    static let grown = manifest + """

      back:
        type: aws_subnet
        properties: { vpc_id: "${net.id}", cidr_block: 10.0.2.0/24, availability_zone: us-east-1b }
      archive:
        type: aws_s3_bucket
        properties: { bucket: tend-controls-archive, tags: { subnet: "${back.id}" } }
      audit:
        type: aws_s3_bucket
        properties: { bucket: tend-controls-audit }
    """

    /// argv[2] "block": a subnet with 10.0.2.0/24 made outside tend in the VPC tagged Name=net; "unblock": deleted.
    static let blocker = """
    import boto3, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    ec2 = boto3.client("ec2", **kw)
    vpc = [v for v in ec2.describe_vpcs()["Vpcs"] if {"Key": "Name", "Value": "net"} in v.get("Tags", [])][0]["VpcId"]
    if sys.argv[2] == "block":
        ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1c")
    else:
        for s in ec2.describe_subnets(Filters=[{"Name": "cidr-block", "Values": ["10.0.2.0/24"]}])["Subnets"]:
            if not any(t["Key"].startswith("tend:") for t in s.get("Tags", [])):
                ec2.delete_subnet(SubnetId=s["SubnetId"])
    """

    /// Every EC2 action and S3 bucket create moto received since the recording was last cleared.
    static func calls(_ moto: MotoServer) throws -> [String] {
        try moto.recordedRequests().map { request in
            if let action = request.action { return action }
            let path = URL(string: request.url)?.path ?? request.url
            return request.method == "PUT" && request.url.split(separator: "?").count == 1 ? "CreateBucket \(path)" : "\(request.method) \(path)"
        }
    }

    static func state(_ result: TendBinary.Result) -> [String] {
        result.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }.sorted()
    }

    @Test func targetExcludeReplaceRefreshAndRetryAgainstMoto() throws {
        let dir = try TemporaryDirectory()
        let moto = try MotoServer(recording: dir.url.appendingPathComponent("requests.jsonl"))
        try dir.write("config/main.yaml", Self.manifest)
        let config = dir.url.appendingPathComponent("config")
        func tend(_ arguments: [String]) throws -> TendBinary.Result {
            try TendBinary.run(arguments + ["--no-color"], in: config, environment: moto.environment)
        }

        // The subnet brings its VPC; nothing else is created.
        let targeted = try tend(["apply", "--auto-approve", "--target", "front"])
        #expect(targeted.status == 0, "\(targeted.stdout)\(targeted.stderr)")
        #expect(Self.state(try tend(["state", "list"])) == ["front", "net"])
        let creates = try Self.calls(moto).filter { $0.hasPrefix("Create") }
        #expect(creates.filter { $0 != "CreateTags" }.sorted() == ["CreateSubnet", "CreateVpc"], "\(creates)")

        // Excluding the VPC leaves out everything built in it: only the bucket is created.
        try moto.clearRecording()
        let excluded = try tend(["apply", "--auto-approve", "--exclude", "aws_vpc.net"])
        #expect(excluded.status == 0, "\(excluded.stdout)\(excluded.stderr)")
        #expect(Self.state(try tend(["state", "list"])) == ["front", "logs", "net"])
        #expect(try Self.calls(moto).filter { $0.hasPrefix("Create") && $0 != "CreateTags" } == ["CreateBucket /tend-controls-logs"])
        #expect(try !Self.calls(moto).contains { $0.hasPrefix("Describe") }, "the VPC and subnet are not even read")
        #expect(try tend(["apply", "--auto-approve"]).status == 0)

        // Without a refresh, a plan sends nothing at all.
        try moto.clearRecording()
        let blind = try tend(["plan", "--detailed-exitcode", "--refresh=false"])
        #expect(blind.status == 0, "\(blind.stdout)\(blind.stderr)")
        #expect(blind.stdout.contains("not refreshed (--refresh=false)"), "\(blind.stdout)")
        let sent = try Self.calls(moto)
        #expect(sent.isEmpty, "\(sent)")

        // A forced replacement makes a new security group.
        let oldGroup = try tend(["state", "show", "web"]).stdout
        try moto.clearRecording()
        let replaced = try tend(["apply", "--auto-approve", "--replace", "web"])
        #expect(replaced.status == 0, "\(replaced.stdout)\(replaced.stderr)")
        #expect(replaced.stdout.contains("Plan: 1 to add, 0 to change, 1 to destroy."), "\(replaced.stdout)")
        let groupCalls = try Self.calls(moto).filter { $0.hasSuffix("SecurityGroup") }
        #expect(groupCalls == ["DeleteSecurityGroup", "CreateSecurityGroup"], "\(groupCalls)")
        #expect(try tend(["state", "show", "web"]).stdout != oldGroup, "a new group id")
        #expect(try tend(["plan", "--detailed-exitcode"]).status == 0)

        // A saved plan whose subnet create the API refuses (its block is taken outside tend): the bucket that
        // needs the subnet is skipped, the independent bucket is created.
        try dir.write("config/main.yaml", Self.grown)
        let saved = try tend(["plan", "-out", "grow.plan"])
        #expect(saved.status == 0 && saved.stdout.contains("Plan: 3 to add"), "\(saved.stdout)\(saved.stderr)")
        let block = try TendBinary.python(["-c", Self.blocker, moto.endpoint, "block"])
        #expect(block.status == 0, "\(block.stderr)")
        let failed = try tend(["apply", "grow.plan"])
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stderr.contains("1 succeeded, 1 failed, 1 skipped"), "\(failed.stderr)")
        #expect(Self.state(try tend(["state", "list"])).contains("audit"))

        let unblock = try TendBinary.python(["-c", Self.blocker, moto.endpoint, "unblock"])
        #expect(unblock.status == 0, "\(unblock.stderr)")
        try moto.clearRecording()
        let retried = try tend(["apply", "--retry-failed", "grow.plan"])
        #expect(retried.status == 0, "\(retried.stdout)\(retried.stderr)")
        #expect(retried.stdout.contains("Plan: 2 to add, 0 to change, 0 to destroy."), "\(retried.stdout)")
        let made = try Self.calls(moto).filter { $0.hasPrefix("Create") && $0 != "CreateTags" }
        #expect(made.sorted() == ["CreateBucket /tend-controls-archive", "CreateSubnet"], "the audit bucket is not made twice: \(made)")
        let after = try tend(["plan", "--detailed-exitcode"])
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        #expect(try tend(["destroy", "--auto-approve"]).status == 0)
    }
}
