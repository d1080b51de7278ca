import CSQLite
import Foundation

/// What tend finds out about an existing state file before it uses it, without writing anything: not to the file,
/// and not beside it (no `-wal` or `-shm` is left behind).
///
/// `inspect(path:)` looks at the bytes (empty, not SQLite, truncated) and the permissions; `verify(_:)` then opens the
/// file read-only and checks that it is tend's state at a schema this tend knows, and that SQLite's integrity check
/// passes. A file that fails either is refused with its own `StateError` and left byte-identical.
struct StateFileCheck: Sendable {
    /// How thoroughly the database's pages are checked when the store opens it (docs/state-integrity.md).
    enum Depth: Sendable {
        /// `PRAGMA quick_check`, table by table with its indexes: every b-tree page and cell; not whether indexes
        /// match their tables.
        case quick
        /// `PRAGMA integrity_check`, table by table: also every index entry against its table row, and UNIQUE
        /// constraints.
        case full

        var pragma: String {
            switch self {
            case .quick: "quick_check"
            case .full: "integrity_check"
            }
        }

        /// What the check of every table finds wrong, at most `problemLimit` lines; empty when they are sound.
        /// Without `history`, the history (`lazyTables`) is left out: it grows with every apply, holds a copy of
        /// every changed object and only some commands use it, so a plan or a drift check leaves it to its first
        /// use (`SQLiteStateStore.readHistory`, `writeHistory`) and costs what it reads, not the whole history.
        func problems(on connection: SQLiteConnection, history: Bool) throws -> [String] {
            let tables = try connection.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") {
                $0.text(0)
            }
            return try problems(on: connection, tables: tables.filter { history || !StateFileCheck.lazyTables.contains($0) })
        }

