import Foundation

extension SQLiteStateStore: StateImporting {
    public func importSnapshot(_ snapshot: StateSnapshot) throws {
        try writeHistory { connection in
            let existing = try connection.queryFirst("""
                SELECT (SELECT count(*) FROM meta) + (SELECT count(*) FROM resources) + (SELECT count(*) FROM runs)
                     + (SELECT count(*) FROM history) + (SELECT count(*) FROM audit_log)
                """) { $0.int64(0) } ?? 0
            guard existing == 0 else {
                throw StateError(.conflict, "\(path) already holds a state: tend copies a state only into an empty one")
            }
            try connection.run("INSERT INTO meta (id, lineage, serial, stack_id, encryption) VALUES (1, ?1, ?2, ?3, ?4)", [
                .text(snapshot.version.lineage), .integer(Int64(snapshot.version.serial)), .optionalText(snapshot.stackID),
                .optionalText(snapshot.encryption?.encoded),
            ])
            for record in snapshot.resources { try Self.upsert(Self.values(record), on: connection) }
            for output in snapshot.outputs {
                try connection.run("INSERT INTO outputs (name, value, sensitive) VALUES (?1, ?2, ?3)",
                                   [.text(output.name), .text(output.value.canonicalJSON), .integer(output.sensitive ? 1 : 0)])
            }
            for record in snapshot.deposed {
                try connection.run("""
                    INSERT INTO deposed (\(Self.resourceColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                    """, Self.values(record))
            }
            var runs: [Int64: Int64] = [:]
            for run in snapshot.runs {
                try connection.run("""
                    INSERT INTO runs (kind, started_at, finished_at, outcome, counts, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                    """, [.text(run.kind), .real(run.startedAt.timeIntervalSince1970),
                          .optionalReal(run.finishedAt?.timeIntervalSince1970), .optionalText(run.outcome),
                          .text(StateJSON.encode(counts: run.counts)), .optionalText(run.actor)])
                runs[run.id] = connection.lastInsertRowID
            }
            for entry in snapshot.history {
                var copied = entry
                copied.runID = StateSnapshot.mapped(entry.runID, runs)
                try insertHistory(Self.values(copied), on: connection)
            }
            var findings: [Int64: Int64] = [:]
            for finding in snapshot.findings {
                try connection.run("""
                    INSERT INTO drift_findings (run_id, address, type, kind, path, expected, actual, first_seen, last_seen,
                                                resolved_at, resolution, resolved_run, context)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                    """, [
                        .integer(StateSnapshot.mapped(finding.runID, runs)), .text(finding.address), .text(finding.type),
                        .text(finding.kind.rawValue), .text(finding.path), .optionalText(finding.expected?.canonicalJSON),
                        .optionalText(finding.actual?.canonicalJSON), .real(finding.firstSeen.timeIntervalSince1970),
                        .real(finding.lastSeen.timeIntervalSince1970), .optionalReal(finding.resolvedAt?.timeIntervalSince1970),
                        .optionalText(finding.resolution?.rawValue),
                        finding.resolvedRunID.map { .integer(StateSnapshot.mapped($0, runs)) } ?? .null,
                        Self.contextColumn(finding.context),
                    ])
                findings[finding.id] = connection.lastInsertRowID
            }
            for sighting in snapshot.sightings {
                try connection.run("INSERT OR IGNORE INTO drift_sightings (finding_id, run_id, at) VALUES (?1, ?2, ?3)", [
                    .integer(findings[sighting.findingID] ?? sighting.findingID),
                    .integer(StateSnapshot.mapped(sighting.runID, runs)), .real(sighting.at.timeIntervalSince1970),
                ])
            }
            for entry in snapshot.audit {
                try connection.run("""
                    INSERT INTO audit_log (seq, at, who, action, target, result, prev_hash, hash)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                    """, [
                        .integer(entry.sequence), .real(entry.at.timeIntervalSince1970), .text(entry.who),
                        .text(entry.action), .text(entry.target), .text(entry.result), .text(entry.previousHash),
                        .text(entry.hash),
                    ])
            }
            let landed = try connection.query("SELECT seq, at, who, action, target, result, prev_hash, hash FROM audit_log ORDER BY seq") { row in
                AuditEntry(sequence: row.int64(0), at: Date(timeIntervalSince1970: row.double(1)), who: row.text(2),
                           action: row.text(3), target: row.text(4), result: row.text(5), previousHash: row.text(6),
                           hash: row.text(7))
            }
            try AuditChain.verifyCopy(landed, of: snapshot.audit, at: path)
        }
    }
}
