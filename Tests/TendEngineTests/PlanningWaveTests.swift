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

    @Test func anAddressIndexFindsTheFirstElementOfEachAddressAndNothingElse() {
        let specs = [EngineTests.spec("b", value: "first b"), EngineTests.spec("a"), EngineTests.spec("b", value: "second b")]
        let index = AddressIndex(specs)
        #expect(index[ResourceAddress(name: "b")]?.properties["value"] == .literal(.string("first b")))
        #expect(index[ResourceAddress(name: "a")]?.address == ResourceAddress(name: "a"))
        #expect(index[ResourceAddress(name: "c")] == nil)
        #expect(index.elements.count == 3)
    }

    @Test func declaredAttributeNamesAreEachSpecsOwn() {
        var other = EngineTests.spec("c")
        other.declaredProperties = ["path"]
        let specs = [EngineTests.spec("a"), EngineTests.spec("b"), other]
        let names = Engine.declaredAttributeNames(AddressIndex(specs))
        #expect(names.count == 3)
        #expect(names[ResourceAddress(name: "a")] == specs[0].declaredAttributeNames)
        #expect(names[ResourceAddress(name: "b")] == specs[1].declaredAttributeNames)
        #expect(names[ResourceAddress(name: "c")] == ["path"])
    }

    @Test func sharedStringsHoldEverySpecsLiteralStrings() {
        let root = Reference(name: "root", path: AttributePath(keys: "value"))
        var specs: [ResourceSpec] = []
        for index in 0..<2_500 {
            specs.append(index % 2 == 0 ? EngineTests.spec("s\(index)", value: "text \(index)")
                : EngineTests.spec("s\(index)", value: "text \(index)", nameExpression: .template([.text("n-"), .reference(root)])))
        }
        let declared = SharedStrings(declaredBy: specs)
        for index in [0, 1, 1_023, 1_024, 2_047, 2_048, 2_499] {
            let strings = declared.object(ResourceAddress(name: "s\(index)"))
            #expect(strings?.string(for: "value") == "text \(index)")
            // A template is no literal string: only literal names are there.
            #expect(strings?.string(for: "name") == (index % 2 == 0 ? "s\(index)" : nil))
        }
        #expect(declared.object(ResourceAddress(name: "s2500")) == nil)
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
        let declared = SharedStrings(declaredBy: [spec, EngineTests.spec("other", value: "two")])
        let same = declared.object(spec.address)
        #expect(same?.string(for: "name") == "same")
        #expect(same?.string(for: "value") == "declared text")
        #expect(same?.string(for: "template") == nil)
        #expect(same?.string(for: "number") == nil)
        #expect(same?.string(for: "missing") == nil)
        #expect(declared.object(ResourceAddress(name: "other"))?.string(for: "value") == "two")
    }
}
