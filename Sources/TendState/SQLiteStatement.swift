import CSQLite

/// A prepared statement: bind parameters, step through rows, read columns.
///
/// Not Sendable: it lives only inside one `SQLiteDatabase.withConnection` or `transaction` call.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection
    /// The SQL text, the statement's key in the connection's cache.
    private let text: String

    /// Prepares `sql`, or checks a prepared copy out of the connection's cache (returned when this is released).
    init(_ sql: String, on connection: SQLiteConnection) throws {
        self.connection = connection
        self.text = sql
        if let cached = connection.cache.checkOut(sql) {
            sqlite3_clear_bindings(cached)
            self.statement = cached
            return
        }
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v2(connection.handle, sql, -1, &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            throw connection.error(code, "preparing \(SQLiteStatement.summary(of: sql))")
        }
        self.statement = prepared
    }

    deinit {
        sqlite3_reset(statement)
        if !connection.cache.checkIn(statement, for: text) { sqlite3_finalize(statement) }
    }

    /// Binds values to the parameters `?1`, `?2`, … in order.
    func bind(_ values: [SQLiteValue]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(statement, index)
            case let .integer(number): code = sqlite3_bind_int64(statement, index, number)
            case let .real(number): code = sqlite3_bind_double(statement, index, number)
            case let .text(text): code = sqlite3_bind_text(statement, index, text, -1, tend_sqlite_transient())
            }
            guard code == SQLITE_OK else { throw connection.error(code, "binding parameter \(index)") }
        }
    }

    /// Advances to the next row; false when the statement is done.
    func step() throws -> Bool {
        let code = sqlite3_step(statement)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(code, "running \(SQLiteStatement.summary(of: sql))")
        }
    }

    /// Whether column `index` of the current row is NULL.
    func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(statement, index) == SQLITE_NULL
    }

    /// Column `index` as an integer (0 for NULL).
    func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(statement, index)
    }

    /// Column `index` as a double (0 for NULL).
    func double(_ index: Int32) -> Double {
        sqlite3_column_double(statement, index)
    }

    /// Column `index` as a double, nil for NULL.
    func optionalDouble(_ index: Int32) -> Double? {
        isNull(index) ? nil : double(index)
    }

    /// Column `index` as text, nil for NULL.
    func optionalText(_ index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, index) else { return nil }
        return String(cString: bytes)
    }

    /// Column `index`'s UTF-8 bytes, read in place (empty for NULL); valid only inside `body`.
    func withText<T>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let bytes = sqlite3_column_text(statement, index)
        let count = Int(sqlite3_column_bytes(statement, index))
        return try body(UnsafeBufferPointer(start: bytes, count: bytes == nil ? 0 : count))
    }

    /// Column `index` as text ("" for NULL).
    func text(_ index: Int32) -> String {
        optionalText(index) ?? ""
    }

    private var sql: String {
        sqlite3_sql(statement).map { String(cString: $0) } ?? ""
    }

    /// The first words of a statement, for error messages.
    static func summary(of sql: String) -> String {
        let words = sql.split(whereSeparator: \.isWhitespace).prefix(4).joined(separator: " ")
        return "\"\(words)\""
    }
}
