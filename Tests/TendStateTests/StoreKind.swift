import Foundation
@testable import TendState
import TendModel
import TendStateTesting
import Testing

/// The stores every behaviour test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case memory
    /// A schema of its own on the test process's PostgreSQL server (`PostgresServer.shared()`).
    case postgres

    var testDescription: String { rawValue }

    /// A new, empty store; SQLite ones live in `directory`, PostgreSQL ones in a new schema of the shared server.
    func makeStore(in directory: TemporaryDirectory) -> any StateStore {
        switch self {
        case .sqlite: return SQLiteStateStore(path: directory.file(".tend/state.db"), createIfMissing: true)
        case .memory: return InMemoryStateStore()
        case .postgres: return PostgresStores.make()
        }
    }

    /// A factory of stores on one new, empty state (for the behaviour suite), with the lease each asks for: SQLite
    /// stores on the same file in `directory`, PostgreSQL stores on the same new schema and stack, in-memory stores
    /// sharing one state.
    func makeFactory(in directory: TemporaryDirectory) -> StoreFactory {
        switch self {
        case .sqlite:
            let path = directory.file(".tend/state.db")
            return StoreFactory(leased: { lease in
                SQLiteStateStore(path: path, createIfMissing: true, leaseDuration: lease.duration, renewsLease: lease.renews)
            })
        case .memory:
            let state = InMemoryStateStore()
            return StoreFactory(leased: { lease in
                InMemoryStateStore(sharing: state, leaseDuration: lease.duration, renewsLease: lease.renews)
            })
        case .postgres:
            let schema = PostgresServer.uniqueSchema()
            return StoreFactory(leased: { lease in
                PostgresStores.make(schema: schema, leaseDuration: lease.duration, renewsLease: lease.renews)
            })
        }
    }
}

/// PostgreSQL stores on the test process's server.
enum PostgresStores {
    /// A store on a new schema of the shared server; when the server cannot start, the failure is recorded and the
    /// store fails every use.
    static func make(schema: String = PostgresServer.uniqueSchema(), stack: String = "test", leaseDuration: Double = 60,
                     renewsLease: Bool = true) -> PostgresStateStore {
        do {
            let server = try PostgresServer.shared()
            return PostgresStateStore(url: server.url(schema: schema, stack: stack), defaultStack: "unused",
                                      leaseDuration: leaseDuration, renewsLease: renewsLease)
        } catch {
            Issue.record(error, "the test PostgreSQL server did not start")
            return PostgresStateStore(url: "postgres://unavailable.invalid:0", defaultStack: stack)
        }
    }
}
