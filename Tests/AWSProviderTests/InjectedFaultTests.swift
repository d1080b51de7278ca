import AWSProvider
import ProviderKit
import TendModel
import Testing

/// A whole stack created through a proxy that breaks a fifth of all requests (answers lost after the create was
/// carried out, 503s, dropped connections, throttling), driven by the engine's contract: every type ends with
/// exactly one object, converged, and no retried create ever trips over its own earlier attempt
/// (`InvalidSubnet.Conflict`, `InvalidPermission.Duplicate`, `InvalidGroup.Duplicate`).
@Suite(.serialized) struct InjectedFaultTests {
    static let ownCollisions: Set<String> = ["InvalidSubnet.Conflict", "InvalidPermission.Duplicate", "InvalidGroup.Duplicate",
                                             "EntityAlreadyExists", "BucketAlreadyOwnedByYou", "TendDuplicate"]

    /// Seeds whose faults hit CreateVpc, CreateSubnet, CreateSecurityGroup, RunInstances and CreateBucket among others.
    @Test(arguments: [UInt64(1), 6, 8])
    func aStackCreatedUnderTwentyPercentFaultsEndsWithOneObjectEach(seed: UInt64) async throws {
        let world = try FaultWorld()
        let image = try await world.imageID()
        let driver = ContractDriver(provider: world.provider, context: world.context)
        let plan = { (type: String, declared: [String: Value]) in
            try await world.provider.plan(type: type, desired: declared, context: world.context)
        }
        world.proxy.setRule(FaultProxy.random(rate: 0.2, seed: seed, faults: [.answerLost, .refusedWith503, .connectionDropped, .throttled]))

        let vpc = try await driver.create("aws_vpc", ResourceAddress(name: "network"), try await plan("aws_vpc", [
            "cidr_block": .string("10.0.0.0/16"), "enable_dns_hostnames": .bool(true), "tags": .map(["Name": .string("network")]),
        ]))
        var subnets: [String] = []
        for (name, cidr) in [("public_a", "10.0.1.0/24"), ("public_b", "10.0.2.0/24")] {
            subnets.append(try await driver.create("aws_subnet", ResourceAddress(name: name), try await plan("aws_subnet", [
                "vpc_id": .string(vpc.id), "cidr_block": .string(cidr), "map_public_ip_on_launch": .bool(true),
            ])).id)
        }
        let group = try await driver.create("aws_security_group", ResourceAddress(name: "web"), try await plan("aws_security_group", [
            "name": .string("web"), "vpc_id": .string(vpc.id),
            "ingress": .list([EC2TestWorld.rule("tcp", 443, 443, ["0.0.0.0/0"]), EC2TestWorld.rule("tcp", 22, 22, ["10.0.0.0/8"])]),
            "egress": .list([EC2TestWorld.rule("tcp", 443, 443, ["0.0.0.0/0"])]),
        ]))
        let bucket = try await driver.create("aws_s3_bucket", ResourceAddress(name: "logs"), try await plan("aws_s3_bucket", [
            "bucket": .string("tend-faults-logs"), "versioning": .bool(true), "tags": .map(["team": .string("platform")]),
        ]))
        let role = try await driver.create("aws_iam_role", ResourceAddress(name: "app"), try await plan("aws_iam_role", [
            "name": .string("app"), "assume_role_policy": .string(S3IAMFixture.trustPolicy), "tags": .map(["team": .string("platform")]),
        ]))
        let instance = try await driver.create("aws_instance", ResourceAddress(name: "server"), try await plan("aws_instance", [
            "ami": .string(image), "instance_type": .string("t2.micro"), "subnet_id": .string(subnets[0]),
            "vpc_security_group_ids": .list([.string(group.id)]),
        ]))
        world.proxy.setRule { _ in nil }

        #expect(driver.errors.contains { !$0.wasNotSent }, "some outcome was unknown and had to be resolved")
        #expect(try await world.ids("aws_vpc") == [vpc.id])
        #expect(try await world.ids("aws_subnet") == subnets.sorted())
        #expect(try await world.ids("aws_security_group") == [group.id])
        #expect(try await world.ids("aws_s3_bucket") == [bucket.id])
        #expect(try await world.ids("aws_iam_role") == [role.id])
        #expect(try await world.ids("aws_instance") == [instance.id])
        let collisions = driver.errors.filter { Self.ownCollisions.contains($0.remoteCode ?? "") }
        #expect(collisions.isEmpty, "\(collisions)")

        let observedGroup = try await world.provider.observe(type: "aws_security_group", id: group.id, prior: group.attributes, context: world.context)
        #expect(observedGroup?["ingress"]?.elements?.count == 2)
        #expect(observedGroup?["egress"]?.elements?.count == 1)
        let observedVPC = try await world.provider.observe(type: "aws_vpc", id: vpc.id, prior: vpc.attributes, context: world.context)
        #expect(observedVPC?["enable_dns_hostnames"] == .bool(true))
        let observedBucket = try await world.provider.observe(type: "aws_s3_bucket", id: bucket.id, prior: bucket.attributes, context: world.context)
        #expect(observedBucket?["versioning"] == .bool(true))
        #expect(observedBucket?["tags"] == .map(["team": .string("platform")]))
    }
}
