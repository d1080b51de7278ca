import Foundation

/// One connection to a PostgreSQL state, shared between threads by a serial lock, reconnecting when it breaks.
///
/// Every use goes through `read` or `transaction`, which hold the lock for the whole closure, so statements from
/// different threads never interleave. The first connection applies the schema's missing migrations. When the
/// connection breaks (the server restarted, the connection was reset), a read, or a whole transaction, runs again on a
/// new connection, up to `retryDelays.count` times with growing pauses. A transaction whose COMMIT was cut off is not
/// run again, since it may have been written: that is an error saying so.
final class PostgresSession: @unchecked Sendable {
    let location: PostgresLocation
    /// The pauses before each retry, in seconds.
    let retryDelays: [Double]
    private let lock = NSLock()
    private var connection: PostgresConnection?
    /// Whether a connection ever opened: a first connection that fails is reported at once, not retried.
    private var hasConnected = false
    private var isMigrated = false

    /// Seconds after which the server ends a session left idle inside a transaction (see `open()`).
    let idleTransactionTimeout: Double

    init(location: PostgresLocation, idleTransactionTimeout: Double, retryDelays: [Double] = [0.1, 0.3, 0.9, 2.0]) {
        self.location = location
        self.idleTransactionTimeout = idleTransactionTimeout
        self.retryDelays = retryDelays
    }

    /// Runs `body` outside a transaction (each statement commits by itself), again on a new connection when it broke.
    /// For reads and for statements that are safe to repeat.
    func read<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        try withRetries { connection in try body(connection) }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws, and run again whole on a
    /// new connection when the connection broke before COMMIT.
    func transaction<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        try withRetries { connection in
            try connection.execute("BEGIN")
            let result: Result
            do {
                result = try body(connection)
            } catch {
                if connection.isOpen {
                    do { try connection.execute("ROLLBACK") } catch let rollback as StateError {
                        // The connection cannot be trusted inside a transaction it could not end: drop it.
                        self.connection = nil
                        throw StateError(.io, "\(error); rolling the transaction back failed too: \(rollback)")
                    }
                }
                throw error
            }
            do {
                try connection.execute("COMMIT")
            } catch var error as StateError where error.isConnectionLoss {
                error.isConnectionLoss = false
                error.message = "the connection to the PostgreSQL state at \(location.endpoint) was lost while "
                    + "committing, so the change may or may not have been written; run the command again and check "
                    + "the result (\(error.message))"
                self.connection = nil
                throw error
            }
            return result
        }
    }

    private func withRetries<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        lock.lock()
        defer { lock.unlock() }
        var attempt = 0
        while true {
            do {
                return try body(try open())
            } catch let error as StateError where error.isConnectionLoss && hasConnected && attempt < retryDelays.count {
                connection = nil
                Thread.sleep(forTimeInterval: retryDelays[attempt])
                attempt += 1
            } catch var error as StateError where error.isConnectionLoss {
                connection = nil
                error.isConnectionLoss = false
                if attempt > 0 { error.message += " (after \(attempt + 1) attempts)" }
                throw error
            }
        }
    }

    /// The open connection, connecting (and migrating, the first time) when there is none or it broke.
    private func open() throws -> PostgresConnection {
        if let connection, connection.isOpen { return connection }
        connection = nil
        let opened = try PostgresConnection(location: location)
        hasConnected = true
        // The schema is an identifier checked to be plain lower-case letters, digits and underscores; quoted anyway.
        // Notices ("already exists, skipping") would go to stderr by libpq's default: only warnings and errors matter.
        // tend never waits inside a transaction, so a session idle in one belongs to a process that stopped (SIGSTOP,
        // a paused machine) while holding row and advisory locks: the server ends it after the idle timeout, so the
        // locks are free by the time its lease has run out, and the stopped process finds its connection gone.
        let idle = String(Int((max(1, idleTransactionTimeout) * 1000).rounded()))
        try opened.execute("""
            SELECT set_config('search_path', $1, false), set_config('extra_float_digits', '3', false),
                   set_config('client_min_messages', 'warning', false),
                   set_config('idle_in_transaction_session_timeout', $2, false)
            """, [.text("\"\(location.schema)\""), .text(idle)])
        if !isMigrated {
            try migrate(opened)
            isMigrated = true
        }
        connection = opened
        return opened
    }

    /// Applies every migration newer than the schema, in one transaction, under an advisory lock so that two tends
    /// starting together do not both apply them. Refuses a schema written by a newer tend.
    private func migrate(_ connection: PostgresConnection) throws {
        let current = PostgresMigration.currentVersion
        try connection.execute("BEGIN")
        do {
            try connection.execute("SELECT pg_advisory_xact_lock(0, hashtext($1::text))", [.text("tend-schema:\(location.schema)")])
            try connection.execute("CREATE SCHEMA IF NOT EXISTS \"\(location.schema)\"")
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let applied = Int(try connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
                .first { $0.int64(0) } ?? 0)
            guard applied <= current else {
                throw StateError(.newerSchema, "the PostgreSQL state at \(location.endpoint) (schema \(location.schema)) "
                    + "was written by a newer tend (state schema \(applied); this tend knows up to \(current)): upgrade "
                    + "tend to use it. tend did not modify it.")
            }
            for step in PostgresMigration.all where step.version > applied {
                for statement in step.statements { try connection.execute(statement) }
                try connection.execute("INSERT INTO schema_migrations (version) VALUES ($1::integer)",
                                       [.integer(Int64(step.version))])
            }
            try connection.execute("COMMIT")
        } catch {
            if connection.isOpen {
                // The error that stopped the migration is the one to report; a failed rollback ends with the connection.
                _ = try? connection.execute("ROLLBACK")
            }
            throw error
        }
    }
}
