import Foundation
import ProviderKitTesting
import Testing

/// The hashicorp/aws Terraform provider (its real binary, from a filesystem mirror) against moto_server, through
/// tend: plan, apply, a no-op plan, changes made directly through the API, drift that finds exactly them, apply,
/// destroy, nothing left. Types tend has natively and types it has not.
@Suite(.serialized) struct AWSPluginEndToEndTests {
    /// The mirrors `make test` found (scripts/terraform-mirrors.sh).
    static func pluginDirectories() throws -> String {
        let dirs = ProcessInfo.processInfo.environment["TEND_TEST_PLUGIN_DIRS"] ?? ""
        try #require(!dirs.isEmpty, "no filesystem mirror with hashicorp/aws found: set TEND_TEST_PLUGIN_DIRS (make test does)")
        return dirs
    }

    static let providerConfig = """
          region: us-east-1
          skip_credentials_validation: true
          skip_requesting_account_id: true
          skip_metadata_api_check: true
          s3_use_path_style: true
    """

    static let manifest = """
    stack: plugin-aws
    providers:
      aws:
        source: hashicorp/aws
        version: "~> 5.100"
        config:
    \(providerConfig)
    resources:
      logs:
        type: aws_s3_bucket
        properties: { bucket: tend-plugin-logs, tags: { team: platform } }
      network:
        type: aws_vpc
        properties: { cidr_block: 10.40.0.0/16, tags: { Name: plugin } }
      app:
        type: aws_subnet
        properties: { vpc_id: "${network.id}", cidr_block: 10.40.1.0/24 }
      web:
        type: aws_security_group
        properties:
          name: web
          description: web servers
          vpc_id: "${network.id}"
          ingress: [{ from_port: 443, to_port: 443, protocol: tcp, cidr_blocks: [0.0.0.0/0], description: https }]
      runner:
        type: aws_iam_role
        properties:
          name: tend-runner
          description: runs things
          assume_role_policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
      queue:
        type: aws_sqs_queue
        properties: { name: tend-jobs, tags: { team: platform } }
      topic:
        type: aws_sns_topic
        properties: { name: tend-events, display_name: events }
      table:
        type: aws_dynamodb_table
        properties:
          name: tend-items
          billing_mode: PAY_PER_REQUEST
          hash_key: id
          attribute: [{ name: id, type: S }]
    """

    /// Changes four objects behind tend's back, through the API.
    static let changeByHand = """
    import boto3, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    boto3.client("s3", **kw).put_bucket_tagging(Bucket="tend-plugin-logs", Tagging={"TagSet": [{"Key": "team", "Value": "intruder"}]})
    sqs = boto3.client("sqs", **kw)
    sqs.set_queue_attributes(QueueUrl=sqs.get_queue_url(QueueName="tend-jobs")["QueueUrl"], Attributes={"VisibilityTimeout": "60"})
    sns = boto3.client("sns", **kw)
    arn = [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":tend-events")][0]
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="changed")
    boto3.client("iam", **kw).update_role(RoleName="tend-runner", Description="changed by hand")
    """

    /// What is left in moto of what the stack made.
    static let leftovers = """
    import boto3, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    left = []
    left += [b["Name"] for b in boto3.client("s3", **kw).list_buckets()["Buckets"] if b["Name"].startswith("tend-")]
    left += [v["VpcId"] for v in boto3.client("ec2", **kw).describe_vpcs()["Vpcs"] if v["CidrBlock"] == "10.40.0.0/16"]
    left += boto3.client("sqs", **kw).list_queues().get("QueueUrls", [])
    left += [t["TopicArn"] for t in boto3.client("sns", **kw).list_topics()["Topics"]]
    left += [r["RoleName"] for r in boto3.client("iam", **kw).list_roles()["Roles"] if r["RoleName"].startswith("tend-")]
    left += boto3.client("dynamodb", **kw).list_tables()["TableNames"]
    print(" ".join(left))
    """

