import Foundation
import ProviderKit
import ProviderKitTesting
import TendConfig
import TendEngine
import TendModel
import TendState
import Testing

/// The stack id a run uses and records, and the edits of state made through the engine.
@Suite struct StateEditTests {
    let provider = InMemoryProvider()
    let store = InMemoryStateStore()

    var engine: Engine {
        Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date(timeIntervalSince1970: 1_800_000_000) })
    }

    static func configuration(directory: String, stack: String? = nil) -> Configuration {
        Configuration(directory: directory, specs: [], providers: [:], variables: [:], stack: stack)
    }

    @Test func aNewStateKeepsTheProposedStackIDWhereverTheDirectoryMoves() async throws {
        let proposed = try await engine.settings(for: Self.configuration(directory: "infra"), absoluteDirectory: "/srv/infra")
        #expect(proposed.stack != "infra", "a new state's id does not follow the folder name")
        #expect(proposed.recordedStack == nil)
        #expect(try store.version() == nil, "working the settings out writes nothing")

        try await engine.recordStack(proposed)
        #expect(try store.stackID() == proposed.stack)

        let moved = try await engine.settings(for: Self.configuration(directory: "renamed"), absoluteDirectory: "/srv/renamed")
        #expect(moved.stack == proposed.stack)
        #expect(moved.recordedStack == proposed.stack)
    }

    @Test func aDeclaredStackWinsAndIsRecorded() async throws {
        try await engine.recordStack(try await engine.settings(for: Self.configuration(directory: "infra"), absoluteDirectory: "/srv/infra"))
        let declared = try await engine.settings(for: Self.configuration(directory: "infra", stack: "prod"), absoluteDirectory: "/srv/infra")
        #expect(declared.stack == "prod")
        try await engine.recordStack(declared)
        #expect(try store.stackID() == "prod")
        let undeclared = try await engine.settings(for: Self.configuration(directory: "elsewhere"), absoluteDirectory: "/srv/elsewhere")
        #expect(undeclared.stack == "prod", "once recorded, the id stays when the declaration goes")
    }

    @Test func refusesToRecordWhenTheStateRecordedAnotherIDSinceThePlan() async throws {
        let planned = try await engine.settings(for: Self.configuration(directory: "infra"), absoluteDirectory: "/srv/infra")
        try store.recordStackID("someone-else")
        let error = await #expect(throws: EngineError.self) { try await engine.recordStack(planned) }
        #expect(error?.code == .stalePlan)
        #expect(try store.stackID() == "someone-else")
    }

    @Test func movesAndForgetsThroughTheLockInOneStep() async throws {
        _ = try store.initialize()
        let record = ResourceRecord(address: ResourceAddress(name: "a"), type: "mem_thing", provider: "mem", id: "1",
                                    attributes: [:], sensitivePaths: [], dependencies: [], schemaVersion: 0, status: .created,
                                    updatedAt: Date(timeIntervalSince1970: 0))
        try store.put(record, history: nil)

        try await engine.moveResource(from: ResourceAddress(name: "a"), to: ResourceAddress(name: "b"))
        #expect(try store.resources().map(\.address) == [ResourceAddress(name: "b")])
        try await engine.forgetResource(ResourceAddress(name: "b"))
        #expect(try store.resources().isEmpty)
        #expect(try store.version()?.serial == 2)
        #expect(try store.auditLog().map(\.action) == ["state mv", "state rm"])
        #expect(try store.currentLock() == nil)

        let error = await #expect(throws: EngineError.self) { try await engine.forgetResource(ResourceAddress(name: "b")) }
        #expect(error?.code == .state)
        #expect(try store.currentLock() == nil, "a refused edit releases the lock")
    }
}
