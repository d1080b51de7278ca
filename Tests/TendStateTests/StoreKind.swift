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

    /// Two stores on one new, empty state: SQLite ones on the same file, PostgreSQL ones on the same schema and stack.
    /// An in-memory store cannot be opened twice: both are the same store.
    func makeStores(in directory: TemporaryDirectory) -> (any StateStore, any StateStore) {
        switch self {
        case .sqlite:
            let path = directory.file(".tend/state.db")
            return (SQLiteStateStore(path: path, createIfMissing: true), SQLiteStateStore(path: path, createIfMissing: true))
        case .memory:
            let store = InMemoryStateStore()
            return (store, store)
        case .postgres:
            let schema = PostgresServer.uniqueSchema()
            return (PostgresStores.make(schema: schema), PostgresStores.make(schema: schema))
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

/// Values shared by the tests.
enum Sample {
    /// 2023-11-14T22:13:20.25Z: exactly representable, so it survives any storage.
    static let date = Date(timeIntervalSince1970: 1_700_000_000.25)

    static func record(_ address: ResourceAddress, status: ResourceRecord.Status = .created) -> ResourceRecord {
        ResourceRecord(
            address: address, type: "local_file", provider: "local", id: status == .createPending ? "" : "id-\(address)",
            attributes: [
                "path": .string("/tmp/out/\"quoted\"\n.txt"),
                "mode": .number(420),
                "ratio": .number(0.125),
                "enabled": .bool(true),
                "nothing": .null,
                "tags": .map(["owner": .string("ops"), "nested": .map(["deep": .list([.number(1), .bool(false)])])]),
                "ports": .list([.number(80), .number(443), .map(["name": .string("x")])]),
            ],
            sensitivePaths: [AttributePath(keys: "tags", "owner"), AttributePath([.key("ports"), .index(2), .key("a.b")])],
            dependencies: [ResourceAddress(name: "dir"), ResourceAddress(name: "site", key: .string("a")),
                           ResourceAddress(name: "disk", key: .index(3))],
            schemaVersion: 2, status: status, updatedAt: date)
    }

    static func history(_ address: ResourceAddress, serial: Int, action: String = "create") -> HistoryEntry {
        HistoryEntry(serial: serial, runID: 1, address: address, action: action,
                     before: action == "create" ? nil : ["content": .string("old")],
                     after: action == "delete" ? nil : ["content": .string("new \(serial)")],
                     at: date.addingTimeInterval(Double(serial)))
    }

    static func lock(id: String = "lock-1", pid: Int32 = getpid(), host: String = LocalHost.name) -> LockInfo {
        LockInfo(id: id, holder: "alice@laptop", operation: "apply", pid: pid, host: host, since: date)
    }

    /// The pid of a process that has exited and been reaped.
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}
