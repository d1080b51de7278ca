import Foundation
import ProviderKit
import ProviderKitTesting
import TendConfig
import TendEngine
import TendModel
import TendState
import Testing

/// Provider contract v2 as the engine uses it: configure once per run, provider-decided replacement, schema
/// upgrades of recorded state, import by id; and the conformance suite on the in-memory provider.
@Suite struct ProviderContractTests {
    let inner = InMemoryProvider()
    let store = InMemoryStateStore()
    let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: ["mem": ["region": .string("r1")]])

    func engine(_ provider: any ResourceProvider) -> Engine {
        Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date(timeIntervalSince1970: 1_800_000_000) },
               retry: .none)
    }

    @Test func inMemoryProviderConforms() async throws {
        let suite = ConformanceSuite(provider: inner, context: ProviderContext(baseDirectory: "/", stack: "test"), cases: [
            ConformanceCase(type: "mem_thing", address: ResourceAddress(name: "a"),
                            desired: ["name": .string("a"), "value": .string("one"), "tags": .map(["k": .string("v")])],
                            updated: ["name": .string("a"), "value": .string("two")],
                            unknownID: "mem_thing-999", invalidDesired: ["value": .string("no name")]),
        ])
        #expect(await suite.run() == [])
    }

    @Test func configurationLoadsAgainstSchemasFetchedAtRunTime() async throws {
        let registry = ProviderRegistry([FetchingProvider(fetched: [InMemoryProvider.thingSchema])])
        let catalog = try await registry.fetchCatalog()
        #expect(registry.catalog["mem_thing"] == nil, "the static schemas do not know the type")
        #expect(catalog["mem_thing"] != nil)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tend-fetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("resources:\n  a:\n    type: mem_thing\n    properties: { name: a, valu: x }\n".utf8)
            .write(to: directory.appendingPathComponent("main.yaml"))
        let result = ConfigLoader(catalog: catalog).load(directory: directory.path, variables: [:], varFiles: [], environment: [:])
        #expect(result.diagnostics.map(\.summary).contains { $0.contains("valu") }, "phase two validates against the fetched schema")

        let failing = ProviderRegistry([FetchingProvider(fetched: nil)])
        let error = await #expect(throws: ProviderError.self) { try await failing.fetchCatalog() }
        #expect(error?.message.contains("fetching the schemas of provider mem") == true)
    }

    @Test func privateDataIsKeptByStateAndHandedBack() async throws {
        let provider = PrivateDataProvider(inner: inner)
        let engine = engine(provider)
        _ = try await engine.apply(try await engine.plan(specs: [ApplyContractTests.thing("a")], settings: settings), settings: settings)
        #expect(try store.resource(ResourceAddress(name: "a"))?.privateData == "created")
        _ = try await engine.apply(try await engine.plan(specs: [ApplyContractTests.thing("a", value: "w")], settings: settings),
                                   settings: settings)
        #expect(try store.resource(ResourceAddress(name: "a"))?.privateData == "updated")
        _ = try await engine.apply(try await engine.plan(specs: [], settings: settings, destroy: true), settings: settings)
        #expect(await provider.log.seen == [
            "create:plan:v", "observe:created", "update:plan:w", "observe:updated", "delete:updated",
        ])

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tend-private-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        let sqlite = SQLiteStateStore(path: file, createIfMissing: true)
        try sqlite.put(ResourceRecord(address: ResourceAddress(name: "p"), type: "mem_thing", provider: "mem", id: "x",
                                      attributes: [:], updatedAt: Date(), privateData: "opaque\u{1}bytes"), history: nil)
        #expect(try sqlite.resource(ResourceAddress(name: "p"))?.privateData == "opaque\u{1}bytes")
        #expect(try sqlite.resources().first?.privateData == "opaque\u{1}bytes")
        #expect(try sqlite.resourceSummaries().first?.privateData == "opaque\u{1}bytes")
    }

    @Test func providersAreConfiguredOncePerRunWithTheirBlock() async throws {
        let provider = ContractProvider(wrapping: inner)
        let engine = engine(provider)
        let specs = [ApplyContractTests.thing("a"), ApplyContractTests.thing("b")]
        _ = try await engine.apply(try await engine.plan(specs: specs, settings: settings), settings: settings)
        _ = try await engine.plan(specs: specs, settings: settings)
        #expect(await provider.log.configurations == [["region": .string("r1")]])
        await engine.stopProviders()
        #expect(await provider.log.stops == 1)
    }

    @Test func aProviderThatCannotBeConfiguredStopsThePlan() async throws {
        let provider = ContractProvider(wrapping: inner, configureError: ProviderError(.accessDenied, "bad credentials"))
        let error = await #expect(throws: EngineError.self) {
            try await engine(provider).plan(specs: [ApplyContractTests.thing("a")], settings: settings)
        }
        #expect(error?.description.contains("configuring provider mem: bad credentials") == true)
        #expect(await inner.callCount(.create) == 0)
    }

    @Test func theProviderDecidesWhatForcesReplacement() async throws {
        let provider = ContractProvider(wrapping: inner, replaceOn: [AttributePath(keys: "value")])
        let engine = engine(provider)
        _ = try await engine.apply(try await engine.plan(specs: [ApplyContractTests.thing("a")], settings: settings), settings: settings)
        let plan = try await engine.plan(specs: [ApplyContractTests.thing("a", value: "w")], settings: settings)
        #expect(plan.changes.map(\.action) == [.deleteThenCreate], "value is not force_new, but the provider says so")
        #expect(plan.changes.first?.replacePaths == [AttributePath(keys: "value")])
        let tags = try await engine.plan(specs: [ApplyContractTests.thing("a", tags: ["k": "v"])], settings: settings)
        #expect(tags.changes.map(\.action) == [.update])
    }

    @Test func recordedStateOfAnOlderSchemaVersionIsUpgradedBeforeItIsRead() async throws {
        let engine = engine(ContractProvider(wrapping: inner))
        _ = try await engine.apply(try await engine.plan(specs: [ApplyContractTests.thing("a")], settings: settings), settings: settings)
        var record = try #require(try store.resource(ResourceAddress(name: "a")))
        record.schemaVersion = 0
        record.attributes["value"] = .string("V")   // version 0 kept values upper-cased
        try store.put(record, history: nil)
        let plan = try await engine.plan(specs: [ApplyContractTests.thing("a")], settings: settings)
        #expect(!plan.hasChanges, "upgraded, the recorded value is the declared one: \(plan.changes)")

        let plain = Engine(registry: ProviderRegistry([inner]), store: store, clock: { Date() }, retry: .none)
        let error = await #expect(throws: EngineError.self) {
            try await plain.plan(specs: [ApplyContractTests.thing("a")], settings: settings)
        }
        #expect(error?.description.contains("schema version 0") == true)
    }

    @Test func importRecordsAnExistingObjectAtADeclaredAddress() async throws {
        let engine = engine(inner)
        let created = try await inner.create(type: "mem_thing", address: ResourceAddress(name: "elsewhere"),
                                             desired: ["name": .string("a"), "value": .string("v")],
                                             context: ProviderContext(baseDirectory: "/", stack: "other"))
        let specs = [ApplyContractTests.thing("a")]
        let record = try await engine.importObject(ResourceAddress(name: "a"), id: created.id, specs: specs, settings: settings)
        #expect(record.id == created.id)
        #expect(try store.resource(ResourceAddress(name: "a"))?.attributes["value"] == .string("v"))
        #expect(try store.auditLog().last?.action == "import")
        #expect(!(try await engine.plan(specs: specs, settings: settings).hasChanges))
        await #expect(throws: EngineError.self) {
            try await engine.importObject(ResourceAddress(name: "a"), id: created.id, specs: specs, settings: settings)
        }
        await #expect(throws: EngineError.self) {
            try await engine.importObject(ResourceAddress(name: "b"), id: "mem_thing-77", specs: [ApplyContractTests.thing("b")],
                                          settings: settings)
        }
    }
}

