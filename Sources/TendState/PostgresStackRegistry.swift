import Foundation

/// The stacks whose drift checks any number of `tend runner` processes share through one PostgreSQL schema, with no
/// coordinator of tend's own.
///
/// Each registered stack is due at the start of each of its intervals. A runner claims due stacks with
/// `SELECT … FOR UPDATE SKIP LOCKED`, so two runners never claim the same one; a claim is a lease the runner renews
/// while it checks, and one whose runner died expires and is claimed again. Completing a check moves the stack to the
/// start of its next interval that has not begun, so each interval gets one check whichever runner makes it, and a
/// stack that fell behind is checked once, not once per missed interval. A check that failed leaves the stack due,
/// retried after a pause. Every check is logged (`runner_checks`) with its interval, runner and outcome. All times
/// are the server's, so runners whose clocks differ agree.
public final class PostgresStackRegistry: @unchecked Sendable {
    /// One registered stack.
    public struct Stack: Sendable, Hashable, Codable {
        public var name: String
        public var directory: String
        public var interval: Double
        /// When the current or next interval starts (seconds since 1970, server clock).
        public var nextDue: Double
        public var claimedBy: String?
        public var claimExpires: Double?
        public var checks: Int64
        public var failures: Int64
        public var lastOutcome: String?
        public var lastRunner: String?
    }

    /// A stack a runner holds: check it, then `complete` or `fail` it with the token.
    public struct Claim: Sendable, Hashable {
        public var name: String
        public var directory: String
        public var interval: Double
        /// The start of the interval this check is for.
        public var due: Double
        /// Proves the claim is still this runner's when the check ends.
        public var token: Int64
        /// The row of this check in the log.
        public var checkID: Int64
    }

    /// One logged check.
    public struct Check: Sendable, Hashable, Codable {
        public var stack: String
        public var due: Double
        public var runner: String
        public var started: Double
        public var finished: Double?
        public var outcome: String?
    }

    /// How many stacks are registered, due now, overdue (due for longer than their interval), and claimed by one runner.
    public struct Counts: Sendable, Hashable {
        public var registered: Int
        public var due: Int
        public var overdue: Int
        public var claimed: Int
    }

    private let session: PostgresSession
    /// The URL as given, with its password kept out of messages.
    public let location: PostgresLocation

    public init(url: String) throws {
        location = try PostgresLocation(parsing: url)
        session = PostgresSession(location: location, idleTransactionTimeout: 60)
    }

    private static let now = "extract(epoch from clock_timestamp())"

    /// Registers `name` (or changes its directory and interval); a new stack is due at once.
    public func register(name: String, directory: String, interval: Double) throws {
        guard interval > 0 else { throw StateError(.invalidLocation, "the interval must be positive, got \(interval)") }
        try guarded {
            try session.transaction { connection in
                try connection.execute("""
                    INSERT INTO runner_stacks (name, directory, interval_seconds, next_due, registered_at)
                    VALUES ($1, $2, $3::double precision, \(Self.now), \(Self.now))
                    ON CONFLICT (name) DO UPDATE SET directory = EXCLUDED.directory, interval_seconds = EXCLUDED.interval_seconds
                    """, [.text(name), .text(directory), .real(interval)])
            }
        }
    }

    /// Forgets a stack; true when it was registered. Its state is left alone.
    public func unregister(name: String) throws -> Bool {
        try guarded {
            try session.transaction { connection in
                try connection.execute("DELETE FROM runner_stacks WHERE name = $1", [.text(name)]).changedRows == 1
            }
        }
    }

    /// Every registered stack, by name.
    public func stacks() throws -> [Stack] {
        try guarded {
            try session.read { connection in
                try connection.execute("""
                    SELECT name, directory, interval_seconds, next_due, claimed_by, claim_expires, checks, failures,
                           last_outcome, last_runner
                    FROM runner_stacks ORDER BY name
                    """).map { row in
                    Stack(name: row.text(0), directory: row.text(1), interval: row.double(2), nextDue: row.double(3),
                          claimedBy: row.optionalText(4), claimExpires: row.optionalDouble(5), checks: row.int64(6),
                          failures: row.int64(7), lastOutcome: row.optionalText(8), lastRunner: row.optionalText(9))
                }
            }
        }
    }

    /// Claims up to `limit` due stacks for `runner` for `lease` seconds, the longest due first, skipping rows another
    /// runner is claiming at this moment; each claim is logged as a started check.
    public func claim(runner: String, limit: Int, lease: Double) throws -> [Claim] {
        guard limit > 0 else { return [] }
        return try guarded {
            try session.transaction { connection in
                let claimed = try connection.execute("""
                    UPDATE runner_stacks SET claimed_by = $1, claim_expires = \(Self.now) + $2::double precision,
                        claim_token = claim_token + 1
                    WHERE name IN (
                        SELECT name FROM runner_stacks
                        WHERE next_due <= \(Self.now) AND (not_before IS NULL OR not_before <= \(Self.now))
                          AND (claimed_by IS NULL OR claim_expires < \(Self.now))
                        ORDER BY next_due, name LIMIT $3::bigint
                        FOR UPDATE SKIP LOCKED)
                    RETURNING name, directory, interval_seconds, next_due, claim_token, \(Self.now)
                    """, [.text(runner), .real(lease), .integer(Int64(limit))]).map { row in
                    (name: row.text(0), directory: row.text(1), interval: row.double(2), due: row.double(3),
                     token: row.int64(4), at: row.double(5))
                }
                return try claimed.map { item in
                    let id = try connection.execute("""
                        INSERT INTO runner_checks (stack, due, runner, started) VALUES ($1, $2::double precision, $3, $4::double precision)
                        RETURNING id
                        """, [.text(item.name), .real(item.due), .text(runner), .real(item.at)]).first { $0.int64(0) } ?? 0
                    return Claim(name: item.name, directory: item.directory, interval: item.interval, due: item.due,
                                 token: item.token, checkID: id)
                }
            }
        }
    }

