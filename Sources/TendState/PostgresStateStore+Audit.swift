import Foundation

extension PostgresStateStore {
    private static let auditColumns = "seq, at, who, action, target, result, prev_hash, hash"

    public func appendAudit(who: String, action: String, target: String, result: String, at: Date) throws {
        try write { connection in
            try insertAudit(AuditDraft(who: who, action: action, target: target, result: result, at: at), on: connection)
        }
    }

    /// Appends one audit row inside the caller's transaction, chained to the stack's last row. The caller's
    /// transaction holds the stack's write lock, so no other row is appended in between.
    func insertAudit(_ draft: AuditDraft, on connection: PostgresConnection) throws {
        let last = try connection.execute(
            "SELECT \(Self.auditColumns) FROM audit_log WHERE stack = $1 ORDER BY seq DESC LIMIT 1", [.text(stack)])
            .first(Self.auditEntry)
        let entry = AuditChain.entry(after: last, at: draft.at, who: draft.who, action: draft.action,
                                     target: draft.target, result: draft.result)
        try insertAudit(entry, on: connection)
    }

    /// Inserts an audit row as it is (a chained entry, or one copied from another state).
    func insertAudit(_ entry: AuditEntry, on connection: PostgresConnection) throws {
        try connection.execute("""
            INSERT INTO audit_log (stack, \(Self.auditColumns))
            VALUES ($1, $2::bigint, $3::double precision, $4, $5, $6, $7, $8, $9)
            """, [
                .text(stack), .integer(entry.sequence), .real(entry.at.timeIntervalSince1970), .text(entry.who),
                .text(entry.action), .text(entry.target), .text(entry.result), .text(entry.previousHash),
                .text(entry.hash),
            ])
    }

    public func auditLog() throws -> [AuditEntry] {
        try read { connection in
            try connection.execute("SELECT \(Self.auditColumns) FROM audit_log WHERE stack = $1 ORDER BY seq",
                                   [.text(stack)]).map(Self.auditEntry)
        }
    }

    public func verifyAuditChain() throws -> Int64? {
        AuditChain.firstBrokenSequence(in: try auditLog())
    }

    private static func auditEntry(_ row: PostgresRow) -> AuditEntry {
        AuditEntry(sequence: row.int64(0), at: Date(timeIntervalSince1970: row.double(1)), who: row.text(2),
                   action: row.text(3), target: row.text(4), result: row.text(5), previousHash: row.text(6),
                   hash: row.text(7))
    }
}
