import CSQLite
import Foundation
import Synchronization

/// One SQLite connection, shared safely between threads by a serial lock.
///
/// Every use goes through `withConnection` or `transaction`, which hold the lock for the whole closure, so
/// statements from different threads never interleave.
final class SQLiteDatabase: @unchecked Sendable {
    /// How to open the file.
    struct OpenMode: Sendable {
        var flags: Int32
        /// Whether SQLite may take the file for unchanging: no locks, no `-wal` or `-shm` files read or created.
        var isImmutable = false

        /// Read only; never changes the file, but may create `-wal` and `-shm` files beside a WAL-mode database.
        static let readOnly = OpenMode(flags: SQLITE_OPEN_READONLY)
        /// Read only, taking the file as unchanging: creates nothing and writes nothing, even beside the file. Right
        /// only while no other connection writes the file (no `-wal` beside it holds changes).
        static let immutable = OpenMode(flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, isImmutable: true)
        /// Read and write an existing file.
        static let readWrite = OpenMode(flags: SQLITE_OPEN_READWRITE)
        /// Read and write, creating the file when missing.
        static let readWriteCreate = OpenMode(flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    }

    let path: String
    private let handle: OpaquePointer
    private let lock = NSLock()
    /// Prepared statements, reused: preparing costs more than running the small statements state writes use.
    private let cache = StatementCache()
    /// The first error that showed the file damaged (`StateError.stopsWriting`); every later use fails with it.
    private var damage: StateError?

    /// Opens `path`, waiting up to five seconds for other writers.
    init(path: String, mode: OpenMode) throws {
        self.path = path
        var opened: OpaquePointer?
        let flags = mode.flags | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(mode.isImmutable ? Self.immutableURI(path) : path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(opened)
            throw SQLiteConnection.error(code: code, doing: "opening", message: message, path: path)
        }
        self.handle = opened
        sqlite3_extended_result_codes(opened, 1)
        sqlite3_busy_timeout(opened, Self.busyTimeout)
        if mode.flags & SQLITE_OPEN_READWRITE != 0 {
            let database = WeakDatabase(self)
            Self.writable.withLock { $0[ObjectIdentifier(self)] = database }
        }
    }

    deinit {
        Self.writable.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(self)) }
        cache.finalizeAll()
        sqlite3_close_v2(handle)
    }

    /// How long a statement waits for another writer, in milliseconds.
    static let busyTimeout: Int32 = 5000

    /// The writable databases this process has open, held weakly.
    private static let writable = Mutex<[ObjectIdentifier: WeakDatabase]>([:])

    private final class WeakDatabase: Sendable {
        weak let database: SQLiteDatabase?

        init(_ database: SQLiteDatabase) {
            self.database = database
        }
    }

    /// Folds the write-ahead log of every writable database still open into its file and empties the log, as closing
    /// the last connection would: a process that exits with a database open (the CLI does not wait for every object
    /// to be freed) then leaves the state whole in its file, with no log beside it that the next opener, even one
    /// that is refused, would fold in. Without waiting: while another process holds the file, its log stays, as
    /// SQLite leaves it then anyway.
    static func settleWritable() {
        let open = writable.withLock { $0.values.compactMap(\.database) }
        for database in open {
            // Best effort, as above: a damaged file or a busy one is left as it is.
            try? database.withConnection { connection in
                try connection.execute("PRAGMA busy_timeout = 0")
                defer { sqlite3_busy_timeout(connection.handle, busyTimeout) }
                try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
    }

    /// A `file:` URI naming `path` read-only and immutable.
    static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return "file:\(encoded)?mode=ro&immutable=1"
    }

    /// Runs `body` with exclusive use of the connection, outside any transaction.
    ///
    /// Once an error has shown the file damaged (corruption, an I/O error), every later call fails at once: nothing
    /// more is read from or written to a file that can no longer be trusted.
    func withConnection<Result>(_ body: (SQLiteConnection) throws -> Result) throws -> Result {
        lock.lock()
        defer { lock.unlock() }
        if let damage { throw StateError.stoppedAfterDamage(path, first: damage) }
        do {
            return try body(SQLiteConnection(handle: handle, path: path, cache: cache))
        } catch let error as StateError where error.stopsWriting {
            damage = error
            throw error
        }
    }

    /// Records damage that a check found on another connection: every later use fails as after damage met here.
    func stop(after damage: StateError) {
        lock.withLock {
            if self.damage == nil { self.damage = damage }
        }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back when it throws.
    func transaction<Result>(_ body: (SQLiteConnection) throws -> Result) throws -> Result {
        try withConnection { connection in
            try connection.run("BEGIN IMMEDIATE")
            do {
                let result = try body(connection)
                try connection.run("COMMIT")
                return result
            } catch {
                // SQLite may have rolled back by itself (some errors end the transaction); otherwise roll back now.
                // A rollback that fails leaves the connection inside the transaction: say so with the first error.
                guard sqlite3_get_autocommit(connection.handle) == 0 else { throw error }
                do {
                    try connection.execute("ROLLBACK")
                } catch let rollback {
                    // A connection stuck inside a transaction cannot be trusted with another write.
                    var stuck = StateError(.io, "\(error); rolling the transaction back failed too: \(rollback)")
                    stuck.sqliteCode = (error as? StateError)?.sqliteCode ?? (rollback as? StateError)?.sqliteCode
                    stuck.stopsWriting = true
                    throw stuck
                }
                throw error
            }
        }
    }
}
