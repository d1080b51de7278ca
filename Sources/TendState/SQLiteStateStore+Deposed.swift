import Foundation
import TendModel

extension SQLiteStateStore {
    public func depose(_ address: ResourceAddress, intent: ResourceRecord) throws {
        let intentValues = Self.resourceValues(intent)
        try write { connection in
            try connection.run("""
                INSERT OR REPLACE INTO deposed (\(Self.resourceColumns))
                SELECT \(Self.resourceColumns) FROM resources WHERE address = ?1 AND status = 'created'
                """, [.text(address.description)])
            try Self.upsertResource(intentValues, on: connection)
        }
    }

    public func deposedObjects() throws -> [ResourceRecord] {
        try read(empty: []) { connection in
            try connection.query("SELECT \(Self.resourceColumns) FROM deposed ORDER BY address, id", row: Self.record)
                .sorted { ($0.address, $0.id) < ($1.address, $1.id) }
        }
    }

    public func removeDeposed(_ address: ResourceAddress, id: String, history: HistoryEntry?, audit: AuditDraft?) throws {
        let historyValues = history.map(Self.values)
        try write { connection in
            try connection.run("DELETE FROM deposed WHERE address = ?1 AND id = ?2", [.text(address.description), .text(id)])
            if let historyValues { try Self.insertHistory(historyValues, on: connection) }
            if let audit { try Self.insertAudit(audit, on: connection) }
        }
    }

    /// A resource's column values, in `resourceColumns` order.
    static func resourceValues(_ record: ResourceRecord) -> [SQLiteValue] {
        [
            .text(record.address.description), .text(record.type), .text(record.provider), .text(record.id),
            .text(StateJSON.encode(record.attributes)), .text(StateJSON.encode(paths: record.sensitivePaths)),
            .text(StateJSON.encode(addresses: record.dependencies)), .integer(Int64(record.schemaVersion)),
            .text(record.status.rawValue), .real(record.updatedAt.timeIntervalSince1970),
        ]
    }

    /// Inserts or replaces one resource row.
    static func upsertResource(_ values: [SQLiteValue], on connection: SQLiteConnection) throws {
        try connection.run("""
            INSERT INTO resources (\(resourceColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT (address) DO UPDATE SET type = excluded.type, provider = excluded.provider,
                id = excluded.id, attributes = excluded.attributes, sensitive_paths = excluded.sensitive_paths,
                dependencies = excluded.dependencies, schema_version = excluded.schema_version,
                status = excluded.status, updated_at = excluded.updated_at
            """, values)
    }
}
