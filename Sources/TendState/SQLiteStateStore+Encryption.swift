import Foundation
import TendModel

/// The encryption the state records (`meta.encryption`) and `tend state rekey`'s rewrite of every sealed value.
extension SQLiteStateStore {
    public func encryption() throws -> StateEncryption? {
        try read(empty: nil) { connection in
            try Self.encryption(on: connection, path: path)
        }
    }

    public func recordEncryption(_ encryption: StateEncryption) throws {
        try write { connection in
            if try Self.version(on: connection) == nil {
                _ = try Self.create(serial: 0, stackID: Self.newStackID(), on: connection)
            }
            try connection.run("UPDATE meta SET encryption = ?1 WHERE id = 1", [.text(encryption.encoded)])
        }
    }

    /// The values it replaces do not linger in the file: what the rewrite frees is zeroed where it lay (SQLite's
    /// `secure_delete`), and the write-ahead log, whose older frames hold the pages as they were, is folded into the
    /// file and emptied once the rewrite is committed.
    public func reseal(to encryption: StateEncryption?, audit: AuditDraft, rewrite: StateRewrite) throws -> StateRewrite.Counts {
        let counts = try writeHistory { connection in
            try connection.execute("PRAGMA secure_delete = ON")
            defer {
                // Back to SQLite's default for this connection's later writes; failing that costs only their speed.
                try? connection.execute("PRAGMA secure_delete = OFF")
            }
            return try rewriteEverySealedValue(to: encryption, audit: audit, rewrite: rewrite, on: connection)
        }
        try openForWriting().withConnection { try $0.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        return counts
    }

    private func rewriteEverySealedValue(to encryption: StateEncryption?, audit: AuditDraft, rewrite: StateRewrite,
                                         on connection: SQLiteConnection) throws -> StateRewrite.Counts {
        guard try Self.version(on: connection) != nil else {
            throw StateError(.notFound, "there is no state at \(path) to re-encrypt")
        }
        var counts = StateRewrite.Counts()
        let resources = try connection.query("SELECT \(Self.resourceColumns) FROM resources", row: Self.record)
        for record in resources {
            try Self.upsert(Self.values(try rewrite.record(record)), on: connection)
            counts.resources += 1
        }
        let deposed = try connection.query("SELECT \(Self.resourceColumns) FROM deposed", row: Self.record)
        for record in deposed {
            let rewritten = try rewrite.record(record)
            try connection.run("UPDATE deposed SET attributes = ?3, private = ?4 WHERE address = ?1 AND id = ?2", [
                .text(record.address.description), .text(record.id), .text(StateJSON.encode(rewritten.attributes)),
                .optionalText(rewritten.privateData),
            ])
            counts.deposed += 1
        }
        let history = try connection.query("""
            SELECT seq, serial, run_id, address, action, before, after, at FROM history ORDER BY seq
            """) { row in
            (row.int64(0), HistoryEntry(
                serial: Int(row.int64(1)), runID: row.int64(2),
                address: try StateJSON.address(row.text(3), column: "history.address"), action: row.text(4),
                before: try row.optionalText(5).map { try StateJSON.decodeAttributes($0, column: "history.before") },
                after: try row.optionalText(6).map { try StateJSON.decodeAttributes($0, column: "history.after") },
                at: Date(timeIntervalSince1970: row.double(7))))
        }
        for (sequence, entry) in history {
            let rewritten = try rewrite.history(entry)
            try connection.run("UPDATE history SET before = ?2, after = ?3 WHERE seq = ?1", [
                .integer(sequence), .optionalText(rewritten.before.map(StateJSON.encode)),
                .optionalText(rewritten.after.map(StateJSON.encode)),
            ])
            counts.history += 1
        }
        for finding in try connection.query("SELECT \(Self.findingColumns) FROM drift_findings", row: Self.finding) {
            let rewritten = try rewrite.finding(finding)
            try connection.run("UPDATE drift_findings SET expected = ?2, actual = ?3, context = ?4 WHERE id = ?1", [
                .integer(finding.id), .optionalText(rewritten.expected?.canonicalJSON),
                .optionalText(rewritten.actual?.canonicalJSON), Self.contextColumn(rewritten.context),
            ])
            counts.findings += 1
        }
        let outputs = try connection.query("SELECT name, value, sensitive FROM outputs ORDER BY name") { row in
            OutputValue(name: row.text(0), value: try StateJSON.decodeValue(row.text(1), column: "outputs.value"),
                        sensitive: row.int64(2) != 0)
        }
        for output in outputs {
            let rewritten = try rewrite.output(output)
            try connection.run("UPDATE outputs SET value = ?2 WHERE name = ?1", [.text(output.name), .text(rewritten.value.canonicalJSON)])
            counts.outputs += 1
        }
        try connection.run("UPDATE meta SET encryption = ?1 WHERE id = 1", [.optionalText(encryption?.encoded)])
        try Self.insertAudit(audit, on: connection)
        return counts
    }

    static func encryption(on connection: SQLiteConnection, path: String) throws -> StateEncryption? {
        guard let text = try connection.queryFirst("SELECT encryption FROM meta WHERE id = 1", row: { $0.optionalText(0) }),
              let text else { return nil }
        return try StateEncryption.decode(text, where: "\(path): meta.encryption")
    }
}
