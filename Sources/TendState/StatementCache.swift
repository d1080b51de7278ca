import CSQLite

/// Prepared statements of one connection, by SQL text.
///
/// Not thread-safe by itself: `SQLiteDatabase` only touches it while holding its lock.
final class StatementCache: @unchecked Sendable {
    private var statements: [String: OpaquePointer] = [:]
    /// Statements beyond this many are finalized after use instead of kept.
    private let capacity = 64

    /// Takes the cached statement for `sql` out of the cache while it is in use; nil when there is none
    /// (or it is in use by an outer query, which then keeps it).
    func checkOut(_ sql: String) -> OpaquePointer? {
        statements.removeValue(forKey: sql)
    }

    /// Returns a finished, reset statement for reuse; false when the cache is full or already holds one
    /// (the caller then finalizes it).
    func checkIn(_ statement: OpaquePointer, for sql: String) -> Bool {
        guard statements.count < capacity, statements[sql] == nil else { return false }
        statements[sql] = statement
        return true
    }

    /// Finalizes every statement, before the connection closes.
    func finalizeAll() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
    }
}
