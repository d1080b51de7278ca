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
        let (sorted, indexes) = Engine.dependencyWaves(specs)
        let waves = indexes.map { $0.map { sorted[$0].address.name } }
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

    @Test func declaredStringLiteralsAreOfferedForSharing() {
        var spec = EngineTests.spec("same", value: "declared text")
        spec.properties["template"] = .template([.text("a"), .reference(Reference(name: "x", key: nil, path: AttributePath(keys: "y")))])
        spec.properties["number"] = .literal(.number(1))
        let declared = Engine.declaredStrings([spec, EngineTests.spec("other", value: "two")])
        #expect(declared[spec.address] == ["name": "same", "value": "declared text"])
        #expect(declared[ResourceAddress(name: "other")] == ["name": "other", "value": "two"])
    }
}
