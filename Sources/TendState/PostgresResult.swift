import CPostgres
import Foundation

/// The rows of one statement's result, in text form; the libpq result is freed with this object.
///
/// Not Sendable: it lives only inside one `PostgresSession` call.
final class PostgresResult {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) {
        self.result = result
    }

    deinit {
        tend_pq_clear(result)
    }

    /// How many rows it holds.
    var count: Int {
        Int(tend_pq_ntuples(result))
    }

    /// How many rows an INSERT, UPDATE or DELETE changed.
    var changedRows: Int {
        tend_pq_cmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }

    /// Row `index`.
    func row(_ index: Int) -> PostgresRow {
        PostgresRow(result: self, index: Int32(index))
    }

    /// Every row, mapped.
    func map<Row>(_ body: (PostgresRow) throws -> Row) rethrows -> [Row] {
        try (0..<count).map { try body(row($0)) }
    }

    /// The first row mapped, nil when there is none.
    func first<Row>(_ body: (PostgresRow) throws -> Row) rethrows -> Row? {
        count == 0 ? nil : try body(row(0))
    }

    func isNull(_ row: Int32, _ column: Int32) -> Bool {
        tend_pq_getisnull(result, row, column) != 0
    }

    func withText<T>(_ row: Int32, _ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard let value = tend_pq_getvalue(result, row, column) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let length = Int(tend_pq_getlength(result, row, column))
        return try value.withMemoryRebound(to: UInt8.self, capacity: max(length, 1)) {
            try body(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}