    @Test func theHashicorpProviderServesEveryPhaseAgainstMoto() async throws {
        let mirrors = try Self.pluginDirectories()
        let moto = try MotoServer()
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        var environment = moto.environment
        environment["TEND_PLUGIN_DIRS"] = mirrors
        environment["XDG_CACHE_HOME"] = dir.url.appendingPathComponent("cache").path
        func tend(_ arguments: [String]) async throws -> TendBinary.Result {
            try await TendBinary.runOffPool(arguments, in: dir.url, environment: environment)
        }
        let plan = try await tend(["plan", "--detailed-exitcode"])
        #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("Plan: 8 to add, 0 to change, 0 to destroy."), "\(plan.stdout)")
        let apply = try await tend(["apply", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let again = try await tend(["plan", "--detailed-exitcode"])
        #expect(again.status == 0, "nothing to do after apply: \(again.stdout)\(again.stderr)")

        let changed = try await TendBinary.pythonOffPool(["-c", Self.changeByHand, moto.endpoint])
        #expect(changed.status == 0, "\(changed.stderr)")
        let drift = try await tend(["drift", "detect", "--json", "--detailed-exitcode"])
        #expect(drift.status == 2, "\(drift.stdout)\(drift.stderr)")
        let findings = try Self.findings(drift.stdout)
        #expect(Set(findings.map(\.address)) == ["logs", "queue", "topic", "runner"], "\(findings)")
        #expect(findings.contains { $0.address == "queue" && $0.path == "visibility_timeout_seconds" }, "\(findings)")
        #expect(findings.contains { $0.address == "topic" && $0.path == "display_name" }, "\(findings)")
        #expect(findings.contains { $0.address == "runner" && $0.path == "description" }, "\(findings)")
        #expect(findings.contains { $0.address == "logs" && $0.path.hasPrefix("tags") }, "\(findings)")

        let fix = try await tend(["apply", "--auto-approve"])
        #expect(fix.status == 0, "\(fix.stdout)\(fix.stderr)")
        let clean = try await tend(["drift", "detect", "--json", "--detailed-exitcode"])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")

        let destroy = try await tend(["destroy", "--auto-approve"])
        #expect(destroy.status == 0, "\(destroy.stdout)\(destroy.stderr)")
        let left = try await TendBinary.pythonOffPool(["-c", Self.leftovers, moto.endpoint])
        #expect(left.status == 0, "\(left.stderr)")
        #expect(left.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "left behind: \(left.stdout)")
    }

    struct Finding: CustomStringConvertible {
        var address: String
        var kind: String
        var path: String
        var description: String { "\(kind) \(address) \(path)" }
    }

    static func findings(_ json: String) throws -> [Finding] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let items = try #require(document["findings"] as? [[String: Any]])
        return items.map { Finding(address: $0["address"] as? String ?? "", kind: $0["kind"] as? String ?? "",
                                   path: $0["path"] as? String ?? "") }
    }
}

extension AWSPluginEndToEndTests {
    /// examples/mixed: built-in and plugin aws types in one stack, references across them.
    @Test func theMixedExampleAppliesAndDestroys() async throws {
        let mirrors = try Self.pluginDirectories()
        let moto = try MotoServer()
        let dir = try TemporaryDirectory()
        let example = TendBinary.packageRoot.appendingPathComponent("examples/mixed/main.yaml")
        try dir.write("main.yaml", try String(contentsOf: example, encoding: .utf8))
        var environment = moto.environment
        environment["TEND_PLUGIN_DIRS"] = mirrors
        environment["XDG_CACHE_HOME"] = dir.url.appendingPathComponent("cache").path
        func tend(_ arguments: [String]) async throws -> TendBinary.Result {
            try await TendBinary.runOffPool(arguments, in: dir.url, environment: environment)
        }
        let apply = try await tend(["apply", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let state = try await tend(["state", "list"])
        for address in ["network", "app", "uploads", "jobs", "events"] {
            #expect(state.stdout.contains(address), "\(state.stdout)")
        }
        let again = try await tend(["plan", "--detailed-exitcode"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        let drift = try await tend(["drift", "detect"])
        #expect(drift.stdout.contains("Unmanaged objects not looked for: aws_sns_topic, aws_sqs_queue, aws_subnet"),
                "plugin types cannot be listed, and drift says so: \(drift.stdout)")
        let destroy = try await tend(["destroy", "--auto-approve"])
        #expect(destroy.status == 0, "\(destroy.stdout)\(destroy.stderr)")
    }
}
