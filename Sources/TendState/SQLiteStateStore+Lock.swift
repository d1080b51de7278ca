import Foundation

extension SQLiteStateStore {
    public func lock(_ info: LockInfo) throws {
        try write { connection in
            if let held = try Self.lockInfo(on: connection) { throw held.conflictError() }
            try Self.insertLock(info, on: connection)
        }
    }

    public func unlock(id: String) throws {
        try writeIfExists(missing: ()) { connection in
            try connection.run("DELETE FROM lock WHERE id = ?1", [.text(id)])
        }
    }

    public func currentLock() throws -> LockInfo? {
        try read(empty: nil) { try Self.lockInfo(on: $0) }
    }

    public func forceUnlock(id: String) throws {
        let removed = try writeIfExists(missing: 0) { connection in
            try connection.run("DELETE FROM lock WHERE id = ?1", [.text(id)])
        }
        guard removed > 0 else { throw StateError(.noSuchLock, "no lock with ID \(id) on \(path)") }
    }

    @discardableResult
    public func breakStaleLock(_ stale: LockInfo, taking info: LockInfo, audit: AuditDraft) throws -> Int {
        try write { connection in
            guard let held = try Self.lockInfo(on: connection) else {
                throw StateError(.locked, "the stale lock \(stale.id) was removed by someone else; try again")
            }
            guard held.id == stale.id else { throw held.conflictError() }
            try connection.run("DELETE FROM lock WHERE id = ?1", [.text(stale.id)])
            // Only a lock holder starts runs, so every unfinished run is the gone holder's.
            let finished = try connection.run("""
                UPDATE runs SET finished_at = ?1, outcome = 'abandoned' WHERE finished_at IS NULL
                """, [.real(audit.at.timeIntervalSince1970)])
            try Self.insertAudit(audit, on: connection)
            try Self.insertLock(info, on: connection)
            return finished
        }
    }

    private static func insertLock(_ info: LockInfo, on connection: SQLiteConnection) throws {
        try connection.run("""
            INSERT INTO lock (slot, id, holder, operation, pid, host, since, process) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """, [
                .text(info.id), .text(info.holder), .text(info.operation), .integer(Int64(info.pid)),
                .text(info.host), .real(info.since.timeIntervalSince1970), info.process.map { .text($0) } ?? .null,
            ])
    }

    private static func lockInfo(on connection: SQLiteConnection) throws -> LockInfo? {
        try connection.queryFirst("SELECT id, holder, operation, pid, host, since, process FROM lock WHERE slot = 1") { row in
            LockInfo(id: row.text(0), holder: row.text(1), operation: row.text(2),
                     pid: Int32(truncatingIfNeeded: row.int64(3)), host: row.text(4),
                     since: Date(timeIntervalSince1970: row.double(5)), process: row.optionalText(6))
        }
    }
}
