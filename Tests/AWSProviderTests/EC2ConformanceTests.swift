import AWSProvider
import ProviderKit
import ProviderKitTesting
import TendModel
import Testing

/// The provider conformance suite against moto_server, for each EC2 type.
@Suite struct EC2ConformanceTests {
    private typealias World = EC2TestWorld

    private func run(_ world: World, _ sample: ConformanceCase) async -> [ConformanceFailure] {
        await ConformanceSuite(provider: world.provider, context: world.context, cases: [sample]).run()
    }

    @Test func vpcConforms() async throws {
        let world = try World()
        let sample = ConformanceCase(
            type: "aws_vpc", address: ResourceAddress(name: "network"),
            desired: ["cidr_block": .string("10.1.0.0/16"), "tags": .map(["Name": .string("network")])],
            updated: ["cidr_block": .string("10.1.0.0/16"), "enable_dns_hostnames": .bool(true), "enable_dns_support": .bool(true),
                      "tags": .map(["Name": .string("network"), "env": .string("prod")])],
            unknownID: "vpc-00000000000000000", invalidDesired: ["cidr_block": .string("not-a-cidr")])
        let failures = await run(world, sample)
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }

    @Test func subnetConforms() async throws {
        let world = try World()
        let vpc = try await world.makeVPC()
        let sample = ConformanceCase(
            type: "aws_subnet", address: ResourceAddress(name: "public", key: .index(0)),
            desired: ["vpc_id": .string(vpc), "cidr_block": .string("10.0.1.0/24"), "availability_zone": .string("us-east-1a")],
            updated: ["vpc_id": .string(vpc), "cidr_block": .string("10.0.1.0/24"), "availability_zone": .string("us-east-1a"),
                      "map_public_ip_on_launch": .bool(true), "tags": .map(["tier": .string("public")])],
            unknownID: "subnet-00000000000000000",
            invalidDesired: ["vpc_id": .string(vpc), "cidr_block": .string("not-a-cidr")])
        let failures = await run(world, sample)
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }

    @Test func securityGroupConforms() async throws {
        let world = try World()
        let vpc = try await world.makeVPC()
        let sample = ConformanceCase(
            type: "aws_security_group", address: ResourceAddress(name: "web"),
            desired: ["name": .string("web"), "vpc_id": .string(vpc),
                      "ingress": .list([World.rule("tcp", 443, 443, ["0.0.0.0/0"], "https"), World.rule("tcp", 22, 22, ["10.0.0.0/8"])]),
                      "egress": .list([World.rule("-1", 0, 0, ["0.0.0.0/0"])])],
            updated: ["name": .string("web"), "vpc_id": .string(vpc),
                      "ingress": .list([World.rule("tcp", 443, 443, ["0.0.0.0/0"], "https"), World.rule("udp", 53, 53, ["10.0.0.0/8"])]),
                      "egress": .list([World.rule("tcp", 443, 443, ["0.0.0.0/0"])]),
                      "tags": .map(["role": .string("web")])],
            unknownID: "sg-00000000000000000",
            invalidDesired: ["name": .string("broken"), "vpc_id": .string(vpc), "ingress": .list([World.rule("tcp", 80, 80, ["10.0.0.0/33"])])])
        let failures = await run(world, sample)
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }

    @Test func instanceConforms() async throws {
        let world = try World()
        let image = try await world.imageID()
        let sample = ConformanceCase(
            type: "aws_instance", address: ResourceAddress(name: "app", key: .string("a")),
            desired: ["ami": .string(image), "instance_type": .string("t2.micro"), "tags": .map(["Name": .string("app")])],
            updated: ["ami": .string(image), "instance_type": .string("t3.small"), "tags": .map(["Name": .string("app-2")])],
            unknownID: "i-00000000000000000",
            invalidDesired: ["ami": .string(image), "instance_type": .string("t2.micro"), "subnet_id": .string("subnet-00000000000000000")])
        let failures = await run(world, sample)
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }
}
