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
public final class SQLiteStateStore: StateStore, @unchecked Sendable {
    /// The database file.
    public let path: String
    /// Whether reads may create the file when it is missing.
    public let createIfMissing: Bool

    /// How thoroughly an existing file is checked when it is opened; nil for the default (docs/state-integrity.md):
    /// the full check when the first use writes, the quick one when it only reads.
    let integrityDepth: StateFileCheck.Depth?

    private let openLock = NSLock()
    private var openDatabase: SQLiteDatabase?
    /// Set when the file's permissions forbid writing: it was opened for reading only, and writes are refused.
    private var readOnlyFile: StateFileCheck?

    /// A store at `path`; nothing is opened or created until first use.
    public convenience init(path: String, createIfMissing: Bool) {
        self.init(path: path, createIfMissing: createIfMissing, integrityDepth: nil)
    }

    init(path: String, createIfMissing: Bool, integrityDepth: StateFileCheck.Depth?) {
        self.path = path
        self.createIfMissing = createIfMissing
        self.integrityDepth = integrityDepth
    }

    /// Opens and checks an existing state file on a thread of its own, so that the check (docs/state-integrity.md)
    /// overlaps what a command does before its first use of state, such as loading the configuration. The first use
    /// waits for it. A file that fails the check is not opened here, so the first use checks it again and reports
    /// the failure: nothing is lost by not reporting it from this thread.
    public func prepare(writing: Bool) {
        guard FileManager.default.fileExists(atPath: path) else { return }
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
        try resources(sharing: [:])
    }

    /// SQLite reads the rows on this thread while they are decoded on others.
    public func resources(sharing: [ResourceAddress: [String: String]]) throws -> [ResourceRecord] {
        try read(empty: []) { connection in
            let statement = try connection.prepare("SELECT \(Self.resourceColumns) FROM resources")
            let decoder = ResourceRowDecoder(sharing: sharing)
            while try statement.step() { decoder.add(statement) }
            return try decoder.finish().sorted(byKey: \.address)
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
        try write { connection in
            try Self.upsert(values, on: connection)
            if let historyValues { try Self.insertHistory(historyValues, on: connection) }
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
        try write { connection in
            try connection.run("DELETE FROM resources WHERE address = ?1", [.text(address.description)])
            if let historyValues { try Self.insertHistory(historyValues, on: connection) }
            if let audit { try Self.insertAudit(audit, on: connection) }
        }
    }

    static func record(_ row: SQLiteStatement) throws -> ResourceRecord {
        try record(row, sharing: [:])
    }

    /// A resource row; string attributes byte-identical to `sharing[address][key]` are that string.
    static func record(_ row: some ResourceColumns, sharing: [ResourceAddress: [String: String]]) throws -> ResourceRecord {
        let statusText = row.text(8)
        guard let status = ResourceRecord.Status(rawValue: statusText) else {
            throw StateError(.corrupt, "state column resources.status is damaged: unknown status \"\(statusText)\"")
        }
        let address = try StateJSON.address(row.text(0), column: "resources.address")
        return ResourceRecord(
            address: address,
            type: row.text(1), provider: row.text(2), id: row.text(3),
            attributes: try row.withText(4) {
                try StateJSON.decodeAttributes($0, column: "resources.attributes", sharing: sharing[address] ?? [:])
            },
            sensitivePaths: try StateJSON.decodePaths(row.text(5), column: "resources.sensitive_paths"),
            dependencies: try StateJSON.decodeAddresses(row.text(6), column: "resources.dependencies"),
            schemaVersion: Int(row.int64(7)), status: status,
            updatedAt: Date(timeIntervalSince1970: row.double(9)),
            privateData: row.withText(10) { $0.isEmpty ? nil : String(decoding: $0, as: UTF8.self) })
    }

    // MARK: History

    public func history(address: ResourceAddress?, limit: Int) throws -> [HistoryEntry] {
        try read(empty: []) { connection in
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

    static func insertHistory(_ values: [SQLiteValue], on connection: SQLiteConnection) throws {
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

    /// Runs `body` in a write transaction, creating the database when missing.
    func write<Result>(_ body: (SQLiteConnection) throws -> Result) throws -> Result {
        guard let database = try database(creating: true, writing: true) else {
            throw StateError(.io, "\(path): could not open the state database")
        }
        return try database.transaction(body)
    }

    /// Runs `body` in a write transaction when the file exists; returns `missing` without creating it otherwise.
    func writeIfExists<Result>(missing: Result, _ body: (SQLiteConnection) throws -> Result) throws -> Result {
        guard let database = try database(creating: createIfMissing, writing: true) else { return missing }
        return try database.transaction(body)
    }

    /// The open database, opening it on first use: a missing file is created (when `creating`) as a new state; an
    /// existing one is checked first without writing anything (`StateFileCheck`), and refused when damaged, foreign
    /// or, for a write, read-only. A file whose permissions forbid writing is opened for reading only.
    private func database(creating: Bool, writing: Bool) throws -> SQLiteDatabase? {
        openLock.lock()
        defer { openLock.unlock() }
        if let openDatabase {
            if writing, let readOnlyFile { throw StateError.readOnly(path, mode: readOnlyFile.mode) }
            return openDatabase
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard creating else { return nil }
            try Self.createState(path: path)
        }
        let check = try StateFileCheck.inspect(path: path)
        // A command that writes first (apply, drift and every edit take the lock) gets the full check: what it
        // writes must not land on a file whose indexes disagree with their tables.
        let depth = integrityDepth ?? (writing ? .full : .quick)
        if check.isWritable {
            openDatabase = try Self.open(check, depth: depth)
        } else {
            if writing { throw StateError.readOnly(path, mode: check.mode) }
            openDatabase = try Self.openReadOnly(check, depth: depth)
            readOnlyFile = check
        }
        return openDatabase
    }
}
