import Foundation

extension SQLiteStateStore {
    public func lock(_ info: LockInfo) throws {
        try write { connection in
            if let held = try Self.lockInfo(on: connection) { throw held.conflictError() }
            try connection.run("""
                INSERT INTO lock (slot, id, holder, operation, pid, host, since) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
                """, [
                    .text(info.id), .text(info.holder), .text(info.operation), .integer(Int64(info.pid)),
                    .text(info.host), .real(info.since.timeIntervalSince1970),
                ])
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

    private static func lockInfo(on connection: SQLiteConnection) throws -> LockInfo? {
        try connection.queryFirst("SELECT id, holder, operation, pid, host, since FROM lock WHERE slot = 1") { row in
            LockInfo(id: row.text(0), holder: row.text(1), operation: row.text(2),
                     pid: Int32(truncatingIfNeeded: row.int64(3)), host: row.text(4),
                     since: Date(timeIntervalSince1970: row.double(5)))
        }
    }
}
