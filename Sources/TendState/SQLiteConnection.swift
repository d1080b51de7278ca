import CSQLite

/// Access to an open SQLite handle while `SQLiteDatabase` holds its lock.
///
/// Not Sendable and never stored: it is valid only inside the closure that received it.
struct SQLiteConnection {
    let handle: OpaquePointer
    let path: String
    /// Prepared statements reused across calls; owned by the database, used only under its lock.
    let cache: StatementCache

    /// Runs one or more statements that take no parameters and return no rows of interest.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            let detail = message.map { String(cString: $0) }
            throw error(code, "running \(SQLiteStatement.summary(of: sql))", detail: detail)
        }
    }

    /// Prepares a statement.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        try SQLiteStatement(sql, on: self)
    }

    /// Runs one statement with parameters to completion and returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLiteValue] = []) throws -> Int {
        let statement = try prepare(sql)
        try statement.bind(values)
        while try statement.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// Runs a query and maps every row.
    func query<Row>(_ sql: String, _ values: [SQLiteValue] = [], row: (SQLiteStatement) throws -> Row) throws -> [Row] {
        let statement = try prepare(sql)
        try statement.bind(values)
        var rows: [Row] = []
        while try statement.step() {
            rows.append(try row(statement))
        }
        return rows
    }

    /// Runs a query and maps its first row, nil when there is none.
    func queryFirst<Row>(_ sql: String, _ values: [SQLiteValue] = [], row: (SQLiteStatement) throws -> Row) throws -> Row? {
        let statement = try prepare(sql)
        try statement.bind(values)
        guard try statement.step() else { return nil }
        return try row(statement)
    }

    /// The rowid of the last row inserted on this connection.
    var lastInsertRowID: Int64 {
        sqlite3_last_insert_rowid(handle)
    }

    /// A `StateError` for a failed SQLite call, with SQLite's message and the database path.
    func error(_ code: Int32, _ doing: String, detail: String? = nil) -> StateError {
        let message = detail ?? String(cString: sqlite3_errmsg(handle))
        return SQLiteConnection.error(code: code, doing: doing, message: message, path: path)
    }

    /// A `StateError` for SQLite result `code`. Corruption and I/O errors stop all later writing (`stopsWriting`).
    static func error(code: Int32, doing: String, message: String, path: String) -> StateError {
        let primary = code & 0xff
        var error: StateError
        if primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT {
            error = StateError(.corrupt, "the state database \(path) is damaged: SQLite reported \"\(message)\" (code "
                + "\(code)) while \(doing). " + StateError.restoreAdvice(path))
        } else if StateError.isDamage(sqliteCode: code) {
            error = StateError(.io, "reading or writing the state database \(path) failed: \(message) (SQLite code "
                + "\(code)) while \(doing), so it may be damaged: check the disk, and restore the file from a backup if "
                + "`sqlite3 \(path) 'PRAGMA integrity_check'` does not say ok.")
        } else {
            error = StateError(.io, "\(path): \(doing) failed: \(message) (SQLite code \(code))")
        }
        error.sqliteCode = code
        error.stopsWriting = StateError.isDamage(sqliteCode: code)
        return error
    }
}
