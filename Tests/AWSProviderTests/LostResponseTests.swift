import AWSProvider
import ProviderKit
import TendModel
import Testing

/// Issue 9, defect 6: a create whose answer was lost is never sent again blindly. Through a proxy that breaks
/// chosen requests, create fails as transient without claiming nothing was sent; `recover` then finds exactly the
/// object the lost create made (moto, asked directly, holds one), or nil when nothing was made.
@Suite(.serialized) struct LostResponseTests {
    static let types = ["aws_vpc", "aws_subnet", "aws_security_group", "aws_instance", "aws_s3_bucket", "aws_iam_role"]

    @Test(arguments: types)
    func recoversTheOneObjectACreateWithALostAnswerMade(type: String) async throws {
        let world = try FaultWorld()
        let sample = try await world.sample(type)
        let before = try await world.ids(type)
        world.proxy.setRule(FaultProxy.first(1, .answerLost, where: sample.isCreate))

        let error = await #expect(throws: ProviderError.self) {
            try await world.provider.create(type: type, address: sample.address, desired: sample.desired, context: world.context)
        }
        #expect(error?.isTransient == true)
        #expect(error?.wasNotSent == false, "the create may have been carried out")
        #expect(world.proxy.faults.count == 1)

        let found = try #require(try await world.provider.recover(type: type, address: sample.address, desired: sample.desired,
                                                                  context: world.context))
        let made = try await world.ids(type).filter { !before.contains($0) }
        #expect(made == [found.id], "moto holds exactly the one object the lost create made")
    }

    @Test(arguments: types)
    func recoversNothingWhenTheLostCreateWasNeverCarriedOut(type: String) async throws {
        let world = try FaultWorld()
        let sample = try await world.sample(type)
        let before = try await world.ids(type)
        world.proxy.setRule(FaultProxy.first(1, .refusedWith503, where: sample.isCreate))

        let error = await #expect(throws: ProviderError.self) {
            try await world.provider.create(type: type, address: sample.address, desired: sample.desired, context: world.context)
        }
        #expect(error?.isTransient == true)
        #expect(error?.wasNotSent == false, "a 503 does not say whether the create was carried out")

        let found = try await world.provider.recover(type: type, address: sample.address, desired: sample.desired, context: world.context)
        #expect(found == nil)
        #expect(try await world.ids(type) == before)
    }

    @Test func recoversAVPCWhoseConnectionDroppedAfterTheCreate() async throws {
        let world = try FaultWorld()
        let sample = try await world.sample("aws_vpc")
        world.proxy.setRule(FaultProxy.first(1, .connectionDropped, where: sample.isCreate))

        let error = await #expect(throws: ProviderError.self) {
            try await world.provider.create(type: "aws_vpc", address: sample.address, desired: sample.desired, context: world.context)
        }
        #expect(error?.isTransient == true)
        #expect(error?.wasNotSent == false)
        let found = try #require(try await world.provider.recover(type: "aws_vpc", address: sample.address, desired: sample.desired,
                                                                  context: world.context))
        #expect(try await world.ids("aws_vpc") == [found.id])
    }

    @Test func sendsAThrottledCreateAgainAndCountsTheRetries() async throws {
        let world = try FaultWorld()
        let sample = try await world.sample("aws_vpc")
        world.proxy.setRule(FaultProxy.first(2, .throttled, where: sample.isCreate))
        let retriesBefore = await world.provider.retryCount()

        let created = try await world.provider.create(type: "aws_vpc", address: sample.address, desired: sample.desired, context: world.context)
        #expect(try await world.ids("aws_vpc") == [created.id])
        #expect(await world.provider.retryCount() - retriesBefore == 2)
    }

    /// A later step that was throttled (so not carried out) must not make the whole create claim nothing was sent:
    /// CreateVpc was, and the engine would forget the VPC.
    @Test func aFailedStepAfterTheObjectExistsNeverClaimsNothingWasSent() async throws {
        let world = try FaultWorld()
        var sample = try await world.sample("aws_vpc")
        sample.desired["enable_dns_hostnames"] = .bool(true)
        world.proxy.setRule(FaultProxy.first(5, .throttled) { $0.action == "ModifyVpcAttribute" })

        let error = await #expect(throws: ProviderError.self) {
            try await world.provider.create(type: "aws_vpc", address: sample.address, desired: sample.desired, context: world.context)
        }
        #expect(error?.isTransient == true)
        #expect(error?.wasNotSent == false)
        let found = try #require(try await world.provider.recover(type: "aws_vpc", address: sample.address, desired: sample.desired,
                                                                  context: world.context))
        #expect(try await world.ids("aws_vpc") == [found.id])
        let updated = try await world.provider.update(type: "aws_vpc", id: found.id, current: found.attributes, desired: sample.desired,
                                                      context: world.context)
        #expect(updated["enable_dns_hostnames"] == .bool(true))
    }

    /// A create that failed before sending anything that changes something (its look-up for an earlier copy got
    /// 503s) made nothing: its error says so, and the engine creates again without looking.
    @Test func aCreateThatOnlyFailedToReadSaysNothingWasSent() async throws {
        let world = try FaultWorld()
        let sample = try await world.sample("aws_vpc")
        world.proxy.setRule(FaultProxy.first(5, .refusedWith503) { $0.action == "DescribeVpcs" })

        let error = await #expect(throws: ProviderError.self) {
            try await world.provider.create(type: "aws_vpc", address: sample.address, desired: sample.desired, context: world.context)
        }
        #expect(error?.isTransient == true)
        #expect(error?.wasNotSent == true)
        #expect(try await world.ids("aws_vpc") == [])
        #expect(!world.proxy.faults.isEmpty)
    }

    @Test func refusesToAdoptAGroupOfTheSameNameTendDidNotMake() async throws {
        let world = try FaultWorld()
        let sample = try await world.sample("aws_security_group")
        let vpc = sample.desired["vpc_id"]?.stringValue ?? ""
        try await world.ec2("CreateSecurityGroup", ["GroupName": "web", "GroupDescription": "not tend's", "VpcId": vpc])

        let error = await #expect(throws: ProviderError.self) {
            try await world.provider.create(type: "aws_security_group", address: sample.address, desired: sample.desired,
                                            context: world.context)
        }
        #expect(error?.code == .conflict)
        #expect(error?.remoteCode == "InvalidGroup.Duplicate")
        #expect(try await world.provider.recover(type: "aws_security_group", address: sample.address, desired: sample.desired,
                                                 context: world.context) == nil)
    }

    @Test func refusesToAdoptASubnetOfTheSameBlockTendDidNotMake() async throws {
        let world = try FaultWorld()
        let sample = try await world.sample("aws_subnet")
        let vpc = sample.desired["vpc_id"]?.stringValue ?? ""
        try await world.ec2("CreateSubnet", ["VpcId": vpc, "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"])

        let error = await #expect(throws: ProviderError.self) {
            try await world.provider.create(type: "aws_subnet", address: sample.address, desired: sample.desired, context: world.context)
        }
        #expect(error?.code == .conflict)
        #expect(error?.remoteCode == "InvalidSubnet.Conflict")
        #expect(error?.message.contains("something other than tend") == true, "\(String(describing: error))")
    }

    @Test func adoptsAnUntaggedBucketMadeMomentsAgoThenOnlyForTheAddressThatTaggedIt() async throws {
        let world = try FaultWorld()
        let sample = try await world.sample("aws_s3_bucket")
        _ = try await world.direct.rest(service: "s3", method: "PUT", path: "/tend-fault-main", operation: "s3:CreateBucket")
        // Made just now, so it could be ours: adopted and tagged.
        let adopted = try #require(try await world.provider.recover(type: "aws_s3_bucket", address: sample.address,
                                                                    desired: sample.desired, context: world.context))
        #expect(adopted.id == "tend-fault-main")
        // Tagged for this address now: another address of the stack may not take it.
        let other = ResourceAddress(name: "other")
        let error = await #expect(throws: ProviderError.self) {
            try await world.provider.recover(type: "aws_s3_bucket", address: other, desired: sample.desired, context: world.context)
        }
        #expect(error?.code == .conflict)
    }
}
