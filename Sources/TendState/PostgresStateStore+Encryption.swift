import Foundation
import TendModel

/// The encryption the stack records (`meta.encryption`) and `tend state rekey`'s rewrite of every sealed value.
extension PostgresStateStore {
    public func encryption() throws -> StateEncryption? {
        try read { connection in
            guard let text = try connection.execute("SELECT encryption FROM meta WHERE stack = $1", [.text(stack)])
                .first({ $0.optionalText(0) }), let text else { return nil }
            return try StateEncryption.decode(text, where: "\(location): meta.encryption")
        }
    }

    public func recordEncryption(_ encryption: StateEncryption) throws {
        try write { connection in
            if try version(on: connection) == nil {
                _ = try create(serial: 0, stackID: SQLiteStateStore.newStackID(), on: connection)
            }
            try connection.execute("UPDATE meta SET encryption = $2 WHERE stack = $1",
                                   [.text(stack), .text(encryption.encoded)])
        }
    }

    public func reseal(to encryption: StateEncryption?, audit: AuditDraft, rewrite: StateRewrite) throws -> StateRewrite.Counts {
        let key = PostgresValue.text(stack)
        return try write { connection in
            // The meta row, locked: a rekey and any other write of this stack do not interleave.
            guard try connection.execute("SELECT 1 FROM meta WHERE stack = $1 FOR UPDATE", [key]).first({ _ in true }) != nil else {
                throw StateError(.notFound, "there is no state at \(location) to re-encrypt")
            }
            var counts = StateRewrite.Counts()
            let resources = try connection.execute("SELECT \(Self.resourceColumns) FROM resources WHERE stack = $1", [key])
                .map { try SQLiteStateStore.record($0, sharing: .none) }
            for record in resources {
                try upsert(Self.values(try rewrite.record(record)), on: connection)
                counts.resources += 1
            }
            let deposed = try connection.execute("SELECT \(Self.resourceColumns) FROM deposed WHERE stack = $1", [key])
                .map { try SQLiteStateStore.record($0, sharing: .none) }
            for record in deposed {
                let rewritten = try rewrite.record(record)
                try connection.execute("""
                    UPDATE deposed SET attributes = $4, private = $5 WHERE stack = $1 AND address = $2 AND id = $3
                    """, [
                    key, .text(record.address.description), .text(record.id), .text(StateJSON.encode(rewritten.attributes)),
                    .optionalText(rewritten.privateData),
                ])
                counts.deposed += 1
            }
            let history = try connection.execute("""
                SELECT seq, serial, run_id, address, action, before, after, at FROM history WHERE stack = $1 ORDER BY seq
                """, [key]).map { row in
                (row.int64(0), HistoryEntry(
                    serial: Int(row.int64(1)), runID: row.int64(2),
                    address: try StateJSON.address(row.text(3), column: "history.address"), action: row.text(4),
                    before: try row.optionalText(5).map { try StateJSON.decodeAttributes($0, column: "history.before") },
                    after: try row.optionalText(6).map { try StateJSON.decodeAttributes($0, column: "history.after") },
                    at: Date(timeIntervalSince1970: row.double(7))))
            }
            for (sequence, entry) in history {
                let rewritten = try rewrite.history(entry)
                try connection.execute("UPDATE history SET before = $3, after = $4 WHERE stack = $1 AND seq = $2::bigint", [
                    key, .integer(sequence), .optionalText(rewritten.before.map(StateJSON.encode)),
                    .optionalText(rewritten.after.map(StateJSON.encode)),
                ])
                counts.history += 1
            }
            let findings = try connection.execute("SELECT \(Self.findingColumns) FROM drift_findings WHERE stack = $1", [key])
                .map(Self.finding)
            for finding in findings {
                let rewritten = try rewrite.finding(finding)
                try connection.execute("""
                    UPDATE drift_findings SET expected = $3, actual = $4, context = $5 WHERE stack = $1 AND id = $2::bigint
                    """, [
                    key, .integer(finding.id), .optionalText(rewritten.expected?.canonicalJSON),
                    .optionalText(rewritten.actual?.canonicalJSON), Self.contextColumn(rewritten.context),
                ])
                counts.findings += 1
            }
            let outputs = try connection.execute("SELECT name, value, sensitive FROM outputs WHERE stack = $1 ORDER BY name", [key])
                .map { row in
                    OutputValue(name: row.text(0), value: try StateJSON.decodeValue(row.text(1), column: "outputs.value"),
                                sensitive: row.int64(2) != 0)
                }
            for output in outputs {
                let rewritten = try rewrite.output(output)
                try connection.execute("UPDATE outputs SET value = $3 WHERE stack = $1 AND name = $2",
                                       [key, .text(output.name), .text(rewritten.value.canonicalJSON)])
                counts.outputs += 1
            }
            try connection.execute("UPDATE meta SET encryption = $2 WHERE stack = $1", [key, .optionalText(encryption?.encoded)])
            try insertAudit(audit, on: connection)
            return counts
        }
    }
}
