import Foundation
@testable import TendState
import TendModel
import TendStateTesting
import Testing

/// SQLite-only: multi-step edits are one transaction, and a state written before stack ids were recorded upgrades.
@Suite struct SQLiteStateStoreEditTests {
    private let web = ResourceAddress(name: "web")
    private let audit = AuditDraft(who: "alice@laptop", action: "edit", target: "web", result: "ok", at: StateSample.date)

    /// A store whose audit log refuses new rows: the last step of every edit fails.
    private static func storeFailingOnAudit(_ directory: TemporaryDirectory) throws -> SQLiteStateStore {
        let path = directory.file("state.db")
        let store = SQLiteStateStore(path: path, createIfMissing: true)
        _ = try store.initialize()
        try SQLiteDatabase(path: path, mode: .readWrite).withConnection { raw in
            try raw.execute("""
                CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END
                """)
        }
        return store
    }

    @Test func aMoveThatFailsHalfWayLeavesTheRecordWhereItWas() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.storeFailingOnAudit(directory)
        try store.put(StateSample.record(web), history: nil)
        let before = try store.version()

        #expect(throws: StateError.self) { try store.move(from: web, to: ResourceAddress(name: "app"), audit: audit) }

        #expect(try store.resources().map(\.address) == [web], "neither lost nor copied")
        #expect(try store.resource(web) == StateSample.record(web))
        #expect(try store.version() == before)
    }

    @Test func anAcceptThatFailsHalfWayChangesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.storeFailingOnAudit(directory)
        try store.put(StateSample.record(web), history: nil)
        let driftRun = try store.beginRun(kind: "drift", at: StateSample.date, actor: StateSample.actor)
        _ = try store.recordDrift(runID: driftRun, findings: [
            ObservedFinding(address: "web", type: "local_file", kind: .changed, path: "content",
                            expected: .string("old"), actual: .string("new")),
        ], scope: ["web"], at: StateSample.date)
        let before = try store.version()
        var observed = StateSample.record(web)
        observed.attributes["content"] = .string("new")

        #expect(throws: StateError.self) {
            try store.accept(DriftAcceptance(record: observed, before: nil, after: nil, audit: audit, at: StateSample.date))
        }

        #expect(try store.resource(web) == StateSample.record(web))
        #expect(try store.version() == before)
        #expect(try store.runs(limit: 0).map(\.kind) == ["drift"])
        #expect(try store.history(address: nil, limit: 0).isEmpty)
        #expect(try store.driftFindings(address: "web", since: nil).map(\.resolution) == [nil])
    }

    /// A state written by a tend before stack ids (schema 1) opens with no id; recording one keeps lineage,
    /// serial and resources, and a new id is not made up on the way.
    @Test func upgradesAStateWrittenBeforeStackIDsWithoutInventingOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try SQLiteDatabase(path: path, mode: .readWriteCreate).withConnection { raw in
            for statement in SchemaMigration.all[0].statements { try raw.execute(statement) }
            try raw.execute("PRAGMA application_id = \(SchemaMigration.applicationID)")
            try raw.execute("PRAGMA user_version = 1")
            try raw.execute("INSERT INTO meta (id, lineage, serial) VALUES (1, 'old-lineage', 7)")
        }
        let store = SQLiteStateStore(path: path, createIfMissing: false)

        #expect(try store.version() == StateVersion(lineage: "old-lineage", serial: 7))
        #expect(try store.stackID() == nil, "objects of this state carry the directory's name; no id may be invented")
        #expect(try store.initialize() == StateVersion(lineage: "old-lineage", serial: 7))
        #expect(try store.stackID() == nil)

        #expect(try store.recordStackID("infra") == StateVersion(lineage: "old-lineage", serial: 7))
        #expect(try SQLiteStateStore(path: path, createIfMissing: false).stackID() == "infra")
        let userVersion = try SQLiteDatabase(path: path, mode: .readOnly).withConnection { connection in
            try connection.queryFirst("PRAGMA user_version") { $0.int64(0) }
        }
        #expect(userVersion == Int64(SchemaMigration.currentVersion))
    }
}
