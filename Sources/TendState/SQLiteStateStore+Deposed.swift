import Foundation
import TendModel

extension SQLiteStateStore {
    public func depose(_ address: ResourceAddress, intent: ResourceRecord) throws {
        let intentValues = Self.values(intent)
        try write { connection in
            try connection.run("""
                INSERT OR REPLACE INTO deposed (\(Self.resourceColumns))
                SELECT \(Self.resourceColumns) FROM resources WHERE address = ?1 AND status = 'created'
                """, [.text(address.description)])
            try Self.upsert(intentValues, on: connection)
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
        try write(addsHistory: historyValues != nil) { connection in
            try connection.run("DELETE FROM deposed WHERE address = ?1 AND id = ?2", [.text(address.description), .text(id)])
            if let historyValues { try insertHistory(historyValues, on: connection) }
            if let audit { try Self.insertAudit(audit, on: connection) }
        }
    }
}
