/// A value bound to a SQLite statement parameter.
enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// Text, or NULL when nil.
    static func optionalText(_ text: String?) -> SQLiteValue {
        text.map(SQLiteValue.text) ?? .null
    }

    /// Seconds since 1970, or NULL when nil.
    static func optionalReal(_ number: Double?) -> SQLiteValue {
        number.map(SQLiteValue.real) ?? .null
    }
}
