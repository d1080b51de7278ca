import Foundation
import ProviderKit
import ProviderKitTesting
@testable import TendEngine
import TendConfig
import TendModel
import TendState
import Testing

/// Planning in dependency waves, in parallel, and sharing declared strings with the recorded ones.
@Suite struct PlanningWaveTests {
    @Test func wavesPutEverySpecAfterWhatItReads() {
        let specs = [EngineTests.spec("c", dependsOn: ["b"]), EngineTests.spec("e", dependsOn: ["a"]),
                     EngineTests.spec("b", dependsOn: ["a"]), EngineTests.spec("d"), EngineTests.spec("a")]
        let waves = Engine.dependencyWaves(specs).map { $0.map(\.address.name) }
        #expect(waves == [["a", "d"], ["b", "e"], ["c"]])
    }

    @Test func manySpecsReadingOneAnotherArePlannedWithTheirReferencesResolved() async throws {
        let store = InMemoryStateStore()
        let engine = Engine(registry: ProviderRegistry([InMemoryProvider()]), store: store, clock: { Date() },
                            retry: RetryPolicy(maxRetries: 0, baseDelay: 0.001, maxDelay: 0.01))
        let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])
        let root = Reference(name: "root", path: AttributePath(keys: "value"))
        var specs = [EngineTests.spec("root", value: "base")]
        for index in 0..<500 {
            specs.append(EngineTests.spec("leaf\(index)", nameExpression: .template([.text("\(index)-"), .reference(root)])))
        }
        let plan = try await engine.plan(specs: specs, settings: settings)
        #expect(plan.changes.count == 501)
        #expect(plan.changes.map(\.address) == plan.changes.map(\.address).sorted())
        for index in [0, 137, 499] {
            let leaf = try #require(plan.changes.first { $0.address.name == "leaf\(index)" })
            #expect(leaf.after?["name"] == .string("\(index)-base"))
        }
        let result = try await engine.apply(plan, settings: settings)
        #expect(!result.hasFailures)
        #expect(!(try await engine.plan(specs: specs, settings: settings)).hasChanges)
    }

    @Test func recordedStringsEqualToTheDeclaredOnesAreReplacedAndOthersKept() {
        let declared = String(repeating: "x", count: 5000)
        var records = [
            ResourceRecord(address: ResourceAddress(name: "same"), type: "mem_thing", provider: "mem", id: "1",
                           attributes: ["value": .string(String(repeating: "x", count: 5000)), "other": .string("kept")],
                           updatedAt: Date()),
            ResourceRecord(address: ResourceAddress(name: "edited"), type: "mem_thing", provider: "mem", id: "2",
                           attributes: ["value": .string("old")], updatedAt: Date()),
        ]
        let specs = [EngineTests.spec("same", value: declared), EngineTests.spec("edited", value: declared)]
        Engine.shareDeclaredStrings(&records, specs: specs)
        #expect(records[0].attributes["value"] == .string(declared))
        #expect(records[0].attributes["other"] == .string("kept"))
        #expect(records[1].attributes["value"] == .string("old"))
    }

    @Test func driftReadsStateAgainWhenThePrefetchedCopyIsNoLongerCurrent() async throws {
        let store = InMemoryStateStore()
        let engine = Engine(registry: ProviderRegistry([InMemoryProvider()]), store: store, clock: { Date() },
                            retry: RetryPolicy(maxRetries: 0, baseDelay: 0.001, maxDelay: 0.01))
        let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])
        let plan = try await engine.plan(specs: EngineTests.chain, settings: settings)
        #expect(!(try await engine.apply(plan, settings: settings)).hasFailures)
        let stale = PrefetchedState(version: StateVersion(lineage: "another", serial: 0), records: [])
        let scan = try await engine.detectDrift(specs: EngineTests.chain, settings: settings, ignore: IgnoreRules(), prefetched: stale)
        #expect(scan.managedCount == 4)
        let current = PrefetchedState(version: try store.version(), records: try store.resources())
        let again = try await engine.detectDrift(specs: EngineTests.chain, settings: settings, ignore: IgnoreRules(), prefetched: current)
        #expect(again.managedCount == 4)
        #expect(!again.hasDrift)
    }
}
