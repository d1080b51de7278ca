import Foundation
import ProviderKitTesting
import Testing

/// examples/aws through the built binary against a real moto_server on 127.0.0.1.
@Suite(.serialized) struct AWSEndToEndTests {
    /// Changes made directly through the AWS API with boto3, the way someone at the console would.
    static let tamper = """
    import boto3, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    ec2 = boto3.client("ec2", **kw); s3 = boto3.client("s3", **kw)
    vpc = [v for v in ec2.describe_vpcs()["Vpcs"] if {"Key": "tend:address", "Value": "main"} in v.get("Tags", [])][0]
    ec2.create_tags(Resources=[vpc["VpcId"]], Tags=[{"Key": "env", "Value": "hand-edited"}])
    sg = [g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] == "web"][0]
    ec2.authorize_security_group_ingress(GroupId=sg["GroupId"], IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    s3.delete_bucket(Bucket="acme-logs-dev")
    """

    /// The tend:stack tag of the VPC at address `main`, and of the bucket.
    static let stackTags = """
    import boto3, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    ec2 = boto3.client("ec2", **kw); s3 = boto3.client("s3", **kw)
    vpc = [v for v in ec2.describe_vpcs()["Vpcs"] if {"Key": "tend:address", "Value": "main"} in v.get("Tags", [])][0]
    bucket = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket="acme-logs-dev")["TagSet"]}
    print({t["Key"]: t["Value"] for t in vpc["Tags"]}["tend:stack"], bucket["tend:stack"], len(s3.list_buckets()["Buckets"]))
    """

    /// What is left that tend created (tagged tend:stack=aws-example, or the stack in argv[2]), or roles/buckets of the example.
    static let leftovers = """
    import boto3, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    ec2 = boto3.client("ec2", **kw); s3 = boto3.client("s3", **kw); iam = boto3.client("iam", **kw)
    stack = sys.argv[2] if len(sys.argv) > 2 else "aws-example"
    tagged = lambda items: [i for i in items if {"Key": "tend:stack", "Value": stack} in i.get("Tags", [])]
    left = []
    left += [v["VpcId"] for v in tagged(ec2.describe_vpcs()["Vpcs"])]
    left += [s["SubnetId"] for s in tagged(ec2.describe_subnets()["Subnets"])]
    left += [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] == "web"]
    left += [i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in tagged(r["Instances"]) if i["State"]["Name"] != "terminated"]
    left += [b["Name"] for b in s3.list_buckets()["Buckets"]]
    left += [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("deployer")]
    print(" ".join(left))
    """

    static func python(_ script: String, _ arguments: [String]) throws -> TendBinary.Result {
        try TendBinary.python(["-c", script] + arguments)
    }

