import Foundation
import TendModel

/// The stack id and the edits made by hand (`state mv`, `state rm`, `drift accept`), each in one transaction.
extension SQLiteStateStore {
    public func stackID() throws -> String? {
        try read(empty: nil) { connection in
            try connection.queryFirst("SELECT stack_id FROM meta WHERE id = 1") { $0.optionalText(0) } ?? nil
        }
    }

    public func recordStackID(_ id: String) throws -> StateVersion {
        try write { connection in
            guard let existing = try Self.version(on: connection) else {
                return try Self.create(serial: 0, stackID: id, on: connection)
            }
            try connection.run("UPDATE meta SET stack_id = ?1 WHERE id = 1", [.text(id)])
            return existing
        }
    }

    public func move(from source: ResourceAddress, to destination: ResourceAddress, audit: AuditDraft) throws -> StateVersion {
        try write { connection in
            try Self.requireResource(source, on: connection)
            guard try connection.queryFirst("SELECT 1 FROM resources WHERE address = ?1",
                                            [.text(destination.description)], row: { _ in true }) == nil else {
                throw StateError(.conflict, "\(destination) already exists in state")
            }
            let version = try Self.bumpSerial(on: connection)
            try connection.run("UPDATE resources SET address = ?2 WHERE address = ?1",
                               [.text(source.description), .text(destination.description)])
            try Self.insertAudit(audit, on: connection)
            return version
        }
    }

    public func forget(_ address: ResourceAddress, audit: AuditDraft) throws -> StateVersion {
        try write { connection in
            try Self.requireResource(address, on: connection)
            let version = try Self.bumpSerial(on: connection)
            try connection.run("DELETE FROM resources WHERE address = ?1", [.text(address.description)])
            try Self.insertAudit(audit, on: connection)
            return version
        }
    }

    public func accept(_ acceptance: DriftAcceptance) throws -> [DriftFinding] {
        let record = acceptance.record
        let at = SQLiteValue.real(acceptance.at.timeIntervalSince1970)
        let values = Self.values(record)
        return try writeHistory { connection in
            try Self.requireResource(record.address, on: connection)
            let version = try Self.bumpSerial(on: connection)
            try connection.run("""
                INSERT INTO runs (kind, started_at, finished_at, outcome, counts, actor)
                VALUES (?1, ?2, ?2, 'succeeded', ?3, ?4)
                """, [.text(DriftAcceptance.runKind), at, .text(StateJSON.encode(counts: ["accepted": 1])),
                      .text(acceptance.audit.who)])
            let runID = connection.lastInsertRowID
            try Self.upsert(values, on: connection)
            let history = HistoryEntry(serial: version.serial, runID: runID, address: record.address, action: "accept",
                                       before: acceptance.before, after: acceptance.after, at: acceptance.at)
            try insertHistory(Self.values(history), on: connection)
            try Self.insertAudit(acceptance.audit, on: connection)
            let open = try connection.query(
                "SELECT id FROM drift_findings WHERE resolved_at IS NULL AND address = ?1 ORDER BY id",
                [.text(record.address.description)]) { $0.int64(0) }
            try connection.run("""
                UPDATE drift_findings SET resolved_at = ?2, resolution = 'accepted', resolved_run = ?3
                WHERE resolved_at IS NULL AND address = ?1
                """, [.text(record.address.description), at, .integer(runID)])
            return try open.compactMap { id in
                try connection.queryFirst("SELECT \(Self.findingColumns) FROM drift_findings WHERE id = ?1",
                                          [.integer(id)], row: Self.finding)
            }
        }
    }

    /// Throws `.notFound` unless the resource is in state.
    private static func requireResource(_ address: ResourceAddress, on connection: SQLiteConnection) throws {
        guard try connection.queryFirst("SELECT 1 FROM resources WHERE address = ?1",
                                        [.text(address.description)], row: { _ in true }) != nil else {
            throw StateError(.notFound, "no resource \(address) in state")
        }
    }

    /// Bumps the serial inside the caller's transaction (creating the state when there is none).
    private static func bumpSerial(on connection: SQLiteConnection) throws -> StateVersion {
        guard let existing = try version(on: connection) else {
            return try create(serial: 1, stackID: newStackID(), on: connection)
        }
        try connection.run("UPDATE meta SET serial = serial + 1 WHERE id = 1")
        return StateVersion(lineage: existing.lineage, serial: existing.serial + 1)
    }
}
