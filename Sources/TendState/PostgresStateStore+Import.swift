import Foundation

extension PostgresStateStore: StateImporting {
    public func importSnapshot(_ snapshot: StateSnapshot) throws {
        let key = PostgresValue.text(stack)
        try write { connection in
            let existing = try connection.execute("""
                SELECT (SELECT count(*) FROM meta WHERE stack = $1) + (SELECT count(*) FROM resources WHERE stack = $1)
                     + (SELECT count(*) FROM runs WHERE stack = $1) + (SELECT count(*) FROM history WHERE stack = $1)
                     + (SELECT count(*) FROM audit_log WHERE stack = $1)
                """, [key]).first { $0.int64(0) } ?? 0
            guard existing == 0 else {
                throw StateError(.conflict, "\(location) already holds a state: tend copies a state only into an empty one")
            }
            try connection.execute("""
                INSERT INTO meta (stack, lineage, serial, stack_id, encryption) VALUES ($1, $2, $3::bigint, $4, $5)
                """, [
                key, .text(snapshot.version.lineage), .integer(Int64(snapshot.version.serial)), .optionalText(snapshot.stackID),
                .optionalText(snapshot.encryption?.encoded),
            ])
            for record in snapshot.resources { try upsert(Self.values(record), on: connection) }
            for output in snapshot.outputs {
                try connection.execute("INSERT INTO outputs (stack, name, value, sensitive) VALUES ($1, $2, $3, $4::bigint)",
                                       [key, .text(output.name), .text(output.value.canonicalJSON), .integer(output.sensitive ? 1 : 0)])
            }
            for record in snapshot.deposed {
                try connection.execute("""
                    INSERT INTO deposed (stack, \(Self.resourceColumns))
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::bigint, $10, $11::double precision, $12)
                    """, [key] + Self.values(record))
            }
            var runs: [Int64: Int64] = [:]
            for run in snapshot.runs {
                runs[run.id] = try connection.execute("""
                    INSERT INTO runs (stack, kind, started_at, finished_at, outcome, counts, actor)
                    VALUES ($1, $2, $3::double precision, $4::double precision, $5, $6, $7) RETURNING id
                    """, [key, .text(run.kind), .real(run.startedAt.timeIntervalSince1970),
                          run.finishedAt.map { .real($0.timeIntervalSince1970) } ?? .null, .optionalText(run.outcome),
                          .text(StateJSON.encode(counts: run.counts)), .optionalText(run.actor)]).first { $0.int64(0) }
            }
            for entry in snapshot.history {
                var copied = entry
                copied.runID = StateSnapshot.mapped(entry.runID, runs)
                try insertHistory(Self.values(copied), on: connection)
            }
            var findings: [Int64: Int64] = [:]
            for finding in snapshot.findings {
                findings[finding.id] = try connection.execute("""
                    INSERT INTO drift_findings (stack, run_id, address, type, kind, path, expected, actual, first_seen,
                                                last_seen, resolved_at, resolution, resolved_run, context)
                    VALUES ($1, $2::bigint, $3, $4, $5, $6, $7, $8, $9::double precision, $10::double precision,
                            $11::double precision, $12, $13::bigint, $14)
                    RETURNING id
                    """, [
                        key, .integer(StateSnapshot.mapped(finding.runID, runs)), .text(finding.address), .text(finding.type),
                        .text(finding.kind.rawValue), .text(finding.path), .optionalText(finding.expected?.canonicalJSON),
                        .optionalText(finding.actual?.canonicalJSON), .real(finding.firstSeen.timeIntervalSince1970),
                        .real(finding.lastSeen.timeIntervalSince1970),
                        finding.resolvedAt.map { .real($0.timeIntervalSince1970) } ?? .null,
                        .optionalText(finding.resolution?.rawValue),
                        finding.resolvedRunID.map { .integer(StateSnapshot.mapped($0, runs)) } ?? .null,
                        Self.contextColumn(finding.context),
                    ]).first { $0.int64(0) }
            }
            for sighting in snapshot.sightings {
                try connection.execute("""
                    INSERT INTO drift_sightings (stack, finding_id, run_id, at)
                    VALUES ($1, $2::bigint, $3::bigint, $4::double precision) ON CONFLICT DO NOTHING
                    """, [key, .integer(findings[sighting.findingID] ?? sighting.findingID),
                          .integer(StateSnapshot.mapped(sighting.runID, runs)), .real(sighting.at.timeIntervalSince1970)])
            }
            for entry in snapshot.audit { try insertAudit(entry, on: connection) }
            let landed = try connection.execute("""
                SELECT seq, at, who, action, target, result, prev_hash, hash FROM audit_log WHERE stack = $1 ORDER BY seq
                """, [key]).map { row in
                AuditEntry(sequence: row.int64(0), at: Date(timeIntervalSince1970: row.double(1)), who: row.text(2),
                           action: row.text(3), target: row.text(4), result: row.text(5), previousHash: row.text(6),
                           hash: row.text(7))
            }
            try AuditChain.verifyCopy(landed, of: snapshot.audit, at: location)
        }
    }
}
