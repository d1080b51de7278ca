import CSQLite
import Foundation
import TendModel

/// The state store in a SQLite file (`.tend/state.db` by default): WAL mode, file mode 0600, one
/// transaction per write.
///
/// The file is opened on first use. Reads of a missing file return empty results and create nothing
/// unless `createIfMissing` is true; writes create the file (and a `.tend` parent directory, mode 0700).
/// Files tend cannot use (empty, truncated, damaged, not SQLite, not tend's, from a newer tend) are refused, each with
/// its own code, before anything is written, and are left byte-identical with nothing created beside them. A file
/// whose permissions forbid writing serves reads and refuses writes. Once SQLite reports corruption or an I/O
/// error, the store refuses everything after it (`StateError.stopsWriting`).
///
/// Like `InMemoryStateStore`: `advanceSerial(from: nil)` on a state never initialized creates it at serial 1, and a
/// `limit` of zero or less in `history` and `runs` means no limit.
///
/// **Lock.** A lease, as with `PostgresStateStore`: the lock row names the holder, and a lease row keeps the holder's
/// expiry on the wall clock of the process that wrote it (so every host sharing a file must keep its clock in sync)
/// and a fencing token that grows by one on every acquisition and never goes back, across releases and broken locks.
/// While this store holds the lock, a thread renews the lease every `leaseDuration / 3`; once it has expired, another
/// process may take the lock, and from then on every write transaction of this store fails with `.fenced`: each
/// checks, inside its `BEGIN IMMEDIATE` transaction, that its lock and token are still the current ones. A holder on
/// this host whose process is gone is stale (`LockInfo.isStale`) and is broken by the next tend at once.
public final class SQLiteStateStore: StateStore, FencingTokenHolding, @unchecked Sendable {
    /// The database file.
    public let path: String
    /// Whether reads may create the file when it is missing.
    public let createIfMissing: Bool
    /// How long an acquired lock lasts without renewal, in seconds.
    public let leaseDuration: Double
    /// Whether a thread renews the lease while the lock is held (tests turn it off to let a lease run out).
    public let renewsLease: Bool
    /// The lock this store took and its fencing token, while it holds it, and the thread renewing it.
    let leases = LeaseHolder()

    /// How thoroughly an existing file is checked when it is opened; nil for the default (docs/state-integrity.md):
    /// the full check when the first use writes, the quick one when it only reads.
    let integrityDepth: StateFileCheck.Depth?

    private let openLock = NSLock()
    private var openDatabase: SQLiteDatabase?
    /// Set when the file's permissions forbid writing: it was opened for reading only, and writes are refused.
    private var readOnlyFile: StateFileCheck?
    /// How thoroughly the open file was checked: a `.quick` check leaves the logs to their first read and the rest
    /// of the whole-file check to the first write.
    private var checkedDepth: StateFileCheck.Depth?
    /// How thoroughly the history was checked since the open (the check at open leaves it out for reading);
    /// nil until first checked.
    private var checkedHistory: StateFileCheck.Depth?
    /// Whether the check at open covers the history: nil for when the first use writes (`checksHistoryAtOpen`).
    private var historyAtOpen: Bool?
    /// Set by `prepare(writing: true)`: the command writes, so the open checks as for a write even when a read
    /// of the command's reaches the file before the preparing thread does.
    private var preparedForWriting = false

    /// A store at `path`; nothing is opened or created until first use.
    /// - Parameters:
    ///   - leaseDuration: seconds a lock lasts without renewal.
    ///   - renewsLease: whether a thread renews the lease while the lock is held.
    public convenience init(path: String, createIfMissing: Bool, leaseDuration: Double = 60, renewsLease: Bool = true) {
        self.init(path: path, createIfMissing: createIfMissing, integrityDepth: nil, leaseDuration: leaseDuration,
                  renewsLease: renewsLease)
    }

    init(path: String, createIfMissing: Bool, integrityDepth: StateFileCheck.Depth?, leaseDuration: Double = 60,
         renewsLease: Bool = true) {
        self.path = path
        self.createIfMissing = createIfMissing
        self.integrityDepth = integrityDepth
        self.leaseDuration = leaseDuration
        self.renewsLease = renewsLease
    }

