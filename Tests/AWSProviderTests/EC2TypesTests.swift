import AWSProvider
import ProviderKit
import TendModel
import Testing

/// EC2 types against moto_server: drift is observed exactly, bulk reads are batched, creates are retry-safe,
/// and AWS's errors keep their codes.
@Suite struct EC2TypesTests {
    private typealias World = EC2TestWorld

    @Test func observesATagChangedBehindTendsBackAndNeverShowsTendTags() async throws {
        let world = try World()
        let vpc = try await world.create("aws_vpc", "network", ["cidr_block": .string("10.0.0.0/16"),
                                                                "tags": .map(["Name": .string("network"), "team": .string("a")])])
        #expect(vpc.attributes["tags"] == .map(["Name": .string("network"), "team": .string("a")]))
        try await world.raw("CreateTags", ["ResourceId.1": vpc.id, "Tag.1.Key": "team", "Tag.1.Value": "b"])

        let observed = try #require(try await world.observe("aws_vpc", vpc))
        #expect(observed["tags"] == .map(["Name": .string("network"), "team": .string("b")]))
        #expect(observed["cidr_block"] == .string("10.0.0.0/16"))
        #expect(observed["enable_dns_support"] == .bool(true))
        #expect(observed["enable_dns_hostnames"] == .bool(false))
        #expect(observed["arn"] == .string("arn:aws:ec2:us-east-1:123456789012:vpc/\(vpc.id)"))
        let raw = try await world.raw("DescribeVpcs", ["VpcId.1": vpc.id])
        #expect(raw.descendants("key").map(\.text).contains("tend:address"))
    }

