import Foundation

/// The lock as a lease with a fencing token (see `SQLiteStateStore`): the `lock` row names the holder, the one `lease`
/// row keeps the last token taken and the expiry of the lock it belongs to.
extension SQLiteStateStore {
    /// The lock row and its lease, read inside a transaction.
    struct Lease {
        /// The holder; nil when the lock is free.
        var info: LockInfo?
        /// The last fencing token taken on this file (0 before the first).
        var token: Int64
        /// When the holder's lease runs out, on the wall clock (seconds since 1970); nil for a lock without a lease.
        var expiresAt: Double?
        /// The wall clock when the row was read.
        var now: Double

        /// Whether the holder's lease ran out, so another process may take the lock.
        var isExpired: Bool {
            expiresAt.map { $0 <= now } ?? false
        }
    }

    /// Taking the lock is the first write of a command that writes: one that may add to the history checks it here,
    /// so a damaged history is refused before anything is written.
    public func lock(_ info: LockInfo) throws {
        let database = try openForWriting()
        if !Self.operationsWithoutHistory.contains(info.operation) { try checkHistory(writing: true) }
        let token = try transaction(on: database, fenced: false) { connection in
            let lease = try Self.lease(on: connection)
            // A holder that is gone is broken by the caller (`breakStaleLock`), with its audit row and abandoned runs,
            // whether or not its lease ran out; an expired lease of a live holder (paused, or on another host) is taken.
            if let holder = lease.info, !lease.isExpired || holder.isStale { throw Self.conflict(holder, lease: lease) }
            try connection.run("DELETE FROM lock WHERE slot = 1")
            return try take(info, after: lease, on: connection)
        }
        hold(HeldLease(id: info.id, token: token), renewingOn: database)
    }

    public func unlock(id: String) throws {
        try writeIfExists(missing: (), fenced: false) { connection in
            try connection.run("DELETE FROM lock WHERE id = ?1", [.text(id)])
        }
        if leases.current?.id == id { hold(nil, renewingOn: nil) }
    }

    public func currentLock() throws -> LockInfo? {
        try read(empty: nil) { try Self.lockInfo(on: $0) }
    }

    public func forceUnlock(id: String) throws {
        let removed = try writeIfExists(missing: 0, fenced: false) { connection in
            try connection.run("DELETE FROM lock WHERE id = ?1", [.text(id)])
        }
        if leases.current?.id == id { hold(nil, renewingOn: nil) }
        guard removed > 0 else { throw StateError(.noSuchLock, "no lock with ID \(id) on \(path)") }
    }

    @discardableResult
    public func breakStaleLock(_ stale: LockInfo, taking info: LockInfo, audit: AuditDraft) throws -> Int {
        let database = try openForWriting()
        let (finished, token) = try transaction(on: database, fenced: false) { connection -> (Int, Int64) in
            let lease = try Self.lease(on: connection)
            guard let held = lease.info else {
                throw StateError(.locked, "the stale lock \(stale.id) was removed by someone else; try again")
            }
            guard held.id == stale.id else { throw Self.conflict(held, lease: lease) }
            try connection.run("DELETE FROM lock WHERE id = ?1", [.text(stale.id)])
            // Only a lock holder starts runs, so every unfinished run is the gone holder's.
            let finished = try connection.run("""
                UPDATE runs SET finished_at = ?1, outcome = 'abandoned' WHERE finished_at IS NULL
                """, [.real(audit.at.timeIntervalSince1970)])
            try Self.insertAudit(audit, on: connection)
            return (finished, try take(info, after: lease, on: connection))
        }
        hold(HeldLease(id: info.id, token: token), renewingOn: database)
        return finished
    }

    /// Fails with `.fenced` unless `fence` is still the file's current lock and token. It runs inside the caller's
    /// `BEGIN IMMEDIATE` transaction, which keeps every other process from taking the lock until it ends. A lease that
    /// ran out but that nobody took is still this holder's: the write goes on.
    ///
    /// The error does not stop the database here (`stopsWriting` is set by `write` once the transaction is rolled
    /// back), so the lost holder can still release what it holds, which changes nothing.
    func checkFence(_ fence: HeldLease, on connection: SQLiteConnection) throws {
        let lease = try Self.lease(on: connection)
        guard let holder = lease.info, holder.id == fence.id, lease.token == fence.token else {
            let now = lease.info.map { holder in
                StateError.fencedHolder(holder.holder, pid: Int64(holder.pid), host: holder.host, id: holder.id, token: lease.token)
            }
            var error = StateError.fenced(fence, of: path, now: now)
            error.stopsWriting = false
            throw error
        }
    }

