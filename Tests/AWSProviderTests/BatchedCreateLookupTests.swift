import AWSProvider
import Foundation
import ProviderKit
import ProviderKitTesting
import TendModel
import Testing

/// Issue 12, part 6: an apply of many objects does not send a lookup per object before creating it. Buckets in
/// us-east-1 are told new from one ListBuckets per session; VPCs, subnets and security groups look for copies an
/// interrupted run left in one listing of the stack's tagged objects after the first two creates of their kind.
/// Requests are counted at moto's own recorder; safety is checked the same way: copies are still adopted, a name
/// declared twice is still a conflict, and a deleted object is never taken for the one being created.
@Suite struct BatchedCreateLookupTests {
    /// The recorded requests of one kind: S3 by method and query parameter, EC2 by action.
    private static func s3(_ requests: [MotoServer.RecordedRequest], _ method: String, bucketPath: Bool, query: String? = nil) -> Int {
        requests.filter { request in
            guard request.method == method, let url = URLComponents(string: request.url) else { return false }
            let hasBucket = url.path.count > 1
            let matchesQuery = query.map { request.hasQueryParameter($0) } ?? (url.queryItems ?? []).isEmpty
            return hasBucket == bucketPath && matchesQuery
        }.count
    }

    @Test func manyBucketsInUSEast1CostOneListingAndTwoRequestsEach() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try S3IAMFixture(recording: URL(fileURLWithPath: directory.path + "/requests.jsonl"))
        for index in 0..<6 {
            let created = try await fixture.create("aws_s3_bucket", "b\(index)", ["bucket": .string("tend-batched-\(index)"),
                                                                                   "tags": .map(["n": .string("\(index)")])])
            #expect(created.id == "tend-batched-\(index)")
        }
        let requests = try fixture.server.recordedRequests()
        #expect(Self.s3(requests, "GET", bucketPath: false) == 1, "one ListBuckets for the session")
        #expect(Self.s3(requests, "PUT", bucketPath: true) == 6, "one CreateBucket each")
        #expect(Self.s3(requests, "PUT", bucketPath: true, query: "tagging") == 6, "one PutBucketTagging each")
        #expect(Self.s3(requests, "GET", bucketPath: true, query: "tagging") == 0, "no tag reads for buckets that are new")
        #expect(requests.count == 13)
    }

    @Test func aBucketThatExistedBeforeTheSessionIsStillCheckedAndAnotherAddressesBucketRefused() async throws {
        let fixture = try S3IAMFixture()
        // Made by tend for another address of the stack before this session started.
        _ = try await fixture.session.rest(service: "s3", method: "PUT", path: "/tend-older", operation: "s3:CreateBucket")
        try await fixture.putBucketTags("tend-older", ["tend:stack": "s3iam-test", "tend:address": "elsewhere"])
        _ = try await fixture.create("aws_s3_bucket", "fresh", ["bucket": .string("tend-fresh")])
        let error = await #expect(throws: ProviderError.self, "listed before the create, so its tags are read and refuse it") {
            _ = try await fixture.create("aws_s3_bucket", "mine", ["bucket": .string("tend-older")])
        }
        #expect(error?.code == .conflict)
    }

    /// A VPC made straight through the API with tend's tags for `address`, as a create whose run was killed leaves it.
    private static func leftBehindVPC(_ world: EC2World, address: String) async throws -> String {
        let response = try await world.session.query(service: "ec2", version: "2016-11-15", action: "CreateVpc", parameters: [
            "CidrBlock": "10.9.0.0/16", "TagSpecification.1.ResourceType": "vpc",
            "TagSpecification.1.Tag.1.Key": "tend:stack", "TagSpecification.1.Tag.1.Value": world.context.stack,
            "TagSpecification.1.Tag.2.Key": "tend:address", "TagSpecification.1.Tag.2.Value": address,
        ])
        return try #require(response.child("vpc")?.string("vpcId"))
    }

    /// A recording moto, the provider and a raw session on it.
    final class EC2World: Sendable {
        let directory: TemporaryDirectory
        let server: MotoServer
        let provider: AWSProvider
        let session: AWSSession
        let context = ProviderContext(baseDirectory: "/nonexistent", stack: "batched-ec2")

        init() throws {
            directory = try TemporaryDirectory()
            server = try MotoServer(recording: URL(fileURLWithPath: directory.path + "/requests.jsonl"))
            provider = AWSProvider(environment: server.environment, homeDirectory: nil)
            let configuration = try AWSConfiguration.resolve(block: [:], environment: server.environment, homeDirectory: nil)
            session = AWSSession(configuration: configuration, clock: { Date() })
        }

        deinit {
            server.stop()
            directory.remove()
        }

        func create(_ type: String, _ name: String, _ desired: [String: Value]) async throws -> CreatedObject {
            let planned = try await provider.plan(type: type, desired: desired, context: context)
            return try await provider.create(type: type, address: ResourceAddress(name: name), desired: planned, context: context)
        }

        /// The DescribeVpcs requests recorded: those filtering by an address, and those by the stack only.
        func vpcLookups() throws -> (single: Int, listing: Int) {
            let describes = try server.recordedRequests().filter { $0.action == "DescribeVpcs" }
            let filters = describes.map { Self.formText($0) }
            let single = filters.filter { $0.contains("tag:tend:address") }.count
            let listing = filters.filter { $0.contains("tag:tend:stack") && !$0.contains("tag:tend:address") }.count
            return (single, listing)
        }

        /// A recorded form body, base64 and percent-encoding undone.
        static func formText(_ request: MotoServer.RecordedRequest) -> String {
            let raw = request.bodyEncoded == true ? request.body.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
                : request.body
            return (raw ?? "").removingPercentEncoding ?? ""
        }
    }

    @Test func vpcCreatesAfterTheSecondLookInOneListingAndStillAdoptWhatAKilledRunLeft() async throws {
        let world = try EC2World()
        let left = try await Self.leftBehindVPC(world, address: "v4")
        try world.server.clearRecording()
        var ids: [String: String] = [:]
        let started = Date()
        for index in 0..<6 {
            ids["v\(index)"] = try await world.create("aws_vpc", "v\(index)", ["cidr_block": .string("10.\(index).0.0/16")]).id
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(ids["v4"] == left, "the VPC the killed run made is adopted, not duplicated")
        #expect(Set(ids.values).count == 6)
        let lookups = try world.vpcLookups()
        #expect(lookups.single == 2, "the first two creates look alone")
        // A listing is kept 60 s (AWSInventory.taggedLifetime): on a machine so loaded that the creates took longer,
        // it is rightly taken again once per 60 s; otherwise exactly once.
        if elapsed < 60 {
            #expect(lookups.listing == 1, "the other four share one listing of the stack's VPCs")
        } else {
            #expect(lookups.listing >= 1 && lookups.listing <= Int(elapsed / 60) + 1, "one listing per 60 s: \(lookups.listing) in \(elapsed) s")
        }
        let creates = try world.server.recordedRequests().filter { $0.action == "CreateVpc" }.count
        #expect(creates == 5)
    }

    @Test func aVPCDeletedInTheSessionIsNeverTakenForTheOneBeingCreated() async throws {
        let world = try EC2World()
        var created: [CreatedObject] = []
        for index in 0..<3 {
            created.append(try await world.create("aws_vpc", "n\(index)", ["cidr_block": .string("10.\(index).0.0/16")]))
        }
        // n0 is in the listing the third create took; deleting it (a replacement that destroys first) must not let
        // the next create of n0 adopt it.
        try await world.provider.delete(type: "aws_vpc", id: created[0].id, current: created[0].attributes, context: world.context)
        let again = try await world.create("aws_vpc", "n0", ["cidr_block": .string("10.0.0.0/16")])
        #expect(again.id != created[0].id)
        let vpcs = try await world.session.query(service: "ec2", version: "2016-11-15", action: "DescribeVpcs", parameters: [:])
        #expect(!vpcs.descendants("vpcId").map(\.text).contains(created[0].id))
    }
}
