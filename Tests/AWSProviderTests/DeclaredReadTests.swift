import AWSProvider
import Foundation
import ProviderKit
import ProviderKitTesting
import TendConfig
import TendEngine
import TendModel
import TendState
import Testing

/// Issue 12, part 4: a refresh reads what the configuration declares and what identifies the object. Plans and drift
/// scans through the engine against a moto_server that writes down every request it receives, so requests are
/// counted at the server, not by tend's own counter.
@Suite struct DeclaredReadTests {
    /// A moto_server recording requests, the fixture around it, an engine with its state in memory.
    final class World: Sendable {
        let directory: TemporaryDirectory
        let fixture: S3IAMFixture
        let engine: Engine
        let settings: PlanSettings

        init() throws {
            directory = try TemporaryDirectory()
            fixture = try S3IAMFixture(recording: URL(fileURLWithPath: directory.path + "/requests.jsonl"))
            engine = Engine(registry: ProviderRegistry([fixture.provider]), store: InMemoryStateStore(), clock: { Date() },
                            retry: RetryPolicy(maxRetries: 2, baseDelay: 0.01, maxDelay: 0.05))
            settings = PlanSettings(directory: directory.path, stack: fixture.context.stack, providers: ["aws": [:]])
        }

        deinit {
            fixture.server.stop()
            directory.remove()
        }

        /// A bucket spec as the configuration loader makes it: the written properties, the schema's defaults
        /// filled in, and `declaredProperties` naming only the written ones.
        func bucket(_ name: String, _ properties: [String: Value]) -> ResourceSpec {
            var values = properties.mapValues { TendModel.Expression.literal($0) }
            for (key, attribute) in fixture.provider.schema(for: "aws_s3_bucket")?.attributes ?? [:] where values[key] == nil {
                if let fallback = attribute.defaultValue, attribute.mode != .computed { values[key] = .literal(fallback) }
            }
            var spec = ResourceSpec(address: ResourceAddress(name: name), type: "aws_s3_bucket", provider: "aws", properties: values)
            spec.declaredProperties = properties.keys.sorted()
            return spec
        }

        func apply(_ specs: [ResourceSpec]) async throws {
            let result = try await engine.apply(try await engine.plan(specs: specs, settings: settings), settings: settings)
            #expect(!result.hasFailures, "\(result.failed)")
        }

        /// The GetBucketVersioning requests moto received since the recording was last cleared.
        func versioningReads() throws -> Int {
            try fixture.server.recordedRequests().filter { $0.method == "GET" && $0.hasQueryParameter("versioning") }.count
        }

        /// The requests of any kind moto received since the recording was last cleared.
        func requests() throws -> Int {
            try fixture.server.recordedRequests().count
        }
    }

    static func tags(_ pairs: [String: String]) -> Value { .map(pairs.mapValues { .string($0) }) }

