import Foundation
import TendModel
import TendState
import Testing

/// The checks of the lock as a lease with a fencing token: a live lease holds, an expired one is taken with a higher
/// token, the holder that lost it writes nothing more, a renewed one is kept, and tokens only grow.
///
/// Every check opens its stores with `StoreFactory.open(lease:)`: short leases, unrenewed where a lease has to run out.
extension StateStoreBehaviour {
    static let leases: [Check] = [
        Check("aLiveLeaseCannotBeTaken") { try aLiveLeaseCannotBeTaken($0) },
        Check("anExpiredUnrenewedLeaseIsTakenWithAHigherToken") { try await anExpiredUnrenewedLeaseIsTakenWithAHigherToken($0) },
        Check("aHolderWhoseLeaseWasTakenIsFencedAndWritesNothing") {
            try await aHolderWhoseLeaseWasTakenIsFencedAndWritesNothing($0)
        },
        Check("aRenewedLeaseIsKeptPastItsDuration") { try await aRenewedLeaseIsKeptPastItsDuration($0) },
        Check("aLeaseThatRanOutButWasNotTakenStillLetsItsHolderWrite") {
            try await aLeaseThatRanOutButWasNotTakenStillLetsItsHolderWrite($0)
        },
        Check("tokensOnlyGrowAcrossReleasesAndBrokenLocks") { try tokensOnlyGrowAcrossReleasesAndBrokenLocks($0) },
    ]

    /// A lease that runs out soon and is never renewed.
    static let shortLease = StoreFactory.Lease.unrenewed(1)
    /// Long enough after taking a `shortLease` for it to have run out, on any clock the store uses.
    static let pastShortLease: UInt64 = 1_600_000_000

    /// The fencing token `store` holds; a test failure when the store does not say.
    static func token(_ store: any StateStore) throws -> Int64 {
        try #require((store as? any FencingTokenHolding)?.fencingToken, "the store holds a lease with a fencing token")
    }

    static func aLiveLeaseCannotBeTaken(_ factory: StoreFactory) throws {
        let holder = factory.open(lease: .unrenewed(30))
        let other = factory.open(lease: shortLease)
        let held = StateSample.lock(id: "holder")
        try holder.lock(held)
        let taken = try token(holder)

        let error = #expect(throws: StateError.self) { try other.lock(StateSample.lock(id: "other")) }
        #expect(error?.code == .locked)
        #expect(error?.message.contains("lock ID holder") == true, "the refusal names the holder's lock")
        #expect(try other.currentLock() == held)
        #expect((other as? any FencingTokenHolding)?.fencingToken == nil, "the refused store holds no lease")
        try holder.put(StateSample.record(web), history: nil)
        #expect(try token(holder) == taken)
    }

    static func anExpiredUnrenewedLeaseIsTakenWithAHigherToken(_ factory: StoreFactory) async throws {
        let paused = factory.open(lease: shortLease)
        let next = factory.open(lease: shortLease)
        try paused.lock(StateSample.lock(id: "paused"))
        let old = try token(paused)
        try await Task.sleep(nanoseconds: pastShortLease)

        try next.lock(StateSample.lock(id: "next"))
        #expect(try token(next) > old, "the next holder's token is higher")
        #expect(try paused.currentLock()?.id == "next")
    }

