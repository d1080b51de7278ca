import Foundation
import Synchronization
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

    /// Far more blocked state calls than there are cooperative threads all start side by side: each holds a state
    /// thread of its own, none a cooperative one. Made on the cooperative threads, only as many as the cores would
    /// start, and those would hold every cooperative thread. A plain thread watches, opens the gate once all have
    /// started (or after `giveUp` seconds), and says which it was; nothing here needs a cooperative thread to end.
    ///
    /// The state has a lane of its own, as wide as the calls: the shared lane also serves every other test of this
    /// process, whose calls could hold its threads a while.
    @Test func blockedCallsRunSideBySideOnTheirOwnThreads() async throws {
        let calls = ProcessInfo.processInfo.activeProcessorCount * 4 + 4
        let state = StackState(stack: "web", store: InMemoryStateStore(), lane: StateLane(width: calls))
        let gate = DispatchSemaphore(value: 0)
        let started = Tally()
        let allStarted = Tally()
        let giveUp = Date().addingTimeInterval(120)
        Thread.detachNewThread {
            while started.value < calls && Date() < giveUp { Thread.sleep(forTimeInterval: 0.01) }
            if started.value == calls { allStarted.add() }
            for _ in 0..<calls { gate.signal() }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<calls {
                group.addTask {
                    try await state.call { _ in
                        started.add()
                        gate.wait()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(allStarted.value == 1, "every blocked call was running at once")
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

/// A count kept across threads.
private final class Tally: Sendable {
    private let count = Mutex(0)

    func add() { count.withLock { $0 += 1 } }

    var value: Int { count.withLock { $0 } }
}
