import Foundation

extension SQLiteStateStore {
    private static let auditColumns = "seq, at, who, action, target, result, prev_hash, hash"

    public func appendAudit(who: String, action: String, target: String, result: String, at: Date) throws {
        try write { connection in
            try Self.insertAudit(AuditDraft(who: who, action: action, target: target, result: result, at: at), on: connection)
        }
    }

    /// Appends one audit row inside the caller's transaction, chained to the last row.
    static func insertAudit(_ draft: AuditDraft, on connection: SQLiteConnection) throws {
        let last = try connection.queryFirst(
                "SELECT \(Self.auditColumns) FROM audit_log ORDER BY seq DESC LIMIT 1", row: Self.auditEntry)
        let entry = AuditChain.entry(after: last, at: draft.at, who: draft.who, action: draft.action,
                                     target: draft.target, result: draft.result)
        try connection.run("""
            INSERT INTO audit_log (\(Self.auditColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """, [
                .integer(entry.sequence), .real(entry.at.timeIntervalSince1970), .text(entry.who),
                .text(entry.action), .text(entry.target), .text(entry.result), .text(entry.previousHash),
                .text(entry.hash),
            ])
    }

    public func auditLog() throws -> [AuditEntry] {
        try read(empty: []) { connection in
            try connection.query("SELECT \(Self.auditColumns) FROM audit_log ORDER BY seq", row: Self.auditEntry)
        }
    }

    public func verifyAuditChain() throws -> Int64? {
        AuditChain.firstBrokenSequence(in: try auditLog())
    }

    private static func auditEntry(_ row: SQLiteStatement) -> AuditEntry {
        AuditEntry(sequence: row.int64(0), at: Date(timeIntervalSince1970: row.double(1)), who: row.text(2),
                   action: row.text(3), target: row.text(4), result: row.text(5), previousHash: row.text(6),
                   hash: row.text(7))
    }
}
