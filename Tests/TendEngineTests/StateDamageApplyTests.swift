import Foundation
import ProviderKit
import ProviderKitTesting
import TendEngine
import TendModel
import TendState
import TendStateTesting
import Testing

/// A state database found damaged in the middle of an apply stops it at once: the operation whose write met the
/// damage fails, nothing more is sent to providers, and the apply fails with the state error.
@Suite struct StateDamageApplyTests {
    let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])

    @Test func damageFoundMidApplyStopsEveryLaterProviderCall() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tend-damage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.db").path
        let inner = InMemoryProvider()
        let names = ["a", "b", "c", "d"]
        do {   // a first apply, with its own store: closed afterwards, so every page is in the file itself
            let engine = Engine(registry: ProviderRegistry([inner]), store: SQLiteStateStore(path: path, createIfMissing: true),
                                clock: { Date() }, retry: .none)
            _ = try await engine.apply(try await engine.plan(specs: names.map { ApplyContractTests.thing($0) }, settings: settings),
                                       settings: settings)
        }
        try #require(!FileManager.default.fileExists(atPath: path + "-wal"), "the first apply's store was closed")
        // The history index is first read when the first update of the next apply records its history row: the
        // provider damages it just before, as a failing disk would. Updates are sent before their state is
        // written, so only the apply stopping keeps the others from being sent.
        let page = try StateFileDamage.indexRootPage(of: path, index: "history_by_address")
        let provider = DamagingProvider(inner: inner) { try StateFileDamage.overwritePage(page, of: path) }
        let engine = Engine(registry: ProviderRegistry([provider]), store: SQLiteStateStore(path: path, createIfMissing: false),
                            clock: { Date() }, retry: .none)
        let plan = try await engine.plan(specs: names.map { ApplyContractTests.thing($0, value: "w") }, settings: settings)
        #expect(plan.changes.filter { $0.action == .update }.count == 4)

        let error = await #expect(throws: EngineError.self) {
            _ = try await engine.apply(plan, settings: settings, parallelism: 1)
        }
        #expect(error?.code == .state)
        #expect(error?.description.contains("apply stopped at once") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("is damaged") == true)
        #expect(await inner.callCount(.update) == 1, "the first update only; the other three were never sent")
        #expect(await provider.damages.count == 1)
    }
}

/// The in-memory provider, running `damage` after its first create or update.
struct DamagingProvider: ResourceProvider {
    let inner: InMemoryProvider
    let damages = DamageLog()
    let damage: @Sendable () throws -> Void

    var name: String { inner.name }
    var schemas: [ResourceSchema] { inner.schemas }

    func planObject(type: String, desired: [String: Value], prior: [String: Value]?, context: ProviderContext) async throws -> PlannedObject {
        PlannedObject(attributes: try await inner.plan(type: type, desired: desired, context: context))
    }

    func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? {
        try await inner.observe(type: type, id: id, prior: prior, context: context)
    }

    func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject {
        let created = try await inner.create(type: type, address: address, desired: desired, context: context)
        if await damages.record() { try damage() }
        return created
    }

    func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let updated = try await inner.update(type: type, id: id, current: current, desired: desired, context: context)
        if await damages.record() { try damage() }
        return updated
    }

    func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {
        try await inner.delete(type: type, id: id, current: current, context: context)
    }
}

/// How many creates and updates a `DamagingProvider` made.
actor DamageLog {
    var count = 0
    /// Counts a create or update; true for the first.
    func record() -> Bool {
        count += 1
        return count == 1
    }
}
