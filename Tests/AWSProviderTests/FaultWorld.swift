import AWSProvider
import Foundation
import ProviderKit
import ProviderKitTesting
import TendModel

/// A moto_server, a `FaultProxy` in front of it, an aws provider that talks through the proxy, and a session that
/// talks to moto directly (no proxy) to count what really exists. Both are stopped when released.
final class FaultWorld: Sendable {
    let moto: MotoServer
    let proxy: FaultProxy
    let provider: AWSProvider
    let context: ProviderContext
    let direct: AWSSession

    init(stack: String = "fault-tests") throws {
        moto = try MotoServer()
        proxy = try FaultProxy(upstreamPort: moto.port)
        var environment = moto.environment
        environment["AWS_ENDPOINT_URL"] = proxy.endpoint
        provider = AWSProvider(environment: environment, homeDirectory: nil)
        context = ProviderContext(baseDirectory: NSTemporaryDirectory(), stack: stack)
        let configuration = try AWSConfiguration.resolve(block: [:], environment: moto.environment, homeDirectory: nil)
        // Retries only what is safe to send twice: reads (moto's first DescribeImages can be slow on a busy machine).
        direct = AWSSession(configuration: configuration, maxRetries: 3, clock: { Date() })
    }

    deinit {
        proxy.stop()
        moto.stop()
    }

    /// One EC2 call straight to moto.
    @discardableResult
    func ec2(_ action: String, _ parameters: [String: String] = [:]) async throws -> XMLNode {
        try await direct.query(service: "ec2", version: "2016-11-15", action: action, parameters: parameters)
    }

    /// The ids of every object of `type` moto holds, leaving out the ones moto makes by itself (the default VPC,
    /// its subnets, every VPC's default group), and instances that are terminated.
    func ids(_ type: String) async throws -> [String] {
        switch type {
        case "aws_vpc":
            return try await ec2("DescribeVpcs").descendants("item").filter { $0.string("isDefault") == "false" }
                .compactMap { $0.string("vpcId") }.sorted()
        case "aws_subnet":
            return try await ec2("DescribeSubnets").descendants("item").filter { $0.string("defaultForAz") == "false" }
                .compactMap { $0.string("subnetId") }.sorted()
        case "aws_security_group":
            let groups = try await ec2("DescribeSecurityGroups").child("securityGroupInfo")?.items ?? []
            return groups.filter { $0.string("groupName") != "default" }.compactMap { $0.string("groupId") }.sorted()
        case "aws_instance":
            let live = ["Filter.1.Name": "instance-state-name", "Filter.1.Value.1": "pending", "Filter.1.Value.2": "running",
                        "Filter.1.Value.3": "stopping", "Filter.1.Value.4": "stopped"]
            return try await ec2("DescribeInstances", live).descendants("instancesSet").flatMap(\.items)
                .compactMap { $0.string("instanceId") }.sorted()
        case "aws_s3_bucket":
            let response = try await direct.rest(service: "s3", method: "GET", path: "/", operation: "s3:ListBuckets")
            return (XMLNode.parse(response.body)?.descendants("Bucket") ?? []).compactMap { $0.string("Name") }.sorted()
        case "aws_iam_role":
            let roles = try await direct.query(service: "iam", version: "2010-05-08", action: "ListRoles", parameters: [:])
            return roles.descendants("RoleName").map(\.text).sorted()
        default:
            return []
        }
    }

    /// A VPC made straight in moto, for the types that live in one.
    func makeVPC(cidr: String = "10.0.0.0/16") async throws -> String {
        let created = try await ec2("CreateVpc", ["CidrBlock": cidr])
        guard let id = created.descendants("vpcId").first?.text else { throw ProviderError(.failed, "moto made no VPC") }
        return id
    }

    /// An image moto knows.
    func imageID() async throws -> String {
        guard let id = try await ec2("DescribeImages", ["Owner.1": "amazon"]).descendants("imageId").first?.text else {
            throw ProviderError(.failed, "moto lists no images")
        }
        return id
    }

    /// A sample of `type` ready to create (planned through the provider while the proxy breaks nothing), with the
    /// test that picks its create request out of the traffic.
    func sample(_ type: String) async throws -> FaultSample {
        let address = ResourceAddress(name: "main")
        let declared: [String: Value]
        let isCreate: @Sendable (FaultProxy.Request) -> Bool
        switch type {
        case "aws_vpc":
            declared = ["cidr_block": .string("10.0.0.0/16"), "tags": .map(["Name": .string("main")])]
            isCreate = { $0.action == "CreateVpc" }
        case "aws_subnet":
            declared = ["vpc_id": .string(try await makeVPC()), "cidr_block": .string("10.0.1.0/24"),
                        "availability_zone": .string("us-east-1a")]
            isCreate = { $0.action == "CreateSubnet" }
        case "aws_security_group":
            declared = ["name": .string("web"), "vpc_id": .string(try await makeVPC()),
                        "ingress": .list([EC2TestWorld.rule("tcp", 443, 443, ["0.0.0.0/0"])])]
            isCreate = { $0.action == "CreateSecurityGroup" }
        case "aws_instance":
            declared = ["ami": .string(try await imageID()), "instance_type": .string("t2.micro")]
            isCreate = { $0.action == "RunInstances" }
        case "aws_s3_bucket":
            declared = ["bucket": .string("tend-fault-main"), "tags": .map(["team": .string("a")])]
            isCreate = { $0.method == "PUT" && $0.target == "/tend-fault-main" }
        default:
            declared = ["name": .string("main"), "assume_role_policy": .string(S3IAMFixture.trustPolicy)]
            isCreate = { $0.action == "CreateRole" }
        }
        let planned = try await provider.plan(type: type, desired: declared, context: context)
        return FaultSample(type: type, address: address, desired: planned, isCreate: isCreate)
    }
}

/// One object to create through the proxy.
struct FaultSample: Sendable {
    var type: String
    var address: ResourceAddress
    var desired: [String: Value]
    var isCreate: @Sendable (FaultProxy.Request) -> Bool
}
