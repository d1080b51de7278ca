import Foundation
import TendModel

/// The state store in a PostgreSQL database, for teams: one schema holds many stacks, and several tend processes,
/// on several machines, share a stack's state through it.
///
/// **Stacks.** Every table is keyed by a stack key. It is the URL's `stack` parameter
/// (`postgres://HOST/DB?stack=web-prod`) when given, else `defaultStack`, which the CLI sets to the configuration
/// directory's name. The parameter is the one to rely on: it does not change when a directory is renamed or checked
/// out elsewhere, so give it whenever a team shares the database.
///
/// **Semantics.** Those of `SQLiteStateStore`, statement for statement: the same serial and lineage rules, history,
/// runs, drift findings, audit chain, deposed objects and edits, each write one transaction. Writes of one stack are
/// serialized by a transaction-scoped advisory lock, as SQLite's `BEGIN IMMEDIATE` serializes a file's, so the audit
/// chain and the serial never fork. Values always travel as parameters.
///
/// **Lock.** A lease row per stack: holder, host, pid, operation, since and an expiry on the server's clock, with a
/// fencing token that grows by one on every acquisition. `pg_try_advisory_xact_lock` on the stack key guards taking
/// it. While this store holds the lock, a thread renews the lease every `leaseDuration / 3`; once the lease has
/// expired, another process may take the lock, and from then on every write of this store fails with `.fenced`:
/// each write transaction checks, with the lease row locked, that the token it took is still the current one. So a
/// holder paused past its lease (stopped, swapped out, cut off) writes nothing after it resumes. A holder on this
/// host whose process is gone is stale as with SQLite (`LockInfo.isStale`).
///
/// **Failures.** A broken connection is retried on a new one, with backoff, for reads and whole transactions (see
/// `PostgresSession`). Messages name the server by host and port; the password (from the URL or `PGPASSWORD`) never
/// appears in any of them.
public final class PostgresStateStore: StateStore, FencingTokenHolding, @unchecked Sendable {
    /// The stack key every row of this store carries.
    public let stack: String
    /// How long an acquired lock lasts without renewal, in seconds.
    public let leaseDuration: Double
    /// Whether a thread renews the lease while the lock is held (tests turn it off to let a lease run out).
    public let renewsLease: Bool

    private let parsed: Result<PostgresSession, StateError>
    /// The key of this stack's advisory locks: the schema and the stack, so equal stack names in two schemas do not
    /// wait for each other.
    let lockKey: String
    /// The lock this store took and its fencing token, while it holds it, and the thread renewing it.
    private let leases = LeaseHolder()

    /// A store at `url` (`postgres://…` or `postgresql://…`). Nothing connects until first use; a URL that does not
    /// parse fails every use with `.invalidLocation`.
    /// - Parameters:
    ///   - defaultStack: the stack key when the URL has no `stack` parameter.
    ///   - leaseDuration: seconds a lock lasts without renewal, unless the URL's `lease` parameter says otherwise.
    ///   - renewsLease: whether a thread renews the lease while the lock is held.
    public init(url: String, defaultStack: String, leaseDuration: Double = 60, renewsLease: Bool = true) {
        do {
            let location = try PostgresLocation(parsing: url)
            parsed = .success(PostgresSession(location: location,
                                              idleTransactionTimeout: location.leaseSeconds ?? leaseDuration))
            stack = location.stack ?? defaultStack
            lockKey = "\(location.schema)/\(location.stack ?? defaultStack)"
            self.leaseDuration = location.leaseSeconds ?? leaseDuration
        } catch let error as StateError {
            parsed = .failure(error)
            stack = defaultStack
            lockKey = defaultStack
            self.leaseDuration = leaseDuration
        } catch {
            parsed = .failure(StateError(.invalidLocation, "the state URL is not valid: \(error)"))
            stack = defaultStack
            lockKey = defaultStack
            self.leaseDuration = leaseDuration
        }
        self.renewsLease = renewsLease
    }

    /// Where the state is, without the password: safe to print.
    public var location: String {
        switch parsed {
        case let .success(session): return "\(session.location.redacted) (stack \(stack))"
        case .failure: return "an invalid PostgreSQL URL"
        }
    }

    /// The fencing token of the lock this store holds; nil when it holds none.
    public var fencingToken: Int64? {
        leases.current?.token
    }

    // MARK: Version

    public func version() throws -> StateVersion? {
        try read { try self.version(on: $0) }
    }