    /// Extends every claim `runner` holds by `lease` seconds; returns how many it still holds.
    @discardableResult
    public func renew(runner: String, lease: Double) throws -> Int {
        try guarded {
            try session.read { connection in
                try connection.execute("""
                    UPDATE runner_stacks SET claim_expires = \(Self.now) + $2::double precision WHERE claimed_by = $1
                    """, [.text(runner), .real(lease)]).changedRows
            }
        }
    }

    /// Ends a check that ran: the stack moves to the start of its next interval that has not begun, and the claim is
    /// released. False when the claim was no longer this runner's (its lease ran out and another runner took it).
    public func complete(_ claim: Claim, runner: String, outcome: String) throws -> Bool {
        try finish(claim, runner: runner, outcome: outcome, succeeded: true, retryAfter: 0)
    }

    /// Ends a check that failed: the stack stays due, tried again after `retryAfter` seconds.
    public func fail(_ claim: Claim, runner: String, outcome: String, retryAfter: Double) throws -> Bool {
        try finish(claim, runner: runner, outcome: outcome, succeeded: false, retryAfter: retryAfter)
    }

    private func finish(_ claim: Claim, runner: String, outcome: String, succeeded: Bool, retryAfter: Double) throws -> Bool {
        try guarded {
            try session.transaction { connection in
                let next = succeeded
                    ? "next_due + interval_seconds * greatest(1, floor((\(Self.now) - next_due) / interval_seconds) + 1)"
                    : "next_due"
                let kept = try connection.execute("""
                    UPDATE runner_stacks SET next_due = \(next), claimed_by = NULL, claim_expires = NULL,
                        not_before = \(succeeded ? "NULL" : "\(Self.now) + $5::double precision"),
                        checks = checks + \(succeeded ? 1 : 0), failures = failures + \(succeeded ? 0 : 1),
                        last_outcome = $4, last_runner = $2
                    WHERE name = $1 AND claimed_by = $2 AND claim_token = $3::bigint
                    """, [.text(claim.name), .text(runner), .integer(claim.token), .text(outcome)]
                        + (succeeded ? [] : [.real(retryAfter)])).changedRows == 1
                try connection.execute("""
                    UPDATE runner_checks SET finished = \(Self.now), outcome = $2 WHERE id = $1::bigint
                    """, [.integer(claim.checkID), .text(kept ? outcome : "\(outcome) (claim lost)")])
                return kept
            }
        }
    }

    /// Gives back every claim `runner` holds without checking (a runner stopping): the stacks stay due.
    public func releaseAll(runner: String) throws {
        try guarded {
            try session.transaction { connection in
                try connection.execute("UPDATE runner_stacks SET claimed_by = NULL, claim_expires = NULL WHERE claimed_by = $1",
                                       [.text(runner)])
            }
        }
    }

    /// Registered, due and overdue stacks now, and those `runner` holds, in one query.
    public func counts(runner: String) throws -> Counts {
        try guarded {
            try session.read { connection in
                try connection.execute("""
                    SELECT count(*), count(*) FILTER (WHERE next_due <= \(Self.now)),
                           count(*) FILTER (WHERE next_due + interval_seconds <= \(Self.now)),
                           count(*) FILTER (WHERE claimed_by = $1)
                    FROM runner_stacks
                    """, [.text(runner)]).first { row in
                    Counts(registered: Int(row.int64(0)), due: Int(row.int64(1)), overdue: Int(row.int64(2)),
                           claimed: Int(row.int64(3)))
                } ?? Counts(registered: 0, due: 0, overdue: 0, claimed: 0)
            }
        }
    }

    /// The checks logged since `since` (seconds since 1970), oldest first.
    public func checks(since: Double = 0) throws -> [Check] {
        try guarded {
            try session.read { connection in
                try connection.execute("""
                    SELECT stack, due, runner, started, finished, outcome FROM runner_checks
                    WHERE started >= $1::double precision ORDER BY id
                    """, [.real(since)]).map { row in
                    Check(stack: row.text(0), due: row.double(1), runner: row.text(2), started: row.double(3),
                          finished: row.optionalDouble(4), outcome: row.optionalText(5))
                }
            }
        }
    }

    /// Errors name the server without its password.
    private func guarded<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch var error as StateError {
            error.message = location.scrub(error.message)
            throw error
        }
    }
}