    @Test func observesAnIngressRuleAddedBehindTendsBackWhateverTheOrder() async throws {
        let world = try World()
        let vpc = try await world.makeVPC()
        let declared: [String: Value] = [
            "name": .string("web"), "vpc_id": .string(vpc),
            "ingress": .list([World.rule("TCP", 443, 443, ["10.0.0.0/8", "0.0.0.0/0"], "https"), World.rule("all", 7, 9, ["10.1.0.0/16"])]),
        ]
        let reordered: [String: Value] = [
            "name": .string("web"), "vpc_id": .string(vpc),
            "ingress": .list([World.rule("-1", 0, 0, ["10.1.0.0/16"]), World.rule("tcp", 443, 443, ["0.0.0.0/0"], "https"),
                              World.rule("tcp", 443, 443, ["10.0.0.0/8"], "https")]),
        ]
        let planned = try await world.provider.plan(type: "aws_security_group", desired: declared, context: world.context)
        let plannedReordered = try await world.provider.plan(type: "aws_security_group", desired: reordered, context: world.context)
        #expect(planned["ingress"] == plannedReordered["ingress"])

        let group = try await world.create("aws_security_group", "web", declared)
        let before = try #require(try await world.observe("aws_security_group", group))
        #expect(before["ingress"] == planned["ingress"])
        #expect(before["egress"] == nil, "egress is not declared, so it is not managed")

        try await world.raw("AuthorizeSecurityGroupIngress", [
            "GroupId": group.id, "IpPermissions.1.IpProtocol": "tcp", "IpPermissions.1.FromPort": "22",
            "IpPermissions.1.ToPort": "22", "IpPermissions.1.IpRanges.1.CidrIp": "192.168.0.0/16",
        ])
        let after = try #require(try await world.observe("aws_security_group", group))
        guard case let .set(observedRules)? = after["ingress"], case let .set(plannedRules)? = planned["ingress"] else {
            Issue.record("ingress is not a set: \(String(describing: after["ingress"]))")
            return
        }
        let added = observedRules.elements.filter { !plannedRules.contains($0) }
        #expect(added == [.map(["protocol": .string("tcp"), "from_port": .number(22), "to_port": .number(22),
                                "cidr_blocks": .set(of: [.string("192.168.0.0/16")])])])

        let updated = try await world.provider.update(type: "aws_security_group", id: group.id, current: after, desired: planned,
                                                      context: world.context)
        #expect(updated["ingress"] == planned["ingress"])
    }

    @Test func declaredEgressReplacesTheDefaultAllowAllRule() async throws {
        let world = try World()
        let vpc = try await world.makeVPC()
        let group = try await world.create("aws_security_group", "locked", [
            "name": .string("locked"), "vpc_id": .string(vpc), "egress": .list([World.rule("tcp", 443, 443, ["0.0.0.0/0"])]),
        ])
        let observed = try #require(try await world.observe("aws_security_group", group))
        #expect(observed["egress"] == .set(of: [World.rule("tcp", 443, 443, ["0.0.0.0/0"])]))
        let open = try await world.create("aws_security_group", "open", ["name": .string("open"), "vpc_id": .string(vpc)])
        let raw = try await world.raw("DescribeSecurityGroups", ["GroupId.1": open.id])
        #expect(raw.descendants("ipPermissionsEgress").first?.items.count == 1, "undeclared egress keeps AWS's default rule")
    }

    @Test func readsTwentyVPCsInOneRequestAndSkipsAMissingOne() async throws {
        let world = try World()
        var priors: [String: [String: Value]] = [:]
        for index in 0..<19 {
            let created = try await world.raw("CreateVpc", ["CidrBlock": "10.\(index).0.0/16"])
            let id = try #require(created.path("vpc", "vpcId")?.text)
            priors[id] = ["cidr_block": .string("10.\(index).0.0/16"), "enable_dns_hostnames": .bool(true)]
        }
        let present = priors
        priors["vpc-00000000000000000"] = ["cidr_block": .string("10.99.0.0/16")]
        _ = try await world.provider.list(type: "aws_vpc", context: world.context)

        // As a refresh asks: every VPC declares its CIDR block and tags, none its DNS settings.
        var scoped = world.context
        scoped.declaredAttributes = priors.mapValues { _ in ["cidr_block", "tags"] }
        let start = await world.provider.requestCount()
        let observed = try #require(try await world.provider.observe(type: "aws_vpc", priors: priors, context: scoped))
        #expect(await world.provider.requestCount() - start <= 2)
        #expect(Set(observed.keys) == Set(present.keys))
        for (id, attributes) in observed {
            #expect(attributes["cidr_block"] == present[id]?["cidr_block"])
            #expect(attributes["enable_dns_hostnames"] == .bool(true), "undeclared DNS settings are reported as recorded")
        }

        let noOp = await world.provider.requestCount()
        _ = try await world.provider.observe(type: "aws_vpc", priors: present, context: scoped)
        #expect(await world.provider.requestCount() - noOp == 1)

        // A VPC declaring enable_dns_hostnames has it read (one DescribeVpcAttribute), and AWS's false shows.
        let declaring = try #require(present.keys.sorted().first)
        scoped.declaredAttributes?[declaring] = ["cidr_block", "enable_dns_hostnames"]
        let before = await world.provider.requestCount()
        let read = try #require(try await world.provider.observe(type: "aws_vpc", priors: present, context: scoped))
        #expect(await world.provider.requestCount() - before == 2)
        #expect(read[declaring]?["enable_dns_hostnames"] == .bool(false))
        #expect(read.filter { $0.key != declaring }.allSatisfy { $0.value["enable_dns_hostnames"] == .bool(true) })

        // Unknown declarations (import, accept): everything is read, both DNS settings of every VPC.
        let whole = await world.provider.requestCount()
        let everything = try #require(try await world.provider.observe(type: "aws_vpc", priors: present, context: world.context))
        #expect(await world.provider.requestCount() - whole == 1 + 2 * present.count)
        #expect(everything.values.allSatisfy { $0["enable_dns_hostnames"] == .bool(false) && $0["enable_dns_support"] == .bool(true) })
    }

    @Test(arguments: ["aws_subnet", "aws_security_group", "aws_instance"])
    func bulkReadsSkipMissingIDs(type: String) async throws {
        let world = try World()
        let vpc = try await world.makeVPC()
        let desired: [String: Value]
        switch type {
        case "aws_subnet": desired = ["vpc_id": .string(vpc), "cidr_block": .string("10.0.3.0/24")]
        case "aws_security_group": desired = ["name": .string("bulk"), "vpc_id": .string(vpc)]
        default: desired = ["ami": .string(try await world.imageID()), "instance_type": .string("t2.micro")]
        }
        let created = try await world.create(type, "bulk", desired)
        let missing = ["aws_subnet": "subnet-00000000000000000", "aws_security_group": "sg-00000000000000000"][type] ?? "i-00000000000000000"
        let start = await world.provider.requestCount()
        let observed = try #require(try await world.provider.observe(type: type, priors: [created.id: created.attributes, missing: [:]],
                                                                     context: world.context))
        #expect(await world.provider.requestCount() - start <= 2)
        #expect(Array(observed.keys) == [created.id])
    }

    @Test func twoCreatesOfOneAddressLaunchOneInstance() async throws {
        let world = try World()
        let desired: [String: Value] = ["ami": .string(try await world.imageID()), "instance_type": .string("t2.micro")]
        let first = try await world.create("aws_instance", "worker", desired)
        let second = try await world.create("aws_instance", "worker", desired)
        #expect(first.id == second.id)
        let tagged = try await world.raw("DescribeInstances", ["Filter.1.Name": "tag:tend:address", "Filter.1.Value.1": "worker"])
        #expect(tagged.descendants("instanceId").map(\.text) == [first.id])
        let token = try #require(tagged.descendants("clientToken").first?.text)
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))

        try await world.provider.delete(type: "aws_instance", id: first.id, current: first.attributes, context: world.context)
        #expect(try await world.observe("aws_instance", first) == nil)
        #expect(try await world.provider.list(type: "aws_instance", context: world.context)?.contains(first.id) == false)
    }

    @Test func recoversAnObjectByItsTags() async throws {
        let world = try World()
        let vpc = try await world.create("aws_vpc", "lost", ["cidr_block": .string("10.2.0.0/16")])
        let found = try await world.provider.recover(type: "aws_vpc", address: ResourceAddress(name: "lost"), desired: [:], context: world.context)
        #expect(found?.id == vpc.id)
        let other = try await world.provider.recover(type: "aws_vpc", address: ResourceAddress(name: "other"), desired: [:], context: world.context)
        #expect(other == nil)
    }

    @Test func invalidCIDRIsATerminalErrorWithTheAWSCode() async throws {
        let world = try World()
        do {
            _ = try await world.create("aws_vpc", "bad", ["cidr_block": .string("not-a-cidr")])
            Issue.record("an invalid CIDR was accepted")
        } catch let error as ProviderError {
            #expect(!error.isTransient)
            #expect(error.code == .invalidInput)
            #expect(error.remoteCode == "InvalidParameterValue")
            #expect(error.message.contains("aws_vpc bad"))
        }
    }

    @Test func deletingAVPCWithSubnetsIsATerminalDependencyViolation() async throws {
        let world = try World()
        let vpc = try await world.makeVPC()
        _ = try await world.create("aws_subnet", "inner", ["vpc_id": .string(vpc), "cidr_block": .string("10.0.9.0/24")])
        do {
            try await world.provider.delete(type: "aws_vpc", id: vpc, current: [:], context: world.context)
            Issue.record("a VPC with a subnet was deleted")
        } catch let error as ProviderError {
            #expect(!error.isTransient)
            #expect(error.remoteCode == "DependencyViolation")
            #expect(error.message.contains("aws_vpc \(vpc)"))
        }
    }
}
