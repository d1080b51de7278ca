import AWSProvider
import Foundation
import ProviderKit
import ProviderKitTesting
import TendModel
import Testing

/// aws_s3_bucket and aws_iam_role against a real moto_server: the conformance suite, drift, JSON
/// policies, force_destroy, batched reads and error classification.
@Suite struct S3IAMTypesTests {
    // MARK: - Conformance

    @Test func bucketConforms() async throws {
        let fixture = try S3IAMFixture()
        let desired: [String: Value] = ["bucket": .string("tend-conformance-bucket"), "tags": .map(["env": .string("test")])]
        var updated = desired
        updated["tags"] = .map(["env": .string("prod"), "team": .string("infra")])
        updated["versioning"] = .bool(true)
        let sample = ConformanceCase(type: "aws_s3_bucket", address: fixture.address("bucket"), desired: desired, updated: updated,
                                     unknownID: "tend-no-such-bucket", invalidDesired: ["bucket": .string("Invalid_Bucket!!")])
        let suite = ConformanceSuite(provider: fixture.provider, context: fixture.context, cases: [sample],
                                     errorProbes: [Self.unreachableEndpointProbe(type: "aws_s3_bucket")])
        let failures = await suite.run()
        #expect(failures == [])
    }

    @Test func roleConforms() async throws {
        let fixture = try S3IAMFixture()
        let desired: [String: Value] = ["name": .string("tend-conformance-role"), "assume_role_policy": .string(S3IAMFixture.trustPolicy),
                                        "description": .string("first"), "tags": .map(["env": .string("test")])]
        var updated = desired
        updated["description"] = .string("second")
        updated["max_session_duration"] = .number(7200)
        updated["tags"] = .map(["team": .string("infra")])
        let sample = ConformanceCase(type: "aws_iam_role", address: fixture.address("role"), desired: desired, updated: updated,
                                     unknownID: "tend-no-such-role",
                                     invalidDesired: ["name": .string("tend-bad-role"), "assume_role_policy": .string("not json")])
        let suite = ConformanceSuite(provider: fixture.provider, context: fixture.context, cases: [sample],
                                     errorProbes: [Self.unreachableEndpointProbe(type: "aws_iam_role")])
        let failures = await suite.run()
        #expect(failures == [])
    }

    /// Nothing listens on the endpoint: connection refused is transient.
    static func unreachableEndpointProbe(type: String) -> ErrorProbe {
        ErrorProbe(name: "unreachable endpoint", type: type, expecting: .transient) { provider, context in
            var unreachable = context
            unreachable.configuration = ["endpoint": .string("http://127.0.0.1:\(try MotoServer.freePort())"), "max_retries": .number(0),
                                         "region": .string("us-east-1"), "access_key": .string("testing"), "secret_key": .string("testing")]
            _ = try await provider.observe(type: type, id: "tend-anything", prior: [:], context: unreachable)
        }
    }

    // MARK: - S3

