/// A value bound to a PostgreSQL statement parameter, sent in text form (the server infers or casts the type).
enum PostgresValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// Text, or NULL when nil.
    static func optionalText(_ text: String?) -> PostgresValue {
        text.map(PostgresValue.text) ?? .null
    }

    /// The parameter's text form; nil for NULL. A double is written in Swift's shortest form, which PostgreSQL's
    /// `float8` reads back to the very same double.
    var parameterText: String? {
        switch self {
        case .null: return nil
        case let .integer(number): return String(number)
        case let .real(number): return "\(number)"
        case let .text(text): return text
        }
    }
}
