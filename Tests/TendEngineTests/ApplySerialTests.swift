import Foundation
import ProviderKit
import ProviderKitTesting
import TendEngine
import TendModel
import TendState
import Testing

/// Apply advances the serial by compare-and-swap from the version its plan was made against.
@Suite struct ApplySerialTests {
    let provider = InMemoryProvider()
    let store = InMemoryStateStore()
    let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])

    func engine(_ provider: any ResourceProvider) -> Engine {
        Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date(timeIntervalSince1970: 1_800_000_000) },
               retry: .none)
    }

    @Test func ofTwoPlansMadeAgainstOneSerialOnlyTheFirstIsApplied() async throws {
        let recording = RecordingProvider(wrapping: provider)
        let engine = engine(recording)
        _ = try await engine.apply(try await engine.plan(specs: [EngineTests.spec("a")], settings: settings), settings: settings)
        let first = try await engine.plan(specs: [EngineTests.spec("a", value: "first")], settings: settings)
        let second = try await engine.plan(specs: [EngineTests.spec("a", value: "second")], settings: settings)
        #expect(first.serial == 1 && second.serial == 1 && first.lineage == second.lineage, "both plans read serial 1")
        let applied = try await engine.apply(first, settings: settings)
        #expect(!applied.hasFailures)
        let version = try store.version()
        let runs = try store.runs(limit: 0)
        await recording.reset()

        let error = await #expect(throws: EngineError.self) { try await engine.apply(second, settings: settings) }
        #expect(error?.code == .stalePlan, "the second apply is refused as a stale plan")
        #expect(error?.description.contains("expected lineage \(second.lineage ?? ""), serial 1") == true,
                "the message names the version the plan expected")
        #expect(error?.description.contains("serial 2") == true, "the message names the serial found")
        #expect(try store.version() == version, "the serial is not advanced again")
        #expect(try store.runs(limit: 0) == runs, "no run is recorded")
        #expect(await recording.calls(of: .update).isEmpty, "no provider is asked for a change")
        #expect(try store.resource(ResourceAddress(name: "a"))?.attributes["value"] == .string("first"),
                "the first plan's value stays")
    }

    @Test func aPlanMadeWithNoStateIsRefusedOnceAnotherApplyCreatedIt() async throws {
        let engine = engine(provider)
        let first = try await engine.plan(specs: [EngineTests.spec("a")], settings: settings)
        let second = try await engine.plan(specs: [EngineTests.spec("b")], settings: settings)
        #expect(first.lineage == nil && second.lineage == nil, "both plans were made with no state")
        _ = try await engine.apply(first, settings: settings)

        let error = await #expect(throws: EngineError.self) { try await engine.apply(second, settings: settings) }
        #expect(error?.code == .stalePlan)
        #expect(try store.version()?.serial == 1)
        #expect(try store.resources().map(\.address) == [ResourceAddress(name: "a")], "nothing of the second plan is written")
    }
}
