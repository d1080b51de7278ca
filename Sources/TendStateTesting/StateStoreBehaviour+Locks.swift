import Foundation
import TendModel
import TendState
import Testing

/// The checks of the state lock: holders, stale locks, unlocking and breaking.
extension StateStoreBehaviour {
    static let locks: [Check] = [
        Check("secondLockIsRefusedNamingTheHolder") { try secondLockIsRefusedNamingTheHolder($0.open()) },
        Check("lockOfDeadProcessOnThisHostIsStale") { try lockOfDeadProcessOnThisHostIsStale($0.open()) },
        Check("lockOfDeadPIDOnAnotherHostIsNotStale") { try lockOfDeadPIDOnAnotherHostIsNotStale($0.open()) },
        Check("unlockNeedsTheHoldersID") { try unlockNeedsTheHoldersID($0.open()) },
        Check("forceUnlockRemovesOnlyAnExistingLock") { try forceUnlockRemovesOnlyAnExistingLock($0.open()) },
        Check("breakingAStaleLockFinishesItsRunsAndAudits") {
            try breakingAStaleLockFinishesItsRunsAndAudits($0.open())
        },
        Check("breakingALockSomeoneElseTookWritesNothing") { try breakingALockSomeoneElseTookWritesNothing($0.open()) },
        Check("processIdentityIsKeptWithTheLock") { try processIdentityIsKeptWithTheLock($0.open()) },
    ]

    static func secondLockIsRefusedNamingTheHolder(_ store: any StateStore) throws {
        let held = StateSample.lock()
        try store.lock(held)

        let error = #expect(throws: StateError.self) { try store.lock(StateSample.lock(id: "lock-2")) }
        #expect(error?.code == .locked)
        for part in [held.id, held.holder, held.operation, "\(held.pid)", held.host] {
            #expect(error?.message.contains(part) == true, "message should name \(part)")
        }
        #expect(try store.currentLock() == held)
    }

    static func lockOfDeadProcessOnThisHostIsStale(_ store: any StateStore) throws {
        let stale = StateSample.lock(id: "dead-1", pid: try StateSample.deadPID())
        try store.lock(stale)
        #expect(stale.isStale)

        let error = #expect(throws: StateError.self) { try store.lock(StateSample.lock(id: "lock-2")) }
        #expect(error?.code == .staleLock)
        #expect(error?.message.contains("tend force-unlock dead-1") == true)
    }

    static func lockOfDeadPIDOnAnotherHostIsNotStale(_ store: any StateStore) throws {
        try store.lock(StateSample.lock(id: "remote", pid: try StateSample.deadPID(), host: "elsewhere.invalid"))

        let error = #expect(throws: StateError.self) { try store.lock(StateSample.lock(id: "lock-2")) }
        #expect(error?.code == .locked)
    }

    static func unlockNeedsTheHoldersID(_ store: any StateStore) throws {
        try store.lock(StateSample.lock(id: "mine"))

        try store.unlock(id: "someone-else")
        #expect(try store.currentLock()?.id == "mine")

        try store.unlock(id: "mine")
        #expect(try store.currentLock() == nil)
        try store.lock(StateSample.lock(id: "again"))
        #expect(try store.currentLock()?.id == "again")
    }

    static func forceUnlockRemovesOnlyAnExistingLock(_ store: any StateStore) throws {
        try store.lock(StateSample.lock(id: "stuck", pid: try StateSample.deadPID()))

        let wrong = #expect(throws: StateError.self) { try store.forceUnlock(id: "nope") }
        #expect(wrong?.code == .noSuchLock)
        #expect(try store.currentLock()?.id == "stuck")

        try store.forceUnlock(id: "stuck")
        #expect(try store.currentLock() == nil)
        let again = #expect(throws: StateError.self) { try store.forceUnlock(id: "stuck") }
        #expect(again?.code == .noSuchLock)
    }

    static func breakingAStaleLockFinishesItsRunsAndAudits(_ store: any StateStore) throws {
        _ = try store.initialize()
        let done = try store.beginRun(kind: "apply", at: StateSample.date, actor: StateSample.actor)
        try store.finishRun(done, outcome: "succeeded", counts: [:], at: StateSample.date)
        let stale = StateSample.lock(id: "dead-1", pid: try StateSample.deadPID())
        try store.lock(stale)
        let left = try store.beginRun(kind: "apply", at: StateSample.date, actor: StateSample.actor)

        let mine = StateSample.lock(id: "mine")
        let audit = AuditDraft(who: "bob@here", action: "break-stale-lock", target: "dead-1", result: "holder gone", at: StateSample.date)
        #expect(try store.breakStaleLock(stale, taking: mine, audit: audit) == 1)
        #expect(try store.currentLock() == mine)
        let runs = try store.runs(limit: 0)
        #expect(runs.first { $0.id == left }?.outcome == "abandoned")
        #expect(runs.first { $0.id == left }?.finishedAt != nil)
        #expect(runs.first { $0.id == done }?.outcome == "succeeded")
        #expect(try store.auditLog().last.map { [$0.action, $0.target, $0.who] } == ["break-stale-lock", "dead-1", "bob@here"])
        #expect(try store.verifyAuditChain() == nil)
    }

    static func breakingALockSomeoneElseTookWritesNothing(_ store: any StateStore) throws {
        let stale = StateSample.lock(id: "dead-1", pid: try StateSample.deadPID())
        let other = StateSample.lock(id: "other")
        try store.lock(other)
        let audit = AuditDraft(who: "bob@here", action: "break-stale-lock", target: "dead-1", result: "holder gone", at: StateSample.date)

        let error = #expect(throws: StateError.self) { try store.breakStaleLock(stale, taking: StateSample.lock(id: "mine"), audit: audit) }
        #expect(error?.code == .locked)
        #expect(try store.currentLock() == other)
        #expect(try store.auditLog().isEmpty)
    }

    static func processIdentityIsKeptWithTheLock(_ store: any StateStore) throws {
        var info = StateSample.lock()
        info.process = "boot-1/12345"
        try store.lock(info)
        #expect(try store.currentLock()?.process == "boot-1/12345")
    }
}
