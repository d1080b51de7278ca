import Foundation

/// The lock as a lease with a fencing token (see `InMemoryStateStore`), as with SQLite.
extension InMemoryStateStore {
    public func lock(_ info: LockInfo) throws {
        let now = clock()
        let token = try withContents { contents in
            // A holder that is gone is broken by the caller (`breakStaleLock`), with its audit row and abandoned runs,
            // whether or not its lease ran out; an expired lease of a live holder is taken.
            if let held = contents.lock, !Self.isExpired(contents, at: now) || held.isStale {
                throw Self.conflict(held, in: contents)
            }
            return take(info, at: now, in: &contents)
        }
        hold(HeldLease(id: info.id, token: token))
    }

    public func unlock(id: String) throws {
        withContents { contents in
            if contents.lock?.id == id { Self.release(&contents) }
        }
        if leases.current?.id == id { hold(nil) }
    }

    public func currentLock() throws -> LockInfo? {
        withContents { $0.lock }
    }

    public func forceUnlock(id: String) throws {
        try withContents { contents in
            guard contents.lock?.id == id else { throw StateError(.noSuchLock, "no lock with ID \(id)") }
            Self.release(&contents)
        }
        if leases.current?.id == id { hold(nil) }
    }

    @discardableResult
    public func breakStaleLock(_ stale: LockInfo, taking info: LockInfo, audit: AuditDraft) throws -> Int {
        let now = clock()
        let (finished, token) = try withContents { contents -> (Int, Int64) in
            guard let held = contents.lock else {
                throw StateError(.locked, "the stale lock \(stale.id) was removed by someone else; try again")
            }
            guard held.id == stale.id else { throw Self.conflict(held, in: contents) }
            var finished = 0
            for index in contents.runs.indices where contents.runs[index].finishedAt == nil {
                contents.runs[index].finishedAt = audit.at
                contents.runs[index].outcome = "abandoned"
                finished += 1
            }
            Self.appendAudit(audit, to: &contents)
            return (finished, take(info, at: now, in: &contents))
        }
        hold(HeldLease(id: info.id, token: token))
        return finished
    }

    /// Fails with `.fenced` unless `fence` is still the current lock and token. A lease that ran out but that nobody
    /// took is still this holder's: the write goes on.
    static func checkFence(_ fence: HeldLease, in contents: Contents) throws {
        guard let holder = contents.lock, holder.id == fence.id, contents.lastToken == fence.token else {
            let now = contents.lock.map { holder in
                StateError.fencedHolder(holder.holder, pid: Int64(holder.pid), host: holder.host, id: holder.id,
                                        token: contents.lastToken)
            }
            throw StateError.fenced(fence, of: "the state in memory", now: now)
        }
    }

    /// Makes `info` the holder with a lease of `leaseDuration` from `now` and the next fencing token, which it returns.
    private func take(_ info: LockInfo, at now: Date, in contents: inout Contents) -> Int64 {
        contents.lastToken += 1
        contents.lock = info
        contents.lockExpiresAt = now.addingTimeInterval(leaseDuration)
        return contents.lastToken
    }

    /// Frees the lock; the token stays.
    private static func release(_ contents: inout Contents) {
        contents.lock = nil
        contents.lockExpiresAt = nil
    }

    /// Whether the holder's lease ran out by `now`.
    private static func isExpired(_ contents: Contents, at now: Date) -> Bool {
        contents.lockExpiresAt.map { $0 <= now } ?? false
    }

    /// The error for taking a lock `holder` holds: `LockInfo.conflictError()`, with the lease's expiry.
    private static func conflict(_ holder: LockInfo, in contents: Contents) -> StateError {
        var error = holder.conflictError()
        if let expiresAt = contents.lockExpiresAt {
            error.message += " (its lease runs until \(expiresAt.ISO8601Format()) unless renewed)"
        }
        return error
    }

    /// Records the lock this handle now holds, and starts renewing its lease (when `renewsLease`).
    private func hold(_ lease: HeldLease?) {
        var renewal: (@Sendable (HeldLease) -> Bool)?
        if renewsLease {
            renewal = { [storage, clock, leaseDuration] lease in
                Self.renew(lease, in: storage, until: clock().addingTimeInterval(leaseDuration))
            }
        }
        leases.hold(lease, every: HeldLease.renewalInterval(for: leaseDuration), renewal: renewal)
    }

    /// Extends a held lease to `expiry`; false when it is no longer held (released, or taken over).
    private static func renew(_ lease: HeldLease, in storage: Storage, until expiry: Date) -> Bool {
        storage.mutex.lock()
        defer { storage.mutex.unlock() }
        guard storage.contents.lock?.id == lease.id, storage.contents.lastToken == lease.token else { return false }
        storage.contents.lockExpiresAt = expiry
        return true
    }
}
