import CPostgres
import Foundation

/// One libpq connection to the server a `PostgresLocation` names.
///
/// Not thread-safe: `PostgresSession` uses it under its lock only. Every statement goes through `PQexecParams`, with
/// values as parameters, never spliced into the SQL. Messages name the server by host and port and are scrubbed of
/// the password.
final class PostgresConnection {
    let location: PostgresLocation
    private let handle: OpaquePointer

    /// Connects; a failure is `.unreachable`, naming the host and port.
    init(location: PostgresLocation) throws {
        if let failure = tend_pq_load() {
            throw StateError(.unreachable, "cannot use the PostgreSQL state at \(location.endpoint): \(String(cString: failure))")
        }
        self.location = location
        let pairs = location.connectionKeywords
        let keywords: [UnsafeMutablePointer<CChar>?] = pairs.map { strdup($0.0) }
        let values: [UnsafeMutablePointer<CChar>?] = pairs.map { strdup($0.1) }
        defer {
            for pointer in keywords + values { free(pointer) }
        }
        let keywordList = keywords.map { UnsafePointer($0) } + [nil]
        let valueList = values.map { UnsafePointer($0) } + [nil]
        let opened = keywordList.withUnsafeBufferPointer { keywordBuffer in
            valueList.withUnsafeBufferPointer { valueBuffer in
                tend_pq_connectdbParams(keywordBuffer.baseAddress, valueBuffer.baseAddress, 0)
            }
        }
        guard let opened else {
            throw StateError(.unreachable, "cannot connect to PostgreSQL at \(location.endpoint): out of memory")
        }
        guard tend_pq_status(opened) == CONNECTION_OK else {
            let detail = location.scrub(Self.message(tend_pq_errorMessage(opened)))
            tend_pq_finish(opened)
            var error = StateError(.unreachable, "cannot connect to the PostgreSQL state at \(location.endpoint) "
                + "(\(location.redacted)): \(detail)")
            error.isConnectionLoss = true
            throw error
        }
        handle = opened
    }

    deinit {
        tend_pq_finish(handle)
    }

    /// Whether the connection is still usable.
    var isOpen: Bool {
        tend_pq_status(handle) == CONNECTION_OK
    }

    /// Runs one statement with `values` bound to `$1`, `$2`, … and returns its rows.
    @discardableResult
    func execute(_ sql: String, _ values: [PostgresValue] = []) throws -> PostgresResult {
        let texts: [UnsafeMutablePointer<CChar>?] = values.map { $0.parameterText.flatMap { strdup($0) } }
        defer {
            for pointer in texts { free(pointer) }
        }
        let parameters = texts.map { UnsafePointer($0) }
        let raw = parameters.withUnsafeBufferPointer { buffer in
            tend_pq_execParams(handle, sql, Int32(values.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        guard let raw else { throw failure(nil, sql) }
        let result = PostgresResult(raw)
        let status = tend_pq_resultStatus(raw)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw failure(raw, sql) }
        return result
    }

    /// The error for a failed statement: `.io` with the server's message and SQLSTATE; a lost connection (the
    /// server restarted, the connection was reset) is marked so the session may retry.
    private func failure(_ result: OpaquePointer?, _ sql: String) -> StateError {
        let sqlState = result.flatMap { tend_pq_resultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        let primary = result.flatMap { tend_pq_resultErrorField($0, Int32(UInt8(ascii: "M"))) }.map { String(cString: $0) }
        let detail = location.scrub(primary ?? Self.message(tend_pq_errorMessage(handle)))
        let lost = tend_pq_status(handle) != CONNECTION_OK || Self.isConnectionLoss(sqlState: sqlState)
        let doing = Self.summary(of: sql)
        var error: StateError
        if lost {
            error = StateError(.io, "the connection to the PostgreSQL state at \(location.endpoint) was lost while running "
                + "\(doing): \(detail)")
        } else {
            error = StateError(.io, "the PostgreSQL state at \(location.endpoint): running \(doing) failed: \(detail)"
                + (sqlState.map { " (SQLSTATE \($0))" } ?? ""))
        }
        error.sqlState = sqlState
        error.isConnectionLoss = lost
        return error
    }

    /// SQLSTATEs that mean the connection is gone: class 08 (connection exception), and the server shutting down or
    /// restarting (57P01 to 57P03).
    static func isConnectionLoss(sqlState: String?) -> Bool {
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// libpq's message, trimmed.
    private static func message(_ text: UnsafePointer<CChar>?) -> String {
        let message = text.map { String(cString: $0) } ?? "unknown error"
        return message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// The first words of a statement, for error messages.
    static func summary(of sql: String) -> String {
        "\"" + sql.split(whereSeparator: \.isWhitespace).prefix(4).joined(separator: " ") + "\""
    }
}
