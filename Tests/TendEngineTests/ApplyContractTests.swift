import Foundation
import ProviderKit
import ProviderKitTesting
import TendEngine
import TendModel
import TendState
import Testing

/// Apply executes the plan, remembers every object it may have made, and settles unknown outcomes first.
@Suite struct ApplyContractTests {
    let provider = InMemoryProvider()
    let store = InMemoryStateStore()
    let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])

    var engine: Engine {
        Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date(timeIntervalSince1970: 1_800_000_000) },
               retry: RetryPolicy(maxRetries: 3, baseDelay: 0.001, maxDelay: 0.01))
    }

    static func thing(_ name: String, value: String = "v", tags: [String: String] = [:], ignore: [String] = [],
                      createBeforeDestroy: Bool = false, nameExpression: TendModel.Expression? = nil) -> ResourceSpec {
        var properties: [String: TendModel.Expression] = ["name": nameExpression ?? .literal(.string(name)),
                                                          "value": .literal(.string(value))]
        if !tags.isEmpty { properties["tags"] = .literal(.map(tags.mapValues(Value.string))) }
        let options = ResourceOptions(ignoreChanges: ignore.compactMap(AttributePath.init(parsing:)),
                                      createBeforeDestroy: createBeforeDestroy)
        return ResourceSpec(address: ResourceAddress(name: name), type: "mem_thing", provider: "mem", properties: properties,
                            options: options, dependencies: properties.values.flatMap(\.references).map(\.address))
    }

    private func id(of name: String) throws -> String {
        try #require(try store.resource(ResourceAddress(name: name))?.id)
    }

    // Defect 1: apply re-planned from the configuration and reset what ignore_changes keeps.
    @Test func applyKeepsAnIgnoredTopLevelAttribute() async throws {
        let spec = Self.thing("a", value: "declared", tags: ["env": "dev"], ignore: ["value"])
        _ = try await engine.apply(try await engine.plan(specs: [spec], settings: settings), settings: settings)
        let id = try id(of: "a")
        await provider.mutate(id: id, attribute: "value", value: .string("outside"))

        let edited = Self.thing("a", value: "declared", tags: ["env": "prod"], ignore: ["value"])
        let plan = try await engine.plan(specs: [edited], settings: settings)
        let change = try #require(plan.changes.first)
        #expect(change.action == .update)
        #expect(change.after?["value"] == .string("outside"), "the plan keeps the ignored value")
        let result = try await engine.apply(plan, settings: settings)
        #expect(!result.hasFailures)
        let object = try #require(await provider.object(id: id))
        #expect(object["value"] == .string("outside"), "apply does what the plan showed")
        #expect(object["tags"] == .map(["env": .string("prod")]))
    }

    // Defect 1: nested ignore paths were dropped; a tag update deleted the ignored tag.
    @Test func applyKeepsAnIgnoredNestedPath() async throws {
        let spec = Self.thing("a", tags: ["env": "dev"], ignore: ["tags.owner"])
        _ = try await engine.apply(try await engine.plan(specs: [spec], settings: settings), settings: settings)
        let id = try id(of: "a")
        await provider.mutate(id: id, attribute: "tags", value: .map(["env": .string("dev"), "owner": .string("alice")]))

        let edited = Self.thing("a", tags: ["env": "prod"], ignore: ["tags.owner"])
        let plan = try await engine.plan(specs: [edited], settings: settings)
        let change = try #require(plan.changes.first)
        #expect(change.changedPaths.map(\.description) == ["tags.env"])
        #expect(change.after?["tags"] == .map(["env": .string("prod"), "owner": .string("alice")]))
        _ = try await engine.apply(plan, settings: settings)
        let object = try #require(await provider.object(id: id))
        #expect(object["tags"] == .map(["env": .string("prod"), "owner": .string("alice")]))
    }

    // Defect 2: the old half of a create_before_destroy replacement was forgotten when its delete failed.
    @Test func aDeposedObjectWhoseDeleteFailedIsDeletedByTheNextApply() async throws {
        await provider.setCreatesAreIdempotent(false)
        _ = try await engine.apply(try await engine.plan(specs: [Self.thing("a", createBeforeDestroy: true)], settings: settings),
                                   settings: settings)
        let oldID = try id(of: "a")
        await provider.failDelete(id: oldID, with: .terminal(.failed, "delete refused"))
        let renamed = Self.thing("a", createBeforeDestroy: true, nameExpression: .literal(.string("a2")))
        let plan = try await engine.plan(specs: [renamed], settings: settings)
        #expect(plan.changes.map(\.action) == [.createThenDelete])
        let result = try await engine.apply(plan, settings: settings)
        #expect(result.failed[ResourceAddress(name: "a")] != nil)
        let newID = try id(of: "a")
        #expect(newID != oldID)
        #expect(try store.deposedObjects().map(\.id) == [oldID], "state still knows the old object")

        let next = try await engine.plan(specs: [renamed], settings: settings)
        #expect(next.hasChanges, "the old object is still there to delete")
        #expect(next.deposed.map(\.deposedID) == [oldID])
        await provider.clearFailures()
        let second = try await engine.apply(next, settings: settings)
        #expect(!second.hasFailures)
        #expect(try store.deposedObjects().isEmpty)
        #expect(await provider.object(id: oldID) == nil)
        #expect(await provider.objectCount == 1)
        #expect(!(try await engine.plan(specs: [renamed], settings: settings).hasChanges))
    }

    // Defect 2: the replacement's create wrote no intent.
    @Test func theReplacementOfCreateBeforeDestroyWritesItsIntent() async throws {
        await provider.setCreatesAreIdempotent(false)
        _ = try await engine.apply(try await engine.plan(specs: [Self.thing("a", createBeforeDestroy: true)], settings: settings),
                                   settings: settings)
        let oldID = try id(of: "a")
        await provider.failCreate(address: ResourceAddress(name: "a"), with: .transient(times: 100, "timed out"))
        let renamed = Self.thing("a", createBeforeDestroy: true, nameExpression: .literal(.string("a2")))
        let result = try await engine.apply(try await engine.plan(specs: [renamed], settings: settings), settings: settings)
        #expect(result.failed[ResourceAddress(name: "a")] != nil)
        let record = try #require(try store.resource(ResourceAddress(name: "a")))
        #expect(record.status == .createPending, "the outcome is unknown: the intent stays")
        #expect(record.attributes["name"] == .string("a2"), "the intent carries the planned values")
        #expect(try store.deposedObjects().map(\.id) == [oldID])
        #expect(await provider.object(id: oldID) != nil, "nothing deleted while the replacement is unsettled")
    }

    // Defect 6: a create whose answer was lost was sent again and made a second object.
    @Test func aLostCreateAnswerIsSettledByLookingNotByCreatingAgain() async throws {
        await provider.setCreatesAreIdempotent(false)
        await provider.loseCreateAnswers(address: ResourceAddress(name: "a"))
        let engine = self.engine
        let result = try await engine.apply(try await engine.plan(specs: [Self.thing("a")], settings: settings), settings: settings)
        #expect(engine.retriedOperations == 1, "one attempt whose outcome had to be settled, counted for --verbose")
        #expect(!result.hasFailures)
        #expect(await provider.objectCount(address: ResourceAddress(name: "a")) == 1)
        #expect(await provider.callCount(.create) == 1)
        #expect(await provider.callCount(.recover) == 1)
        #expect(try store.resource(ResourceAddress(name: "a"))?.status == .created)
        #expect(!(try await engine.plan(specs: [Self.thing("a")], settings: settings).hasChanges))
    }

    // Defect 7: a recovery lookup that threw was swallowed, the intent deleted, and the object created again.
    @Test func aFailingRecoveryKeepsTheIntentAndCreatesNothing() async throws {
        await provider.setCreatesAreIdempotent(false)
        let address = ResourceAddress(name: "a")
        let context = ProviderContext(baseDirectory: "/", stack: "test")
        _ = try await provider.create(type: "mem_thing", address: address, desired: ["name": .string("a"), "value": .string("v")],
                                      context: context)
        try store.put(ResourceRecord(address: address, type: "mem_thing", provider: "mem", id: "",
                                     attributes: ["name": .string("a"), "value": .string("v")], status: .createPending,
                                     updatedAt: Date()), history: nil)
        let plan = try await engine.plan(specs: [Self.thing("a")], settings: settings)
        await provider.failRecover(address: address, with: .terminal(.accessDenied, "no permission to look"))
        let result = try await engine.apply(plan, settings: settings)
        #expect(result.failed[address] != nil)
        #expect(try store.resource(address)?.status == .createPending, "the intent stays for the next run")
        #expect(await provider.objectCount(address: address) == 1, "nothing created twice")
    }

    // Defect 5: recovery evaluated desired values whose references were unresolved.
    @Test func aPendingIntentOfAResourceWithReferencesRecordsItsPlannedValues() async throws {
        let reference = Reference(name: "dir", path: AttributePath(keys: "id_attr"))
        let file = Self.thing("file", nameExpression: .template([.reference(reference), .text("/a.txt")]))
        await provider.failCreate(address: ResourceAddress(name: "file"), with: .transient(times: 100, "timed out"))
        let result = try await engine.apply(try await engine.plan(specs: [Self.thing("dir"), file], settings: settings),
                                            settings: settings)
        #expect(result.failed[ResourceAddress(name: "file")] != nil)
        let dirID = try id(of: "dir")
        let intent = try #require(try store.resource(ResourceAddress(name: "file")))
        #expect(intent.status == .createPending)
        #expect(intent.attributes["name"] == .string("\(dirID)/a.txt"), "resolved, not the reference")

        await provider.clearFailures()
        let plan = try await engine.plan(specs: [Self.thing("dir"), file], settings: settings)
        let second = try await engine.apply(plan, settings: settings)
        #expect(!second.hasFailures)
        #expect(try store.resource(ResourceAddress(name: "file"))?.status == .created)
    }

    // A saved plan (`plan -out`) keeps what is known only after apply: a reference to an attribute of an object
    // created in the same run is still unknown when the plan is read back, so apply resolves it instead of
    // sending nothing for it (unknowns used to come back as null).
    @Test func aSavedPlanKeepsItsUnknownsAndApplyResolvesThem() async throws {
        let reference = Reference(name: "dir", path: AttributePath(keys: "id_attr"))
        let file = Self.thing("file", nameExpression: .template([.reference(reference), .text("/a.txt")]))
        let plan = try await engine.plan(specs: [Self.thing("dir"), file], settings: settings)
        let key = PlanKey.generate()
        let saved = try PlanFile(settings: settings, plan: plan).sealed(with: key)
        let read = try PlanFile.decode(saved, path: "saved.tfplan") { key }
        #expect(read.plan == plan)
        let planned = try #require(read.plan.changes.first { $0.address == ResourceAddress(name: "file") })
        #expect(planned.after?["name"] == .unknown)
        #expect(planned.after?["id_attr"] == .unknown)

        let result = try await engine.apply(read.plan, settings: read.settings)
        #expect(!result.hasFailures)
        let dirID = try id(of: "dir")
        #expect(try store.resource(ResourceAddress(name: "file"))?.attributes["name"] == .string("\(dirID)/a.txt"))
    }

    // The plan is a contract: apply executes its values, not the configuration saved with it.
    @Test func applyExecutesThePlannedValuesNotTheConfigurationItCarries() async throws {
        let spec = Self.thing("a", tags: ["env": "dev"])
        _ = try await engine.apply(try await engine.plan(specs: [spec], settings: settings), settings: settings)
        let plan = try await engine.plan(specs: [Self.thing("a", value: "w", tags: ["env": "dev"])], settings: settings)
        var tampered = plan
        // A saved plan is executed as it is: apply never evaluates the configuration again.
        tampered.specs = [Self.thing("a", value: "from-configuration", tags: ["env": "dev"])]
        let result = try await engine.apply(tampered, settings: settings)
        #expect(!result.hasFailures)
        #expect(await provider.object(id: try id(of: "a"))?["value"] == .string("w"))
    }

    // The plan is a contract: a provider that returns something other than planned is an error naming the attribute.
    @Test func aResultThatContradictsThePlanIsAnErrorNamingTheAttribute() async throws {
        let contrary = ContraryProvider(wrapping: provider)
        let engine = Engine(registry: ProviderRegistry([contrary]), store: store, clock: { Date() }, retry: .none)
        let result = try await engine.apply(try await engine.plan(specs: [Self.thing("a")], settings: settings), settings: settings)
        let message = try #require(result.failed[ResourceAddress(name: "a")])
        #expect(message.contains("\"value\""))
        #expect(try store.resource(ResourceAddress(name: "a"))?.status == .created, "what was made is recorded")
    }
}

/// Returns every created object with `value` other than asked for.
struct ContraryProvider: ResourceProvider {
    let inner: InMemoryProvider
    init(wrapping inner: InMemoryProvider) { self.inner = inner }
    var name: String { inner.name }
    var schemas: [ResourceSchema] { inner.schemas }

    func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? {
        try await inner.observe(type: type, id: id, prior: prior, context: context)
    }

    func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject {
        var created = try await inner.create(type: type, address: address, desired: desired, context: context)
        created.attributes["value"] = .string("something else")
        return created
    }

    func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        try await inner.update(type: type, id: id, current: current, desired: desired, context: context)
    }

    func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {
        try await inner.delete(type: type, id: id, current: current, context: context)
    }
}
