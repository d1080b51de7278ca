import AWSProvider
import Foundation
import ProviderKit
import TendEngine
import TendModel
import TendState
import Testing

/// Issue 9, defect 6, through the engine itself: `apply` against moto behind a proxy that loses create answers
/// (or breaks a fifth of all requests) ends with exactly one object per resource, recorded in state, and a plan
/// that finds nothing more to do.
@Suite(.serialized) struct EngineLostResponseTests {
    static let settingsStack = "engine-faults"

    static func engine(_ world: FaultWorld, store: InMemoryStateStore) -> Engine {
        Engine(registry: ProviderRegistry([world.provider]), store: store, clock: { Date() },
               retry: RetryPolicy(maxRetries: 6, baseDelay: 0.01, maxDelay: 0.05))
    }

    static func settings(_ world: FaultWorld) -> PlanSettings {
        PlanSettings(directory: world.context.baseDirectory, stack: world.context.stack, providers: ["aws": [:]])
    }

    /// A spec of the sample's settable planned values, with the schema's defaults filled in as the configuration
    /// loader fills them.
    static func spec(_ sample: FaultSample, schema: ResourceSchema?) -> ResourceSpec {
        let settable = sample.desired.filter { schema?.attributes[$0.key]?.mode != .computed }
        return ResourceSpec(address: sample.address, type: sample.type, provider: "aws",
                            properties: withDefaults(settable.mapValues { TendModel.Expression.literal($0) }, schema: schema))
    }

    static func withDefaults(_ properties: [String: TendModel.Expression], schema: ResourceSchema?) -> [String: TendModel.Expression] {
        var out = properties
        for (name, attribute) in schema?.attributes ?? [:] where out[name] == nil {
            if let fallback = attribute.defaultValue { out[name] = .literal(fallback) }
        }
        return out
    }

    @Test(arguments: LostResponseTests.types)
    func applyWithALostCreateAnswerMakesOneObject(type: String) async throws {
        let world = try FaultWorld(stack: Self.settingsStack)
        let sample = try await world.sample(type)
        let before = try await world.ids(type)
        let store = InMemoryStateStore()
        let engine = Self.engine(world, store: store)
        let specs = [Self.spec(sample, schema: world.provider.schema(for: type))]
        world.proxy.setRule(FaultProxy.first(1, .answerLost, where: sample.isCreate))

        let result = try await engine.apply(try await engine.plan(specs: specs, settings: Self.settings(world)),
                                            settings: Self.settings(world))
        #expect(!result.hasFailures, "\(result.failed)")
        #expect(world.proxy.faults.count == 1, "the create's answer was lost once")
        let made = try await world.ids(type).filter { !before.contains($0) }
        let record = try #require(try store.resource(sample.address))
        #expect(made == [record.id], "exactly the one object state records")
        #expect(record.status == .created)
        world.proxy.setRule { _ in nil }
        let again = try await engine.plan(specs: specs, settings: Self.settings(world))
        #expect(!again.hasChanges, "\(again.changes.map { ($0.action, $0.changedPaths, $0.before, $0.after) })")
    }

    @Test(arguments: [UInt64(3), 11])
    func aStackAppliedUnderTwentyPercentFaultsEndsWithOneObjectEach(seed: UInt64) async throws {
        let world = try FaultWorld(stack: Self.settingsStack)
        let image = try await world.imageID()
        let store = InMemoryStateStore()
        let engine = Self.engine(world, store: store)
        let settings = Self.settings(world)
        func ref(_ name: String, _ attribute: String) -> TendModel.Expression {
            .reference(Reference(name: name, path: AttributePath(keys: attribute)))
        }
        func spec(_ name: String, _ type: String, _ properties: [String: TendModel.Expression]) -> ResourceSpec {
            ResourceSpec(address: ResourceAddress(name: name), type: type, provider: "aws",
                         properties: Self.withDefaults(properties, schema: world.provider.schema(for: type)),
                         dependencies: properties.values.flatMap(\.references).map(\.address))
        }
        let specs = [
            spec("network", "aws_vpc", ["cidr_block": .literal(.string("10.0.0.0/16")),
                                        "tags": .literal(.map(["Name": .string("network")]))]),
            spec("public_a", "aws_subnet", ["vpc_id": ref("network", "id"), "cidr_block": .literal(.string("10.0.1.0/24"))]),
            spec("public_b", "aws_subnet", ["vpc_id": ref("network", "id"), "cidr_block": .literal(.string("10.0.2.0/24"))]),
            spec("web", "aws_security_group", ["name": .literal(.string("web")), "vpc_id": ref("network", "id"),
                                               "ingress": .literal(.list([EC2TestWorld.rule("tcp", 443, 443, ["0.0.0.0/0"])]))]),
            spec("logs", "aws_s3_bucket", ["bucket": .literal(.string("tend-engine-faults")),
                                           "tags": .literal(.map(["team": .string("platform")]))]),
            spec("app", "aws_iam_role", ["name": .literal(.string("app")),
                                         "assume_role_policy": .literal(.string(S3IAMFixture.trustPolicy))]),
            spec("server", "aws_instance", ["ami": .literal(.string(image)), "instance_type": .literal(.string("t2.micro")),
                                            "subnet_id": ref("public_a", "id")]),
        ]
        world.proxy.setRule(FaultProxy.random(rate: 0.2, seed: seed, faults: [.answerLost, .refusedWith503, .connectionDropped, .throttled]))
        // Faults may outlast the retries of one run; like an operator, apply again until nothing fails.
        var runs = 0
        var outcome = ApplyResult()
        repeat {
            runs += 1
            let plan = try await engine.plan(specs: specs, settings: settings)
            outcome = try await engine.apply(plan, settings: settings)
        } while outcome.hasFailures && runs < 6
        world.proxy.setRule { _ in nil }
        #expect(!outcome.hasFailures, "after \(runs) runs: \(outcome.failed)")
        #expect(!world.proxy.faults.isEmpty)

        let records = try store.resources()
        #expect(records.allSatisfy { $0.status == .created })
        for type in ["aws_vpc", "aws_subnet", "aws_security_group", "aws_s3_bucket", "aws_iam_role", "aws_instance"] {
            let recorded = records.filter { $0.type == type }.map(\.id).sorted()
            #expect(try await world.ids(type) == recorded, "\(type): moto holds exactly what state records")
        }
        let again = try await engine.plan(specs: specs, settings: settings)
        #expect(!again.hasChanges, "\(again.changes.filter { $0.action != .noop }.map { ($0.address, $0.changedPaths) })")
    }
}
