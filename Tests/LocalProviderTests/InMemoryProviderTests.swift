import ProviderKit
import ProviderKitTesting
import TendModel
import Testing

@Suite struct InMemoryProviderTests {
    let context = ProviderContext(baseDirectory: "/", stack: "test")
    let desired: [String: Value] = ["name": .string("a"), "value": .string("1")]

    @Test func transientFailuresClearAfterTheGivenCount() async throws {
        let provider = InMemoryProvider()
        let address = ResourceAddress(name: "a")
        await provider.failCreate(address: address, with: .transient(times: 2))
        for _ in 0..<2 {
            let error = try await #require(throws: ProviderError.self) {
                try await provider.create(type: "mem_thing", address: address, desired: desired, context: context)
            }
            #expect(error.isTransient)
        }
        let created = try await provider.create(type: "mem_thing", address: address, desired: desired, context: context)
        #expect(created.attributes["id_attr"] == .string(created.id))
        #expect(created.attributes["revision"] == .number(1))
        #expect(await provider.callCount(.create) == 3)
        #expect(await provider.objectCount == 1)
    }

    @Test func terminalFailuresPersist() async throws {
        let provider = InMemoryProvider()
        let created = try await provider.create(type: "mem_thing", address: ResourceAddress(name: "a"), desired: desired, context: context)
        await provider.failDelete(id: created.id, with: .terminal(.accessDenied))
        for _ in 0..<3 {
            let error = try await #require(throws: ProviderError.self) {
                try await provider.delete(type: "mem_thing", id: created.id, current: [:], context: context)
            }
            #expect(error.code == .accessDenied)
        }
        #expect(await provider.object(id: created.id) != nil)
    }

    @Test func outOfBandChangesShowInObserve() async throws {
        let provider = InMemoryProvider()
        let created = try await provider.create(type: "mem_thing", address: ResourceAddress(name: "a"), desired: desired, context: context)
        await provider.mutate(id: created.id, attribute: "value", value: .string("drifted"))
        let observed = try await provider.observe(type: "mem_thing", id: created.id, prior: created.attributes, context: context)
        #expect(observed?["value"] == .string("drifted"))
        await provider.removeObject(id: created.id)
        #expect(try await provider.observe(type: "mem_thing", id: created.id, prior: created.attributes, context: context) == nil)
        #expect(try await provider.recover(type: "mem_thing", address: ResourceAddress(name: "a"), desired: desired, context: context) == nil)
    }

    @Test func recordingProviderRecordsCallsInOrder() async throws {
        let recorder = RecordingProvider(wrapping: InMemoryProvider())
        let address = ResourceAddress(name: "web")
        let created = try await recorder.create(type: "mem_thing", address: address, desired: desired, context: context)
        _ = try await recorder.observe(type: "mem_thing", id: created.id, prior: [:], context: context)
        try await recorder.delete(type: "mem_thing", id: created.id, current: [:], context: context)
        #expect(recorder.name == "mem")
        #expect(await recorder.calls == [
            ProviderCall(.create, type: "mem_thing", address: address),
            ProviderCall(.observe, type: "mem_thing", id: created.id),
            ProviderCall(.delete, type: "mem_thing", id: created.id),
        ])
        #expect(await recorder.calls.map(\.description) == ["create mem_thing web", "observe mem_thing mem_thing-1", "delete mem_thing mem_thing-1"])
    }
}