    public func initialize() throws -> StateVersion {
        try write { connection in
            if let existing = try version(on: connection) { return existing }
            return try create(serial: 0, stackID: SQLiteStateStore.newStackID(), on: connection)
        }
    }

    public func advanceSerial(from expected: StateVersion?) throws -> StateVersion {
        try write { connection in
            guard let expected else {
                if let found = try version(on: connection) { throw StateError.stale(expected: nil, found: found) }
                return try create(serial: 1, stackID: SQLiteStateStore.newStackID(), on: connection)
            }
            let advanced = try connection.execute(
                "UPDATE meta SET serial = serial + 1 WHERE stack = $1 AND serial = $2::bigint AND lineage = $3",
                [.text(stack), .integer(Int64(expected.serial)), .text(expected.lineage)])
            guard advanced.changedRows == 1 else {
                throw StateError.stale(expected: expected, found: try version(on: connection))
            }
            return StateVersion(lineage: expected.lineage, serial: expected.serial + 1)
        }
    }

    /// Creates the stack's meta row: a new lineage at `serial`, with `stackID`.
    func create(serial: Int, stackID: String, on connection: PostgresConnection) throws -> StateVersion {
        let created = StateVersion(lineage: UUID().uuidString.lowercased(), serial: serial)
        try connection.execute("INSERT INTO meta (stack, lineage, serial, stack_id) VALUES ($1, $2, $3::bigint, $4)",
                               [.text(stack), .text(created.lineage), .integer(Int64(created.serial)), .text(stackID)])
        return created
    }

    func version(on connection: PostgresConnection) throws -> StateVersion? {
        try connection.execute("SELECT lineage, serial FROM meta WHERE stack = $1", [.text(stack)]).first { row in
            StateVersion(lineage: row.text(0), serial: Int(row.int64(1)))
        }
    }

    /// Bumps the serial inside the caller's transaction (creating the state when there is none).
    func bumpSerial(on connection: PostgresConnection) throws -> StateVersion {
        guard let existing = try version(on: connection) else {
            return try create(serial: 1, stackID: SQLiteStateStore.newStackID(), on: connection)
        }
        try connection.execute("UPDATE meta SET serial = serial + 1 WHERE stack = $1", [.text(stack)])
        return StateVersion(lineage: existing.lineage, serial: existing.serial + 1)
    }

    // MARK: Resources

    static let resourceColumns = SQLiteStateStore.resourceColumns

    public func resourceSummaries() throws -> [ResourceRecord] {
        try read { connection in
            try connection.execute("""
                SELECT address, type, provider, id, '{}', sensitive_paths, dependencies, schema_version, status,
                       updated_at, private
                FROM resources WHERE stack = $1
                """, [.text(stack)]).map { try SQLiteStateStore.record($0, sharing: .none) }.sorted(byKey: \.address)
        }
    }

    public func resources() throws -> [ResourceRecord] {
        try resources(sharing: .none)
    }

    public func resources(sharing: SharedStrings) throws -> [ResourceRecord] {
        try read { connection in
            try connection.execute("SELECT \(Self.resourceColumns) FROM resources WHERE stack = $1", [.text(stack)])
                .map { try SQLiteStateStore.record($0, sharing: sharing) }.sorted(byKey: \.address)
        }
    }

    public func resource(_ address: ResourceAddress) throws -> ResourceRecord? {
        try read { connection in
            try connection.execute("SELECT \(Self.resourceColumns) FROM resources WHERE stack = $1 AND address = $2",
                                   [.text(stack), .text(address.description)])
                .first { try SQLiteStateStore.record($0, sharing: .none) }
        }
    }

    public func put(_ record: ResourceRecord, history: HistoryEntry?) throws {
        try put(record, history: history, audit: nil)
    }

    public func put(_ record: ResourceRecord, history: HistoryEntry?, audit: AuditDraft?) throws {
        let values = Self.values(record)
        let historyValues = history.map(Self.values)
        try write { connection in
            try upsert(values, on: connection)
            if let historyValues { try insertHistory(historyValues, on: connection) }
            if let audit { try insertAudit(audit, on: connection) }
        }
    }

    /// A record's columns, in `resourceColumns` order.
    static func values(_ record: ResourceRecord) -> [PostgresValue] {
        [
            .text(record.address.description), .text(record.type), .text(record.provider), .text(record.id),
            .text(StateJSON.encode(record.attributes)), .text(StateJSON.encode(paths: record.sensitivePaths)),
            .text(StateJSON.encode(addresses: record.dependencies)), .integer(Int64(record.schemaVersion)),
            .text(record.status.rawValue), .real(record.updatedAt.timeIntervalSince1970), .optionalText(record.privateData),
        ]
    }

