import Foundation
import ProviderKitTesting
import Testing

/// One workload through tend's native aws types and through the hashicorp/aws plugin, each against a moto of its
/// own, with the same changes made by hand in both: both report drift on the same resources and the same declared
/// attributes.
@Suite(.serialized) struct AWSPluginDifferentialTests {
    static func manifest(plugin: Bool) -> String {
        let provider = plugin ? """
              aws:
                source: hashicorp/aws
                version: "~> 5.100"
                config:
            \(AWSPluginEndToEndTests.providerConfig)
            """ : """
              aws: { region: us-east-1, endpoint: "${env.AWS_ENDPOINT_URL}" }
            """
        return """
            stack: differential
            providers:
            \(provider)
            resources:
              logs:
                type: aws_s3_bucket
                properties: { bucket: tend-diff-logs, tags: { team: platform } }
              network:
                type: aws_vpc
                properties: { cidr_block: 10.50.0.0/16, tags: { Name: diff } }
              app:
                type: aws_subnet
                properties: { vpc_id: "${network.id}", cidr_block: 10.50.1.0/24 }
              web:
                type: aws_security_group
                properties:
                  name: web
                  description: web servers
                  vpc_id: "${network.id}"
                  ingress: [{ from_port: 443, to_port: 443, protocol: tcp, cidr_blocks: [0.0.0.0/0] }]
              runner:
                type: aws_iam_role
                properties:
                  name: tend-diff-runner
                  description: runs things
                  assume_role_policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
            """
    }

    static let changeByHand = """
    import boto3, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    boto3.client("s3", **kw).put_bucket_tagging(Bucket="tend-diff-logs", Tagging={"TagSet": [{"Key": "team", "Value": "intruder"}]})
    ec2 = boto3.client("ec2", **kw)
    vpc = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v["CidrBlock"] == "10.50.0.0/16"][0]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "renamed"}])
    group = [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] == "web"][0]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                         "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
    boto3.client("iam", **kw).update_role(RoleName="tend-diff-runner", Description="changed by hand")
    """

    /// Drift findings after applying the workload and changing it by hand: (address, top-level attribute).
    static func drift(plugin: Bool) async throws -> Set<String> {
        let moto = try MotoServer()
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", manifest(plugin: plugin))
        var environment = moto.environment
        if plugin {
            environment["TEND_PLUGIN_DIRS"] = try AWSPluginEndToEndTests.pluginDirectories()
            environment["XDG_CACHE_HOME"] = dir.url.appendingPathComponent("cache").path
        }
        let apply = try await TendBinary.runOffPool(["apply", "--auto-approve"], in: dir.url, environment: environment)
        #expect(apply.status == 0, "\(plugin ? "plugin" : "native"): \(apply.stdout)\(apply.stderr)")
        let changed = try await TendBinary.pythonOffPool(["-c", changeByHand, moto.endpoint])
        #expect(changed.status == 0, "\(changed.stderr)")
        let drift = try await TendBinary.runOffPool(["drift", "detect", "--json"], in: dir.url, environment: environment)
        #expect(drift.status == 0, "\(drift.stderr)")
        let findings = try AWSPluginEndToEndTests.findings(drift.stdout).filter { $0.kind == "changed" }
        return Set(findings.map { finding in
            "\(finding.address) \(finding.path.prefix { $0 != "." && $0 != "[" })"
        })
    }

    @Test func nativeAndPluginTypesReportTheSameDrift() async throws {
        let native = try await Self.drift(plugin: false)
        let plugin = try await Self.drift(plugin: true)
        let declared: Set<String> = ["logs tags", "network tags", "web ingress", "runner description"]
        #expect(declared.isSubset(of: native), "native: \(native.sorted())")
        #expect(declared.isSubset(of: plugin), "plugin: \(plugin.sorted())")
        // The plugin's schema has attributes the native types do not model (tags_all, computed from tags): those
        // are the only extra findings allowed.
        #expect(native.subtracting(declared).isEmpty, "native extra: \(native.subtracting(declared).sorted())")
        #expect(plugin.subtracting(declared).allSatisfy { $0.hasSuffix(" tags_all") },
                "plugin extra: \(plugin.subtracting(declared).sorted())")
    }
}
