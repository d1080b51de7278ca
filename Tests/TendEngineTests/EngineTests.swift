import Foundation
import ProviderKit
import ProviderKitTesting
import TendEngine
import TendModel
import TendState
import Testing

typealias Expression = TendModel.Expression

/// Engine behaviour against the in-memory provider and state store.
@Suite struct EngineTests {
    let provider = InMemoryProvider()
    let store = InMemoryStateStore()
    let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])

    var engine: Engine {
        Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date(timeIntervalSince1970: 1_800_000_000) },
               retry: RetryPolicy(maxRetries: 3, baseDelay: 0.001, maxDelay: 0.01))
    }

    static func spec(_ name: String, value: String = "v", secret: String? = nil, dependsOn: [String] = [],
                     nameExpression: Expression? = nil) -> ResourceSpec {
        var properties: [String: Expression] = ["name": nameExpression ?? .literal(.string(name)), "value": .literal(.string(value))]
        if let secret { properties["secret"] = .literal(.string(secret)) }
        let references = properties.values.flatMap(\.references).map(\.address)
        return ResourceSpec(address: ResourceAddress(name: name), type: "mem_thing", provider: "mem", properties: properties,
                            options: ResourceOptions(dependsOn: dependsOn),
                            dependencies: references + dependsOn.map { ResourceAddress(name: $0) })
    }

    /// `b` reads a's computed id, `c` reads b's: a chain; `solo` stands alone.
    static var chain: [ResourceSpec] {
        let refA = Reference(name: "a", path: AttributePath(keys: "id_attr"))
        let refB = Reference(name: "b", path: AttributePath(keys: "id_attr"))
        return [spec("a"), spec("b", nameExpression: .template([.text("b-of-"), .reference(refA)])),
                spec("c", nameExpression: .template([.text("c-of-"), .reference(refB)])), spec("solo")]
    }

    @Test func applyCreatesInDependencyOrderThenPlansNoChanges() async throws {
        let plan = try await engine.plan(specs: Self.chain, settings: settings)
        #expect(plan.changes.map(\.action) == [.create, .create, .create, .create])
        let b = try #require(plan.changes.first { $0.address.name == "b" })
        #expect(b.after?["name"] == .unknown, "b's name depends on a's id, known only after apply")

        let result = try await engine.apply(plan, settings: settings)
        #expect(!result.hasFailures)
        #expect(result.counts["added"] == 4)
        let records = try store.resources()
        #expect(records.count == 4)
        let aID = try #require(records.first { $0.address.name == "a" }?.id)
        #expect(records.first { $0.address.name == "b" }?.attributes["name"] == .string("b-of-\(aID)"))
        #expect(try store.version()?.serial == 1)

        let again = try await engine.plan(specs: Self.chain, settings: settings)
        #expect(!again.hasChanges)
        #expect(again.drift.isEmpty)
    }

    @Test func failedResourceSkipsDependentsAndOthersContinue() async throws {
        await provider.failCreate(address: ResourceAddress(name: "a"), with: .terminal(.invalidInput))
        let plan = try await engine.plan(specs: Self.chain, settings: settings)
        let result = try await engine.apply(plan, settings: settings)
        #expect(Set(result.failed.keys) == [ResourceAddress(name: "a")])
        #expect(result.skipped == [ResourceAddress(name: "b"), ResourceAddress(name: "c")])
        #expect(result.succeeded[ResourceAddress(name: "solo")] == .create)
        let records = try store.resources()
        #expect(records.map(\.address.name) == ["solo"], "the failed create's pending intent must not stay behind as created")
        #expect(records.allSatisfy { $0.status == .created })
    }

    @Test func transientErrorsAreRetriedAndTerminalOnesAreNot() async throws {
        await provider.failCreate(address: ResourceAddress(name: "a"), with: .transient(times: 2))
        await provider.failCreate(address: ResourceAddress(name: "solo"), with: .terminal(.accessDenied))
        let specs = [Self.spec("a"), Self.spec("solo")]
        let result = try await engine.apply(try await engine.plan(specs: specs, settings: settings), settings: settings)
        #expect(result.succeeded[ResourceAddress(name: "a")] == .create)
        #expect(result.failed[ResourceAddress(name: "solo")] != nil)
        #expect(await provider.callCount(.create) == 3 + 1)
    }

    @Test func crashAfterCreateIsAdoptedNotDuplicated() async throws {
        // The process died after the provider created the object but before the state write.
        let address = ResourceAddress(name: "a")
        let context = ProviderContext(baseDirectory: "/", stack: "test")
        let created = try await provider.create(type: "mem_thing", address: address,
                                                desired: ["name": .string("a"), "value": .string("v")], context: context)
        try store.put(ResourceRecord(address: address, type: "mem_thing", provider: "mem", id: "", attributes: [:],
                                     status: .createPending, updatedAt: Date()), history: nil)

        let plan = try await engine.plan(specs: [Self.spec("a")], settings: settings)
        #expect(plan.changes.allSatisfy { $0.action == .noop }, "the object exists and matches: nothing to create")
        #expect(plan.pendingCreates == [address], "apply still has to record the object it found")
        _ = try await engine.apply(plan, settings: settings)
        let record = try #require(try store.resource(address))
        #expect(record.status == .created)
        #expect(record.id == created.id)
        #expect(await provider.objectCount == 1)
        #expect(await provider.callCount(.create) == 1)
    }

    @Test func crashBeforeCreateIsCreatedOnNextRun() async throws {
        let address = ResourceAddress(name: "a")
        try store.put(ResourceRecord(address: address, type: "mem_thing", provider: "mem", id: "", attributes: [:],
                                     status: .createPending, updatedAt: Date()), history: nil)
        let plan = try await engine.plan(specs: [Self.spec("a")], settings: settings)
        #expect(plan.changes.map(\.action) == [.create])
        let result = try await engine.apply(plan, settings: settings)
        #expect(!result.hasFailures)
        #expect(try store.resource(address)?.status == .created)
        #expect(await provider.objectCount == 1)
    }

    @Test func destroyDeletesInReverseDependencyOrder() async throws {
        let recording = RecordingProvider(wrapping: provider)
        let engine = Engine(registry: ProviderRegistry([recording]), store: store, clock: { Date() }, retry: .none)
        _ = try await engine.apply(try await engine.plan(specs: Self.chain, settings: settings), settings: settings, parallelism: 1)
        await recording.reset()
        let idsBefore = try store.resources().reduce(into: [String: String]()) { $0[$1.address.name] = $1.id }
        let plan = try await engine.plan(specs: Self.chain, settings: settings, destroy: true)
        #expect(plan.changes.allSatisfy { $0.action == .delete })
        let result = try await engine.apply(plan, settings: settings, parallelism: 4)
        #expect(result.counts["destroyed"] == 4)
        let order = await recording.calls(of: .delete).compactMap(\.id)
        let position = { (name: String) in idsBefore[name].flatMap { order.firstIndex(of: $0) } ?? -1 }
        #expect(position("c") >= 0 && position("c") < position("b"), "c depends on b: deleted first")
        #expect(position("b") < position("a"), "b depends on a: deleted first")
        #expect(order.count == 4)
        #expect(try store.resources().isEmpty)
        #expect(await provider.objectCount == 0)
    }

    @Test func staleSavedPlanIsRefused() async throws {
        let plan = try await engine.plan(specs: [Self.spec("a")], settings: settings)
        try await engine.checkFresh(plan)
        _ = try await engine.apply(plan, settings: settings)
        await #expect(throws: EngineError.self) { try await engine.checkFresh(plan) }
        let fresh = try await engine.plan(specs: [Self.spec("a", value: "w")], settings: settings)
        try await engine.checkFresh(fresh)
    }

    @Test func preventDestroyStopsTheWholePlan() async throws {
        var protected = Self.spec("a")
        protected.options.preventDestroy = true
        _ = try await engine.apply(try await engine.plan(specs: [protected], settings: settings), settings: settings)
        await #expect(throws: EngineError.self) { try await engine.plan(specs: [protected], settings: settings, destroy: true) }
        var renamed = protected
        renamed.properties["name"] = .literal(.string("renamed"))
        await #expect(throws: EngineError.self) { try await engine.plan(specs: [renamed], settings: settings) }
    }

    @Test func driftIsShownApartFromPlannedChanges() async throws {
        _ = try await engine.apply(try await engine.plan(specs: [Self.spec("a"), Self.spec("solo")], settings: settings), settings: settings)
        let ids = try store.resources().reduce(into: [String: String]()) { $0[$1.address.name] = $1.id }
        await provider.mutate(id: ids["a"] ?? "", attribute: "value", value: .string("tampered"))
        await provider.removeObject(id: ids["solo"] ?? "")
        let plan = try await engine.plan(specs: [Self.spec("a"), Self.spec("solo")], settings: settings)
        #expect(plan.drift.map(\.kind) == [.changed, .missing])
        #expect(plan.drift.first?.attributes.map(\.path.description) == ["value"])
        #expect(plan.changes.map(\.action) == [.update, .create])
    }

    @Test func sensitiveValuesStayOutOfHistoryAndAudit() async throws {
        _ = try await engine.apply(try await engine.plan(specs: [Self.spec("a", secret: "hunter2")], settings: settings), settings: settings)
        let record = try #require(try store.resource(ResourceAddress(name: "a")))
        #expect(record.attributes["secret"] == .string("hunter2"), "state keeps the value")
        let history = try store.history(address: nil, limit: 0)
        #expect(!history.isEmpty)
        for entry in history {
            #expect(entry.after?["secret"] == .string("(sensitive)"))
        }
        #expect(try store.auditLog().allSatisfy { !"\($0)".contains("hunter2") })
        #expect(try store.verifyAuditChain() == nil)
    }
}

@Suite struct CreateIntentTests {
    @Test(arguments: [
        (ProviderError(.transient, "timed out"), true),
        (ProviderError(.transient, "connection refused", wasNotSent: true), false),
        (ProviderError(.invalidInput, "bad"), false),
    ])
    func aFailedCreateKeepsItsIntentOnlyWhenTheObjectMayExist(error: ProviderError, keepsIntent: Bool) async throws {
        let provider = InMemoryProvider()
        let store = InMemoryStateStore()
        let engine = Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date() }, retry: .none)
        let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])
        await provider.failCreate(address: ResourceAddress(name: "a"), with: InjectedFailure(error))
        let result = try await engine.apply(try await engine.plan(specs: [EngineTests.spec("a")], settings: settings),
                                            settings: settings)
        #expect(result.failed[ResourceAddress(name: "a")] != nil)
        let pending = try store.resources().filter { $0.status == .createPending }
        #expect(pending.map(\.address.name) == (keepsIntent ? ["a"] : []))
    }
}
