import Foundation
import TendModel

extension SQLiteStateStore {
    static let findingColumns = """
        id, run_id, address, type, kind, path, expected, actual, first_seen, last_seen, resolved_at, resolution, resolved_run, context
        """

    public func recordDrift(runID: Int64, findings: [ObservedFinding], scope: Set<String>, at: Date) throws -> DriftRecording {
        try write { connection in
            let open = try connection.query(
                "SELECT \(Self.findingColumns) FROM drift_findings WHERE resolved_at IS NULL", row: Self.finding)
            var openByKey: [String: DriftFinding] = [:]
            for finding in open { openByKey[finding.key] = finding }
            var recording = DriftRecording()
            var seen: Set<String> = []
            for observed in findings where seen.insert(observed.key).inserted {
                let expected = observed.expected.map { SQLiteValue.text($0.canonicalJSON) } ?? .null
                let actual = observed.actual.map { SQLiteValue.text($0.canonicalJSON) } ?? .null
                let context = Self.contextColumn(observed.context)
                if var existing = openByKey[observed.key] {
                    try connection.run("UPDATE drift_findings SET last_seen = ?1, expected = ?2, actual = ?3, context = ?5 WHERE id = ?4",
                                       [.real(at.timeIntervalSince1970), expected, actual, .integer(existing.id), context])
                    existing.lastSeen = at
                    existing.expected = observed.expected
                    existing.actual = observed.actual
                    existing.context = observed.context
                    recording.stillOpen.append(existing)
                    try Self.sight(existing.id, runID: runID, at: at, on: connection)
                    continue
                }
                try connection.run("""
                    INSERT INTO drift_findings (run_id, address, type, kind, path, expected, actual, first_seen, last_seen, context)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)
                    """, [.integer(runID), .text(observed.address), .text(observed.type), .text(observed.kind.rawValue),
                          .text(observed.path), expected, actual, .real(at.timeIntervalSince1970), context])
                let id = connection.lastInsertRowID
                try Self.sight(id, runID: runID, at: at, on: connection)
                recording.opened.append(DriftFinding(id: id, runID: runID, address: observed.address, type: observed.type,
                                                     kind: observed.kind, path: observed.path, expected: observed.expected,
                                                     actual: observed.actual, firstSeen: at, lastSeen: at, resolvedAt: nil,
                                                     resolution: nil, context: observed.context))
            }
            for finding in open where !seen.contains(finding.key) && Self.isInScope(finding, scope) {
                try connection.run("""
                    UPDATE drift_findings SET resolved_at = ?1, resolution = 'reverted', resolved_run = ?3 WHERE id = ?2
                    """, [.real(at.timeIntervalSince1970), .integer(finding.id), .integer(runID)])
                var resolved = finding
                resolved.resolvedAt = at
                resolved.resolution = .reverted
                resolved.resolvedRunID = runID
                recording.resolved.append(resolved)
            }
            return recording
        }
    }

    /// A managed finding is in scope when its address was checked; an unmanaged one when its type was listed
    /// (`unmanaged:TYPE` in the scope).
    static func isInScope(_ finding: DriftFinding, _ scope: Set<String>) -> Bool {
        finding.kind == .unmanaged ? scope.contains("unmanaged:\(finding.type)") : scope.contains(finding.address)
    }

    public func resolveFindings(address: String?, resolution: DriftResolution, at: Date) throws -> [DriftFinding] {
        try writeIfExists(missing: []) { connection in
            let filter = address == nil ? "" : "AND address = ?1"
            let open = try connection.query(
                "SELECT \(Self.findingColumns) FROM drift_findings WHERE resolved_at IS NULL \(filter) ORDER BY id",
                address.map { [SQLiteValue.text($0)] } ?? [], row: Self.finding)
            for finding in open {
                try connection.run("UPDATE drift_findings SET resolved_at = ?1, resolution = ?2 WHERE id = ?3",
                                   [.real(at.timeIntervalSince1970), .text(resolution.rawValue), .integer(finding.id)])
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
        try read(empty: []) { connection in
            var conditions: [String] = []
            var values: [SQLiteValue] = []
            if let address {
                values.append(.text(address))
                conditions.append("address = ?\(values.count)")
            }
            if let since {
                values.append(.real(since.timeIntervalSince1970))
                conditions.append("(last_seen >= ?\(values.count) OR resolved_at >= ?\(values.count) OR resolved_at IS NULL)")
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try connection.query("SELECT \(Self.findingColumns) FROM drift_findings \(filter) ORDER BY id",
                                        values, row: Self.finding)
        }
    }

    public func driftSightings(since: Date?) throws -> [DriftSighting] {
        try read(empty: []) { connection in
            let filter = since == nil ? "" : "WHERE at >= ?1"
            return try connection.query(
                "SELECT finding_id, run_id, at FROM drift_sightings \(filter) ORDER BY at, finding_id",
                since.map { [SQLiteValue.real($0.timeIntervalSince1970)] } ?? []) { row in
                DriftSighting(findingID: row.int64(0), runID: row.int64(1), at: Date(timeIntervalSince1970: row.double(2)))
            }
        }
    }

    private static func sight(_ findingID: Int64, runID: Int64, at: Date, on connection: SQLiteConnection) throws {
        try connection.run("INSERT OR IGNORE INTO drift_sightings (finding_id, run_id, at) VALUES (?1, ?2, ?3)",
                           [.integer(findingID), .integer(runID), .real(at.timeIntervalSince1970)])
    }

    static func finding(_ row: SQLiteStatement) throws -> DriftFinding {
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
            resolvedRunID: row.isNull(12) ? nil : row.int64(12),
            context: try row.optionalText(13).map { try contextItems($0) } ?? [])
    }

    /// The context column: a JSON list of `FindingContext` values; NULL for none.
    static func contextColumn(_ context: [FindingContext]) -> SQLiteValue {
        context.isEmpty ? .null : .text(Value.list(context.map(\.value)).canonicalJSON)
    }

    static func contextItems(_ text: String) throws -> [FindingContext] {
        let column = "drift_findings.context"
        guard case let .list(items) = try StateJSON.decodeValue(text, column: column) else {
            throw StateError(.corrupt, "state column \(column) is damaged: not a list")
        }
        return try items.map { item in
            guard let context = FindingContext(item) else { throw StateError(.corrupt, "state column \(column) is damaged: \(item.canonicalJSON)") }
            return context
        }
    }
}