    static func aHolderWhoseLeaseWasTakenIsFencedAndWritesNothing(_ factory: StoreFactory) async throws {
        let paused = factory.open(lease: shortLease)
        let next = factory.open(lease: shortLease)
        let version = try paused.initialize()
        try paused.lock(StateSample.lock(id: "paused"))
        try paused.put(StateSample.record(web), history: nil)
        let run = try paused.beginRun(kind: "apply", at: StateSample.date, actor: StateSample.actor)
        let old = try token(paused)
        try await Task.sleep(nanoseconds: pastShortLease)
        try next.lock(StateSample.lock(id: "next"))
        let audit = AuditDraft(who: "late", action: "apply", target: "app", result: "ok", at: StateSample.date)

        let writes: [(String, () throws -> Void)] = [
            ("put", { try paused.put(StateSample.record(app), history: StateSample.history(app, serial: 1), audit: audit) }),
            ("remove", { try paused.remove(web, history: nil) }),
            ("advanceSerial", { _ = try paused.advanceSerial(from: version) }),
            ("appendAudit", { try paused.appendAudit(who: "late", action: "apply", target: "app", result: "ok", at: StateSample.date) }),
            ("beginRun", { _ = try paused.beginRun(kind: "apply", at: StateSample.date, actor: StateSample.actor) }),
            ("finishRun", { try paused.finishRun(run, outcome: "succeeded", counts: [:], at: StateSample.date) }),
            ("replaceOutputs", { try paused.replaceOutputs([]) }),
        ]
        for (name, write) in writes {
            let error = #expect(throws: StateError.self, "\(name) by the old holder is refused") { try write() }
            #expect(error?.code == .fenced, "\(name) fails as fenced")
            #expect(error?.stopsWriting == true, "a fenced write stops the run")
            #expect(error?.message.contains("fencing token \(old)") == true, "the error names the old token")
            #expect(error?.message.contains("lock ID next") == true, "the error names who holds the lock now")
        }

        #expect(try next.resources().map(\.address) == [web], "the fenced writes left nothing")
        #expect(try next.history(address: nil, limit: 0).isEmpty)
        #expect(try next.version() == version)
        #expect(try next.auditLog().isEmpty)
        #expect(try next.runs(limit: 0).map(\.id) == [run])
        #expect(try next.runs(limit: 0).first?.finishedAt == nil)
        try paused.unlock(id: "paused")
        #expect(try next.currentLock()?.id == "next", "the old holder's unlock leaves the new lock alone")
        try next.put(StateSample.record(app), history: nil)
        #expect(try next.resources().map(\.address) == [app, web])
    }

    static func aRenewedLeaseIsKeptPastItsDuration(_ factory: StoreFactory) async throws {
        let holder = factory.open(lease: .renewed(1.5))
        let other = factory.open(lease: shortLease)
        try holder.lock(StateSample.lock(id: "holder"))
        let taken = try token(holder)
        // Renewed every half second; a busy machine may delay a renewal, not by the whole lease.
        try await Task.sleep(nanoseconds: 4_000_000_000)

        let error = #expect(throws: StateError.self) { try other.lock(StateSample.lock(id: "other")) }
        #expect(error?.code == .locked)
        try holder.put(StateSample.record(web), history: nil)
        #expect(try token(holder) == taken)
        try holder.unlock(id: "holder")
        try other.lock(StateSample.lock(id: "other"))
    }

    static func aLeaseThatRanOutButWasNotTakenStillLetsItsHolderWrite(_ factory: StoreFactory) async throws {
        let holder = factory.open(lease: shortLease)
        let version = try holder.initialize()
        try holder.lock(StateSample.lock(id: "holder"))
        try await Task.sleep(nanoseconds: pastShortLease)

        try holder.put(StateSample.record(web), history: StateSample.history(web, serial: 1))
        #expect(try holder.advanceSerial(from: version).serial == 1)
        try holder.appendAudit(who: "alice", action: "apply", target: "web", result: "ok", at: StateSample.date)
        let reader = factory.open()
        #expect(try reader.resources().map(\.address) == [web])
        #expect(try reader.currentLock()?.id == "holder")
        #expect(try reader.auditLog().count == 1)
    }

    static func tokensOnlyGrowAcrossReleasesAndBrokenLocks(_ factory: StoreFactory) throws {
        let first = factory.open(lease: shortLease)
        let second = factory.open(lease: shortLease)
        try first.lock(StateSample.lock(id: "one"))
        let one = try token(first)
        try first.unlock(id: "one")
        #expect((first as? any FencingTokenHolding)?.fencingToken == nil, "a released lock holds no token")

        try second.lock(StateSample.lock(id: "two"))
        let two = try token(second)
        #expect(two > one, "a lock taken after a release has a higher token")
        try second.unlock(id: "two")
        try first.lock(StateSample.lock(id: "three"))
        let three = try token(first)
        #expect(three > two)

        // The holder is gone (a dead pid on this host): the next process breaks its lock and takes a higher token.
        try first.forceUnlock(id: "three")
        let stale = StateSample.lock(id: "dead", pid: try StateSample.deadPID())
        try first.lock(stale)
        let dead = try token(first)
        #expect(dead > three)
        let audit = AuditDraft(who: "bob@here", action: "break-stale-lock", target: "dead", result: "holder gone", at: StateSample.date)
        try second.breakStaleLock(stale, taking: StateSample.lock(id: "broke"), audit: audit)
        #expect(try token(second) > dead)
        #expect(try first.currentLock()?.id == "broke")
    }
}
