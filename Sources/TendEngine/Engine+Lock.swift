import Foundation
import TendModel
import TendState

extension Engine {
    /// How often taking the lock looks again while a live holder keeps it.
    static let lockPollInterval: Double = 0.25

    /// Runs `body` holding the state lock, releasing it afterwards whatever happens. A lock that cannot be released
    /// is an error of its own (after the body's error, if it failed too).
    public func withLock<T: Sendable>(operation: String, _ body: () async throws -> T) async throws -> T {
        let lock = try await acquireLock(operation: operation)
        let value: T
        do {
            value = try await body()
        } catch {
            do { try await state.unlock(id: lock.id) } catch let unlockError {
                output.progress("! could not release the state lock \(lock.id): \(Engine.describe(unlockError))")
            }
            throw error
        }
        do { try await state.unlock(id: lock.id) } catch {
            throw EngineError(.state, "could not release the state lock \(lock.id): \(Engine.describe(error)); "
                              + "run tend force-unlock \(lock.id)")
        }
        return value
    }

    /// Takes the state lock for an operation; the caller releases it.
    ///
    /// A lock whose holder is gone from this host (see `LockInfo.isStale`) is broken on the spot, with an audit
    /// row naming the holder; runs it left unfinished are finished as `abandoned`. A live holder, or one on another
    /// host, is waited for up to `lockTimeout` seconds, polling; then its lock error is thrown. A cancelled task
    /// stops waiting (and takes nothing) with `CancellationError`.
    func acquireLock(operation: String) async throws -> LockInfo {
        let deadline = clock().addingTimeInterval(max(0, lockTimeout))
        var announcedWait = false
        while true {
            try Task.checkCancellation()
            let info = LockInfo(id: UUID().uuidString.lowercased(), holder: actor, operation: operation, pid: pid,
                                host: host, since: clock(), process: processIdentity)
            let conflict: StateError
            do {
                try await state.lock(info)
                return info
            } catch let error as StateError where error.code == .locked || error.code == .staleLock {
                conflict = error
            }
            if let held = try await state.currentLock(), held.isStale {
                if try await breakStale(held, taking: info) { return info }
                continue
            }
            guard clock() < deadline else { throw conflict }
            if !announcedWait {
                output.notice("Waiting up to \(Self.seconds(lockTimeout)) for the state lock: \(conflict.message)")
                announcedWait = true
            }
            try await Task.sleep(nanoseconds: UInt64(Self.lockPollInterval * 1_000_000_000))
        }
    }

    /// Replaces a stale lock with `info`, recording it in the audit log. False when another process got there first
    /// (the caller looks again).
    private func breakStale(_ stale: LockInfo, taking info: LockInfo) async throws -> Bool {
        let result = "holder \(stale.holder) (pid \(stale.pid) on \(stale.host), operation \(stale.operation), "
            + "since \(stale.since.ISO8601Format())) is gone"
        let audit = AuditDraft(who: actor, action: "break-stale-lock", target: stale.id, result: result, at: clock())
        let abandoned: Int
        do {
            abandoned = try await state.breakStaleLock(stale, taking: info, audit: audit)
        } catch let error as StateError where error.code == .locked || error.code == .staleLock {
            return false
        }
        let runs = abandoned == 0 ? "" : "; \(abandoned) unfinished run\(abandoned == 1 ? "" : "s") recorded as abandoned"
        output.notice("Broke the stale state lock \(stale.id): \(result)\(runs).")
        return true
    }

    /// `30s`, `2m 30s`: a duration for messages.
    static func seconds(_ value: Double) -> String {
        let whole = Int(value.rounded())
        if whole >= 60 { return "\(whole / 60)m" + (whole % 60 == 0 ? "" : " \(whole % 60)s") }
        return "\(whole)s"
    }
}