    @Test func planApplyDriftFixAndDestroyAgainstMoto() throws {
        let moto = try MotoServer()
        let dir = try TemporaryDirectory()
        let example = TendBinary.packageRoot.appendingPathComponent("examples/aws/main.yaml")
        try dir.write("main.yaml", try String(contentsOf: example, encoding: .utf8))
        let env = moto.environment
        func tend(_ arguments: [String]) throws -> TendBinary.Result {
            try TendBinary.run(arguments, in: dir.url, environment: env)
        }

        let first = try tend(["plan", "--detailed-exitcode"])
        #expect(first.status == 2, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("Plan: 7 to add, 0 to change, 0 to destroy."))
        let apply = try tend(["apply", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let noop = try tend(["plan", "--detailed-exitcode", "--verbose"])
        #expect(noop.status == 0, "\(noop.stdout)\(noop.stderr)")

        let tampered = try Self.python(Self.tamper, [moto.endpoint])
        #expect(tampered.status == 0, "\(tampered.stderr)")

        let drift = try tend(["plan", "--detailed-exitcode"])
        #expect(drift.status == 2)
        #expect(drift.stdout.contains("main (aws_vpc) was changed outside tend"))
        #expect(drift.stdout.contains("tags.env: \"dev\" → \"hand-edited\""))
        #expect(drift.stdout.contains("web (aws_security_group) was changed outside tend"))
        #expect(drift.stdout.contains("logs (aws_s3_bucket) was deleted outside tend"))
        #expect(drift.stdout.contains("Plan: 1 to add, 2 to change, 0 to destroy."), "\(drift.stdout)")

        let fix = try tend(["apply", "--auto-approve"])
        #expect(fix.status == 0, "\(fix.stdout)\(fix.stderr)")
        let clean = try tend(["plan", "--detailed-exitcode"])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")

        let destroy = try tend(["destroy", "--auto-approve"])
        #expect(destroy.status == 0, "\(destroy.stdout)\(destroy.stderr)")
        let left = try Self.python(Self.leftovers, [moto.endpoint])
        #expect(left.status == 0, "\(left.stderr)")
        #expect(left.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "left behind: \(left.stdout)")
    }

    @Test func wrongEndpointIsOneClearErrorAndRecordsNothing() throws {
        let dir = try TemporaryDirectory()
        let example = TendBinary.packageRoot.appendingPathComponent("examples/aws/main.yaml")
        try dir.write("main.yaml", try String(contentsOf: example, encoding: .utf8))
        let port = try MotoServer.freePort()
        let env = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
                   "AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)"]
        let result = try TendBinary.run(["apply", "--auto-approve"], in: dir.url, environment: env)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot reach http://127.0.0.1:\(port)"), "\(result.stderr)")
        let list = try TendBinary.run(["state", "list"], in: dir.url, environment: env)
        #expect(list.stdout.isEmpty, "nothing is recorded as created: \(list.stdout)")
    }

    /// Renaming the configuration directory keeps the stack id: objects stay tagged with it, plan finds nothing to
    /// do, and a create that crashed before its state write is still recovered by its tags instead of made twice.
    @Test func renamedDirectoryKeepsTagsAndRecoveryWorking() throws {
        let moto = try MotoServer()
        let parent = try TemporaryDirectory()
        let example = TendBinary.packageRoot.appendingPathComponent("examples/aws/main.yaml")
        let undeclared = try String(contentsOf: example, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("stack:") }.joined(separator: "\n")
        try parent.write("aws-a/main.yaml", undeclared)
        var dir = parent.url.appendingPathComponent("aws-a")
        func tend(_ arguments: [String]) throws -> TendBinary.Result {
            try TendBinary.run(arguments, in: dir, environment: moto.environment)
        }
        let apply = try tend(["apply", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let id = try #require(try StackIdentityEndToEndTests.stack(in: dir))
        #expect(id != "aws-a")

        let renamed = parent.url.appendingPathComponent("aws-b")
        try FileManager.default.moveItem(at: dir, to: renamed)
        dir = renamed
        let plan = try tend(["plan", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let tags = try Self.python(Self.stackTags, [moto.endpoint])
        #expect(tags.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(id) \(id) 1", "\(tags.stderr)")

        // A crash between creating the bucket and writing its state: the record stays a pending create.
        let crash = try TendBinary.python(["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE resources SET status = 'create_pending', id = '' WHERE address = 'logs'")
            db.commit()
            """, dir.appendingPathComponent(".tend/state.db").path])
        #expect(crash.status == 0, "\(crash.stderr)")
        // Recovery searches by the stack id: it finds the bucket, so there is nothing to create, only the
        // interrupted create to settle in state.
        let recovered = try tend(["plan", "--detailed-exitcode"])
        #expect(recovered.status == 2, "\(recovered.stdout)\(recovered.stderr)")
        #expect(recovered.stdout.contains("No changes to objects."), "\(recovered.stdout)")
        let recover = try tend(["apply", "--auto-approve"])
        #expect(recover.status == 0, "\(recover.stdout)\(recover.stderr)")
        #expect(recover.stdout.contains("logs: adopted"), "\(recover.stdout)")
        let settled = try tend(["plan", "--detailed-exitcode"])
        #expect(settled.status == 0, "\(settled.stdout)\(settled.stderr)")
        #expect(try Self.python(Self.stackTags, [moto.endpoint]).stdout.hasSuffix(" 1\n"), "one bucket, not two")

        let destroy = try tend(["destroy", "--auto-approve"])
        #expect(destroy.status == 0, "\(destroy.stdout)\(destroy.stderr)")
        let left = try Self.python(Self.leftovers, [moto.endpoint, id])
        #expect(left.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "left behind: \(left.stdout)")
    }
}
