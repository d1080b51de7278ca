import Foundation
import TendModel

extension PostgresStateStore {
    static let findingColumns = SQLiteStateStore.findingColumns

    public func recordDrift(runID: Int64, findings: [ObservedFinding], scope: Set<String>, at: Date) throws -> DriftRecording {
        let time = PostgresValue.real(at.timeIntervalSince1970)
        return try write { connection in
            let open = try connection.execute("""
                SELECT \(Self.findingColumns) FROM drift_findings WHERE stack = $1 AND resolved_at IS NULL ORDER BY id
                """, [.text(stack)]).map(Self.finding)
            var openByKey: [String: DriftFinding] = [:]
            for finding in open { openByKey[finding.key] = finding }
            var recording = DriftRecording()
            var seen: Set<String> = []
            for observed in findings where seen.insert(observed.key).inserted {
                let expected = observed.expected.map { PostgresValue.text($0.canonicalJSON) } ?? .null
                let actual = observed.actual.map { PostgresValue.text($0.canonicalJSON) } ?? .null
                let context = Self.contextColumn(observed.context)
                if var existing = openByKey[observed.key] {
                    try connection.execute("""
                        UPDATE drift_findings SET last_seen = $1::double precision, expected = $2, actual = $3, context = $5
                        WHERE id = $4::bigint
                        """, [time, expected, actual, .integer(existing.id), context])
                    existing.lastSeen = at
                    existing.expected = observed.expected
                    existing.actual = observed.actual
                    existing.context = observed.context
                    recording.stillOpen.append(existing)
                    try sight(existing.id, runID: runID, at: time, on: connection)
                    continue
                }
                let id = try connection.execute("""
                    INSERT INTO drift_findings (stack, run_id, address, type, kind, path, expected, actual, first_seen,
                                                last_seen, context)
                    VALUES ($1, $2::bigint, $3, $4, $5, $6, $7, $8, $9::double precision, $9::double precision, $10)
                    RETURNING id
                    """, [.text(stack), .integer(runID), .text(observed.address), .text(observed.type),
                          .text(observed.kind.rawValue), .text(observed.path), expected, actual, time, context])
                    .first { $0.int64(0) } ?? 0
                try sight(id, runID: runID, at: time, on: connection)
                recording.opened.append(DriftFinding(id: id, runID: runID, address: observed.address, type: observed.type,
                                                     kind: observed.kind, path: observed.path, expected: observed.expected,
                                                     actual: observed.actual, firstSeen: at, lastSeen: at, resolvedAt: nil,
                                                     resolution: nil, context: observed.context))
            }
            for finding in open where !seen.contains(finding.key) && SQLiteStateStore.isInScope(finding, scope) {
                try connection.execute("""
                    UPDATE drift_findings SET resolved_at = $1::double precision, resolution = 'reverted',
                        resolved_run = $3::bigint
                    WHERE id = $2::bigint
                    """, [time, .integer(finding.id), .integer(runID)])
                var resolved = finding
                resolved.resolvedAt = at
                resolved.resolution = .reverted
                resolved.resolvedRunID = runID
                recording.resolved.append(resolved)
            }
            return recording
        }
    }

    public func resolveFindings(address: String?, resolution: DriftResolution, at: Date) throws -> [DriftFinding] {
        try write { connection in
            let filter = address == nil ? "" : "AND address = $2"
            let open = try connection.execute("""
                SELECT \(Self.findingColumns) FROM drift_findings WHERE stack = $1 AND resolved_at IS NULL \(filter)
                ORDER BY id
                """, [.text(stack)] + (address.map { [PostgresValue.text($0)] } ?? [])).map(Self.finding)
            for finding in open {
                try connection.execute("""
                    UPDATE drift_findings SET resolved_at = $1::double precision, resolution = $2 WHERE id = $3::bigint
                    """, [.real(at.timeIntervalSince1970), .text(resolution.rawValue), .integer(finding.id)])
            }
            return open.map { finding in
                var resolved = finding
                resolved.resolvedAt = at
                resolved.resolution = resolution
                return resolved
            }
        }
    }

    public func driftFindings(address: String?, since: Date?) throws -> [DriftFinding] {
        try read { connection in
            var conditions = ["stack = $1"]
            var values: [PostgresValue] = [.text(stack)]
            if let address {
                values.append(.text(address))
                conditions.append("address = $\(values.count)")
            }
            if let since {
                values.append(.real(since.timeIntervalSince1970))
                let parameter = "$\(values.count)::double precision"
                conditions.append("(last_seen >= \(parameter) OR resolved_at >= \(parameter) OR resolved_at IS NULL)")
            }
            return try connection.execute("""
                SELECT \(Self.findingColumns) FROM drift_findings WHERE \(conditions.joined(separator: " AND ")) ORDER BY id
                """, values).map(Self.finding)
        }
    }

    public func driftSightings(since: Date?) throws -> [DriftSighting] {
        try read { connection in
            let filter = since == nil ? "" : "AND at >= $2::double precision"
            return try connection.execute("""
                SELECT finding_id, run_id, at FROM drift_sightings WHERE stack = $1 \(filter) ORDER BY at, finding_id
                """, [.text(stack)] + (since.map { [PostgresValue.real($0.timeIntervalSince1970)] } ?? [])).map { row in
                DriftSighting(findingID: row.int64(0), runID: row.int64(1), at: Date(timeIntervalSince1970: row.double(2)))
            }
        }
    }

    private func sight(_ findingID: Int64, runID: Int64, at time: PostgresValue, on connection: PostgresConnection) throws {
        try connection.execute("""
            INSERT INTO drift_sightings (stack, finding_id, run_id, at) VALUES ($1, $2::bigint, $3::bigint, $4::double precision)
            ON CONFLICT DO NOTHING
            """, [.text(stack), .integer(findingID), .integer(runID), time])
    }

    static func finding(_ row: PostgresRow) throws -> DriftFinding {
        guard let kind = DriftChange.Kind(rawValue: row.text(4)) else {
            throw StateError(.corrupt, "state column drift_findings.kind is damaged: \"\(row.text(4))\"")
        }
        let resolution = try row.optionalText(11).map { text in
            guard let value = DriftResolution(rawValue: text) else {
                throw StateError(.corrupt, "state column drift_findings.resolution is damaged: \"\(text)\"")
            }
            return value
        }
        return DriftFinding(
            id: row.int64(0), runID: row.int64(1), address: row.text(2), type: row.text(3), kind: kind, path: row.text(5),
            expected: try row.optionalText(6).map { try StateJSON.decodeValue($0, column: "drift_findings.expected") },
            actual: try row.optionalText(7).map { try StateJSON.decodeValue($0, column: "drift_findings.actual") },
            firstSeen: Date(timeIntervalSince1970: row.double(8)), lastSeen: Date(timeIntervalSince1970: row.double(9)),
            resolvedAt: row.optionalDouble(10).map { Date(timeIntervalSince1970: $0) }, resolution: resolution,
            resolvedRunID: row.optionalInt64(12),
            context: try row.optionalText(13).map { try SQLiteStateStore.contextItems($0) } ?? [])
    }

    /// The context column: a JSON list of `FindingContext` values; NULL for none.
    static func contextColumn(_ context: [FindingContext]) -> PostgresValue {
        context.isEmpty ? .null : .text(Value.list(context.map(\.value)).canonicalJSON)
    }
}