/// What a `ContractProvider` was asked to do.
actor ContractLog {
    var configurations: [[String: Value]] = []
    var stops = 0
    func configured(_ block: [String: Value]) { configurations.append(block) }
    func stopped() { stops += 1 }
}

/// The in-memory provider with the v2 lifecycle hooks scripted: configure (logged or refused), stop, a plan that
/// forces replacement on chosen paths, and an upgrade from schema version 0 (which stored `value` upper-cased).
struct ContractProvider: ResourceProvider {
    let inner: InMemoryProvider
    let log = ContractLog()
    var configureError: ProviderError?
    var replaceOn: [AttributePath] = []

    init(wrapping inner: InMemoryProvider, configureError: ProviderError? = nil, replaceOn: [AttributePath] = []) {
        self.inner = inner
        self.configureError = configureError
        self.replaceOn = replaceOn
    }

    var name: String { inner.name }
    var schemas: [ResourceSchema] { inner.schemas }

    func configure(context: ProviderContext) async throws {
        if let configureError { throw configureError }
        await log.configured(context.configuration)
    }

    func stop() async { await log.stopped() }

    func planObject(type: String, desired: [String: Value], prior: [String: Value]?, context: ProviderContext) async throws -> PlannedObject {
        let planned = try await inner.plan(type: type, desired: desired, context: context)
        let forcing = replaceOn.filter { path in prior.map { $0.value(at: path) != planned.value(at: path) } ?? false }
        return PlannedObject(attributes: planned, requiresReplace: forcing)
    }

