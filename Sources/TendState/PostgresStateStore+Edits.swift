import Foundation
import TendModel

/// The stack id and the edits made by hand (`state mv`, `state rm`, `drift accept`), each in one transaction.
extension PostgresStateStore {
    public func stackID() throws -> String? {
        try read { connection in
            try connection.execute("SELECT stack_id FROM meta WHERE stack = $1", [.text(stack)])
                .first { $0.optionalText(0) } ?? nil
        }
    }

    public func recordStackID(_ id: String) throws -> StateVersion {
        try write { connection in
            guard let existing = try version(on: connection) else {
                return try create(serial: 0, stackID: id, on: connection)
            }
            try connection.execute("UPDATE meta SET stack_id = $2 WHERE stack = $1", [.text(stack), .text(id)])
            return existing
        }
    }

    public func move(from source: ResourceAddress, to destination: ResourceAddress, audit: AuditDraft) throws -> StateVersion {
        try write { connection in
            try requireResource(source, on: connection)
            guard try connection.execute("SELECT 1 FROM resources WHERE stack = $1 AND address = $2",
                                         [.text(stack), .text(destination.description)]).count == 0 else {
                throw StateError(.conflict, "\(destination) already exists in state")
            }
            let version = try bumpSerial(on: connection)
            try connection.execute("UPDATE resources SET address = $3 WHERE stack = $1 AND address = $2",
                                   [.text(stack), .text(source.description), .text(destination.description)])
            try insertAudit(audit, on: connection)
            return version
        }
    }

    public func forget(_ address: ResourceAddress, audit: AuditDraft) throws -> StateVersion {
        try write { connection in
            try requireResource(address, on: connection)
            let version = try bumpSerial(on: connection)
            try connection.execute("DELETE FROM resources WHERE stack = $1 AND address = $2",
                                   [.text(stack), .text(address.description)])
            try insertAudit(audit, on: connection)
            return version
        }
    }

    public func accept(_ acceptance: DriftAcceptance) throws -> [DriftFinding] {
        let record = acceptance.record
        let at = PostgresValue.real(acceptance.at.timeIntervalSince1970)
        let values = Self.values(record)
        let address = PostgresValue.text(record.address.description)
        return try write { connection in
            try requireResource(record.address, on: connection)
            let version = try bumpSerial(on: connection)
            let runID = try connection.execute("""
                INSERT INTO runs (stack, kind, started_at, finished_at, outcome, counts, actor)
                VALUES ($1, $2, $3::double precision, $3::double precision, 'succeeded', $4, $5) RETURNING id
                """, [.text(stack), .text(DriftAcceptance.runKind), at, .text(StateJSON.encode(counts: ["accepted": 1])),
                      .text(acceptance.audit.who)])
                .first { $0.int64(0) } ?? 0
            try upsert(values, on: connection)
            let history = HistoryEntry(serial: version.serial, runID: runID, address: record.address, action: "accept",
                                       before: acceptance.before, after: acceptance.after, at: acceptance.at)
            try insertHistory(Self.values(history), on: connection)
            try insertAudit(acceptance.audit, on: connection)
            return try connection.execute("""
                UPDATE drift_findings SET resolved_at = $3::double precision, resolution = 'accepted',
                    resolved_run = $4::bigint
                WHERE stack = $1 AND resolved_at IS NULL AND address = $2
                RETURNING \(Self.findingColumns)
                """, [.text(stack), address, at, .integer(runID)]).map(Self.finding).sorted { $0.id < $1.id }
        }
    }

    /// Throws `.notFound` unless the resource is in state.
    private func requireResource(_ address: ResourceAddress, on connection: PostgresConnection) throws {
        guard try connection.execute("SELECT 1 FROM resources WHERE stack = $1 AND address = $2",
                                     [.text(stack), .text(address.description)]).count > 0 else {
            throw StateError(.notFound, "no resource \(address) in state")
        }
    }
}
