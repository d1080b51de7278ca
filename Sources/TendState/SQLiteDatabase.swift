import CSQLite
import Foundation

/// One SQLite connection, shared safely between threads by a serial lock.
///
/// Every use goes through `withConnection` or `transaction`, which hold the lock for the whole closure, so
/// statements from different threads never interleave.
final class SQLiteDatabase: @unchecked Sendable {
    /// How to open the file.
    struct OpenMode: Sendable {
        var flags: Int32

        /// Read only; never creates or changes the file.
        static let readOnly = OpenMode(flags: SQLITE_OPEN_READONLY)
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

    /// Opens `path`, waiting up to five seconds for other writers.
    init(path: String, mode: OpenMode) throws {
        self.path = path
        var opened: OpaquePointer?
        let flags = mode.flags | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(opened)
            throw SQLiteConnection.error(code: code, doing: "opening", message: message, path: path)
        }
        self.handle = opened
        sqlite3_extended_result_codes(opened, 1)
        sqlite3_busy_timeout(opened, 5000)
    }

    deinit {
        cache.finalizeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs `body` with exclusive use of the connection, outside any transaction.
    func withConnection<Result>(_ body: (SQLiteConnection) throws -> Result) throws -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(SQLiteConnection(handle: handle, path: path, cache: cache))
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
                    throw StateError(.io, "\(error); rolling the transaction back failed too: \(rollback)")
                }
                throw error
            }
        }
    }
}