    /// Whether the check when the file is opened covers the history too. By default it does when the first use
    /// writes: a command that may add to the history then refuses a damaged one before anything is written or made
    /// beside the file. A command that reads the history (`tend history`) asks for it too; one that writes but never
    /// adds to it (a drift check) asks not to. Call before the first use.
    public func checksHistoryAtOpen(_ checks: Bool) {
        openLock.withLock { historyAtOpen = checks }
    }

    /// The fencing token of the lock this store holds; nil when it holds none.
    public var fencingToken: Int64? {
        leases.current?.token
    }

    /// Opens and checks an existing state file on a thread of its own, so that the check (docs/state-integrity.md)
    /// overlaps what a command does before its first use of state, such as loading the configuration. The first use
    /// waits for it. A file that fails the check is not opened here, so the first use checks it again and reports
    /// the failure: nothing is lost by not reporting it from this thread.
    public func prepare(writing: Bool) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        openLock.withLock { preparedForWriting = writing }
        let thread = Thread { [self] in
            // Any error is found again, and thrown, by the first use (see above).
            _ = try? database(creating: false, writing: writing)
        }
        thread.start()
    }

    // MARK: Version

    public func version() throws -> StateVersion? {
        try read(empty: nil) { try Self.version(on: $0) }
    }

    public func initialize() throws -> StateVersion {
        try write { connection in
            if let existing = try Self.version(on: connection) { return existing }
            return try Self.create(serial: 0, stackID: Self.newStackID(), on: connection)
        }
    }

    public func advanceSerial(from expected: StateVersion?) throws -> StateVersion {
        try write { connection in
            guard let expected else {
                if let found = try Self.version(on: connection) { throw StateError.stale(expected: nil, found: found) }
                return try Self.create(serial: 1, stackID: Self.newStackID(), on: connection)
            }
            let changed = try connection.run("UPDATE meta SET serial = serial + 1 WHERE id = 1 AND serial = ?1 AND lineage = ?2",
                                             [.integer(Int64(expected.serial)), .text(expected.lineage)])
            guard changed == 1 else { throw StateError.stale(expected: expected, found: try Self.version(on: connection)) }
            return StateVersion(lineage: expected.lineage, serial: expected.serial + 1)
        }
    }

    /// Creates the state's one meta row: a new lineage at `serial`, with `stackID`.
    static func create(serial: Int, stackID: String, on connection: SQLiteConnection) throws -> StateVersion {
        let created = StateVersion(lineage: UUID().uuidString.lowercased(), serial: serial)
        try connection.run("INSERT INTO meta (id, lineage, serial, stack_id) VALUES (1, ?1, ?2, ?3)",
                           [.text(created.lineage), .integer(Int64(created.serial)), .text(stackID)])
        return created
    }

    /// A stack id for a new state: random, like the lineage, and never changed afterwards unless a manifest names one.
    static func newStackID() -> String {
        UUID().uuidString.lowercased()
    }

    static func version(on connection: SQLiteConnection) throws -> StateVersion? {
        try connection.queryFirst("SELECT lineage, serial FROM meta WHERE id = 1") { row in
            StateVersion(lineage: row.text(0), serial: Int(row.int64(1)))
        }
    }

    // MARK: Resources

    static let resourceColumns = """
        address, type, provider, id, attributes, sensitive_paths, dependencies, schema_version, status, updated_at, private
        """

    public func resourceSummaries() throws -> [ResourceRecord] {
        try read(empty: []) { connection in
            try connection.query("""
                SELECT address, type, provider, id, '{}', sensitive_paths, dependencies, schema_version, status, updated_at,
                       private
                FROM resources
                """, row: Self.record).sorted(byKey: \.address)
        }
    }

    public func resources() throws -> [ResourceRecord] {
        try resources(sharing: .none)
    }

    /// SQLite reads the rows on this thread while they are decoded on others.
    public func resources(sharing: SharedStrings) throws -> [ResourceRecord] {
        try read(empty: []) { connection in
            let statement = try connection.prepare("SELECT \(Self.resourceColumns) FROM resources")
            let decoder = ResourceRowDecoder(sharing: sharing)
            while try statement.step() { decoder.add(statement) }
            // The pages a whole-table read left in SQLite's cache are not read again by this command.
            sqlite3_db_release_memory(connection.handle)
            var records = try decoder.finish()
            records.sort(byKey: \.address)
            return records
        }
    }

    public func resource(_ address: ResourceAddress) throws -> ResourceRecord? {
        try read(empty: nil) { connection in
            try connection.queryFirst("SELECT \(Self.resourceColumns) FROM resources WHERE address = ?1",
                                      [.text(address.description)], row: Self.record)
        }
    }

    public func put(_ record: ResourceRecord, history: HistoryEntry?) throws {
        try put(record, history: history, audit: nil)
    }

    public func put(_ record: ResourceRecord, history: HistoryEntry?, audit: AuditDraft?) throws {
        // Encode before taking the database lock, so parallel operations do not queue behind JSON work.
        let values = Self.values(record)
        let historyValues = history.map(Self.values)
        try write(addsHistory: historyValues != nil) { connection in
            try Self.upsert(values, on: connection)
            if let historyValues { try insertHistory(historyValues, on: connection) }
            if let audit { try Self.insertAudit(audit, on: connection) }
        }
    }

    /// A record's columns, in `resourceColumns` order.
    static func values(_ record: ResourceRecord) -> [SQLiteValue] {
        [
            .text(record.address.description), .text(record.type), .text(record.provider), .text(record.id),
            .text(StateJSON.encode(record.attributes)), .text(StateJSON.encode(paths: record.sensitivePaths)),
            .text(StateJSON.encode(addresses: record.dependencies)), .integer(Int64(record.schemaVersion)),
            .text(record.status.rawValue), .real(record.updatedAt.timeIntervalSince1970), .optionalText(record.privateData),
        ]
    }

    /// Inserts or replaces one record inside the caller's transaction.
    static func upsert(_ values: [SQLiteValue], on connection: SQLiteConnection) throws {
        try connection.run("""
            INSERT INTO resources (\(Self.resourceColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            ON CONFLICT (address) DO UPDATE SET type = excluded.type, provider = excluded.provider,
                id = excluded.id, attributes = excluded.attributes, sensitive_paths = excluded.sensitive_paths,
                dependencies = excluded.dependencies, schema_version = excluded.schema_version,
                status = excluded.status, updated_at = excluded.updated_at, private = excluded.private
            """, values)
    }

    public func remove(_ address: ResourceAddress, history: HistoryEntry?) throws {
        try remove(address, history: history, audit: nil)
    }

    public func remove(_ address: ResourceAddress, history: HistoryEntry?, audit: AuditDraft?) throws {
        let historyValues = history.map(Self.values)
        try write(addsHistory: historyValues != nil) { connection in
            try connection.run("DELETE FROM resources WHERE address = ?1", [.text(address.description)])
            if let historyValues { try insertHistory(historyValues, on: connection) }
            if let audit { try Self.insertAudit(audit, on: connection) }
        }
    }

    static func record(_ row: SQLiteStatement) throws -> ResourceRecord {
        try record(row, sharing: .none)
    }

    /// A resource row; string attributes byte-identical to what `sharing` has for their object and key are that
    /// string. With `repeats`, sensitive paths and dependencies written exactly as an earlier row's are that row's
    /// arrays.
    static func record(_ row: some ResourceColumns, sharing: SharedStrings,
                       repeats: RepeatedColumns? = nil) throws -> ResourceRecord {
        let columns = repeats ?? RepeatedColumns()
        let statusText = row.text(8)
        guard let status = ResourceRecord.Status(rawValue: statusText) else {
            throw StateError(.corrupt, "state column resources.status is damaged: unknown status \"\(statusText)\"")
        }
        let address = try StateJSON.address(row.text(0), column: "resources.address")
        return ResourceRecord(
            address: address,
            type: row.text(1), provider: row.text(2), id: row.text(3),
            attributes: try row.withText(4) {
                try StateJSON.decodeAttributes($0, column: "resources.attributes", sharing: sharing.object(address))
            },
            sensitivePaths: try columns.paths(row.text(5)),
            dependencies: try columns.addresses(row.text(6)),
            schemaVersion: Int(row.int64(7)), status: status,
            updatedAt: Date(timeIntervalSince1970: row.double(9)),
            privateData: row.withText(10) { $0.isEmpty ? nil : String(decoding: $0, as: UTF8.self) })
    }

    // MARK: History

    public func history(address: ResourceAddress?, limit: Int) throws -> [HistoryEntry] {
        try readHistory(empty: []) { connection in
            let filter = address == nil ? "" : "WHERE address = ?2"
            var values: [SQLiteValue] = [.integer(limit > 0 ? Int64(limit) : -1)]
            if let address { values.append(.text(address.description)) }
            return try connection.query("""
                SELECT serial, run_id, address, action, before, after, at FROM history \(filter)
                ORDER BY seq DESC LIMIT ?1
                """, values) { row in
                HistoryEntry(
                    serial: Int(row.int64(0)), runID: row.int64(1),
                    address: try StateJSON.address(row.text(2), column: "history.address"), action: row.text(3),
                    before: try row.optionalText(4).map { try StateJSON.decodeAttributes($0, column: "history.before") },
                    after: try row.optionalText(5).map { try StateJSON.decodeAttributes($0, column: "history.after") },
                    at: Date(timeIntervalSince1970: row.double(6)))
            }
        }
    }

    static func values(_ entry: HistoryEntry) -> [SQLiteValue] {
        [
            .integer(Int64(entry.serial)), .integer(entry.runID), .text(entry.address.description),
            .text(entry.action), .optionalText(entry.before.map(StateJSON.encode)),
            .optionalText(entry.after.map(StateJSON.encode)), .real(entry.at.timeIntervalSince1970),
        ]
    }

    /// Adds a history row inside the caller's transaction, which `writeHistory` began.
    func insertHistory(_ values: [SQLiteValue], on connection: SQLiteConnection) throws {
        assert(historyCheckedForWriting, "a write that adds to the history goes through writeHistory")
        try connection.run("""
            INSERT INTO history (serial, run_id, address, action, before, after, at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """, values)
    }

    // MARK: Access

    /// Runs `body` on the database, or returns `empty` when the file is missing and must not be created.
    func read<Result>(empty: Result, _ body: (SQLiteConnection) throws -> Result) throws -> Result {
        guard let database = try database(creating: createIfMissing, writing: false) else { return empty }
        return try database.withConnection(body)
    }

    /// Runs `body` on the database, like `read`, once the history passed the check the file was opened with: the
    /// check at open leaves the history to the first use of it.
    func readHistory<Result>(empty: Result, _ body: (SQLiteConnection) throws -> Result) throws -> Result {
        guard let database = try database(creating: createIfMissing, writing: false) else { return empty }
        try checkHistory(writing: false)
        return try database.withConnection(body)
    }

    /// Runs `body` in a write transaction, like `write`, once the history passed the whole check
    /// (`integrity_check`): for every write that adds to the history or changes it.
    func writeHistory<Result>(_ body: (SQLiteConnection) throws -> Result) throws -> Result {
        let database = try openForWriting()
        try checkHistory(writing: true)
        return try transaction(on: database, fenced: true, body)
    }

    /// `writeHistory` when `addsHistory`, else `write`.
    func write<Result>(addsHistory: Bool, _ body: (SQLiteConnection) throws -> Result) throws -> Result {
        addsHistory ? try writeHistory(body) : try write(body)
    }

    /// Checks the history once for reading (at the open's depth) and once for writing (the whole check).
    func checkHistory(writing: Bool) throws {
        openLock.lock()
        defer { openLock.unlock() }
        guard let opened = checkedDepth else { return }
        let needed: StateFileCheck.Depth = writing ? .full : opened
        if checkedHistory == .full || checkedHistory == needed { return }
        try refuseDamage { try needed.problems(on: $0, tables: [StateFileCheck.historyTable]) }
        checkedHistory = needed
    }

    /// Whether the history passed the whole check, which every write that adds to it needs first.
    var historyCheckedForWriting: Bool {
        openLock.lock()
        defer { openLock.unlock() }
        return checkedHistory == .full
    }

    /// Runs a check of the open file (the caller holds `openLock`) on a connection of its own, which reads the file
    /// as it is now and leaves the store's page cache as it was; a file opened for reading only, which nothing
    /// changes, is checked on the store's connection, so that no side file is made beside it. What the check finds,
    /// or corruption SQLite reports while it runs, stops the store as damage met by a write would, and is thrown.
    private func refuseDamage(_ check: (SQLiteConnection) throws -> [String]) throws {
        guard let openDatabase else { return }
        try openDatabase.withConnection { _ in }   // a store stopped by damage stays stopped, with the first damage
        let damage: StateError
        do {
            let checking = readOnlyFile == nil ? try SQLiteDatabase(path: path, mode: .readOnly) : openDatabase
            let problems = try checking.withConnection(check)
            guard !problems.isEmpty else { return }
            damage = StateError.damaged(path, problems: problems)
        } catch let error as StateError where error.code == .corrupt {
            damage = StateError.damaged(path, problems: [StateFileCheck.reason(error)])
        }
        openDatabase.stop(after: damage)
        throw damage
    }

    /// Runs `body` in a write transaction, creating the database when missing. While this store holds the lock, the
    /// transaction first checks that its lock and fencing token are still the current ones.
    func write<Result>(_ body: (SQLiteConnection) throws -> Result) throws -> Result {
        try transaction(on: try openForWriting(), fenced: true, body)
    }

    /// Runs `body` in a write transaction when the file exists (checked like `write`); returns `missing` without
    /// creating it otherwise.
    func writeIfExists<Result>(missing: Result, fenced: Bool = true, _ body: (SQLiteConnection) throws -> Result) throws -> Result {
        guard let database = try database(creating: createIfMissing, writing: true) else { return missing }
        return try transaction(on: database, fenced: fenced, body)
    }

    /// The database for writing, created when missing.
    func openForWriting() throws -> SQLiteDatabase {
        guard let database = try database(creating: true, writing: true) else {
            throw StateError(.io, "\(path): could not open the state database")
        }
        return database
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction, behind the fence of the lock this store holds (when `fenced`).
    /// A fenced write stops this store's run (`stopsWriting`) without marking the file damaged: it is sound, only no
    /// longer this store's to write.
    func transaction<Result>(on database: SQLiteDatabase, fenced: Bool,
                                     _ body: (SQLiteConnection) throws -> Result) throws -> Result {
        guard fenced, let fence = leases.current else { return try database.transaction(body) }
        do {
            return try database.transaction { connection in
                try checkFence(fence, on: connection)
                return try body(connection)
            }
        } catch var error as StateError where error.code == .fenced {
            error.stopsWriting = true
            throw error
        }
    }

    /// The open database, opening it on first use: a missing file is created (when `creating`) as a new state; an
    /// existing one is checked first without writing anything (`StateFileCheck`), and refused when damaged, foreign
    /// or, for a write, read-only. A file whose permissions forbid writing is opened for reading only.
    private func database(creating: Bool, writing: Bool) throws -> SQLiteDatabase? {
        openLock.lock()
        defer { openLock.unlock() }
        if let openDatabase {
            if writing, let readOnlyFile { throw StateError.readOnly(path, mode: readOnlyFile.mode) }
            if writing { try completeCheck() }
            return openDatabase
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard creating else { return nil }
            try Self.createState(path: path)
        }
        let check = try StateFileCheck.inspect(path: path)
        // A command that writes (apply, drift and every edit take the lock; `prepare(writing: true)` says so before
        // any use) gets the full check: what it writes must not land on a file whose indexes disagree with their tables.
        let writes = writing || preparedForWriting
        let depth = integrityDepth ?? (writes ? .full : .quick)
        // The history too when the command writes or asked for it (`checksHistoryAtOpen`): checked before the file
        // is opened for writing, a damaged history is refused with nothing written or made beside the file.
        let history = historyAtOpen ?? writes
        if check.isWritable {
            openDatabase = try Self.open(check, depth: depth, history: history)
        } else {
            if writing { throw StateError.readOnly(path, mode: check.mode) }
            openDatabase = try Self.openReadOnly(check, depth: depth, history: history)
            readOnlyFile = check
        }
        checkedDepth = depth
        if history { checkedHistory = depth }
        if writing { try completeCheck() }
        return openDatabase
    }

    /// The first write after an open for reading completes the check (the caller holds `openLock`): what it writes
    /// must not land on a file with a damaged log or indexes that disagree with their tables.
    private func completeCheck() throws {
        guard checkedDepth == .quick else { return }
        try refuseDamage { try StateFileCheck.Depth.full.problems(on: $0, history: false) }
        checkedDepth = .full
    }
}
