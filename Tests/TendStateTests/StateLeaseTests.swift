import Foundation
import Synchronization
@testable import TendState
import TendModel
import TendStateTesting
import Testing

/// What the SQLite and in-memory leases do beyond the behaviour every store shares: the in-memory store's clock, a
/// gone holder still broken as stale, locks from before leases, and the token kept in the file.
@Suite struct StateLeaseTests {
    /// A clock a test moves by hand.
    final class ManualClock: Sendable {
        private let current = Mutex(StateSample.date)

        /// The time now, as a store's clock.
        var read: @Sendable () -> Date {
            { [self] in current.withLock { $0 } }
        }

        /// Moves the clock on by `seconds`.
        func advance(_ seconds: Double) {
            current.withLock { $0 = $0.addingTimeInterval(seconds) }
        }
    }

    @Test func anInMemoryLeaseRunsOutOnItsOwnClock() throws {
        let clock = ManualClock()
        let first = InMemoryStateStore(leaseDuration: 10, renewsLease: false, clock: clock.read)
        let second = InMemoryStateStore(sharing: first, leaseDuration: 10, renewsLease: false, clock: clock.read)
        try first.lock(StateSample.lock(id: "first"))
        clock.advance(9.5)
        let error = #expect(throws: StateError.self) { try second.lock(StateSample.lock(id: "second")) }
        #expect(error?.code == .locked)
        #expect(error?.message.contains("its lease runs until 2023-11-14T22:13:30Z") == true, "\(error?.message ?? "")")

        clock.advance(1)
        try second.lock(StateSample.lock(id: "second"))
        #expect(second.fencingToken == 2)
        let fenced = #expect(throws: StateError.self) { try first.put(StateSample.record(ResourceAddress(name: "web")), history: nil) }
        #expect(fenced?.code == .fenced)
        #expect(try second.resources().isEmpty)
    }

    /// A holder gone from this host is left to the engine to break (with its audit row and abandoned runs), even once
    /// its lease ran out: taking its lock quietly would leave its runs open.
    @Test(arguments: [StoreKind.sqlite, .memory])
    func aGoneHolderIsStaleEvenAfterItsLeaseRanOut(kind: StoreKind) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let factory = kind.makeFactory(in: directory)
        let gone = factory.open(lease: .unrenewed(0.2))
        try gone.lock(StateSample.lock(id: "gone", pid: try StateSample.deadPID()))
        try await Task.sleep(nanoseconds: 500_000_000)

        let error = #expect(throws: StateError.self) { try factory.open().lock(StateSample.lock(id: "next")) }
        #expect(error?.code == .staleLock)
        #expect(try gone.currentLock()?.id == "gone")
    }

    /// A lock row written by a tend from before leases (schema 8) has no lease: it never runs out. The upgrade keeps
    /// it, and the first lock taken after it gets token 1.
    @Test func aLockFromBeforeLeasesNeverRunsOut() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        _ = try SQLiteStateStore(path: path, createIfMissing: true).initialize()
        try SQLiteDatabase(path: path, mode: .readWrite).withConnection { raw in
            try raw.execute("DROP TABLE lease")
            try raw.execute("ALTER TABLE runs DROP COLUMN actor") // schema 10's, which schema 8 did not have
            try raw.execute("PRAGMA user_version = 8")
            try raw.run("""
                INSERT INTO lock (slot, id, holder, operation, pid, host, since) VALUES (1, 'old', 'ci@builder', 'apply', ?1, ?2, 0)
                """, [.integer(Int64(getpid())), .text(LocalHost.name)])
        }
        let store = SQLiteStateStore(path: path, createIfMissing: false, leaseDuration: 0.1, renewsLease: false)
        try await Task.sleep(nanoseconds: 300_000_000)

        let error = #expect(throws: StateError.self) { try store.lock(StateSample.lock(id: "new")) }
        #expect(error?.code == .locked)
        #expect(error?.message.contains("lease") == false, "\(error?.message ?? "")")
        try store.forceUnlock(id: "old")
        try store.lock(StateSample.lock(id: "new"))
        #expect(store.fencingToken == 1)
    }

    /// The last token is kept in the file, beyond the lock row: a tend that opens the file later goes on from it.
    @Test func theTokenOutlivesTheLockInTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        let first = SQLiteStateStore(path: path, createIfMissing: true)
        for id in ["one", "two"] {
            try first.lock(StateSample.lock(id: id))
            try first.unlock(id: id)
        }
        let stored = try SQLiteDatabase(path: path, mode: .readOnly).withConnection { connection in
            try connection.queryFirst("SELECT token, (SELECT count(*) FROM lock) FROM lease") { [$0.int64(0), $0.int64(1)] }
        }
        #expect(stored == [2, 0], "token 2 kept, no lock held")

        let later = SQLiteStateStore(path: path, createIfMissing: false)
        try later.lock(StateSample.lock(id: "three"))
        #expect(later.fencingToken == 3)
    }
}
