import Foundation

/// The lock as a lease with a fencing token (see `PostgresStateStore`).
extension PostgresStateStore {
    /// The lease row of a stack.
    struct Lease {
        var token: Int64
        /// The holder; nil when the lock is free.
        var info: LockInfo?
        /// Whether the lease ran out (on the server's clock).
        var isExpired: Bool
        var expiresAt: String?
    }

    public func lock(_ info: LockInfo) throws {
        let token = try session().transaction { connection in
            try guardAcquisition(on: connection)
            let lease = try lease(on: connection)
            if let lease, let holder = lease.info, !lease.isExpired { throw conflict(holder, lease: lease) }
            return try take(info, on: connection)
        }
        hold(HeldLease(id: info.id, token: token))
    }

    public func unlock(id: String) throws {
        // Releasing a lock someone else holds changes nothing, as with SQLite: the count does not matter here.
        _ = try session().transaction { connection in
            try release(id: id, on: connection)
        }
        if heldLease?.id == id { hold(nil) }
    }

    public func currentLock() throws -> LockInfo? {
        try read { try lease(on: $0, locking: false)?.info }
    }

    public func forceUnlock(id: String) throws {
        let removed = try session().transaction { connection in
            try release(id: id, on: connection)
        }
        if heldLease?.id == id { hold(nil) }
        guard removed > 0 else { throw StateError(.noSuchLock, "no lock with ID \(id) on \(location)") }
    }

    @discardableResult
    public func breakStaleLock(_ stale: LockInfo, taking info: LockInfo, audit: AuditDraft) throws -> Int {
        let (finished, token) = try session().transaction { connection -> (Int, Int64) in
            try guardAcquisition(on: connection)
            try connection.execute("SELECT pg_advisory_xact_lock(2, hashtext($1::text))", [.text(lockKey)])
            guard let lease = try lease(on: connection), let holder = lease.info else {
                throw StateError(.locked, "the stale lock \(stale.id) was removed by someone else; try again")
            }
            guard holder.id == stale.id else { throw conflict(holder, lease: lease) }
            // Only a lock holder starts runs, so every unfinished run of the stack is the gone holder's.
            let finished = try connection.execute("""
                UPDATE runs SET finished_at = $2::double precision, outcome = 'abandoned'
                WHERE stack = $1 AND finished_at IS NULL
                """, [.text(stack), .real(audit.at.timeIntervalSince1970)]).changedRows
            try insertAudit(audit, on: connection)
            return (finished, try take(info, on: connection))
        }
        hold(HeldLease(id: info.id, token: token))
        return finished
    }

    /// Fails with `.fenced` unless `fence` is still the stack's current lease; locks the lease row until the caller's
    /// transaction ends, so nobody takes the lock over while it writes. A lease that ran out but that nobody took is
    /// still this holder's: the write goes on.
    func checkFence(_ fence: HeldLease, on connection: PostgresConnection) throws {
        let current = try connection.execute("""
            SELECT token, id, holder, host, pid FROM lease WHERE stack = $1 FOR SHARE
            """, [.text(stack)]).first { row in (row.int64(0), row.optionalText(1), row.text(2), row.text(3), row.int64(4)) }
        guard let current, current.0 == fence.token, current.1 == fence.id else {
            let now = current.flatMap { current in
                current.1.map { StateError.fencedHolder(current.2, pid: current.4, host: current.3, id: $0, token: current.0) }
            }
            throw StateError.fenced(fence, of: "stack \(stack)", now: now)
        }
    }

    /// Takes the transaction-scoped advisory lock that guards acquiring this stack's lease. Another tend taking the
    /// lock at this very moment holds it for a few milliseconds: wait up to a second, then report it as holding.
    private func guardAcquisition(on connection: PostgresConnection) throws {
        for _ in 0..<50 {
            let taken = try connection.execute("SELECT pg_try_advisory_xact_lock(1, hashtext($1::text))", [.text(lockKey)])
                .first { $0.bool(0) } ?? false
            if taken { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw StateError(.locked, "the state lock of stack \(stack) is being taken by another tend right now; "
            + "wait for it with --lock-timeout DURATION (e.g. --lock-timeout 2m)")
    }

    /// The stack's lease row; with `locking`, locked until the transaction ends.
    private func lease(on connection: PostgresConnection, locking: Bool = true) throws -> Lease? {
        try connection.execute("""
            SELECT token, id, holder, operation, pid, host, since, process, expires_at <= now(), expires_at
            FROM lease WHERE stack = $1 \(locking ? "FOR UPDATE" : "")
            """, [.text(stack)]).first { row in
            let info = row.isNull(1) ? nil : LockInfo(
                id: row.text(1), holder: row.text(2), operation: row.text(3), pid: Int32(truncatingIfNeeded: row.int64(4)),
                host: row.text(5), since: Date(timeIntervalSince1970: row.double(6)), process: row.optionalText(7))
            return Lease(token: row.int64(0), info: info, isExpired: row.bool(8), expiresAt: row.optionalText(9))
        }
    }

    /// Writes `info` as the holder with a new lease and the next fencing token, which it returns.
    private func take(_ info: LockInfo, on connection: PostgresConnection) throws -> Int64 {
        try connection.execute("""
            INSERT INTO lease (stack, token, id, holder, operation, pid, host, since, process, expires_at)
            VALUES ($1, 1, $2, $3, $4, $5::bigint, $6, $7::double precision, $8,
                    now() + make_interval(secs => $9::double precision))
            ON CONFLICT (stack) DO UPDATE SET token = lease.token + 1, id = excluded.id, holder = excluded.holder,
                operation = excluded.operation, pid = excluded.pid, host = excluded.host, since = excluded.since,
                process = excluded.process, expires_at = excluded.expires_at
            RETURNING token
            """, [
                .text(stack), .text(info.id), .text(info.holder), .text(info.operation), .integer(Int64(info.pid)),
                .text(info.host), .real(info.since.timeIntervalSince1970), .optionalText(info.process), .real(leaseDuration),
            ]).first { $0.int64(0) } ?? 0
    }

    /// Frees the lock if `id` holds it (the token stays); returns how many rows changed.
    private func release(id: String, on connection: PostgresConnection) throws -> Int {
        try connection.execute("""
            UPDATE lease SET id = NULL, holder = NULL, operation = NULL, pid = NULL, host = NULL, since = NULL,
                process = NULL, expires_at = NULL
            WHERE stack = $1 AND id = $2
            """, [.text(stack), .text(id)]).changedRows
    }

    /// The error for taking a lock `holder` holds: as with SQLite, with the lease's expiry.
    private func conflict(_ holder: LockInfo, lease: Lease) -> StateError {
        var error = holder.conflictError()
        if let expiresAt = lease.expiresAt { error.message += " (its lease runs until \(expiresAt) unless renewed)" }
        return error
    }

    /// Extends a held lease by `leaseDuration` from now; false when it is no longer held (released, or taken over).
    static func renew(_ lease: HeldLease, stack: String, leaseDuration: Double, session: PostgresSession) -> Bool {
        do {
            return try session.read { connection in
                try connection.execute("""
                    UPDATE lease SET expires_at = now() + make_interval(secs => $4::double precision)
                    WHERE stack = $1 AND token = $2::bigint AND id = $3
                    """, [.text(stack), .integer(lease.token), .text(lease.id), .real(leaseDuration)]).changedRows
            } == 1
        } catch {
            // Not lost yet: the server may be back before the lease runs out; the next renewal tries again.
            return true
        }
    }
}
