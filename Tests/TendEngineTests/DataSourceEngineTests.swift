import Foundation
import ProviderKit
import ProviderKitTesting
@testable import TendEngine
import TendModel
import TendState
import Testing

/// Data sources: read at plan time when they can be, during apply when they wait on a change, never stored.
@Suite struct DataSourceEngineTests {
    let provider = InMemoryProvider()
    let store = InMemoryStateStore()
    let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])

    var engine: Engine {
        Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date(timeIntervalSince1970: 1_800_000_000) },
               retry: RetryPolicy(maxRetries: 3, baseDelay: 0.001, maxDelay: 0.01))
    }

    static func reference(_ name: String, _ path: String) -> Expression {
        .reference(Reference(name: name, path: AttributePath(keys: path)))
    }

    /// `data.greeting`: mem_echo of "hello".
    static let greeting = DataSourceSpec(name: "greeting", type: "mem_echo", provider: "mem",
                                         properties: ["input": .literal(.string("hello"))])

    /// A mem_thing whose value is `value`, depending on what it refers to.
    static func thing(_ name: String, value: Expression) -> ResourceSpec {
        ResourceSpec(address: ResourceAddress(name: name), type: "mem_thing", provider: "mem",
                     properties: ["name": .literal(.string(name)), "value": value],
                     dependencies: value.references.map(\.address))
    }

    /// `a` is created; `data.lookup` finds it by name; `b` takes its id from the lookup.
    static var lookupChain: (specs: [ResourceSpec], data: [DataSourceSpec]) {
        let lookup = DataSourceSpec(name: "lookup", type: "mem_thing_lookup", provider: "mem",
                                    properties: ["name": reference("a", "name")], dependencies: [ResourceAddress(name: "a")])
        return ([thing("a", value: .literal(.string("first"))), thing("b", value: reference("data.lookup", "id_attr"))], [lookup])
    }

    @Test func readsAKnownDataSourceAtPlanTimeSoThePlanShowsItsValues() async throws {
        let specs = [Self.thing("site", value: Self.reference("data.greeting", "output"))]
        let plan = try await engine.plan(specs: specs, dataSources: [Self.greeting], settings: settings)
        #expect(plan.changes.first?.after?["value"] == .string("HELLO"))
        #expect(plan.dataSources.map(\.spec.address) == [.dataSource("greeting")])
        #expect(plan.dataSources.first?.result?["length"] == .number(5))
        #expect(plan.deferredReads.isEmpty)
        #expect(await provider.callCount(.readData) == 1)

        let result = try await engine.apply(plan, settings: settings)
        #expect(!result.hasFailures)
        #expect(await provider.callCount(.readData) == 1, "apply uses the result the plan read")
        let records = try store.resources()
        #expect(records.map(\.address.description) == ["site"], "a data source is never stored as a managed resource")
        #expect(records.first?.attributes["value"] == .string("HELLO"))

        let again = try await engine.plan(specs: specs, dataSources: [Self.greeting], settings: settings)
        #expect(!again.hasChanges)
        #expect(again.drift.isEmpty)
        #expect(await provider.callCount(.readData) == 2, "every plan reads data sources again")
    }

    @Test func readsADataSourceDuringApplyWhenItDependsOnACreateInTheSameRun() async throws {
        let (specs, data) = Self.lookupChain
        let plan = try await engine.plan(specs: specs, dataSources: data, settings: settings)
        #expect(await provider.callCount(.readData) == 0, "the lookup waits for a to be created")
        #expect(plan.deferredReads.map(\.spec.address) == [.dataSource("lookup")])
        #expect(plan.deferredReads.first?.deferralReason == "it depends on a, which has changes planned")
        let b = try #require(plan.changes.first { $0.address.name == "b" })
        #expect(b.after?["value"] == .unknown, "b's value is known only after the lookup is read")

        let result = try await engine.apply(plan, settings: settings)
        #expect(!result.hasFailures, "\(result.failed)")
        #expect(await provider.callCount(.readData) == 1)
        let records = try store.resources()
        let aID = try #require(records.first { $0.address.name == "a" }?.id)
        #expect(records.first { $0.address.name == "b" }?.attributes["value"] == .string(aID))
        #expect(!records.contains { $0.address.isDataSource })
        #expect(records.first { $0.address.name == "b" }?.dependencies == [ResourceAddress(name: "a")],
                "state keeps resource dependencies only: b depends on a through the lookup")

        let again = try await engine.plan(specs: specs, dataSources: data, settings: settings)
        #expect(again.deferredReads.isEmpty, "with a in place, the lookup is read at plan time")
        #expect(!again.hasChanges)
    }

    @Test func aDataSourceReadingAnotherWaitsWithIt() async throws {
        let (specs, data) = Self.lookupChain
        let echo = DataSourceSpec(name: "echo", type: "mem_echo", provider: "mem",
                                  properties: ["input": Self.reference("data.lookup", "id_attr")],
                                  dependencies: [.dataSource("lookup")])
        let plan = try await engine.plan(specs: specs + [Self.thing("c", value: Self.reference("data.echo", "output"))],
                                         dataSources: data + [echo], settings: settings)
        #expect(plan.deferredReads.map(\.spec.address) == [.dataSource("lookup"), .dataSource("echo")], "in dependency order")
        #expect(plan.deferredReads.last?.deferralReason == "it depends on data.lookup, which is read during apply")
        let result = try await engine.apply(plan, settings: settings)
        #expect(!result.hasFailures, "\(result.failed)")
        let records = try store.resources()
        let aID = try #require(records.first { $0.address.name == "a" }?.id)
        #expect(records.first { $0.address.name == "c" }?.attributes["value"] == .string(aID.uppercased()))
    }

    @Test func aReadThatFailsDuringApplySkipsWhatRefersToIt() async throws {
        let (specs, data) = Self.lookupChain
        let plan = try await engine.plan(specs: specs, dataSources: data, settings: settings)
        await provider.failReadData(type: "mem_thing_lookup", with: .terminal(.accessDenied, "no lookups today"))
        let result = try await engine.apply(plan, settings: settings)
        #expect(result.succeeded[ResourceAddress(name: "a")] == .create)
        #expect(result.failed[.dataSource("lookup")]?.contains("no lookups today") == true)
        #expect(result.skipped == [ResourceAddress(name: "b")])
        #expect(try store.resources().map(\.address.name) == ["a"])
    }

    @Test func aReadThatFailsAtPlanTimeFailsThePlanNamingTheDataSource() async throws {
        await provider.failReadData(type: "mem_echo", with: .terminal(.failed, "echo is down"))
        let specs = [Self.thing("site", value: Self.reference("data.greeting", "output"))]
        let error = await #expect(throws: EngineError.self) {
            try await engine.plan(specs: specs, dataSources: [Self.greeting], settings: settings)
        }
        #expect(error?.code == .planFailed)
        #expect(error?.diagnostics.map(\.summary) == ["data.greeting: reading mem_echo: echo is down"])
        #expect(error?.diagnostics.first?.address == "data.greeting")
    }

    @Test func aSavedPlanCarriesItsReadsAndApplyReadsTheDeferredOnes() async throws {
        let (specs, data) = Self.lookupChain
        let plan = try await engine.plan(specs: specs + [Self.thing("site", value: Self.reference("data.greeting", "output"))],
                                         dataSources: data + [Self.greeting], settings: settings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let saved = try JSONDecoder().decode(Plan.self, from: try encoder.encode(plan))
        #expect(saved == plan)
        #expect(saved.dataSources.map(\.isDeferred) == [false, true])

        // Another process applies the file: a new engine, providers not configured yet.
        let other = Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date(timeIntervalSince1970: 1_800_000_000) })
        let result = try await other.apply(saved, settings: settings)
        #expect(!result.hasFailures, "\(result.failed)")
        let records = try store.resources()
        let aID = try #require(records.first { $0.address.name == "a" }?.id)
        #expect(records.first { $0.address.name == "b" }?.attributes["value"] == .string(aID))
        #expect(records.first { $0.address.name == "site" }?.attributes["value"] == .string("HELLO"))
        #expect(await provider.callCount(.readData) == 2, "greeting read by the plan, lookup by the apply")
    }

    @Test func aPlanWrittenBeforeDataSourcesDecodesWithNone() throws {
        let plan = Plan(changes: [], drift: [], specs: [], lineage: nil, serial: 0)
        let encoder = JSONEncoder()
        var object = try #require(JSONSerialization.jsonObject(with: try encoder.encode(plan)) as? [String: Any])
        object["dataSources"] = nil
        let decoded = try JSONDecoder().decode(Plan.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(decoded.dataSources.isEmpty)
    }

    @Test func aDestroyPlanReadsNoDataSources() async throws {
        let specs = [Self.thing("site", value: Self.reference("data.greeting", "output"))]
        _ = try await engine.apply(try await engine.plan(specs: specs, dataSources: [Self.greeting], settings: settings),
                                   settings: settings)
        let destroy = try await engine.plan(specs: specs, dataSources: [Self.greeting], settings: settings, destroy: true)
        #expect(destroy.dataSources.isEmpty)
        #expect(destroy.changes.map(\.action) == [.delete])
        #expect(await provider.callCount(.readData) == 1)
    }

    @Test func planningWavesInterleaveDataSourcesWithTheResourcesTheyDependOn() throws {
        let (specs, data) = Self.lookupChain
        let (_, _, waves) = Engine.dependencyWaves(specs, dataSources: data)
        #expect(waves.map(\.specs) == [[0], [], [1]], "a, then the lookup, then b")
        #expect(waves.map(\.dataSources) == [[], [0], []])
    }
}