    @Test func observesBucketTagDriftAndDeletionWithoutTendTags() async throws {
        let fixture = try S3IAMFixture()
        let created = try await fixture.create("aws_s3_bucket", "drift", ["bucket": .string("tend-drift-bucket"), "tags": .map(["env": .string("test")])])
        let first = try #require(try await fixture.provider.observe(type: "aws_s3_bucket", id: created.id, prior: created.attributes,
                                                                    context: fixture.context))
        #expect(first["tags"] == .map(["env": .string("test")]))
        #expect(first["arn"] == .string("arn:aws:s3:::tend-drift-bucket"))
        #expect(first["region"] == .string("us-east-1"))
        #expect(first["versioning"] == .bool(false))

        try await fixture.putBucketTags(created.id, ["env": "edited", "owner": "someone", "tend:stack": "s3iam-test", "tend:address": "drift"])
        let drifted = try #require(try await fixture.provider.observe(type: "aws_s3_bucket", id: created.id, prior: first,
                                                                      context: fixture.context))
        #expect(drifted["tags"] == .map(["env": .string("edited"), "owner": .string("someone")]))
        #expect(drifted.filter { $0.key != "tags" } == first.filter { $0.key != "tags" })

        try await fixture.deleteBucket(created.id)
        let gone = try await fixture.provider.observe(type: "aws_s3_bucket", id: created.id, prior: drifted, context: fixture.context)
        #expect(gone == nil)
        let batch = try await fixture.provider.observe(type: "aws_s3_bucket", priors: [created.id: drifted], context: fixture.context)
        #expect(batch == [:])
    }

    @Test(arguments: [true, false])
    func forceDestroyDecidesWhetherANonEmptyBucketIsDeleted(versioning: Bool) async throws {
        let fixture = try S3IAMFixture()
        let created = try await fixture.create("aws_s3_bucket", "full", ["bucket": .string("tend-full-bucket"), "versioning": .bool(versioning)])
        try await fixture.putObject(created.id, key: "a/b c.txt", text: "one")
        try await fixture.putObject(created.id, key: "a/b c.txt", text: "two")
        try await fixture.putObject(created.id, key: "x&y.txt", text: "three")

        let error = await #expect(throws: ProviderError.self) {
            try await fixture.provider.delete(type: "aws_s3_bucket", id: created.id, current: created.attributes, context: fixture.context)
        }
        #expect(error?.isTransient == false)
        #expect(error?.remoteCode == "BucketNotEmpty")
        #expect(error?.message.contains("tend-full-bucket") == true)
        #expect(error?.message.contains("force_destroy") == true)

        var forced = created.attributes
        forced["force_destroy"] = .bool(true)
        try await fixture.provider.delete(type: "aws_s3_bucket", id: created.id, current: forced, context: fixture.context)
        #expect(try await fixture.provider.observe(type: "aws_s3_bucket", id: created.id, prior: forced, context: fixture.context) == nil)
    }

    @Test(arguments: ["Invalid_Bucket!!", "ab", "tend..bucket", "192.168.0.1"])
    func rejectsBadBucketNamesTerminally(name: String) async throws {
        let fixture = try S3IAMFixture()
        let error = await #expect(throws: ProviderError.self) {
            _ = try await fixture.create("aws_s3_bucket", "bad", ["bucket": .string(name)])
        }
        #expect(error?.isTransient == false)
        #expect(error?.code == .invalidInput)
        #expect(error?.remoteCode == "InvalidBucketName")
        #expect(error?.message.contains(name) == true)
        #expect(try await fixture.provider.list(type: "aws_s3_bucket", context: fixture.context) == [])
    }

    @Test func createsABucketInAnotherRegionWithTagsNeedingEscapes() async throws {
        let fixture = try S3IAMFixture()
        let desired: [String: Value] = ["bucket": .string("tend-west-bucket"), "region": .string("eu-west-1"),
                                        "tags": .map(["note": .string("a&b <c> \"d\"")])]
        let created = try await fixture.create("aws_s3_bucket", "west", desired)
        let observed = try #require(try await fixture.provider.observe(type: "aws_s3_bucket", id: created.id, prior: created.attributes,
                                                                       context: fixture.context))
        #expect(observed["region"] == .string("eu-west-1"))
        #expect(observed["tags"] == desired["tags"])
        #expect(observed == created.attributes)
        let retried = try await fixture.create("aws_s3_bucket", "west", desired)   // BucketAlreadyOwnedByYou outside us-east-1
        #expect(retried == created)
    }

    @Test func refusesToAdoptABucketAnotherAddressCreated() async throws {
        let fixture = try S3IAMFixture()
        let desired: [String: Value] = ["bucket": .string("tend-shared-bucket")]
        _ = try await fixture.create("aws_s3_bucket", "first", desired)
        let error = await #expect(throws: ProviderError.self) {
            _ = try await fixture.create("aws_s3_bucket", "second", desired)
        }
        #expect(error?.code == .conflict)
        let recovered = try await fixture.provider.recover(type: "aws_s3_bucket", address: fixture.address("first"), desired: desired,
                                                           context: fixture.context)
        #expect(recovered?.id == "tend-shared-bucket")
        let foreign = await #expect(throws: ProviderError.self, "a bucket tend made for another address is a conflict, never adopted") {
            try await fixture.provider.recover(type: "aws_s3_bucket", address: fixture.address("second"), desired: desired,
                                               context: fixture.context)
        }
        #expect(foreign?.code == .conflict)
    }

    @Test func readsManyBucketsFromTheTaggingAPIAndConfirmsChangedTagsWithS3() async throws {
        let fixture = try S3IAMFixture()
        var priors: [String: [String: Value]] = [:]
        for index in 0..<20 {
            let created = try await fixture.create("aws_s3_bucket", "b\(index)", ["bucket": .string("tend-many-\(index)"),
                                                                                  "tags": .map(["n": .string("\(index)")])])
            priors[created.id] = created.attributes
        }
        priors["tend-many-gone"] = ["bucket": .string("tend-many-gone")]
        // Edited outside tend: one keeps tend's tags (the tagging API lists it with other tags), one loses every
        // tag but a user's (the API no longer lists it under tend:stack), one has no tags at all.
        try await fixture.putBucketTags("tend-many-3", ["n": "edited", "tend:stack": "s3iam-test", "tend:address": "b3"])
        try await fixture.putBucketTags("tend-many-4", ["n": "only"])
        _ = try await fixture.session.rest(service: "s3", method: "DELETE", path: "/tend-many-5", query: ["tagging": ""],
                                           operation: "s3:DeleteBucketTagging")
        let before = await fixture.provider.requestCount()
        let observed = try #require(try await fixture.provider.observe(type: "aws_s3_bucket", priors: priors, context: fixture.context))
        let requests = await fixture.provider.requestCount() - before
        #expect(observed.count == 20)
        #expect(observed["tend-many-gone"] == nil)
        #expect(observed["tend-many-7"]?["tags"] == .map(["n": .string("7")]))
        #expect(observed["tend-many-3"]?["tags"] == .map(["n": .string("edited")]))
        #expect(observed["tend-many-4"]?["tags"] == .map(["n": .string("only")]))
        #expect(observed["tend-many-5"]?["tags"] == .map([:]))
        #expect(observed["tend-many-9"]?["versioning"] == .bool(false))
        // Read whole (nothing says what is declared): ListBuckets; one tagging page; versioning of each of the 21 (a
        // 404 for the one gone, so no HeadBucket for it); S3's own tags for the three edited.
        #expect(requests == 1 + 1 + 21 + 3)

        // As a refresh of buckets declaring tags but not versioning asks: no versioning read, and the one
        // ListBuckets does not show is asked with HeadBucket before it counts as gone.
        var scoped = fixture.context
        scoped.declaredAttributes = priors.mapValues { _ in ["bucket", "tags"] }
        try await fixture.putBucketVersioning("tend-many-9", enabled: true)
        let start = await fixture.provider.requestCount()
        let cheap = try #require(try await fixture.provider.observe(type: "aws_s3_bucket", priors: priors, context: scoped))
        #expect(await fixture.provider.requestCount() - start == 1 + 1 + 1 + 3)
        #expect(cheap.keys.sorted() == observed.keys.sorted())
        #expect(cheap["tend-many-3"]?["tags"] == .map(["n": .string("edited")]))
        #expect(cheap["tend-many-9"]?["versioning"] == priors["tend-many-9"]?["versioning"], "undeclared: as recorded")
    }

    // MARK: - IAM

    @Test func trustPolicyFormattingIsNoChange() async throws {
        let fixture = try S3IAMFixture()
        let desired: [String: Value] = ["name": .string("tend-policy-role"), "assume_role_policy": .string(S3IAMFixture.reformattedTrustPolicy)]
        let created = try await fixture.create("aws_iam_role", "policy", desired)
        #expect(S3IAMFixture.sameJSON(created.attributes["assume_role_policy"]?.stringValue, S3IAMFixture.reformattedTrustPolicy))

        // Observed without a prior: IAM's own text, URL-decoded, the same JSON as declared.
        let observed = try #require(try await fixture.provider.observe(type: "aws_iam_role", id: created.id, prior: [:], context: fixture.context))
        let remote = try #require(observed["assume_role_policy"]?.stringValue)
        #expect(!remote.hasPrefix("%"))
        #expect(S3IAMFixture.sameJSON(remote, S3IAMFixture.reformattedTrustPolicy))
        #expect(S3IAMFixture.sameJSON(remote, S3IAMFixture.trustPolicy))

        // Updating to the compact text sends no UpdateAssumeRolePolicy: GetRole only.
        var compact = observed
        compact["assume_role_policy"] = .string(S3IAMFixture.trustPolicy)
        let before = await fixture.provider.requestCount()
        let updated = try await fixture.provider.update(type: "aws_iam_role", id: created.id, current: observed, desired: compact,
                                                        context: fixture.context)
        #expect(await fixture.provider.requestCount() - before == 1)
        #expect(updated["assume_role_policy"] == .string(S3IAMFixture.trustPolicy))
    }

    @Test func readsTenRolesInTwoRequests() async throws {
        let fixture = try S3IAMFixture()
        var priors: [String: [String: Value]] = [:]
        for index in 0..<10 {
            let created = try await fixture.create("aws_iam_role", "r\(index)", [
                "name": .string("tend-batch-\(index)"), "path": .string("/tend/"), "assume_role_policy": .string(S3IAMFixture.trustPolicy),
                "tags": .map(["n": .string("\(index)")]),
            ])
            priors[created.id] = created.attributes
        }
        _ = try await fixture.create("aws_iam_role", "other", ["name": .string("tend-unrelated"), "assume_role_policy": .string(S3IAMFixture.trustPolicy)])
        priors["tend-batch-gone"] = ["name": .string("tend-batch-gone"), "path": .string("/tend/")]

        let before = await fixture.provider.requestCount()
        let observed = try #require(try await fixture.provider.observe(type: "aws_iam_role", priors: priors, context: fixture.context))
        let requests = await fixture.provider.requestCount() - before
        #expect(requests <= 3)
        #expect(requests == 2)   // ListRoles under /tend/ and GetAccountAuthorizationDetails for tags
        #expect(observed.keys.sorted() == (0..<10).map { "tend-batch-\($0)" }.sorted())
        for index in 0..<10 {
            let single = try await fixture.provider.observe(type: "aws_iam_role", id: "tend-batch-\(index)", prior: priors["tend-batch-\(index)"] ?? [:],
                                                            context: fixture.context)
            #expect(observed["tend-batch-\(index)"] == single)
            #expect(observed["tend-batch-\(index)"]?["tags"] == .map(["n": .string("\(index)")]))
        }

        // No role declares tags: ListRoles alone, and tags as recorded even where IAM's differ.
        _ = try await fixture.session.query(service: "iam", version: "2010-05-08", action: "TagRole",
                                            parameters: ["RoleName": "tend-batch-0", "Tags.member.1.Key": "n", "Tags.member.1.Value": "edited"])
        var scoped = fixture.context
        scoped.declaredAttributes = priors.mapValues { _ in ["name", "path", "assume_role_policy"] }
        let start = await fixture.provider.requestCount()
        let untagged = try #require(try await fixture.provider.observe(type: "aws_iam_role", priors: priors, context: scoped))
        #expect(await fixture.provider.requestCount() - start == 1)
        #expect(untagged.keys.sorted() == observed.keys.sorted())
        #expect(untagged["tend-batch-0"]?["tags"] == .map(["n": .string("0")]))
        #expect(untagged["tend-batch-0"]?["arn"] == observed["tend-batch-0"]?["arn"])
    }

    /// A service-linked role is AWS's own (made when a service is first used, deletable only through it): listed, but
    /// marked so drift counts it apart instead of calling it unmanaged; a role someone made by hand is not marked.
    @Test func listsServiceLinkedRolesAsAWSOwn() async throws {
        let fixture = try S3IAMFixture()
        _ = try await fixture.create("aws_iam_role", "app", ["name": .string("tend-app"), "assume_role_policy": .string(S3IAMFixture.trustPolicy)])
        _ = try await fixture.session.query(service: "iam", version: "2010-05-08", action: "CreateRole",
                                            parameters: ["RoleName": "by-hand", "AssumeRolePolicyDocument": S3IAMFixture.trustPolicy])
        let linked = try await fixture.session.query(service: "iam", version: "2010-05-08", action: "CreateServiceLinkedRole",
                                                     parameters: ["AWSServiceName": "autoscaling.amazonaws.com"])
        let linkedName = try #require(linked.child("CreateServiceLinkedRoleResult")?.child("Role")?.string("RoleName"))
        #expect(linkedName.hasPrefix("AWSServiceRoleFor"))

        let listed = try #require(try await fixture.provider.listObjects(type: "aws_iam_role", context: fixture.context))
        #expect(listed == [ListedObject(id: linkedName, isDefault: true), ListedObject(id: "by-hand"), ListedObject(id: "tend-app")]
            .sorted { $0.id < $1.id })
        #expect(try await fixture.provider.list(type: "aws_iam_role", context: fixture.context) == listed.map(\.id))
    }

    @Test func observesRoleTagDriftWithoutTendTags() async throws {
        let fixture = try S3IAMFixture()
        let created = try await fixture.create("aws_iam_role", "tags", ["name": .string("tend-tag-role"), "assume_role_policy": .string(S3IAMFixture.trustPolicy),
                                                                        "tags": .map(["env": .string("test")])])
        #expect(created.attributes["tags"] == .map(["env": .string("test")]))
        _ = try await fixture.session.query(service: "iam", version: "2010-05-08", action: "TagRole",
                                            parameters: ["RoleName": created.id, "Tags.member.1.Key": "env", "Tags.member.1.Value": "edited"])
        let observed = try #require(try await fixture.provider.observe(type: "aws_iam_role", id: created.id, prior: created.attributes,
                                                                       context: fixture.context))
        #expect(observed["tags"] == .map(["env": .string("edited")]))
        #expect(observed["arn"] == .string("arn:aws:iam::123456789012:role/tend-tag-role"))
        #expect(observed["unique_id"]?.stringValue?.hasPrefix("AROA") == true)
        #expect(observed["max_session_duration"] == .number(3600))
    }

    @Test func refusesToAdoptARoleAnotherAddressCreated() async throws {
        let fixture = try S3IAMFixture()
        let desired: [String: Value] = ["name": .string("tend-shared-role"), "assume_role_policy": .string(S3IAMFixture.trustPolicy)]
        let first = try await fixture.create("aws_iam_role", "first", desired)
        let retried = try await fixture.create("aws_iam_role", "first", desired)
        #expect(retried.id == first.id)
        let error = await #expect(throws: ProviderError.self) {
            _ = try await fixture.create("aws_iam_role", "second", desired)
        }
        #expect(error?.code == .conflict)
        #expect(error?.remoteCode == "EntityAlreadyExists")
        let foreign = await #expect(throws: ProviderError.self, "recover never adopts a role tend made for another address") {
            try await fixture.provider.recover(type: "aws_iam_role", address: fixture.address("second"), desired: desired,
                                               context: fixture.context)
        }
        #expect(foreign?.code == .conflict)
    }
}
