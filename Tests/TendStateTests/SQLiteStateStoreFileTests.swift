import Foundation
@testable import TendState
import TendFuzzing
import TendModel
import TendStateTesting
import Testing

/// What only the SQLite store does: files, modes, refusing other files, migrations, tamper evidence.
@Suite struct SQLiteStateStoreFileTests {
    @Test func createsPrivateFilesInWALMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(".tend/state.db")
        let store = SQLiteStateStore(path: path, createIfMissing: false)
        _ = try store.initialize()
        try store.put(StateSample.record(ResourceAddress(name: "web")), history: nil)

        #expect(TemporaryDirectory.mode(of: directory.file(".tend")) == 0o700)
        #expect(TemporaryDirectory.mode(of: path) == 0o600)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            #expect(TemporaryDirectory.mode(of: path + suffix) == 0o600, "\(suffix) should be private")
        }
        let raw = try SQLiteDatabase(path: path, mode: .readOnly)
        let journal = try raw.withConnection { try $0.queryFirst("PRAGMA journal_mode") { $0.text(0) } }
        #expect(journal == "wal")
    }

    @Test func keepsLineageAndSerialAcrossReopen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("nested/dir/state.db")
        let first = try {
            let store = SQLiteStateStore(path: path, createIfMissing: true)
            return try store.advanceSerial(from: try store.initialize())
        }()

        let reopened = SQLiteStateStore(path: path, createIfMissing: false)
        #expect(try reopened.version() == first)
        #expect(try reopened.advanceSerial(from: first) == StateVersion(lineage: first.lineage, serial: 2))
    }

    @Test func readsOfAMissingFileCreateNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = SQLiteStateStore(path: directory.file(".tend/state.db"), createIfMissing: false)

        #expect(try store.version() == nil)
        #expect(try store.resources().isEmpty)
        #expect(try store.resource(ResourceAddress(name: "web")) == nil)
        #expect(try store.history(address: nil, limit: 10).isEmpty)
        #expect(try store.runs(limit: 10).isEmpty)
        #expect(try store.auditLog().isEmpty)
        #expect(try store.verifyAuditChain() == nil)
        #expect(try store.currentLock() == nil)
        try store.unlock(id: "x")
        #expect(throws: StateError.self) { try store.forceUnlock(id: "x") }
        #expect(TemporaryDirectory.listing(directory.path).isEmpty)

        _ = try store.initialize()
        #expect(TemporaryDirectory.listing(directory.path) == [".tend"])
        #expect(try store.version()?.serial == 0)
    }

    @Test func firstWriteCreatesTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        let store = SQLiteStateStore(path: path, createIfMissing: false)
        _ = try store.beginRun(kind: "apply", at: StateSample.date, actor: StateSample.actor)

        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try store.version() == nil)
        #expect(try store.runs(limit: 1).count == 1)
    }

    @Test(arguments: NonDatabase.allCases)
    func refusesAFileThatIsNotSQLite(content: NonDatabase) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try content.bytes.write(to: URL(fileURLWithPath: path))

        for createIfMissing in [false, true] {
            let store = SQLiteStateStore(path: path, createIfMissing: createIfMissing)
            let readError = #expect(throws: StateError.self) { try store.version() }
            #expect(readError?.code == .notDatabase)
            #expect(readError?.message.contains(path) == true)
            #expect(readError?.message.contains("not modif") == true)
            let writeError = #expect(throws: StateError.self) { _ = try store.initialize() }
            #expect(writeError?.code == .notDatabase)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content.bytes)
        #expect(TemporaryDirectory.listing(directory.path) == ["state.db"])
    }

    @Test(arguments: ForeignDatabase.allCases)
    func refusesAnotherProgramsDatabase(kind: ForeignDatabase) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try kind.create(at: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let store = SQLiteStateStore(path: path, createIfMissing: true)
        let readError = #expect(throws: StateError.self) { try store.resources() }
        #expect(readError?.code == .foreign)
        #expect(readError?.message.contains(path) == true)
        let writeError = #expect(throws: StateError.self) { try store.lock(StateSample.lock()) }
        #expect(writeError?.code == .foreign)

        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(TemporaryDirectory.listing(directory.path) == ["state.db"])
    }

    @Test func refusesAStateWrittenByANewerTend() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        _ = try SQLiteStateStore(path: path, createIfMissing: true).initialize()
        try SQLiteDatabase(path: path, mode: .readWrite).withConnection { try $0.execute("PRAGMA user_version = 99") }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let error = #expect(throws: StateError.self) {
            try SQLiteStateStore(path: path, createIfMissing: false).version()
        }
        #expect(error?.code == .newerSchema)
        #expect(error?.message.contains("newer tend") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func reopeningACurrentDatabaseChangesNoSchema() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        _ = try SQLiteStateStore(path: path, createIfMissing: true).initialize()
        let before = try Self.schemaMarkers(path)
        #expect(before.userVersion == Int64(SchemaMigration.currentVersion))
        #expect(before.applicationID == Int64(SchemaMigration.applicationID))

        _ = try SQLiteStateStore(path: path, createIfMissing: true).initialize()
        #expect(try Self.schemaMarkers(path) == before)
    }

    @Test func createsEveryTable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        _ = try SQLiteStateStore(path: path, createIfMissing: true).version()
        let tables = try SQLiteDatabase(path: path, mode: .readOnly).withConnection { connection in
            try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                $0.text(0)
            }
        }
        #expect(Set(tables) == ["meta", "resources", "history", "runs", "audit_log", "lock", "drift_findings", "drift_sightings", "deposed",
                              "outputs", "lease"])
    }

    @Test func detectsATamperedAuditRow() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        let store = SQLiteStateStore(path: path, createIfMissing: true)
        for action in ["plan", "apply", "destroy"] {
            try store.appendAudit(who: "alice", action: action, target: "web", result: "ok", at: StateSample.date)
        }
        #expect(try store.verifyAuditChain() == nil)

        try SQLiteDatabase(path: path, mode: .readWrite).withConnection { raw in
            try raw.execute("DROP TRIGGER audit_log_no_update")
            try raw.execute("UPDATE audit_log SET who = 'mallory' WHERE seq = 2")
        }
        #expect(try store.verifyAuditChain() == 2)
    }

    @Test(arguments: ["UPDATE audit_log SET result = 'failed' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1"])
    func refusesToRewriteTheAuditLog(statement: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        let store = SQLiteStateStore(path: path, createIfMissing: true)
        try store.appendAudit(who: "alice", action: "apply", target: "web", result: "ok", at: StateSample.date)

        let error = #expect(throws: StateError.self) {
            try SQLiteDatabase(path: path, mode: .readWrite).withConnection { try $0.execute(statement) }
        }
        #expect(error?.message.contains("append-only") == true)
        #expect(try store.auditLog().map(\.result) == ["ok"])
        #expect(try store.verifyAuditChain() == nil)
    }

    /// Attributes are decoded in chunks on other threads: many rows come back whole and in address order, and one
    /// damaged row anywhere fails the read with an error naming the column.
    @Test func readsManyRowsAndRefusesADamagedOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        let store = SQLiteStateStore(path: path, createIfMissing: true)
        var expected: [ResourceRecord] = []
        for index in 0..<700 {
            var record = StateSample.record(ResourceAddress(name: "file", key: .index(index)))
            record.attributes["content"] = .string(String(repeating: "line \(index)\n", count: 40))
            try store.put(record, history: nil)
            expected.append(record)
        }
        let shared = ["content": String(repeating: "line 5\n", count: 40)]
        let read = try store.resources(sharing: SharedStrings([ResourceAddress(name: "file", key: .index(5)): shared]))
        #expect(read == expected)
        try SQLiteDatabase(path: path, mode: .readWrite).withConnection {
            try $0.execute("UPDATE resources SET attributes = '{\"content\": \"cut' WHERE address = 'file[600]'")
        }
        let error = #expect(throws: StateError.self) { try store.resources() }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("resources.attributes") == true)
    }

    @Test func twoStoresOnOneFileSerializeWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        let stores = [SQLiteStateStore(path: path, createIfMissing: true),
                      SQLiteStateStore(path: path, createIfMissing: true)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try stores[index % 2].appendAudit(who: "writer \(index)", action: "apply", target: "web",
                                                      result: "ok", at: StateSample.date)
                }
            }
            try await group.waitForAll()
        }
        #expect(try stores[0].auditLog().map(\.sequence) == Array(1...40))
        #expect(try stores[1].verifyAuditChain() == nil)

        try stores[0].lock(StateSample.lock(id: "first"))
        let error = #expect(throws: StateError.self) { try stores[1].lock(StateSample.lock(id: "second")) }
        #expect(error?.code == .locked)
    }

    private struct SchemaMarkers: Equatable {
        var applicationID: Int64
        var userVersion: Int64
        var schemaVersion: Int64
    }

    private static func schemaMarkers(_ path: String) throws -> SchemaMarkers {
        try SQLiteDatabase(path: path, mode: .readOnly).withConnection { connection in
            func pragma(_ name: String) throws -> Int64 {
                try connection.queryFirst("PRAGMA \(name)") { $0.int64(0) } ?? -1
            }
            return SchemaMarkers(applicationID: try pragma("application_id"), userVersion: try pragma("user_version"),
                                 schemaVersion: try pragma("schema_version"))
        }
    }
}

/// Files that are not SQLite databases at all.
enum NonDatabase: String, CaseIterable, Sendable {
    case randomBytes
    case text
    case shortText

    var bytes: Data {
        switch self {
        case .randomBytes:
            var generator = FuzzRandom(seed: 42)
            return Data((0..<8192).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        case .text:
            return Data(String(repeating: "resources:\n  web: {type: local_file}\n", count: 200).utf8)
        case .shortText:
            return Data("not a db\n".utf8)
        }
    }
}

/// SQLite databases that some other program wrote.
enum ForeignDatabase: String, CaseIterable, Sendable {
    case tablesWithoutMarker
    case otherApplicationID

    func create(at path: String) throws {
        try SQLiteDatabase(path: path, mode: .readWriteCreate).withConnection { connection in
            switch self {
            case .tablesWithoutMarker:
                try connection.execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')")
            case .otherApplicationID:
                try connection.execute("PRAGMA application_id = 42; CREATE TABLE meta (lineage TEXT)")
            }
        }
    }
}
