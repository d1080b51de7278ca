import Foundation
import TendModel

extension PostgresStateStore {
    public func depose(_ address: ResourceAddress, intent: ResourceRecord) throws {
        let intentValues = Self.values(intent)
        try write { connection in
            try connection.execute("""
                INSERT INTO deposed (stack, \(Self.resourceColumns))
                SELECT stack, \(Self.resourceColumns) FROM resources WHERE stack = $1 AND address = $2 AND status = 'created'
                ON CONFLICT (stack, address, id) DO UPDATE SET type = excluded.type, provider = excluded.provider,
                    attributes = excluded.attributes, sensitive_paths = excluded.sensitive_paths,
                    dependencies = excluded.dependencies, schema_version = excluded.schema_version,
                    status = excluded.status, updated_at = excluded.updated_at, private = excluded.private
                """, [.text(stack), .text(address.description)])
            try upsert(intentValues, on: connection)
        }
    }

    public func deposedObjects() throws -> [ResourceRecord] {
        try read { connection in
            try connection.execute("SELECT \(Self.resourceColumns) FROM deposed WHERE stack = $1", [.text(stack)])
                .map { try SQLiteStateStore.record($0, sharing: .none) }
                .sorted { ($0.address, $0.id) < ($1.address, $1.id) }
        }
    }

    public func removeDeposed(_ address: ResourceAddress, id: String, history: HistoryEntry?, audit: AuditDraft?) throws {
        let historyValues = history.map(Self.values)
        try write { connection in
            try connection.execute("DELETE FROM deposed WHERE stack = $1 AND address = $2 AND id = $3",
                                   [.text(stack), .text(address.description), .text(id)])
            if let historyValues { try insertHistory(historyValues, on: connection) }
            if let audit { try insertAudit(audit, on: connection) }
        }
    }
}
