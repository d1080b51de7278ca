import Foundation

extension SQLiteStateStore {
    /// The runs, and the operations that take the lock, that never add to the history (a drift check, a watch
    /// without remediation): they go on without its check.
    static let operationsWithoutHistory: Set<String> = ["drift", "watch"]

    /// A run that may add to the history (an apply, a destroy, an import) checks it first, when this process has
    /// not yet: a damaged history is refused before the run does anything, a provider call included.
    public func beginRun(kind: String, at: Date, actor: String) throws -> Int64 {
        try write(addsHistory: !Self.operationsWithoutHistory.contains(kind)) { connection in
            try connection.run("INSERT INTO runs (kind, started_at, counts, actor) VALUES (?1, ?2, '{}', ?3)",
                               [.text(kind), .real(at.timeIntervalSince1970), .text(actor)])
            return connection.lastInsertRowID
        }
    }

    public func finishRun(_ id: Int64, outcome: String, counts: [String: Int], at: Date) throws {
        try write { connection in
            let changed = try connection.run(
                "UPDATE runs SET finished_at = ?2, outcome = ?3, counts = ?4 WHERE id = ?1",
                [.integer(id), .real(at.timeIntervalSince1970), .text(outcome), .text(StateJSON.encode(counts: counts))])
            guard changed == 1 else { throw StateError(.io, "\(path): no run with ID \(id) to finish") }
        }
    }

    public func runs(limit: Int) throws -> [RunRecord] {
        try read(empty: []) { connection in
            try connection.query("""
                SELECT id, kind, started_at, finished_at, outcome, counts, actor FROM runs ORDER BY id DESC LIMIT ?1
                """, [.integer(limit > 0 ? Int64(limit) : -1)]) { row in
                RunRecord(id: row.int64(0), kind: row.text(1), startedAt: Date(timeIntervalSince1970: row.double(2)),
                          finishedAt: row.optionalDouble(3).map(Date.init(timeIntervalSince1970:)),
                          outcome: row.optionalText(4),
                          counts: try StateJSON.decodeCounts(row.text(5), column: "runs.counts"), actor: row.optionalText(6))
            }
        }
    }
}
