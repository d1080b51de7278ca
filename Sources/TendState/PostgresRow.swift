import Foundation

/// One row of a `PostgresResult`, read like a SQLite row: text, numbers, NULL tests.
struct PostgresRow: ResourceColumns {
    let result: PostgresResult
    let index: Int32

    func isNull(_ column: Int32) -> Bool {
        result.isNull(index, column)
    }

    func withText<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try result.withText(index, column, body)
    }

    /// Column `column` as text ("" for NULL).
    func text(_ column: Int32) -> String {
        withText(column) { String(decoding: $0, as: UTF8.self) }
    }

    /// Column `column` as text, nil for NULL.
    func optionalText(_ column: Int32) -> String? {
        isNull(column) ? nil : text(column)
    }

    /// Column `column` as an integer (0 for NULL).
    func int64(_ column: Int32) -> Int64 {
        Int64(text(column)) ?? 0
    }

    /// Column `column` as an integer, nil for NULL.
    func optionalInt64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    /// Column `column` as a double (0 for NULL).
    func double(_ column: Int32) -> Double {
        Double(text(column)) ?? 0
    }

    /// Column `column` as a double, nil for NULL.
    func optionalDouble(_ column: Int32) -> Double? {
        isNull(column) ? nil : double(column)
    }

    /// Column `column` as a boolean (`t`).
    func bool(_ column: Int32) -> Bool {
        text(column) == "t"
    }
}