    /// Inserts or replaces one record inside the caller's transaction.
    func upsert(_ values: [PostgresValue], on connection: PostgresConnection) throws {
        try connection.execute("""
            INSERT INTO resources (stack, \(Self.resourceColumns))
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::bigint, $10, $11::double precision, $12)
            ON CONFLICT (stack, address) DO UPDATE SET type = excluded.type, provider = excluded.provider,
                id = excluded.id, attributes = excluded.attributes, sensitive_paths = excluded.sensitive_paths,
                dependencies = excluded.dependencies, schema_version = excluded.schema_version,
                status = excluded.status, updated_at = excluded.updated_at, private = excluded.private
            """, [.text(stack)] + values)
    }

    public func remove(_ address: ResourceAddress, history: HistoryEntry?) throws {
        try remove(address, history: history, audit: nil)
    }

    public func remove(_ address: ResourceAddress, history: HistoryEntry?, audit: AuditDraft?) throws {
        let historyValues = history.map(Self.values)
        try write { connection in
            try connection.execute("DELETE FROM resources WHERE stack = $1 AND address = $2",
                                   [.text(stack), .text(address.description)])
            if let historyValues { try insertHistory(historyValues, on: connection) }
            if let audit { try insertAudit(audit, on: connection) }
        }
    }

    // MARK: History

    public func history(address: ResourceAddress?, limit: Int) throws -> [HistoryEntry] {
        try read { connection in
            let filter = address == nil ? "" : "AND address = $3"
            var values: [PostgresValue] = [.text(stack), limit > 0 ? .integer(Int64(limit)) : .null]
            if let address { values.append(.text(address.description)) }
            return try connection.execute("""
                SELECT serial, run_id, address, action, before, after, at FROM history WHERE stack = $1 \(filter)
                ORDER BY seq DESC LIMIT $2::bigint
                """, values).map { row in
                HistoryEntry(
                    serial: Int(row.int64(0)), runID: row.int64(1),
                    address: try StateJSON.address(row.text(2), column: "history.address"), action: row.text(3),
                    before: try row.optionalText(4).map { try StateJSON.decodeAttributes($0, column: "history.before") },
                    after: try row.optionalText(5).map { try StateJSON.decodeAttributes($0, column: "history.after") },
                    at: Date(timeIntervalSince1970: row.double(6)))
            }
        }
    }

    static func values(_ entry: HistoryEntry) -> [PostgresValue] {
        [
            .integer(Int64(entry.serial)), .integer(entry.runID), .text(entry.address.description),
            .text(entry.action), .optionalText(entry.before.map(StateJSON.encode)),
            .optionalText(entry.after.map(StateJSON.encode)), .real(entry.at.timeIntervalSince1970),
        ]
    }

    func insertHistory(_ values: [PostgresValue], on connection: PostgresConnection) throws {
        try connection.execute("""
            INSERT INTO history (stack, serial, run_id, address, action, before, after, at)
            VALUES ($1, $2::bigint, $3::bigint, $4, $5, $6, $7, $8::double precision)
            """, [.text(stack)] + values)
    }

    // MARK: Access

    /// The session, or the URL's parse error.
    func session() throws -> PostgresSession {
        try parsed.get()
    }

    /// Runs `body` outside a transaction, again on a new connection when it broke.
    func read<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        try session().read(body)
    }

    /// Runs `body` in a write transaction of this stack: writers of one stack take turns (a transaction-scoped
    /// advisory lock), and while this store holds the lock, the transaction first checks that its fencing token is
    /// still the current one (`.fenced` otherwise), with the lease row locked until it commits.
    func write<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        let fence = leases.current
        return try session().transaction { connection in
            try connection.execute("SELECT pg_advisory_xact_lock(2, hashtext($1::text))", [.text(lockKey)])
            if let fence { try checkFence(fence, on: connection) }
            return try body(connection)
        }
    }

    /// Records the lock this store now holds, and starts renewing its lease.
    func hold(_ lease: HeldLease?) {
        var renewal: (@Sendable (HeldLease) -> Bool)?
        if renewsLease, case let .success(session) = parsed {
            renewal = { [stack, leaseDuration] lease in
                Self.renew(lease, stack: stack, leaseDuration: leaseDuration, session: session)
            }
        }
        leases.hold(lease, every: HeldLease.renewalInterval(for: leaseDuration), renewal: renewal)
    }

    /// The lock this store holds, if any.
    var heldLease: HeldLease? {
        leases.current
    }
}