    func upgrade(type: String, attributes: [String: Value], from version: Int, context: ProviderContext) async throws -> [String: Value] {
        guard version == 0 else { return attributes }
        var out = attributes
        if case let .string(text)? = out["value"] { out["value"] = .string(text.lowercased()) }
        return out
    }

    func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? {
        try await inner.observe(type: type, id: id, prior: prior, context: context)
    }

    func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject {
        try await inner.create(type: type, address: address, desired: desired, context: context)
    }

    func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        try await inner.update(type: type, id: id, current: current, desired: desired, context: context)
    }

    func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {
        try await inner.delete(type: type, id: id, current: current, context: context)
    }
}

/// A provider that knows its schemas only at run time (as a plugin does); nil fails the fetch.
struct FetchingProvider: ResourceProvider {
    let fetched: [ResourceSchema]?
    var name: String { "mem" }
    var schemas: [ResourceSchema] { [] }

    func fetchSchemas() async throws -> [ResourceSchema] {
        guard let fetched else { throw ProviderError(.transient, "plugin did not answer") }
        return fetched
    }

    func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? { nil }

    func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject {
        throw ProviderError(.failed, "not in this test")
    }

    func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        throw ProviderError(.failed, "not in this test")
    }

    func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {}
}

/// What a `PrivateDataProvider` was handed.
actor PrivateLog {
    var seen: [String] = []
    func saw(_ call: String, _ data: String?) { seen.append("\(call):\(data ?? "nil")") }
}

/// The in-memory provider with private data: its plan returns `plan:VALUE`, create `created`, update `updated`; every
/// call logs the private data it was handed.
struct PrivateDataProvider: ResourceProvider {
    let inner: InMemoryProvider
    let log = PrivateLog()
    var name: String { inner.name }
    var schemas: [ResourceSchema] { inner.schemas }

    func planObject(type: String, desired: [String: Value], prior: [String: Value]?, context: ProviderContext) async throws -> PlannedObject {
        PlannedObject(attributes: try await inner.plan(type: type, desired: desired, context: context),
                      privateData: "plan:\(desired["value"]?.stringValue ?? "")")
    }

    func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? {
        await log.saw("observe", context.privateData)
        return try await inner.observe(type: type, id: id, prior: prior, context: context)
    }

    func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject {
        await log.saw("create", context.privateData)
        var created = try await inner.create(type: type, address: address, desired: desired, context: context)
        created.privateData = "created"
        return created
    }

    func updateObject(type: String, id: String, current: [String: Value], desired: [String: Value],
                      context: ProviderContext) async throws -> CreatedObject {
        await log.saw("update", context.privateData)
        let attributes = try await inner.update(type: type, id: id, current: current, desired: desired, context: context)
        return CreatedObject(id: id, attributes: attributes, privateData: "updated")
    }

    func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        try await updateObject(type: type, id: id, current: current, desired: desired, context: context).attributes
    }

    func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {
        await log.saw("delete", context.privateData)
        try await inner.delete(type: type, id: id, current: current, context: context)
    }
}