        /// What the check finds wrong in `tables` and their indexes, at most `problemLimit` lines; empty when they
        /// are sound.
        func problems(on connection: SQLiteConnection, tables: [String]) throws -> [String] {
            var problems: [String] = []
            for table in tables where problems.count < StateFileCheck.problemLimit {
                let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                let found = try connection.query("PRAGMA \(pragma)(\(quoted))") { $0.text(0) }
                if found != ["ok"] { problems += found.prefix(StateFileCheck.problemLimit - problems.count) }
            }
            return problems
        }
    }

    /// The append-only history, which the check at open leaves to the first use of it.
    static let historyTable = "history"
    static let lazyTables: Set<String> = [historyTable]
    /// The most problems a check reports.
    static let problemLimit = 20

    let path: String
    /// The file's permission bits.
    let mode: Int
    /// Whether the file's permissions let tend write it. The owner's write bit counts even for root, who may
    /// write anything: a state made read-only was made so on purpose.
    let isWritable: Bool
    /// Whether a `-wal` with content lies beside the file: another process has it open, or one was killed. Its
    /// changes belong to the database, so it is read through SQLite's locks rather than as an unchanging file.
    let hasJournal: Bool

    /// SQLite's magic string, the first 16 bytes of every database.
    static let magic = Data("SQLite format 3\0".utf8)

    /// Looks at the file's size, header and permissions; refuses an empty, non-SQLite or truncated file.
    static func inspect(path: String) throws -> StateFileCheck {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StateError(.io, "\(path): cannot be read: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw StateError(.io, "the state file \(path) is not a regular file (a directory?); check --state")
        }
        let size = Int64(info.st_size)
        guard size > 0 else { throw StateError.emptyFile(path) }
        let header = try readHeader(path)
        guard header.starts(with: magic) else { throw StateError.notDatabase(path) }
        let hasJournal = fileSize(path + "-wal") > 0
        // With a journal beside it, the file alone may legitimately be shorter than its header (a checkpoint that
        // was cut short is finished from the journal); SQLite's own check judges it then.
        if !hasJournal, let expected = expectedSize(header: header, size: size) {
            throw StateError.truncated(path, size: size, expected: expected)
        }
        let mode = Int(info.st_mode & 0o777)
        let isWritable = mode & 0o200 != 0 && access(path, W_OK) == 0
        return StateFileCheck(path: path, mode: mode, isWritable: isWritable, hasJournal: hasJournal)
    }

    /// Opens the file read-only, classifies it and runs the integrity check; refuses a foreign, newer or damaged
    /// database. Side files the check's connection created are removed when the file is refused.
    func verify(_ depth: Depth, history: Bool) throws -> SQLiteStateStore.FileKind {
        do {
            return try verifyOnce(depth, history: history, mode: hasJournal ? .readOnly : .immutable)
        } catch let error as StateError where error.code == .corrupt && !hasJournal
            && StateFileCheck.fileSize(path + "-wal") > 0 {
            // Read as unchanging, but a writer opened the file meanwhile and may have checkpointed into it while it was
            // read: look again through SQLite's locks before calling it damaged.
            return try verifyOnce(depth, history: history, mode: .readOnly)
        }
    }

    private func verifyOnce(_ depth: Depth, history: Bool, mode: SQLiteDatabase.OpenMode) throws -> SQLiteStateStore.FileKind {
        let existing = Set(["-wal", "-shm"].filter { FileManager.default.fileExists(atPath: path + $0) })
        do {
            let database: SQLiteDatabase
            do {
                database = try SQLiteDatabase(path: path, mode: mode)
            } catch let error as StateError where error.code == .corrupt {
                throw StateError.damaged(path, problems: [StateFileCheck.reason(error)])
            }
            return try database.withConnection { connection in
                let kind = try SQLiteStateStore.classify(on: connection)
                let problems = try depth.problems(on: connection, history: history)
                guard problems.isEmpty else { throw StateError.damaged(path, problems: problems) }
                return kind
            }
        } catch let error as StateError {
            // An immutable open creates nothing; side files that appeared meanwhile are another process's.
            if !mode.isImmutable { removeSideFiles(except: existing) }
            guard error.stopsWriting, error.code != .corrupt || error.sqliteCode != nil else { throw error }
            throw StateError.damaged(path, problems: [StateFileCheck.reason(error)])
        }
    }

    /// SQLite's short text for the error's code, or the message when there is no code.
    static func reason(_ error: StateError) -> String {
        guard let code = error.sqliteCode else { return error.message }
        return String(cString: sqlite3_errstr(code))
    }

    /// Removes `-wal` and `-shm` files that were not there before the check (and so are the check's own).
    private func removeSideFiles(except existing: Set<String>) {
        for suffix in ["-wal", "-shm"] where !existing.contains(suffix) {
            // Best effort: a side file that cannot be removed is empty and harmless to SQLite.
            unlink(path + suffix)
        }
    }

    /// The first 100 bytes (SQLite's database header), or fewer when the file is shorter.
    private static func readHeader(_ path: String) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StateError(.io, "\(path): cannot be read: \(String(cString: strerror(errno)))")
        }
        // Closing a handle opened only for reading loses nothing, so its failure needs no report.
        defer { try? handle.close() }
        do {
            return try handle.read(upToCount: 100) ?? Data()
        } catch {
            throw StateError(.io, "\(path): cannot be read: \(error.localizedDescription)")
        }
    }

    /// The size the header promises when the file is shorter than that, nil when the file is long enough. The
    /// header's page count is trusted only when SQLite marked it current (its "version valid for" number equals
    /// the change counter), as every SQLite since 3.7.0 does.
    static func expectedSize(header: Data, size: Int64) -> Int64? {
        guard header.count >= 100 else { return 512 }   // less than the smallest page SQLite writes
        let bytes = [UInt8](header)
        func number(at offset: Int, count: Int) -> Int64 {
            bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int64($1) }
        }
        let rawPageSize = number(at: 16, count: 2)
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else { return nil }
        let pageCount = number(at: 28, count: 4)
        if number(at: 92, count: 4) == number(at: 24, count: 4), pageCount > 0, size < pageCount * pageSize {
            return pageCount * pageSize
        }
        if size % pageSize != 0 { return (size / pageSize + 1) * pageSize }
        return nil
    }

    /// The size of the file at `path`, 0 when there is none.
    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
