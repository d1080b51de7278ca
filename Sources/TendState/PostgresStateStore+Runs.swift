import Foundation

extension PostgresStateStore {
    public func beginRun(kind: String, at: Date, actor: String) throws -> Int64 {
        try write { connection in
            try connection.execute("""
                INSERT INTO runs (stack, kind, started_at, counts, actor) VALUES ($1, $2, $3::double precision, '{}', $4)
                RETURNING id
                """, [.text(stack), .text(kind), .real(at.timeIntervalSince1970), .text(actor)]).first { $0.int64(0) } ?? 0
        }
    }

    public func finishRun(_ id: Int64, outcome: String, counts: [String: Int], at: Date) throws {
        try write { connection in
            let changed = try connection.execute("""
                UPDATE runs SET finished_at = $3::double precision, outcome = $4, counts = $5
                WHERE stack = $1 AND id = $2::bigint
                """, [.text(stack), .integer(id), .real(at.timeIntervalSince1970), .text(outcome),
                      .text(StateJSON.encode(counts: counts))]).changedRows
            guard changed == 1 else { throw StateError(.io, "\(location): no run with ID \(id) to finish") }
        }
    }

    public func runs(limit: Int) throws -> [RunRecord] {
        try read { connection in
            try connection.execute("""
                SELECT id, kind, started_at, finished_at, outcome, counts, actor FROM runs WHERE stack = $1
                ORDER BY id DESC LIMIT $2::bigint
                """, [.text(stack), limit > 0 ? .integer(Int64(limit)) : .null]).map { row in
                RunRecord(id: row.int64(0), kind: row.text(1), startedAt: Date(timeIntervalSince1970: row.double(2)),
                          finishedAt: row.optionalDouble(3).map(Date.init(timeIntervalSince1970:)),
                          outcome: row.optionalText(4),
                          counts: try StateJSON.decodeCounts(row.text(5), column: "runs.counts"), actor: row.optionalText(6))
            }
        }
    }
}
