import Foundation
import TendModel
@testable import TendState
import TendStateTesting
import Testing

/// `tend state migrate`: a whole stack copied from SQLite to PostgreSQL and back, ids renumbered where they land,
/// everything else (lineage, serial, records, history, runs, findings, the audit chain) as it was.
@Suite struct StateMigrationTests {
    private let web = ResourceAddress(name: "web")
    private let db = ResourceAddress(name: "db")

    /// A state with something in every table.
    private func fill(_ store: any StateStore) throws {
        _ = try store.recordStackID("stack-1")
        let apply = try store.beginRun(kind: "apply", at: StateSample.date, actor: StateSample.actor)
        var history = StateSample.history(web, serial: 1)
        history.runID = apply
        try store.put(StateSample.record(web), history: history,
                      audit: AuditDraft(who: "alice", action: "apply", target: "web", result: "ok", at: StateSample.date))
        try store.put(StateSample.record(db), history: nil)
        try store.depose(db, intent: StateSample.record(db, status: .createPending))
        try store.finishRun(apply, outcome: "succeeded", counts: ["created": 2], at: StateSample.date.addingTimeInterval(5))
        _ = try store.advanceSerial(from: try store.version())
        let drift = try store.beginRun(kind: "drift", at: StateSample.date.addingTimeInterval(10), actor: StateSample.actor)
        _ = try store.recordDrift(runID: drift, findings: [
            ObservedFinding(address: "web", type: "local_file", kind: .changed, path: "content",
                            expected: .string("a"), actual: .string("b")),
            ObservedFinding(address: "db", type: "local_file", kind: .missing),
        ], scope: ["web", "db"], at: StateSample.date.addingTimeInterval(10))
        let second = try store.beginRun(kind: "drift", at: StateSample.date.addingTimeInterval(20), actor: "bob@runner-2")
        _ = try store.recordDrift(runID: second, findings: [
            ObservedFinding(address: "web", type: "local_file", kind: .changed, path: "content",
                            expected: .string("a"), actual: .string("c")),
        ], scope: ["web", "db"], at: StateSample.date.addingTimeInterval(20))
        try store.appendAudit(who: "bob", action: "drift", target: "stack", result: "2 findings", at: StateSample.date.addingTimeInterval(21))
        try store.replaceOutputs([OutputValue(name: "url", value: .map(["host": .string("a"), "port": .number(8080)]), sensitive: false),
                                  OutputValue(name: "token", value: .string("s3cret"), sensitive: true)])
    }

    /// The snapshot with run and finding ids replaced by their order, so copies with renumbered ids compare equal.
    private func normalized(_ snapshot: StateSnapshot) -> StateSnapshot {
        var copy = snapshot
        let runs = Dictionary(uniqueKeysWithValues: snapshot.runs.enumerated().map { ($1.id, Int64($0 + 1)) })
        let findings = Dictionary(uniqueKeysWithValues: snapshot.findings.enumerated().map { ($1.id, Int64($0 + 1)) })
        copy.runs = snapshot.runs.map { var run = $0; run.id = runs[run.id] ?? -1; return run }
        copy.history = snapshot.history.map { var entry = $0; entry.runID = runs[entry.runID] ?? entry.runID; return entry }
        copy.findings = snapshot.findings.map { finding in
            var changed = finding
            changed.id = findings[finding.id] ?? -1
            changed.runID = runs[finding.runID] ?? -1
            changed.resolvedRunID = finding.resolvedRunID.map { runs[$0] ?? -1 }
            return changed
        }
        copy.sightings = snapshot.sightings.map {
            DriftSighting(findingID: findings[$0.findingID] ?? -1, runID: runs[$0.runID] ?? -1, at: $0.at)
        }
        return copy
    }

    @Test func copiesAStackFromSQLiteToPostgresAndBack() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sqlite = SQLiteStateStore(path: directory.file("a/state.db"), createIfMissing: true)
        try fill(sqlite)
        let original = try #require(try StateSnapshot(reading: sqlite))
        #expect(original.findings.count == 2 && original.sightings.count == 3 && original.audit.count == 2)
        #expect(original.runs.map(\.actor) == [StateSample.actor, StateSample.actor, "bob@runner-2"])

        // Another stack in the same schema first, so the PostgreSQL ids differ from SQLite's.
        let schema = PostgresServer.uniqueSchema("migrate")
        try fill(PostgresStores.make(schema: schema, stack: "other"))
        let postgres = PostgresStores.make(schema: schema, stack: "copy")
        try postgres.importSnapshot(original)
        let there = try #require(try StateSnapshot(reading: postgres))
        #expect(there.runs.map(\.id) != original.runs.map(\.id))
        #expect(normalized(there) == normalized(original))
        #expect(there.audit == original.audit)
        #expect(try postgres.verifyAuditChain() == nil)

        let back = SQLiteStateStore(path: directory.file("b/state.db"), createIfMissing: true)
        try back.importSnapshot(there)
        let returned = try #require(try StateSnapshot(reading: back))
        #expect(normalized(returned) == normalized(original))
        #expect(returned.version == original.version)

        // The copy goes on like the original: the next audit row chains onto the copied ones.
        try back.appendAudit(who: "carol", action: "apply", target: "web", result: "ok", at: StateSample.date)
        #expect(try back.verifyAuditChain() == nil)
    }

    @Test(arguments: [StoreKind.sqlite, .postgres])
    func refusesToCopyIntoAStoreThatHoldsAStateAndWritesNothing(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = InMemoryStateStore()
        try fill(source)
        let snapshot = try #require(try StateSnapshot(reading: source))
        let store = kind.makeStore(in: directory)
        try store.appendAudit(who: "x", action: "apply", target: "web", result: "ok", at: StateSample.date)
        let importing = try #require(store as? any StateImporting)

        let error = #expect(throws: StateError.self) { try importing.importSnapshot(snapshot) }
        #expect(error?.code == .conflict)
        #expect(try store.resources().isEmpty)
        #expect(try store.auditLog().count == 1)
    }

    @Test(arguments: [StoreKind.sqlite, .postgres])
    func refusesAnAuditLogThatDoesNotVerifyWhereItLandsAndWritesNothing(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = InMemoryStateStore()
        try fill(source)
        var snapshot = try #require(try StateSnapshot(reading: source))
        snapshot.audit[0].who = "mallory"
        let store = kind.makeStore(in: directory)
        let importing = try #require(store as? any StateImporting)

        let error = #expect(throws: StateError.self) { try importing.importSnapshot(snapshot) }
        #expect(error?.code == .corrupt)
        #expect(try store.version() == nil)
        #expect(try store.resources().isEmpty)
    }
}