    @Test func refreshWithoutDeclaredVersioningSendsNoVersioningRequest() async throws {
        let world = try World()
        let specs = (0..<3).map { world.bucket("b\($0)", ["bucket": .string("tend-undeclared-\($0)"), "tags": Self.tags(["n": "\($0)"])]) }
        try await world.apply(specs)
        // Outside tend: versioning turned on (not declared: not tend's to read), tags edited, a bucket deleted.
        try await world.fixture.putBucketVersioning("tend-undeclared-0", enabled: true)
        try await world.fixture.putBucketTags("tend-undeclared-1", ["n": "edited", "tend:stack": "s3iam-test", "tend:address": "b1"])
        try await world.fixture.deleteBucket("tend-undeclared-2")
        try world.fixture.server.clearRecording()

        let plan = try await world.engine.plan(specs: specs, settings: world.settings)
        #expect(try world.versioningReads() == 0)
        #expect(try world.requests() > 0, "the recorder saw the plan's reads")
        let planDrift = Dictionary(plan.drift.map { ($0.address.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(planDrift["b0"] == nil, "undeclared versioning is reported as recorded")
        #expect(planDrift["b1"]?.kind == .changed)
        #expect(planDrift["b1"]?.attributes.map(\.path.description) == ["tags.n"])
        #expect(planDrift["b2"]?.kind == .missing)
        let actions = Dictionary(plan.changes.map { ($0.address.name, $0.action) }, uniquingKeysWith: { a, _ in a })
        #expect(actions == ["b0": .noop, "b1": .update, "b2": .create])

        try world.fixture.server.clearRecording()
        let scan = try await world.engine.detectDrift(specs: specs, settings: world.settings, ignore: IgnoreRules())
        #expect(try world.versioningReads() == 0)
        let scanDrift = Dictionary(scan.drift.map { ($0.address.name, $0.kind) }, uniquingKeysWith: { a, _ in a })
        #expect(scanDrift == ["b1": .changed, "b2": .missing])
    }

    @Test func refreshWithDeclaredVersioningReadsItAndFindsItsDrift() async throws {
        let world = try World()
        let specs = [
            world.bucket("declared", ["bucket": .string("tend-declared-versioning"), "versioning": .bool(false)]),
            world.bucket("undeclared", ["bucket": .string("tend-undeclared-versioning")]),
        ]
        try await world.apply(specs)
        try await world.fixture.putBucketVersioning("tend-declared-versioning", enabled: true)
        try await world.fixture.putBucketVersioning("tend-undeclared-versioning", enabled: true)
        try world.fixture.server.clearRecording()

        let plan = try await world.engine.plan(specs: specs, settings: world.settings)
        #expect(try world.versioningReads() == 1, "the declared bucket's versioning only")
        #expect(plan.drift.map(\.address.name) == ["declared"])
        let drifted = try #require(plan.drift.first?.attributes.first)
        #expect(drifted.path.description == "versioning")
        #expect(drifted.expected == .bool(false))
        #expect(drifted.actual == .bool(true))
        #expect(plan.changes.filter { $0.action == .update }.map(\.address.name) == ["declared"])

        try world.fixture.server.clearRecording()
        let scan = try await world.engine.detectDrift(specs: specs, settings: world.settings, ignore: IgnoreRules())
        #expect(try world.versioningReads() == 1)
        #expect(scan.drift.map(\.address.name) == ["declared"])
        #expect(scan.drift.first?.attributes.map(\.path.description) == ["versioning"])
    }

    /// The read of one bucket (a bulk read's transient failure falls back to it) learns existence from HeadBucket
    /// and asks for nothing undeclared.
    @Test func aSingleReadAsksOnlyForWhatIsDeclared() async throws {
        let world = try World()
        let created = try await world.fixture.create("aws_s3_bucket", "one", ["bucket": .string("tend-single-read"),
                                                                              "tags": Self.tags(["n": "1"])])
        try await world.fixture.putBucketVersioning(created.id, enabled: true)
        var context = world.fixture.context
        context.declaredAttributes = [created.id: ["bucket"]]
        try world.fixture.server.clearRecording()
        let observed = try #require(try await world.fixture.provider.observe(type: "aws_s3_bucket", id: created.id,
                                                                             prior: created.attributes, context: context))
        #expect(try world.fixture.server.recordedRequests().map(\.method) == ["HEAD"])
        #expect(observed == created.attributes, "tags and versioning as recorded")

        context.declaredAttributes = [created.id: ["bucket", "versioning"]]
        try world.fixture.server.clearRecording()
        let versioned = try await world.fixture.provider.observe(type: "aws_s3_bucket", id: created.id, prior: created.attributes,
                                                                 context: context)
        #expect(try world.versioningReads() == 1)
        #expect(try world.requests() == 2)
        #expect(versioned?["versioning"] == .bool(true))

        try await world.fixture.deleteBucket(created.id)
        #expect(try await world.fixture.provider.observe(type: "aws_s3_bucket", id: created.id, prior: created.attributes,
                                                         context: context) == nil)
    }

    @Test func aBucketNoLongerDeclaredIsReadWhole() async throws {
        let world = try World()
        let kept = world.bucket("kept", ["bucket": .string("tend-kept-bucket")])
        try await world.apply([kept, world.bucket("dropped", ["bucket": .string("tend-dropped-bucket")])])
        try world.fixture.server.clearRecording()
        let plan = try await world.engine.plan(specs: [kept], settings: world.settings)
        // What the configuration no longer declares is unknown: its read asks for everything, versioning included.
        let reads = try world.fixture.server.recordedRequests().filter { $0.hasQueryParameter("versioning") }.map(\.url)
        #expect(reads.count == 1)
        #expect(reads.first?.contains("tend-dropped-bucket") == true)
        #expect(plan.changes.filter { $0.action == .delete }.map(\.address.name) == ["dropped"])
    }
}