    /// Writes `info` as the holder with a lease of `leaseDuration` from now and the token after `lease`'s, which it
    /// returns. The lock row must be free.
    private func take(_ info: LockInfo, after lease: Lease, on connection: SQLiteConnection) throws -> Int64 {
        let token = lease.token + 1
        try connection.run("""
            INSERT INTO lock (slot, id, holder, operation, pid, host, since, process) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """, [
                .text(info.id), .text(info.holder), .text(info.operation), .integer(Int64(info.pid)),
                .text(info.host), .real(info.since.timeIntervalSince1970), info.process.map { .text($0) } ?? .null,
            ])
        try connection.run("""
            INSERT INTO lease (slot, token, lock_id, expires_at) VALUES (1, ?1, ?2, ?3)
            ON CONFLICT (slot) DO UPDATE SET token = excluded.token, lock_id = excluded.lock_id, expires_at = excluded.expires_at
            """, [.integer(token), .text(info.id), .real(lease.now + leaseDuration)])
        return token
    }

    /// The lock row, the last token and the holder's expiry, with the wall clock now.
    static func lease(on connection: SQLiteConnection) throws -> Lease {
        let info = try lockInfo(on: connection)
        let row = try connection.queryFirst("""
            SELECT (SELECT token FROM lease WHERE slot = 1), (SELECT lock_id FROM lease WHERE slot = 1),
                   (SELECT expires_at FROM lease WHERE slot = 1), \(nowSQL)
            """) { row in (row.isNull(0) ? 0 : row.int64(0), row.optionalText(1), row.optionalDouble(2), row.double(3)) }
        let (token, lockID, expiresAt, now) = row ?? (0, nil, nil, 0)
        return Lease(info: info, token: token, expiresAt: info != nil && lockID == info?.id ? expiresAt : nil, now: now)
    }

    /// The wall clock of this process, as SQLite reads it, in seconds since 1970.
    static let nowSQL = "(julianday('now') - 2440587.5) * 86400.0"

    private static func lockInfo(on connection: SQLiteConnection) throws -> LockInfo? {
        try connection.queryFirst("SELECT id, holder, operation, pid, host, since, process FROM lock WHERE slot = 1") { row in
            LockInfo(id: row.text(0), holder: row.text(1), operation: row.text(2),
                     pid: Int32(truncatingIfNeeded: row.int64(3)), host: row.text(4),
                     since: Date(timeIntervalSince1970: row.double(5)), process: row.optionalText(6))
        }
    }

    /// The error for taking a lock `holder` holds: `LockInfo.conflictError()`, with the lease's expiry.
    private static func conflict(_ holder: LockInfo, lease: Lease) -> StateError {
        var error = holder.conflictError()
        if let expiresAt = lease.expiresAt {
            error.message += " (its lease runs until \(Date(timeIntervalSince1970: expiresAt).ISO8601Format()) unless renewed)"
        }
        return error
    }

    /// Records the lock this store now holds, and starts renewing its lease on `database` (when `renewsLease`).
    ///
    /// The renewal thread holds the database weakly: the store alone keeps it open, so that when the store goes (a
    /// command ending) the connection closes at once and SQLite folds the WAL into the file, as without a lease,
    /// whether or not the thread has woken up to end yet.
    private func hold(_ lease: HeldLease?, renewingOn database: SQLiteDatabase?) {
        var renewal: (@Sendable (HeldLease) -> Bool)?
        if let database, renewsLease {
            renewal = { [weak database, leaseDuration] lease in
                guard let database else { return false }
                return Self.renew(lease, leaseDuration: leaseDuration, database: database)
            }
        }
        leases.hold(lease, every: HeldLease.renewalInterval(for: leaseDuration), renewal: renewal)
    }

    /// Extends a held lease by `leaseDuration` from now; false when it is no longer held (released, or taken over).
    private static func renew(_ lease: HeldLease, leaseDuration: Double, database: SQLiteDatabase) -> Bool {
        do {
            return try database.withConnection { connection in
                try connection.run("""
                    UPDATE lease SET expires_at = \(nowSQL) + ?3
                    WHERE slot = 1 AND token = ?1 AND lock_id = ?2 AND EXISTS (SELECT 1 FROM lock WHERE slot = 1 AND id = ?2)
                    """, [.integer(lease.token), .text(lease.id), .real(leaseDuration)])
            } == 1
        } catch let error as StateError where error.stopsWriting {
            // The file can no longer be written; nothing more is renewed, and the holder's own writes fail too.
            return false
        } catch {
            // Not lost yet: another writer may have kept the file busy; the next renewal tries again.
            return true
        }
    }
}
