import Foundation
import Testing
import TendModel
@testable import TendState

/// The async state API: calls run on the state threads, never on Swift's cooperative ones, and mean what the
/// blocking store's calls mean.
@Suite struct StackStateTests {
    @Test func callsRunOnTheStateThreads() async throws {
        let state = StackState(stack: "web", store: InMemoryStateStore())
        let onLane = try await state.call { _ in StateLane.isLaneThread }
        #expect(onLane)
        #expect(!StateLane.isLaneThread, "the test's own thread is not a lane thread")
    }

    @Test func callsMeanWhatTheStoreMeans() async throws {
        let store = InMemoryStateStore()
        let state = StackState(stack: "web", store: store)
        #expect(try await state.version() == nil)
        let created = try await state.advanceSerial(from: nil)
        #expect(created.serial == 1)
        let record = ResourceRecord(address: ResourceAddress(name: "a"), type: "file", provider: "local", id: "/tmp/a",
                                    attributes: ["content": .string("x")], status: .created, updatedAt: Date(timeIntervalSince1970: 0))
        try await state.put(record, history: nil)
        #expect(try store.resource(record.address)?.id == "/tmp/a", "written through to the store underneath")
        #expect(try await state.resources().map(\.address) == [record.address])
        await #expect(throws: StateError.self) { try await state.advanceSerial(from: nil) }
        #expect(try await state.version()?.serial == 1, "the refused advance changed nothing")
    }
}
