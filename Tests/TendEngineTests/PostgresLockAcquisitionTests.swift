import Foundation
import ProviderKit
import ProviderKitTesting
import TendEngine
import TendModel
import TendState
import TendStateTesting
import Testing

/// Two engines on one stack of a PostgreSQL state, as two tend processes on two machines would be: one holds the
/// lock, the other fails at once, or with a lock timeout waits and then gets it.
@Suite struct PostgresLockAcquisitionTests {
    static func store(schema: String) throws -> PostgresStateStore {
        PostgresStateStore(url: try PostgresServer.shared().url(schema: schema, stack: "shared"), defaultStack: "unused")
    }

    static func engine(_ store: any StateStore, actor: String, lockTimeout: Double = 0) -> Engine {
        Engine(registry: ProviderRegistry([InMemoryProvider()]), store: store, clock: { Date() }, actor: actor,
               host: LocalHost.name, pid: getpid(), processIdentity: LocalProcess.currentIdentity, lockTimeout: lockTimeout)
    }

    @Test func aSecondEngineFailsAtOnceOrWaitsForTheLock() async throws {
        let schema = PostgresServer.uniqueSchema("lock")
        let first = try Self.store(schema: schema)
        let second = try Self.store(schema: schema)
        let holding = Self.engine(first, actor: "alice@one")
        let entered = AsyncStream<Void>.makeStream()
        let letGo = AsyncStream<Void>.makeStream()
        // The holder keeps the lock until the refusal below has been seen, however slow the machine, then a moment more.
        let holder = Task {
            try await holding.withLock(operation: "apply") {
                entered.continuation.yield()
                for await _ in letGo.stream { break }
                try await Task.sleep(nanoseconds: 300_000_000)
            }
        }
        for await _ in entered.stream { break }

        let refused = await #expect(throws: StateError.self) {
            try await Self.engine(second, actor: "bob@two").withLock(operation: "apply") {}
        }
        #expect(refused?.code == .locked)
        #expect(refused?.message.contains("alice@one") == true, "\(refused?.message ?? "")")
        letGo.continuation.yield()

        // A wide timeout: the wait ends when the lock is free, not when the timeout passes.
        let who = try await Self.engine(second, actor: "bob@two", lockTimeout: 600).withLock(operation: "apply") {
            try second.currentLock()?.holder
        }
        try await holder.value
        #expect(who == "bob@two")
        #expect(try second.currentLock() == nil)
    }
}
